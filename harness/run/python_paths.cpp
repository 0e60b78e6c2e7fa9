#include "harness/run/python_paths.h"

#include <stdlib.h>

namespace understudy::harness {

std::string python_path(const RunSettings& settings, const std::filesystem::path& first) {
  std::string path = (first.empty() ? settings.client_pylib : first).string();
  if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing) {
    path += ":" + std::string(existing);
  }
  return path;
}

std::filesystem::path pfu_site_packages(const RunSettings& settings) {
  return *settings.pfu_package / "Python~" / "site-packages";
}

}  // namespace understudy::harness
