// FrameStats: how long each frame's work took and how late each frame started.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "common/frame_times_summary.h"
#include "common/mutex.h"
#include "fake_engine/core/main_thread_queue.h"

namespace understudy {

struct FrameRecord {
  std::uint64_t number = 0;
  double delta_seconds = 0;    // since the previous frame started
  Clock::duration work{};      // jobs, tickers and frame tasks of this frame
  Clock::duration lateness{};  // how long after its scheduled time the frame started
  std::size_t jobs_run = 0;    // main-thread jobs run at the start of this frame
  // Of delta_seconds, how long the main thread was ready to run but had no
  // CPU (CpuWaitClock; zero where the system does not say).
  Clock::duration cpu_wait{};
};

// Keeps the most recent frames for percentiles, and whole-run totals.
// Thread-safety: all members may be called from any thread.
class FrameStats {
 public:
  explicit FrameStats(std::size_t window = 4096) : window_(window) {}

  void add(const FrameRecord& record, Clock::duration period);
  FrameStatsSummary summary() const;
  // The frames numbered after `frame` that are still in the window (a stress
  // run's frames: how much its traffic stretched them).
  FrameStatsSummary summary_since(std::uint64_t frame) const;
  std::vector<FrameRecord> recent(std::size_t count) const;

 private:
  const std::size_t window_;
  mutable Mutex mutex_;
  std::deque<FrameRecord> recent_ GUARDED_BY(mutex_);
  std::uint64_t frames_ GUARDED_BY(mutex_) = 0;
  std::uint64_t late_frames_ GUARDED_BY(mutex_) = 0;
  Clock::duration total_work_ GUARDED_BY(mutex_){};
  Clock::duration max_work_ GUARDED_BY(mutex_){};
  Clock::duration max_lateness_ GUARDED_BY(mutex_){};
  Clock::duration period_ GUARDED_BY(mutex_){};
  double max_interval_s_ GUARDED_BY(mutex_) = 0;
  double max_interval_less_cpu_wait_s_ GUARDED_BY(mutex_) = 0;
  Clock::duration total_cpu_wait_ GUARDED_BY(mutex_){};
};

}  // namespace understudy
