// stress.html's charts: throughput against client count across the steps,
// and each step's latency distribution per path. Each returns an <svg>, or
// nothing when there is too little to draw.
#pragma once

#include <string>

#include "reports/stress_results.h"

namespace understudy::reports::detail {

// One line per target over the client counts run; empty with fewer than two.
std::string throughput_chart(const StressReport& report);
// Latency against quantile, one line per path; empty without latencies.
std::string distribution_chart(const StressStep& step);

}  // namespace understudy::reports::detail
