// Summary statistics of a set of samples: the same numbers in every report
// and in the harness's checks of a latency series.
#pragma once

#include <cstddef>
#include <vector>

namespace understudy {

struct PercentileSummary {
  std::size_t count = 0;  // when 0, the other fields are meaningless
  double min = 0;
  double mean = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
};

// Percentiles interpolate linearly between the closest ranks (numpy's
// default), so a p99 of 20 samples lies between the two largest rather than
// jumping to the maximum. Samples that are not finite are left out.
PercentileSummary summarize(const std::vector<double>& samples);

// `sorted` ascending and non-empty; `percent` in [0, 100].
double percentile(const std::vector<double>& sorted, double percent);

}  // namespace understudy
