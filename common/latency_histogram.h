// LatencyHistogram: latencies from a microsecond to well past RPyC's 30 s
// timeout, in constant memory, with a bounded relative error (log-linear
// buckets, as HdrHistogram does): each power of two is split into
// kSubBuckets linear buckets, so a recorded value is off by at most
// 1/kSubBuckets (about 1.6%) of itself. Histograms of several clients merge
// exactly.
//
// Not thread-safe: one per recording thread, merged afterwards.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace understudy::measure {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 6;  // 64 linear buckets per power of two
  static constexpr int kSubBuckets = 1 << kSubBucketBits;
  static constexpr int kMagnitudes = 40;  // 1 ns .. 2^40 ns (about 18 minutes)

  // Records one latency in nanoseconds; values beyond the range count in the top bucket.
  void record(std::uint64_t nanoseconds);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const;
  // The value at quantile q in [0, 1] (0.5 = median), in nanoseconds: the
  // upper edge of the bucket holding it, never below the true value.
  std::uint64_t quantile(double q) const;

  // "p50 1.2 ms, p90 ..., p99 ..., p99.9 ..., max ... (n = 1234)"
  std::string summary() const;

  // Exact round trip through JSON ({"count", "min", "max", "sum", "buckets":
  // [[index, count], ...]} with only the non-empty buckets), so that a
  // histogram recorded in another process (the engine) merges exactly.
  nlohmann::json to_json() const;
  // Throws std::invalid_argument naming what is wrong with `value`.
  static LatencyHistogram from_json(const nlohmann::json& value);

 private:
  static std::size_t index_of(std::uint64_t value);
  static std::uint64_t upper_edge(std::size_t index);

  std::array<std::uint64_t, (kMagnitudes + 1) * kSubBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

// "850 ns", "12.3 us", "4.56 ms", "30.0 s"
std::string format_duration(std::uint64_t nanoseconds);

}  // namespace understudy::measure
