// TempDir: a fresh directory (mkdtemp: mode 0700, a name nobody else has) for
// one owner's files: a test's scripts and logs, a redis-server's config and
// data. Removed with everything in it when its owner goes away, unless the
// owner called keep() (a failed test keeps the logs its message names).
#pragma once

#include <filesystem>
#include <string_view>

namespace understudy {

class TempDir {
 public:
  // Makes <parent>/<prefix>-XXXXXX, by default under $TMPDIR. Throws
  // std::system_error naming the pattern when it cannot.
  explicit TempDir(std::string_view prefix,
                   const std::filesystem::path& parent = std::filesystem::temp_directory_path());
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `contents` to path()/name (making its folders) and returns the
  // file's path. Throws std::runtime_error naming the file when it cannot.
  std::filesystem::path write_file(std::string_view name, std::string_view contents,
                                   bool executable = false) const;

  // The directory outlives this object.
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace understudy
