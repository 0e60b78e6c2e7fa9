// LoopSettings: FrameLoopSettings spelled at the call site, e.g.
// LoopSettings(50).max_frames(25), since designated initializers would have
// to list every field under -Wmissing-field-initializers.
#pragma once

#include <chrono>
#include <cstdint>

#include "fake_engine/core/frame_loop.h"

namespace understudy::testing {

class LoopSettings {
 public:
  explicit LoopSettings(double tick_hz) { settings_.tick_hz = tick_hz; }

  LoopSettings& faithful() {
    settings_.faithful = true;
    return *this;
  }
  LoopSettings& max_frames(std::uint64_t frames) {
    settings_.max_frames = frames;
    return *this;
  }
  LoopSettings& max_duration(Clock::duration duration) {
    settings_.max_duration = duration;
    return *this;
  }

  operator FrameLoopSettings() const { return settings_; }  // NOLINT: a builder converts

 private:
  FrameLoopSettings settings_;
};

inline double to_ms(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace understudy::testing
