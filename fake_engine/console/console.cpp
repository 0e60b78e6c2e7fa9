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

Console::Console(std::function<std::uint64_t()> frame_source, bool echo)
    : frame_source_(std::move(frame_source)), echo_(echo) {}

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
    std::lock_guard lock(mutex_);
    record.sequence = records_.size() + 1;
    records_.push_back(record);
    listeners = listeners_;
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
  std::lock_guard lock(mutex_);
  const auto first = std::min<std::size_t>(after, records_.size());
  return {records_.begin() + static_cast<std::ptrdiff_t>(first), records_.end()};
}

std::optional<ConsoleRecord> Console::wait_for(
    const std::function<bool(const ConsoleRecord&)>& match, std::chrono::milliseconds timeout,
    std::uint64_t after) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  // Record i has sequence i + 1: starting at index `after` skips every record
  // up to that sequence, including ones not yet written.
  std::size_t checked = after;
  while (true) {
    for (; checked < records_.size(); ++checked) {
      if (match(records_[checked])) {
        return records_[checked];
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    appended_.wait_until(lock, deadline);
  }
}

void Console::add_listener(ConsoleListener listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

std::size_t Console::count(Severity severity) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      records_.begin(), records_.end(), [&](const auto& r) { return r.severity == severity; }));
}

}  // namespace understudy
