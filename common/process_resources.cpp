#include "common/process_resources.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace understudy {
namespace {

int entries_in(const std::filesystem::path& folder) {
  std::error_code error;
  int count = 0;
  for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  if (error) {
    throw std::runtime_error("cannot list " + folder.string() + ": " + error.message());
  }
  return count;
}

}  // namespace

ProcessResources ProcessResources::of(pid_t pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  ProcessResources r;
  r.fds = entries_in(proc / "fd");
  r.threads = entries_in(proc / "task");
  std::ifstream status(proc / "status");
  if (!status) {
    throw std::runtime_error("cannot read " + (proc / "status").string());
  }
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) {
      std::istringstream fields(line.substr(6));
      double kib = 0;
      fields >> kib;
      r.rss_mib = kib / 1024.0;
    }
  }
  return r;
}

std::string ProcessResources::describe() const {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << fds << " fds, " << threads << " threads, " << rss_mib << " MiB RSS";
  return out.str();
}

}  // namespace understudy
