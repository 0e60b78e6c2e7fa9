// How an engine's frames went, as its FrameStats sums them up: the figures a
// stress report shows (FrameTimesSummary) and the engine's whole-run ones
// (FrameStatsSummary), which the control channel's `frames` answer carries
// (protocol::FramesSummary extends it).
#pragma once

#include <cstdint>

namespace understudy {

struct FrameTimesSummary {
  std::uint64_t frames = 0;
  double work_p50_ms = 0;
  double work_p90_ms = 0;
  double work_p99_ms = 0;
  double work_max_ms = 0;
  double lateness_p99_ms = 0;
  double lateness_max_ms = 0;
  std::uint64_t late_frames = 0;  // started more than one period after their schedule
};

// The engine's own figures beside those: the mean, and the intervals between
// frame starts.
struct FrameStatsSummary : FrameTimesSummary {
  double work_mean_ms = 0;
  // The longest time between two frame starts over the whole run: it also
  // covers main-thread jobs run between frames, which no frame's work counts.
  double interval_max_ms = 0;
  // The same with, from each interval, the time the main thread waited for
  // a CPU taken out: how long the engine itself held the main thread.
  double interval_max_less_cpu_wait_ms = 0;
  double cpu_wait_total_ms = 0;  // the main thread's waits for a CPU, whole run
};

}  // namespace understudy
