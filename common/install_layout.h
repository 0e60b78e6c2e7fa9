// Where a program's own files are. A program run from the build tree uses
// the source tree's files (the paths CMake compiles in), so that an edit to
// the engine's Python takes effect without a build; an installed one
// (PREFIX/bin/NAME, from `cmake --install` or the .deb) uses the copies
// installed under PREFIX. No environment variable is needed for either.
#pragma once

#include <filesystem>
#include <string_view>

namespace understudy {

class InstallLayout {
 public:
  // The running program, resolved through /proc/self/exe.
  static std::filesystem::path executable();

  // PREFIX when the running program is PREFIX/bin/NAME and PREFIX holds
  // share/understudy (what the install rules put there); empty otherwise.
  static std::filesystem::path installed_prefix();

  // `installed` (relative to PREFIX) for an installed program, else
  // `in_source_tree` (absolute, compiled in).
  static std::filesystem::path locate(std::string_view installed, std::string_view in_source_tree);
};

}  // namespace understudy
