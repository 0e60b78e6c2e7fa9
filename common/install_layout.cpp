#include "common/install_layout.h"

#include <system_error>

namespace understudy {

std::filesystem::path InstallLayout::executable() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : path;
}

std::filesystem::path InstallLayout::installed_prefix() {
  // Computed once: the program does not move while it runs.
  static const std::filesystem::path prefix = [] {
    const auto bin = executable().parent_path();
    if (bin.filename() != "bin") {
      return std::filesystem::path();
    }
    std::error_code error;
    const auto candidate = bin.parent_path();
    return std::filesystem::is_directory(candidate / "share" / "understudy", error)
               ? candidate
               : std::filesystem::path();
  }();
  return prefix;
}

std::filesystem::path InstallLayout::locate(std::string_view installed,
                                            std::string_view in_source_tree) {
  const auto prefix = installed_prefix();
  return prefix.empty() ? std::filesystem::path(in_source_tree) : prefix / installed;
}

}  // namespace understudy
