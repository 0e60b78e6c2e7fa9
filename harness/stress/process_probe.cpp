#include "harness/stress/process_probe.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace understudy::harness {

std::optional<ProcessUsage> read_process_usage(pid_t pid) {
  const auto dir = std::filesystem::path("/proc") / std::to_string(pid);
  std::ifstream status(dir / "status");
  if (!status) {
    return std::nullopt;
  }
  ProcessUsage usage;
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      usage.rss_bytes = std::stoull(line.substr(6)) * 1024;  // reported in kB
    } else if (line.rfind("Threads:", 0) == 0) {
      usage.threads = std::stoi(line.substr(8));
    }
  }
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(dir / "fd", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++usage.open_fds;
  }
  // /proc/PID/stat: fields 14 and 15 (utime, stime) after the command, which
  // is in parentheses and may contain spaces.
  std::ifstream stat(dir / "stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14) {
        utime = std::stoull(field);
      } else if (i == 15) {
        stime = std::stoull(field);
      }
    }
    usage.cpu_seconds =
        static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  // Threads that ended since the last reading take their waits with them;
  // over a stress run's load the engine's threads are its connections'.
  unsigned long long waited_ns = 0;
  unsigned long long switches_in = 0;
  for (auto it = std::filesystem::directory_iterator(dir / "task", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    std::ifstream schedstat(it->path() / "schedstat");
    unsigned long long on_cpu_ns = 0;
    unsigned long long thread_waited_ns = 0;
    unsigned long long thread_switches_in = 0;
    if (schedstat >> on_cpu_ns >> thread_waited_ns >> thread_switches_in) {
      waited_ns += thread_waited_ns;
      switches_in += thread_switches_in;
    }
  }
  usage.cpu_wait_seconds = static_cast<double>(waited_ns) / 1e9;
  usage.cpu_switches_in = switches_in;
  return usage;
}

MachineCpu read_machine_cpu() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  MachineCpu reading;
  stat >> cpu;  // "cpu": the sum over all CPUs
  std::uint64_t value = 0;
  for (int i = 0; i < 8 && stat >> value; ++i) {
    reading.total += value;
    if (i != 3 && i != 4) {  // idle and iowait are not busy
      reading.busy += value;
    }
  }
  return reading;
}

double busy_fraction(const MachineCpu& before, const MachineCpu& after) {
  const auto total = after.total - before.total;
  return total == 0 ? 0.0
                    : static_cast<double>(after.busy - before.busy) / static_cast<double>(total);
}

}  // namespace understudy::harness
