#include "harness/run/private_folder.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>

#include "common/mutex.h"

namespace understudy::harness {
namespace {

Mutex live_mutex;
std::set<std::filesystem::path>& live_folders() REQUIRES(live_mutex) {
  static std::set<std::filesystem::path> folders;
  return folders;
}

}  // namespace

PrivateFolder::PrivateFolder(const std::filesystem::path& parent, std::string_view prefix) {
  std::string pattern = (parent / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a private folder in " + parent.string() + ": " +
                             std::strerror(errno));
  }
  path_ = pattern;
  MutexLock lock(live_mutex);
  live_folders().insert(path_);
}

PrivateFolder::~PrivateFolder() {
  remove();
}

void PrivateFolder::remove() {
  MutexLock lock(live_mutex);
  if (live_folders().erase(path_) > 0) {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
}

void PrivateFolder::remove_all_live() {
  MutexLock lock(live_mutex);
  for (const auto& folder : live_folders()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
  live_folders().clear();
}

}  // namespace understudy::harness
