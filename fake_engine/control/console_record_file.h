// ConsoleRecordFile: the console file of --console-file. Every console record
// as the control channel's `console` event, one JSON line each in sequence
// order, and at the end of the run an `exit` event (protocol/README.md, "The
// console file"). Harnesses read records from it instead of parsing the
// human echo on stderr; unlike the control channel it holds every record and
// is still there after the engine has stopped.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

#include "common/mutex.h"
#include "fake_engine/console/console.h"
#include "protocol/messages.h"

namespace understudy::control {

class ConsoleRecordFile {
 public:
  // Creates (or empties) the file, mode 0600 like the control socket: a
  // record may carry what a script printed. Throws std::runtime_error naming
  // the path when it cannot.
  explicit ConsoleRecordFile(std::filesystem::path path);
  ~ConsoleRecordFile();
  ConsoleRecordFile(const ConsoleRecordFile&) = delete;
  ConsoleRecordFile& operator=(const ConsoleRecordFile&) = delete;

  // Writes records from now on, in order: the console's ordered sink. Stops
  // in the destructor or at finish().
  void attach(Console& console);

  // The last line. Records the console writes after it are not written.
  void finish(const protocol::EngineExit& exit);

 private:
  void append(const std::string& line);

  const std::filesystem::path path_;
  Console* console_ = nullptr;
  Mutex mutex_;
  std::FILE* file_ GUARDED_BY(mutex_) = nullptr;
  // A write that failed (a full disk) is said once on stderr; the records
  // after it may be missing, so the file then ends without its exit event.
  bool failed_ GUARDED_BY(mutex_) = false;
};

}  // namespace understudy::control
