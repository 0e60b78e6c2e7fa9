// Console: the engine's output log. Log, warning and error records, each with
// the frame number, the thread that wrote it and the time. Records are echoed
// to stderr and kept, so that tests and the harness can query and wait for them.
//
// Any thread may write and read: like Unreal's UE_LOG, logging is allowed from
// worker threads (RPyC's `log` service runs on connection threads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace understudy {

enum class Severity { kLog, kWarning, kError };

std::string_view severity_name(Severity severity);  // "log", "warning", "error"

struct ConsoleRecord {
  std::uint64_t sequence = 0;  // 1, 2, ... in the order records were written
  Severity severity = Severity::kLog;
  std::uint64_t frame = 0;
  std::string thread;
  double seconds = 0;  // since the console was created
  std::string text;
};

using ConsoleListener = std::function<void(const ConsoleRecord&)>;

class Console {
 public:
  // `frame_source` tells the current frame number; `echo` prints each record to stderr.
  Console(std::function<std::uint64_t()> frame_source, bool echo);

  void write(Severity severity, std::string text);
  void log(std::string text) { write(Severity::kLog, std::move(text)); }
  void warning(std::string text) { write(Severity::kWarning, std::move(text)); }
  void error(std::string text) { write(Severity::kError, std::move(text)); }

  // Records with sequence > `after`, oldest first.
  std::vector<ConsoleRecord> records(std::uint64_t after = 0) const;

  // Blocks until a record with sequence > `after` satisfies `match`, or the
  // timeout passes. Returns the first such record.
  std::optional<ConsoleRecord> wait_for(const std::function<bool(const ConsoleRecord&)>& match,
                                        std::chrono::milliseconds timeout,
                                        std::uint64_t after = 0) const;

  // Called on the writing thread after each record is stored, outside the lock.
  void add_listener(ConsoleListener listener);

  std::size_t count(Severity severity) const;

 private:
  const std::function<std::uint64_t()> frame_source_;
  const bool echo_;
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  mutable std::condition_variable appended_;
  std::vector<ConsoleRecord> records_;      // REQUIRES: mutex_ held
  std::vector<ConsoleListener> listeners_;  // REQUIRES: mutex_ held
};

}  // namespace understudy
