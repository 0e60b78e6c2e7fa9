// EngineErrors: the exceptions engine-side Python raised that nobody caught
// (a startup script, a ticker, an actor component's hook, an asyncio task or
// callback). Each is a console error record, counted here and announced to a
// listener (the control channel's `engine_error` event); the engine's exit
// code and the harness's verdict come from them.
//
// Thread-safe: asyncio reports a task's never-retrieved exception on
// whichever thread collects the task.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "fake_engine/python/embedded_interpreter.h"

namespace understudy {

struct EngineError {
  std::uint64_t id = 0;  // 1, 2, ... in the order they were recorded
  std::string source;    // "script", "ticker", "component" or "asyncio"
  std::string what;      // the console record's first line: "script x.py raised"
  PythonErrorReport error;
  std::uint64_t frame = 0;
};

class EngineErrors {
 public:
  // The newest kept for queries; the counts cover every error.
  static constexpr std::size_t kKept = 1000;

  using Listener = std::function<void(const EngineError&)>;
  // Before the first error. Called on the reporting thread, outside the lock.
  void set_listener(Listener listener);

  // Numbers the error and keeps it.
  void record(EngineError error);

  std::vector<EngineError> all() const;
  std::uint64_t count() const;
  std::uint64_t count(std::string_view source) const;

 private:
  mutable Mutex mutex_;
  std::deque<EngineError> kept_ GUARDED_BY(mutex_);
  std::uint64_t recorded_ GUARDED_BY(mutex_) = 0;
  std::map<std::string, std::uint64_t, std::less<>> by_source_ GUARDED_BY(mutex_);
  Listener listener_;
};

// Opened once, when the startup scripts have run. Whoever waits for that is
// called then, on the thread that opens it, or at once if it is open.
class StartupLatch {
 public:
  void open();
  void when_open(std::function<void()> callback);
  bool is_open() const;

 private:
  mutable Mutex mutex_;
  bool open_ GUARDED_BY(mutex_) = false;
  std::vector<std::function<void()>> waiting_ GUARDED_BY(mutex_);
};

}  // namespace understudy
