#include "harness/run/scenario_watchdog.h"

namespace understudy::harness {

ScenarioWatchdog::ScenarioWatchdog(Clock::time_point deadline, std::function<void()> on_expiry)
    : deadline_(deadline), on_expiry_(std::move(on_expiry)), thread_([this] { watch(); }) {}

ScenarioWatchdog::~ScenarioWatchdog() {
  stop();
}

void ScenarioWatchdog::watch() {
  MutexLock lock(mutex_);
  if (lock.wait_until(changed_, deadline_, [this]() REQUIRES(mutex_) { return stopping_; })) {
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
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool ScenarioWatchdog::expired() const {
  MutexLock lock(mutex_);
  return expired_;
}

ScenarioWatchdog::Clock::time_point ScenarioWatchdog::expired_at() const {
  MutexLock lock(mutex_);
  return expired_at_;
}

bool ScenarioWatchdog::sleep_for(std::chrono::milliseconds duration) {
  MutexLock lock(mutex_);
  return !lock.wait_for(changed_, duration, [this]() REQUIRES(mutex_) { return expired_; });
}

}  // namespace understudy::harness
