#include "fake_engine/console/console.h"

#include <algorithm>
#include <cstdio>

#include "fake_engine/core/thread_identity.h"

namespace understudy {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::kLog:
      return "log";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "log";
}

Console::Console(std::function<std::uint64_t()> frame_source, bool echo, std::size_t kept_records)
    : frame_source_(std::move(frame_source)),
      echo_(echo),
      kept_records_(std::max<std::size_t>(kept_records, 1)) {}

void Console::write(Severity severity, std::string text) {
  ConsoleRecord record;
  record.severity = severity;
  record.frame = frame_source_ ? frame_source_() : 0;
  record.thread = current_thread_name();
  record.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - created_).count();
  record.text = std::move(text);
  std::vector<ConsoleListener> listeners;
  {
    MutexLock lock(mutex_);
    record.sequence = dropped_ + records_.size() + 1;
    records_.push_back(record);
    ++counts_[static_cast<std::size_t>(severity)];
    if (records_.size() > kept_records_) {
      records_.pop_front();
      ++dropped_;
    }
    listeners = listeners_;
    // The sink before the echo: whoever has seen a record's line on stderr
    // finds it in the sink's file too.
    if (ordered_sink_) {
      ordered_sink_(record);
    }
    if (echo_) {
      // One fprintf per record, under the lock, so lines from threads never interleave.
      std::fprintf(stderr, "[%9.3f f%-6llu %-12s] %-7s %s\n", record.seconds,
                   static_cast<unsigned long long>(record.frame), record.thread.c_str(),
                   std::string(severity_name(severity)).c_str(), record.text.c_str());
    }
  }
  appended_.notify_all();
  for (const auto& listener : listeners) {
    listener(record);
  }
}

std::vector<ConsoleRecord> Console::records(std::uint64_t after) const {
  MutexLock lock(mutex_);
  const auto first = std::min<std::uint64_t>(std::max(after, dropped_) - dropped_, records_.size());
  return {records_.begin() + static_cast<std::ptrdiff_t>(first), records_.end()};
}

std::optional<ConsoleRecord> Console::wait_for(
    const std::function<bool(const ConsoleRecord&)>& match, std::chrono::milliseconds timeout,
    std::uint64_t after) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(mutex_);
  // Sequences, not indices: records may be dropped from the front meanwhile.
  std::uint64_t next = after + 1;
  while (true) {
    next = std::max(next, dropped_ + 1);
    for (; next <= dropped_ + records_.size(); ++next) {
      const auto& record = records_[static_cast<std::size_t>(next - dropped_ - 1)];
      if (match(record)) {
        return record;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    lock.wait_until(appended_, deadline);
  }
}

void Console::add_listener(ConsoleListener listener) {
  MutexLock lock(mutex_);
  listeners_.push_back(std::move(listener));
}

void Console::set_ordered_sink(ConsoleListener sink) {
  MutexLock lock(mutex_);
  ordered_sink_ = std::move(sink);
  if (ordered_sink_) {
    for (const auto& record : records_) {
      ordered_sink_(record);
    }
  }
}

std::size_t Console::count(Severity severity) const {
  MutexLock lock(mutex_);
  return counts_[static_cast<std::size_t>(severity)];
}

}  // namespace understudy
