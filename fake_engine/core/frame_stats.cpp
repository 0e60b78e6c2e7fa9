#include "fake_engine/core/frame_stats.h"

#include <algorithm>

namespace understudy {
namespace {
double to_ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile_ms(std::vector<Clock::duration> values, double fraction) {
  if (values.empty()) {
    return 0;
  }
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return to_ms(values[index]);
}
}  // namespace

void FrameStats::add(const FrameRecord& record, Clock::duration period) {
  MutexLock lock(mutex_);
  ++frames_;
  period_ = period;
  total_work_ += record.work;
  max_work_ = std::max(max_work_, record.work);
  max_lateness_ = std::max(max_lateness_, record.lateness);
  max_interval_s_ = std::max(max_interval_s_, record.delta_seconds);
  total_cpu_wait_ += record.cpu_wait;
  max_interval_less_cpu_wait_s_ =
      std::max(max_interval_less_cpu_wait_s_,
               record.delta_seconds - std::chrono::duration<double>(record.cpu_wait).count());
  if (period > Clock::duration::zero() && record.lateness > period) {
    ++late_frames_;
  }
  recent_.push_back(record);
  if (recent_.size() > window_) {
    recent_.pop_front();
  }
}

FrameStatsSummary FrameStats::summary() const {
  MutexLock lock(mutex_);
  FrameStatsSummary s;
  s.frames = frames_;
  s.late_frames = late_frames_;
  s.work_max_ms = to_ms(max_work_);
  s.lateness_max_ms = to_ms(max_lateness_);
  s.interval_max_ms = max_interval_s_ * 1000.0;
  s.interval_max_less_cpu_wait_ms = max_interval_less_cpu_wait_s_ * 1000.0;
  s.cpu_wait_total_ms = to_ms(total_cpu_wait_);
  if (frames_ > 0) {
    s.work_mean_ms = to_ms(total_work_) / static_cast<double>(frames_);
  }
  std::vector<Clock::duration> work;
  std::vector<Clock::duration> lateness;
  for (const auto& r : recent_) {
    work.push_back(r.work);
    lateness.push_back(r.lateness);
  }
  s.work_p50_ms = percentile_ms(work, 0.50);
  s.work_p90_ms = percentile_ms(work, 0.90);
  s.work_p99_ms = percentile_ms(work, 0.99);
  s.lateness_p99_ms = percentile_ms(lateness, 0.99);
  return s;
}

FrameStatsSummary FrameStats::summary_since(std::uint64_t frame) const {
  MutexLock lock(mutex_);
  FrameStatsSummary s;
  std::vector<Clock::duration> work;
  std::vector<Clock::duration> lateness;
  Clock::duration total{};
  for (const auto& r : recent_) {
    if (r.number <= frame) {
      continue;
    }
    work.push_back(r.work);
    lateness.push_back(r.lateness);
    total += r.work;
    if (period_ > Clock::duration::zero() && r.lateness > period_) {
      ++s.late_frames;
    }
    s.work_max_ms = std::max(s.work_max_ms, to_ms(r.work));
    s.lateness_max_ms = std::max(s.lateness_max_ms, to_ms(r.lateness));
  }
  s.frames = work.size();
  if (!work.empty()) {
    s.work_mean_ms = to_ms(total) / static_cast<double>(work.size());
  }
  s.work_p50_ms = percentile_ms(work, 0.50);
  s.work_p90_ms = percentile_ms(work, 0.90);
  s.work_p99_ms = percentile_ms(work, 0.99);
  s.lateness_p99_ms = percentile_ms(lateness, 0.99);
  return s;
}

std::vector<FrameRecord> FrameStats::recent(std::size_t count) const {
  MutexLock lock(mutex_);
  const auto n = std::min(count, recent_.size());
  return {recent_.end() - static_cast<std::ptrdiff_t>(n), recent_.end()};
}

}  // namespace understudy
