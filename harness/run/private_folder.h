// PrivateFolder: a folder of the harness's own, made with mkdtemp (mode
// 0700) and removed with everything in it when its owner goes away.
//
// Every live one is listed, so that a run which ends without unwinding the
// thread that owns one (interrupted while a scenario is stuck in a step) can
// still remove it on its way out: remove_all_live().
#pragma once

#include <filesystem>
#include <string_view>

namespace understudy::harness {

class PrivateFolder {
 public:
  // Makes `parent`/`prefix`XXXXXX. Throws std::runtime_error naming the
  // parent and the reason when it cannot.
  PrivateFolder(const std::filesystem::path& parent, std::string_view prefix);
  ~PrivateFolder();
  PrivateFolder(const PrivateFolder&) = delete;
  PrivateFolder& operator=(const PrivateFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Removes the folder now (idempotent); the destructor then does nothing.
  void remove();

  // Removes every folder whose owner has not yet removed it. Not
  // async-signal-safe: for the main thread once a run has stopped.
  static void remove_all_live();

 private:
  std::filesystem::path path_;
};

}  // namespace understudy::harness
