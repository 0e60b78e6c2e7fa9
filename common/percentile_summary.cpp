#include "common/percentile_summary.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

namespace understudy {

double percentile(const std::vector<double>& sorted, double percent) {
  const double rank = percent / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

PercentileSummary summarize(const std::vector<double>& samples) {
  PercentileSummary summary;
  std::vector<double> sorted;
  sorted.reserve(samples.size());
  std::copy_if(samples.begin(), samples.end(), std::back_inserter(sorted),
               [](double sample) { return std::isfinite(sample); });
  if (sorted.empty()) {
    return summary;
  }
  std::sort(sorted.begin(), sorted.end());
  summary.count = sorted.size();
  summary.min = sorted.front();
  summary.max = sorted.back();
  summary.mean =
      std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  summary.p50 = percentile(sorted, 50);
  summary.p90 = percentile(sorted, 90);
  summary.p99 = percentile(sorted, 99);
  return summary;
}

}  // namespace understudy
