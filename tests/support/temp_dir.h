// TempDir: a fresh directory under $TMPDIR for one test's files (scripts it
// writes, logs of the processes it starts). Removed when the test passed;
// kept when it failed, so that the paths named in its failure messages can
// still be read.
#pragma once

#include <filesystem>
#include <string_view>

namespace understudy::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `contents` to path()/name and returns the file's path.
  std::filesystem::path write_file(std::string_view name, std::string_view contents,
                                   bool executable = false) const;

 private:
  std::filesystem::path path_;
};

}  // namespace understudy::testing
