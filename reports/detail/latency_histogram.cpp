#include "reports/detail/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/percentile_summary.h"
#include "reports/detail/svg_chart.h"
#include "reports/detail/text.h"

namespace understudy::reports::detail {
namespace {

constexpr double kHistogramWidth = 440, kHistogramLeft = 44, kHistogramRight = 14,
                 kBelowHistogram = 30, kHistogramHeight = 150;

// A value marked on the histogram: a line up through the bars and a label
// above them. Its name is its CSS class (.marker.p50 and so on in
// report.css).
struct Marker {
  const char* name;
  double value;
  double x0 = 0, x1 = 0;  // the label's extent
  std::size_t row = 0;    // of labels, from the top
  bool anchor_end = false;
};

// Close percentiles would print on top of each other: each label takes the
// first row where it clears the labels already there. Returns the rows used.
std::size_t place_labels(std::vector<Marker>& markers, const Scale& x) {
  std::vector<double> row_right;
  for (auto& marker : markers) {
    const double at = x(marker.value);
    const auto chars = std::string(marker.name).size() + 1 + number(marker.value).size();
    const double w = static_cast<double>(chars) * 6.0;
    marker.anchor_end = at + 3 + w > kHistogramWidth;
    marker.x0 = marker.anchor_end ? at - 3 - w : at + 3;
    marker.x1 = marker.x0 + w;
    marker.row = 0;
    while (marker.row < row_right.size() && row_right[marker.row] > marker.x0 - 4) {
      ++marker.row;
    }
    if (marker.row == row_right.size()) {
      row_right.push_back(0);
    }
    row_right[marker.row] = marker.x1;
  }
  return row_right.size();
}

std::string stats_table(const PercentileSummary& stats) {
  std::string out = "<table class=\"stats\">";
  const std::pair<const char*, std::string> rows[] = {
      {"samples", std::to_string(stats.count)}, {"min", number(stats.min) + " ms"},
      {"mean", number(stats.mean) + " ms"},     {"p50", number(stats.p50) + " ms"},
      {"p90", number(stats.p90) + " ms"},       {"p99", number(stats.p99) + " ms"},
      {"max", number(stats.max) + " ms"}};
  for (const auto& [name, value] : rows) {
    out += std::string("<tr><td>") + name + "</td><td>" + value + "</td></tr>";
  }
  return out + "</table>";
}

}  // namespace

std::string latency_histogram_card(const LatencySeries& series) {
  const auto stats = summarize(series.samples_ms);
  std::string out =
      "<div class=\"lat-card\"><div class=\"title\">" + html_text(series.name) + "</div>";
  if (stats.count == 0) {
    return out + "<p class=\"empty\">No samples.</p></div>";
  }
  const double plot_right = kHistogramWidth - kHistogramRight;

  const double low_guess = stats.min > 0 && stats.min > 0.3 * stats.max ? stats.min : 0.0;
  double x_step = nice_step((stats.max - low_guess) / 6);
  if (stats.max == low_guess) {
    x_step = nice_step(std::max(std::fabs(stats.max) * 0.1, 0.001));
  }
  const double lo = std::floor(low_guess / x_step) * x_step;
  double hi = std::ceil(stats.max / x_step - 1e-9) * x_step;
  if (hi <= lo) {
    hi = lo + x_step;
  }
  const auto x = Scale::linear(lo, hi, kHistogramLeft, plot_right);

  const auto bins = static_cast<std::size_t>(
      std::clamp(std::ceil(std::sqrt(static_cast<double>(stats.count)) * 1.5), 10.0, 48.0));
  std::vector<std::size_t> counts(bins, 0);
  const double bin_w = (hi - lo) / static_cast<double>(bins);
  for (const double sample : series.samples_ms) {
    if (std::isfinite(sample)) {
      const auto bin = static_cast<std::size_t>(
          std::clamp(std::floor((sample - lo) / bin_w), 0.0, static_cast<double>(bins - 1)));
      ++counts[bin];
    }
  }
  const auto max_count = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
  const double y_step = std::max(1.0, nice_step(max_count / 4));
  const double y_top = std::ceil(max_count / y_step) * y_step;

  std::vector<Marker> markers = {
      {"p50", stats.p50}, {"p90", stats.p90}, {"p99", stats.p99}, {"max", stats.max}};
  const double top = 8 + static_cast<double>(place_labels(markers, x)) * 13;
  const PlotArea plot{kHistogramLeft, top, plot_right, top + kHistogramHeight};
  const auto y = Scale::linear(0, y_top, plot.bottom, plot.top);

  SvgCanvas canvas(kHistogramWidth, plot.bottom + kBelowHistogram,
                   "Latency histogram of " + series.name, SvgSizing::kStylesheet);
  std::vector<Tick> y_ticks;
  for (const double c : steps(0, y_top, y_step)) {
    y_ticks.push_back({c, fixed(c, 0)});
  }
  left_axis(canvas, y, y_ticks, plot);
  std::vector<Tick> x_ticks;
  for (const double v : steps(lo, hi, x_step)) {
    x_ticks.push_back({v, tick_label(v, x_step)});
  }
  bottom_axis(canvas, x, x_ticks, plot);
  canvas.begin_group("axis");
  canvas.text({plot.right, plot.bottom + 28}, "latency (ms)", {}, Anchor::kEnd);
  canvas.vertical_text({11, top + kHistogramHeight / 2}, "samples");
  canvas.end_group();
  for (std::size_t i = 0; i < bins; ++i) {
    if (counts[i] == 0) {
      continue;
    }
    const double from = lo + bin_w * static_cast<double>(i);
    const double x0 = x(from) + 0.5;
    const double x1 = x(from + bin_w) - 0.5;
    const double c = static_cast<double>(counts[i]);
    canvas.rect({x0, y(c)}, std::max(1.0, x1 - x0), plot.bottom - y(c), "hist-bar", 0,
                number(from) + " \u2013 " + number(from + bin_w) + " ms: " +
                    std::to_string(counts[i]) + (counts[i] == 1 ? " sample" : " samples"));
  }
  canvas.line({plot.left, plot.bottom}, {plot.right, plot.bottom}, "axis-line");
  for (const auto& marker : markers) {
    const double at = x(marker.value);
    const double label_y = 18 + static_cast<double>(marker.row) * 13;
    canvas.begin_group(std::string("marker ") + marker.name,
                       std::string(marker.name) + " = " + number(marker.value) + " ms");
    canvas.line({at, label_y - 9}, {at, plot.bottom}, {});
    canvas.text({marker.anchor_end ? marker.x1 : marker.x0, label_y},
                std::string(marker.name) + " " + number(marker.value), {},
                marker.anchor_end ? Anchor::kEnd : Anchor::kStart);
    canvas.end_group();
  }
  return out + "<div class=\"body\">" + canvas.finish() + stats_table(stats) + "</div></div>";
}

}  // namespace understudy::reports::detail
