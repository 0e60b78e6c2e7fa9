// FrameLoop: the engine's main thread. Runs frames at a fixed rate; each frame
// drains the MainThreadQueue and then runs the frame tasks (Python tickers,
// actor components) in registration order.
//
// Between frames the main thread is idle. By default it serves main-thread
// jobs as soon as they arrive, so a client's request does not wait for the
// next frame. Faithful mode restores Unity's behaviour: jobs run only at the
// start of a frame, for at most 1/90 s per frame.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fake_engine/core/frame_stats.h"
#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/core/thread_identity.h"

namespace understudy {

struct FrameLoopSettings {
  double tick_hz = 60.0;                    // frames per second; 0 runs frames back to back
  bool faithful = false;                    // drain jobs only at frame start, for at most 1/90 s
  std::optional<std::uint64_t> max_frames;  // stop after this many frames
  std::optional<Clock::duration> max_duration;  // stop after this long
};

struct FrameTick {
  std::uint64_t number = 0;  // 1 for the first frame
  double delta_seconds = 0;  // since the previous frame started (one period for the first)
  // This frame's jobs already took longer than a frame: long work of the
  // frame tasks' own (a domain reload) should wait for the next frame rather
  // than hold the main thread on top of them.
  bool jobs_overran = false;
};

// An idle wait on more than the job queue (the RPC connections the main
// thread reads itself while it has calls in flight to them): it waits until
// `deadline`, a job is queued or the queue is woken, and returns whether
// jobs are queued; nullopt when it has nothing of its own to wait on, and
// the queue's own wait runs instead.
using IdleWait = std::function<std::optional<bool>(Clock::time_point deadline)>;

// Receives errors thrown by frame tasks; the loop keeps running.
using FrameTaskErrorSink = std::function<void(const std::string& task, const std::string& what)>;

class FrameLoop {
 public:
  FrameLoop(MainThreadQueue& queue, MainThreadAffinity& affinity, FrameLoopSettings settings);
  FrameLoop(const FrameLoop&) = delete;
  FrameLoop& operator=(const FrameLoop&) = delete;

  // Before run() only.
  void add_frame_task(std::string name, std::function<void(const FrameTick&)> task);
  void set_error_sink(FrameTaskErrorSink sink) { error_sink_ = std::move(sink); }
  // Before run(), or on the main thread. Not used in faithful mode, whose
  // main thread sleeps between frames.
  void set_idle_wait(IdleWait wait) { idle_wait_ = std::move(wait); }

  // Runs frames on the calling thread, which becomes the main thread, until
  // request_stop() or a frame/duration limit. Returns the number of frames run.
  // The calling thread stays the main thread afterwards, so that the engine can
  // drain the queue and shut down its Python state there.
  std::uint64_t run();

  // Any thread. The current frame finishes, then run() returns.
  void request_stop();
  bool stop_requested() const { return stop_.load(); }

  // Any thread. 0 before the first frame.
  std::uint64_t current_frame() const { return frame_.load(); }
  const FrameStats& stats() const { return stats_; }
  const FrameLoopSettings& settings() const { return settings_; }
  Clock::duration period() const;

 private:
  void idle_until(Clock::time_point next_start);
  void run_frame(FrameTick tick, Clock::duration lateness, Clock::duration cpu_wait);

  MainThreadQueue& queue_;
  MainThreadAffinity& affinity_;
  const FrameLoopSettings settings_;
  std::vector<std::pair<std::string, std::function<void(const FrameTick&)>>> tasks_;
  FrameTaskErrorSink error_sink_;
  IdleWait idle_wait_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> frame_{0};
  FrameStats stats_;
};

}  // namespace understudy
