#include "fake_engine/core/frame_loop.h"

#include <algorithm>
#include <iostream>
#include <thread>

#include "fake_engine/core/cpu_wait_clock.h"

namespace understudy {
namespace {
// Unity's editor drained its main-thread queue for at most 1/90 s per update.
constexpr auto kFaithfulDrainBudget =
    std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / 90.0));
}  // namespace

FrameLoop::FrameLoop(MainThreadQueue& queue, MainThreadAffinity& affinity,
                     FrameLoopSettings settings)
    : queue_(queue), affinity_(affinity), settings_(settings) {}

void FrameLoop::add_frame_task(std::string name, std::function<void(const FrameTick&)> task) {
  tasks_.emplace_back(std::move(name), std::move(task));
}

Clock::duration FrameLoop::period() const {
  if (settings_.tick_hz <= 0) {
    return Clock::duration::zero();
  }
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / settings_.tick_hz));
}

void FrameLoop::request_stop() {
  stop_.store(true);
  queue_.wake();
}

std::uint64_t FrameLoop::run() {
  affinity_.claim();
  const auto loop_started = Clock::now();
  const auto frame_period = period();
  auto next_start = loop_started;
  auto previous_start = loop_started - frame_period;
  // This thread's, the main thread's; the queue reads it too, to tell the
  // main thread held (by a job, a call to a peer) from the main thread kept
  // waiting for a CPU.
  const CpuWaitClock& cpu_wait_clock = queue_.claim_main_cpu_wait_clock();
  auto previous_cpu_wait = cpu_wait_clock.total();
  std::uint64_t frames = 0;

  while (!stop_.load()) {
    // A duration limit falling between frames ends the idle time there
    // (the first frame always runs).
    const auto deadline =
        settings_.max_duration ? loop_started + *settings_.max_duration : Clock::time_point::max();
    idle_until(std::min(next_start, deadline));
    if (stop_.load() || (frames > 0 && Clock::now() >= deadline)) {
      break;
    }
    const auto started = Clock::now();
    const auto lateness = frame_period > Clock::duration::zero() && started > next_start
                              ? started - next_start
                              : Clock::duration::zero();
    FrameTick tick{frames + 1, std::chrono::duration<double>(started - previous_start).count()};
    previous_start = started;
    const auto cpu_wait_now = cpu_wait_clock.total();
    const auto cpu_wait = cpu_wait_now && previous_cpu_wait ? *cpu_wait_now - *previous_cpu_wait
                                                            : Clock::duration::zero();
    previous_cpu_wait = cpu_wait_now;
    run_frame(tick, lateness, cpu_wait);
    frames = tick.number;

    if ((settings_.max_frames && frames >= *settings_.max_frames) ||
        (settings_.max_duration && Clock::now() - loop_started >= *settings_.max_duration)) {
      break;
    }
    next_start += frame_period;
    // After a long frame, start again from now instead of running a burst of
    // back-to-back frames to catch up (engines drop frames; they do not replay them).
    if (Clock::now() > next_start + frame_period) {
      next_start = Clock::now();
    }
  }
  return frames;
}

// Jobs run back to back only while there is time before the next frame (at
// least one runs): after a job that overran it, such as a synchronous call to
// a client that stopped answering, the frame comes before the next job. The
// fault matrix found two such calls queued holding the main thread for both.
void FrameLoop::idle_until(Clock::time_point next_start) {
  while (!stop_.load() && Clock::now() < next_start) {
    std::optional<bool> waited;
    if (idle_wait_ && !settings_.faithful) {
      waited = idle_wait_(next_start);
    }
    const bool jobs_waiting =
        waited ? *waited : queue_.wait_until(next_start, /*wake_on_jobs=*/!settings_.faithful);
    if (jobs_waiting && !settings_.faithful && !stop_.load()) {
      queue_.drain(std::max(next_start - Clock::now(), Clock::duration::zero()));
    }
  }
}

void FrameLoop::run_frame(FrameTick tick, Clock::duration lateness, Clock::duration cpu_wait) {
  const auto started = Clock::now();
  frame_.store(tick.number);
  // Faithful: Unity's 1/90 s. Otherwise a frame's time, so that long jobs
  // queued together are separated by frames (short ones still run at once,
  // between frames).
  const auto budget =
      settings_.faithful || period() == Clock::duration::zero() ? kFaithfulDrainBudget : period();
  const auto drained = queue_.drain(budget);
  tick.jobs_overran = Clock::now() - started > std::max(period(), kFaithfulDrainBudget);
  for (auto& [name, task] : tasks_) {
    try {
      task(tick);
    } catch (const std::exception& e) {
      if (error_sink_) {
        error_sink_(name, e.what());
      } else {
        std::cerr << "understudy-engine: frame task '" << name << "' failed: " << e.what() << '\n';
      }
    }
  }
  stats_.add(FrameRecord{tick.number, tick.delta_seconds, Clock::now() - started, lateness,
                         drained.jobs_run, cpu_wait},
             period());
}

}  // namespace understudy
