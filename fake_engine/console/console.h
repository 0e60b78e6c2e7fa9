// Console: the engine's output log. Log, warning and error records, each with
// the frame number, the thread that wrote it and the time. Records are echoed
// to stderr and the most recent ones kept (as editors' consoles keep a
// bounded history), so that tests and the harness can query and wait for
// them; listeners see every record. Unbounded, every client connecting and
// disconnecting grew a long-running engine by two records for good.
//
// Any thread may write and read: like Unreal's UE_LOG, logging is allowed from
// worker threads (RPyC's `log` service runs on connection threads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"

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
  static constexpr std::size_t kDefaultKeptRecords = 20000;

  // `frame_source` tells the current frame number; `echo` prints each record
  // to stderr; the newest `kept_records` records are kept.
  Console(std::function<std::uint64_t()> frame_source, bool echo,
          std::size_t kept_records = kDefaultKeptRecords);

  void write(Severity severity, std::string text);
  void log(std::string text) { write(Severity::kLog, std::move(text)); }
  void warning(std::string text) { write(Severity::kWarning, std::move(text)); }
  void error(std::string text) { write(Severity::kError, std::move(text)); }

  // Kept records with sequence > `after`, oldest first.
  std::vector<ConsoleRecord> records(std::uint64_t after = 0) const;

  // Blocks until a record with sequence > `after` satisfies `match`, or the
  // timeout passes. Returns the first such record (among those still kept).
  std::optional<ConsoleRecord> wait_for(const std::function<bool(const ConsoleRecord&)>& match,
                                        std::chrono::milliseconds timeout,
                                        std::uint64_t after = 0) const;

  // Called on the writing thread after each record is stored, outside the lock.
  void add_listener(ConsoleListener listener);

  // Called on the writing thread under the console's lock, before the stderr
  // echo, so that it sees the records in sequence order (a listener may see two
  // threads' records the other way round), and has each before stderr shows it. It must be quick
  // and must not write to or read the console. It first sees the records kept so far, so that
  // nothing written before it was set is missing. One at a time; an empty one removes it.
  void set_ordered_sink(ConsoleListener sink);

  // Records of that severity ever written, kept or not.
  std::size_t count(Severity severity) const;

 private:
  const std::function<std::uint64_t()> frame_source_;
  const bool echo_;
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  const std::size_t kept_records_;
  mutable Mutex mutex_;
  mutable std::condition_variable appended_;
  std::deque<ConsoleRecord> records_ GUARDED_BY(mutex_);  // sequences dropped_+1 ...
  std::uint64_t dropped_ GUARDED_BY(mutex_) = 0;          // records no longer kept
  std::size_t counts_[3] GUARDED_BY(mutex_) = {};         // by severity, ever written
  std::vector<ConsoleListener> listeners_ GUARDED_BY(mutex_);
  ConsoleListener ordered_sink_ GUARDED_BY(mutex_);
};

}  // namespace understudy
