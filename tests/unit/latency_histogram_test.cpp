// LatencyHistogram against exact percentiles of the same samples.
#define BOOST_TEST_MODULE latency_histogram
#include "common/latency_histogram.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>
#include <vector>

using understudy::measure::format_duration;
using understudy::measure::LatencyHistogram;

namespace {

std::uint64_t exact_quantile(std::vector<std::uint64_t> values, double q) {
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::max(1.0, q * static_cast<double>(values.size()) + 0.5));
  return values[rank - 1];
}

}  // namespace

BOOST_AUTO_TEST_CASE(small_values_are_exact) {
  LatencyHistogram h;
  for (std::uint64_t v = 0; v < 64; ++v) {
    h.record(v);
  }
  BOOST_TEST(h.count() == 64u);
  BOOST_TEST(h.min() == 0u);
  BOOST_TEST(h.max() == 63u);
  BOOST_TEST(h.quantile(0.5) == 31u);  // the 32nd of 64 values
  BOOST_TEST(h.quantile(1.0) == 63u);
}

BOOST_AUTO_TEST_CASE(quantiles_stay_within_the_bucket_error_from_a_microsecond_to_thirty_seconds) {
  // Log-uniform samples from 1 us to 30 s: every magnitude a stress run sees.
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> exponent(3.0, std::log10(30e9));
  std::vector<std::uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<std::uint64_t>(std::pow(10.0, exponent(random)));
    values.push_back(v);
    h.record(v);
  }
  for (const double q : {0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const auto exact = static_cast<double>(exact_quantile(values, q));
    const auto approx = static_cast<double>(h.quantile(q));
    BOOST_TEST(approx >= exact, "quantile " << q << ": " << approx << " below the exact " << exact);
    BOOST_TEST(approx <= exact * (1.0 + 1.0 / LatencyHistogram::kSubBuckets) + 1.0,
               "quantile " << q << ": " << approx << " more than 1/64 above the exact " << exact);
  }
  BOOST_TEST(h.max() == *std::max_element(values.begin(), values.end()));
}

BOOST_AUTO_TEST_CASE(merging_equals_recording_everything_in_one) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(12.0, 2.0);  // around 160 us, long tail
  LatencyHistogram all;
  LatencyHistogram a;
  LatencyHistogram b;
  for (int i = 0; i < 20'000; ++i) {
    const auto v = static_cast<std::uint64_t>(latency(random));
    all.record(v);
    (i % 3 == 0 ? a : b).record(v);
  }
  a.merge(b);
  BOOST_TEST(a.count() == all.count());
  BOOST_TEST(a.min() == all.min());
  BOOST_TEST(a.max() == all.max());
  for (const double q : {0.5, 0.9, 0.99, 0.999}) {
    BOOST_TEST(a.quantile(q) == all.quantile(q));
  }
  BOOST_TEST(std::abs(a.mean() - all.mean()) < 1e-6 * all.mean());
}

BOOST_AUTO_TEST_CASE(values_beyond_the_range_land_in_the_top_bucket) {
  LatencyHistogram h;
  h.record(UINT64_MAX);
  h.record(1);
  BOOST_TEST(h.count() == 2u);
  BOOST_TEST(h.max() == UINT64_MAX);
  BOOST_TEST(h.quantile(1.0) == UINT64_MAX);
  BOOST_TEST(h.quantile(0.5) == 1u);
}

BOOST_AUTO_TEST_CASE(summary_reads_as_durations) {
  LatencyHistogram h;
  BOOST_TEST(h.summary() == "p50 0 ns, p90 0 ns, p99 0 ns, p99.9 0 ns, max 0 ns (n = 0)");
  BOOST_TEST(format_duration(850) == "850 ns");
  BOOST_TEST(format_duration(12'345) == "12.3 us");
  BOOST_TEST(format_duration(4'560'000) == "4.56 ms");
  BOOST_TEST(format_duration(30'000'000'000) == "30.00 s");
}

BOOST_AUTO_TEST_CASE(a_histogram_survives_json_exactly) {
  std::mt19937_64 random(11);
  std::lognormal_distribution<double> latency(11.0, 2.5);
  LatencyHistogram h;
  for (int i = 0; i < 5'000; ++i) {
    h.record(static_cast<std::uint64_t>(latency(random)));
  }
  const auto copy = LatencyHistogram::from_json(nlohmann::json::parse(h.to_json().dump()));
  BOOST_TEST(copy.count() == h.count());
  BOOST_TEST(copy.min() == h.min());
  BOOST_TEST(copy.max() == h.max());
  for (const double q : {0.5, 0.9, 0.99, 0.999, 1.0}) {
    BOOST_TEST(copy.quantile(q) == h.quantile(q));
  }
  const auto empty = LatencyHistogram::from_json(LatencyHistogram().to_json());
  BOOST_TEST(empty.count() == 0u);
  BOOST_TEST(empty.min() == 0u);
}

BOOST_AUTO_TEST_CASE(json_that_is_not_a_histogram_is_refused_with_the_reason) {
  auto bad = LatencyHistogram().to_json();
  bad["count"] = 3;
  BOOST_CHECK_EXCEPTION(LatencyHistogram::from_json(bad), std::invalid_argument,
                        [](const std::invalid_argument& e) {
                          return std::string(e.what()).find("count says 3") != std::string::npos;
                        });
  BOOST_CHECK_THROW(LatencyHistogram::from_json(nlohmann::json::object()), std::invalid_argument);
}
