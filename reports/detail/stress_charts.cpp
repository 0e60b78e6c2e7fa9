#include "reports/detail/stress_charts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "reports/detail/svg_chart.h"
#include "reports/detail/text.h"

namespace understudy::reports::detail {

// Throughput against client count, one line per target. The client axis is
// logarithmic: sweeps go by factors (1, 4, 16, 64), and a count's distance
// from the next should read as that factor, not as a column number.
std::string throughput_chart(const StressReport& report) {
  std::map<std::string, std::map<int, double>> lines;
  std::set<int> counts;
  double top = 0;
  for (const auto& s : report.steps) {
    if (s.target == "loopback TCP") {
      continue;
    }
    lines[s.target][s.clients] = s.total_per_second;
    counts.insert(s.clients);
    top = std::max(top, s.total_per_second);
  }
  if (counts.size() < 2 || top <= 0) {
    return "";
  }
  const double fewest = *counts.begin();
  const double most = *counts.rbegin();
  // Room for the first and last tick labels within the canvas.
  const PlotArea plot{70, 16, 590, 230};
  LineChart chart{.width = 640,
                  .height = 260,
                  .label = "throughput against client count (log scale)",
                  .plot = plot,
                  .x = Scale::log10(fewest, most, plot.left, plot.right),
                  .y = Scale::linear(0, top * 1.1, plot.bottom, plot.top),
                  .dots = true};
  for (const int c : counts) {
    chart.x_ticks.push_back({static_cast<double>(c), std::to_string(c) + " clients"});
  }
  for (const double v : steps(0, top * 1.1, nice_step(top * 1.1 / 4))) {
    chart.y_ticks.push_back({v, significant(v)});
  }
  for (const auto& [target, points] : lines) {
    chart.series.push_back({target + " (calls/s)", {}});
    for (const auto& [clients, value] : points) {
      chart.series.back().points.push_back({static_cast<double>(clients), value});
    }
  }
  return line_chart(chart);
}

// Latency against quantile, both on log scales: x is the tail 1 - q, so that
// p50, p90, p99, p99.9 and p99.99 stand evenly spaced. One line per path of
// a step.
std::string distribution_chart(const StressStep& step) {
  double lo = 1e18;
  double hi = 0;
  for (const auto& p : step.paths) {
    for (const auto& point : p.distribution) {
      if (point.ms > 0) {
        lo = std::min(lo, point.ms);
        hi = std::max(hi, point.ms);
      }
    }
  }
  if (hi <= 0) {
    return "";
  }
  const PlotArea plot{70, 10, 620, 210};
  const auto y_decades = decades(lo, hi);
  // At least one decade tall, when every latency is the same power of ten.
  const double y_top = std::max(y_decades.back(), y_decades.front() * 10);
  LineChart chart{.width = 640,
                  .height = 240,
                  .label = "latency distribution",
                  .plot = plot,
                  .x = Scale::log10(0.5, 1e-4, plot.left, plot.right),
                  .y = Scale::log10(y_decades.front(), y_top, plot.bottom, plot.top)};
  for (const double q : {0.5, 0.9, 0.99, 0.999, 0.9999}) {
    chart.x_ticks.push_back({1 - q, "p" + number(q * 100)});
  }
  for (const double v : y_decades) {
    chart.y_ticks.push_back({v, milliseconds(v)});
  }
  for (const auto& p : step.paths) {
    chart.series.push_back({p.name, {}});
    for (const auto& point : p.distribution) {
      // No log of 0: a latency of 0 is drawn at the smallest one.
      chart.series.back().points.push_back({1 - point.quantile, std::max(point.ms, lo)});
    }
  }
  return line_chart(chart);
}

}  // namespace understudy::reports::detail
