#include "harness/run/scenario_watchdog.h"

namespace understudy::harness {

ScenarioWatchdog::ScenarioWatchdog(Clock::time_point deadline, std::function<void()> on_expiry)
    : deadline_(deadline), on_expiry_(std::move(on_expiry)), thread_([this] { watch(); }) {}

ScenarioWatchdog::~ScenarioWatchdog() {
  stop();
}

void ScenarioWatchdog::watch() {
  std::unique_lock lock(mutex_);
  if (changed_.wait_until(lock, deadline_, [this] { return stopping_; })) {
    return;
  }
  expired_ = true;
  expired_at_ = Clock::now();
  changed_.notify_all();
  // Unlocked: on_expiry stops processes, which may take a moment, and
  // sleep_for callers must see the expiry meanwhile. stop() joins this thread,
  // so on_expiry never runs after stop() returned.
  lock.unlock();
  on_expiry_();
}

void ScenarioWatchdog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool ScenarioWatchdog::expired() const {
  std::lock_guard lock(mutex_);
  return expired_;
}

ScenarioWatchdog::Clock::time_point ScenarioWatchdog::expired_at() const {
  std::lock_guard lock(mutex_);
  return expired_at_;
}

bool ScenarioWatchdog::sleep_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, duration, [this] { return expired_; });
}

}  // namespace understudy::harness
