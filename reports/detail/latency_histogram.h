// report.html's card for one latency series: a histogram of the samples
// with p50 / p90 / p99 / max marked on it, beside a table of the summary
// statistics (detail/stats.h).
#pragma once

#include <string>

#include "reports/results.h"

namespace understudy::reports::detail {

std::string latency_histogram_card(const LatencySeries& series);

}  // namespace understudy::reports::detail
