#include "common/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <stdexcept>

namespace understudy::measure {

std::size_t LatencyHistogram::index_of(std::uint64_t value) {
  // Values below kSubBuckets are exact (magnitude 0). Above, the magnitude is
  // how far the top bit sits above the sub-bucket bits, and the sub-bucket is
  // the kSubBucketBits bits below the top one.
  if (value < kSubBuckets) {
    return static_cast<std::size_t>(value);
  }
  const int top_bit = 63 - std::countl_zero(value);
  const int magnitude = std::min(top_bit - kSubBucketBits + 1, kMagnitudes);
  const int shift = magnitude - 1;
  const auto sub = static_cast<std::size_t>((value >> shift) - kSubBuckets);
  return std::min<std::size_t>(static_cast<std::size_t>(magnitude) * kSubBuckets + sub,
                               (kMagnitudes + 1) * kSubBuckets - 1);
}

std::uint64_t LatencyHistogram::upper_edge(std::size_t index) {
  const auto magnitude = index / kSubBuckets;
  const auto sub = index % kSubBuckets;
  if (magnitude == 0) {
    return sub;
  }
  const auto shift = magnitude - 1;
  return ((kSubBuckets + sub + 1) << shift) - 1;
}

void LatencyHistogram::record(std::uint64_t nanoseconds) {
  ++buckets_[index_of(nanoseconds)];
  ++count_;
  min_ = std::min(min_, nanoseconds);
  max_ = std::max(max_, nanoseconds);
  sum_ += static_cast<long double>(nanoseconds);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const {
  return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0;
}

std::uint64_t LatencyHistogram::quantile(double q) const {
  if (count_ == 0) {
    return 0;
  }
  const auto rank = static_cast<std::uint64_t>(
      std::max(1.0, std::min(1.0, q) * static_cast<double>(count_) + 0.5));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      // The top bucket also holds everything beyond the range: its edge
      // would understate those, the maximum does not.
      return i + 1 == buckets_.size() ? max_ : std::min(upper_edge(i), max_);
    }
  }
  return max_;
}

nlohmann::json LatencyHistogram::to_json() const {
  nlohmann::json buckets = nlohmann::json::array();
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    if (buckets_[i] != 0) {
      buckets.push_back({i, buckets_[i]});
    }
  }
  return {{"count", count_},
          {"min", min()},
          {"max", max_},
          {"sum", static_cast<double>(sum_)},
          {"buckets", std::move(buckets)}};
}

LatencyHistogram LatencyHistogram::from_json(const nlohmann::json& value) {
  LatencyHistogram h;
  try {
    for (const auto& bucket : value.at("buckets")) {
      const auto index = bucket.at(0).get<std::size_t>();
      if (index >= h.buckets_.size()) {
        throw std::invalid_argument("bucket index " + std::to_string(index) + " out of range");
      }
      h.buckets_[index] += bucket.at(1).get<std::uint64_t>();
    }
    h.count_ = value.at("count").get<std::uint64_t>();
    h.max_ = value.at("max").get<std::uint64_t>();
    h.min_ = h.count_ ? value.at("min").get<std::uint64_t>() : UINT64_MAX;
    h.sum_ = value.at("sum").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("not a latency histogram: ") + e.what());
  }
  std::uint64_t total = 0;
  for (const auto n : h.buckets_) {
    total += n;
  }
  if (total != h.count_) {
    throw std::invalid_argument("latency histogram buckets hold " + std::to_string(total) +
                                " values but its count says " + std::to_string(h.count_));
  }
  return h;
}

std::string format_duration(std::uint64_t nanoseconds) {
  char text[32];
  const auto ns = static_cast<double>(nanoseconds);
  if (nanoseconds < 1'000) {
    std::snprintf(text, sizeof text, "%.0f ns", ns);
  } else if (nanoseconds < 1'000'000) {
    std::snprintf(text, sizeof text, "%.1f us", ns / 1e3);
  } else if (nanoseconds < 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.2f ms", ns / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.2f s", ns / 1e9);
  }
  return text;
}

std::string LatencyHistogram::summary() const {
  return "p50 " + format_duration(quantile(0.5)) + ", p90 " + format_duration(quantile(0.9)) +
         ", p99 " + format_duration(quantile(0.99)) + ", p99.9 " +
         format_duration(quantile(0.999)) + ", max " + format_duration(max()) +
         " (n = " + std::to_string(count()) + ")";
}

}  // namespace understudy::measure
