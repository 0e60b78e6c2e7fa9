// FrameTimesSummary: how long an engine's frames took and how late they
// started, as the engine's FrameStats sums them up and a stress report shows
// them (the engine sends it over the control channel as "frames").
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

}  // namespace understudy
