// ScenarioWatchdog: the scenario timeout as a hard bound. A thread of its own
// waits for the deadline and then calls `on_expiry` once, whatever the
// scenario's thread is blocked in; `on_expiry` unblocks it (by stopping the
// processes it waits on). The scenario's own waits that no process ends
// (a `wait` step) sleep through `sleep_for`, which the expiry cuts short.
//
// Contract: `on_expiry` runs on the watchdog's thread, at most once, and
// never after `stop()` has returned. The destructor stops the watchdog.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <thread>

#include "common/mutex.h"

namespace understudy::harness {

class ScenarioWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  ScenarioWatchdog(Clock::time_point deadline, std::function<void()> on_expiry);
  ~ScenarioWatchdog();
  ScenarioWatchdog(const ScenarioWatchdog&) = delete;
  ScenarioWatchdog& operator=(const ScenarioWatchdog&) = delete;

  // No expiry after this returns (one already running is waited for).
  void stop();
  bool expired() const;
  // When the deadline passed and `on_expiry` began; only once expired().
  Clock::time_point expired_at() const;
  // Sleeps `duration`, or less if the deadline passes meanwhile; false then.
  bool sleep_for(std::chrono::milliseconds duration);

 private:
  void watch();

  const Clock::time_point deadline_;
  const std::function<void()> on_expiry_;
  mutable Mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool expired_ GUARDED_BY(mutex_) = false;
  Clock::time_point expired_at_ GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace understudy::harness
