#include "harness/stress/progress_line.h"

#include <iomanip>
#include <sstream>

#include "common/text_format.h"

namespace understudy::harness {

void ProgressLine::replace(const std::string& text) {
  if (live_) {
    out_ << "\r\033[K" << text << std::flush;  // back to the line's start, then clear it
  } else {
    out_ << "  " << text << "\n" << std::flush;
  }
}

void ProgressLine::keep(const std::string& text) {
  replace(text);
  if (live_) {
    out_ << "\n";
  }
}

void ProgressLine::end() {
  if (live_) {
    out_ << "\n";
  }
}

std::string load_progress_text(const std::string& target, int clients,
                               std::chrono::steady_clock::duration elapsed,
                               std::chrono::milliseconds duration,
                               const std::array<PathTally, kStressPaths>& last_second,
                               const std::optional<protocol::FramesSummary>& engine_frames) {
  std::ostringstream line;
  line << target << ", " << clients << " clients: " << std::fixed << std::setprecision(0)
       << std::chrono::duration<double>(elapsed).count() << "/"
       << std::chrono::duration<double>(duration).count() << " s";
  std::uint64_t failures = 0;
  for (std::size_t p = 0; p < kStressPaths; ++p) {
    if (last_second[p].calls() == 0) {
      continue;
    }
    failures += last_second[p].failures();
    // Two significant figures, as the step's rows: one second's figures are noisier still.
    line << "  " << stress_path_name(static_cast<StressPath>(p)) << " "
         << text::significant(static_cast<double>(last_second[p].calls())) << "/s p99 "
         << text::significant_ms(static_cast<double>(last_second[p].latency.quantile(0.99)) / 1e6);
  }
  if (engine_frames) {
    line << "  frame " << engine_frames->current_frame << ", queue " << engine_frames->queue_depth;
  }
  line << "  failures " << failures;
  return line.str();
}

}  // namespace understudy::harness
