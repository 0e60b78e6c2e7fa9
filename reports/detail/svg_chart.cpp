#include "reports/detail/svg_chart.h"

#include <algorithm>
#include <cmath>

#include "reports/detail/text.h"

namespace understudy::reports::detail {
namespace {

// The series colours report.css defines (.s-0 to .s-6).
constexpr std::size_t kSeriesColours = 7;

std::string attribute(std::string_view name, std::string_view value) {
  return value.empty() ? std::string()
                       : " " + std::string(name) + "=\"" + html_attribute(value) + "\"";
}

std::string title_element(std::string_view title) {
  return title.empty() ? std::string() : "<title>" + html_text(title) + "</title>";
}

std::string_view anchor_attribute(Anchor anchor) {
  // Indexed by Anchor, in its order.
  constexpr std::string_view kAttributes[] = {"", " text-anchor=\"middle\"",
                                              " text-anchor=\"end\""};
  return kAttributes[static_cast<std::size_t>(anchor)];
}

std::string series_class(std::size_t index) {
  return "series s-" + std::to_string(index % kSeriesColours);
}

// Each tick drawn by `draw(position, label)` in a <g class="axis">.
template <typename DrawTick>
void draw_axis(SvgCanvas& canvas, const Scale& scale, const std::vector<Tick>& ticks,
               DrawTick draw) {
  canvas.begin_group("axis");
  for (const auto& tick : ticks) {
    draw(scale(tick.value), tick.label);
  }
  canvas.end_group();
}

}  // namespace

std::string px(double value) {
  return fixed(value, 1);
}

Scale::Scale(bool logarithmic, double domain_from, double domain_to, double px_from, double px_to)
    : logarithmic_(logarithmic),
      from_(logarithmic ? std::log10(domain_from) : domain_from),
      to_(logarithmic ? std::log10(domain_to) : domain_to),
      px_from_(px_from),
      px_to_(px_to) {}

Scale Scale::linear(double domain_from, double domain_to, double px_from, double px_to) {
  return Scale(false, domain_from, domain_to, px_from, px_to);
}

Scale Scale::log10(double domain_from, double domain_to, double px_from, double px_to) {
  return Scale(true, domain_from, domain_to, px_from, px_to);
}

double Scale::operator()(double value) const {
  if (!std::isfinite(value)) {
    return px_from_;
  }
  // log10 of a value <= 0 is -inf or NaN; both clamp to the smaller end.
  const double v = logarithmic_ ? (value > 0 ? std::log10(value) : -HUGE_VAL) : value;
  const double clamped = std::clamp(v, std::min(from_, to_), std::max(from_, to_));
  return from_ == to_ ? px_from_
                      : px_from_ + (clamped - from_) / (to_ - from_) * (px_to_ - px_from_);
}

double nice_step(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) {
    return 1;
  }
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (raw <= factor * magnitude * (1 + 1e-9)) {
      return factor * magnitude;
    }
  }
  return 10 * magnitude;
}

std::vector<double> steps(double from, double to, double step) {
  std::vector<double> values;
  for (double v = from; v <= to + step / 2; v += step) {
    values.push_back(v);
  }
  return values;
}

std::vector<double> decades(double lo, double hi) {
  std::vector<double> values;
  for (double l = std::floor(std::log10(lo)); l <= std::ceil(std::log10(hi)); ++l) {
    values.push_back(std::pow(10.0, l));
  }
  return values;
}

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fixed(value, std::min(decimals, 6));
}

SvgCanvas::SvgCanvas(double width, double height, std::string_view label, SvgSizing sizing) {
  out_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + px(width) + " " + px(height) +
         "\"";
  if (sizing == SvgSizing::kFixed) {
    out_ += " width=\"" + px(width) + "\" height=\"" + px(height) + "\"";
  } else if (sizing == SvgSizing::kFullWidth) {
    out_ += " width=\"100%\"";
  }
  out_ += " role=\"img\"" + attribute("aria-label", label) + ">";
}

void SvgCanvas::raw(std::string_view markup) {
  out_ += markup;
}

void SvgCanvas::begin_group(std::string_view css_class, std::string_view title) {
  out_ += "<g" + attribute("class", css_class) + ">" + title_element(title);
}

void SvgCanvas::end_group() {
  out_ += "</g>";
}

void SvgCanvas::line(Point from, Point to, std::string_view css_class) {
  out_ += "<line" + attribute("class", css_class) + " x1=\"" + px(from.x) + "\" y1=\"" +
          px(from.y) + "\" x2=\"" + px(to.x) + "\" y2=\"" + px(to.y) + "\"/>";
}

void SvgCanvas::rect(Point corner, double width, double height, std::string_view css_class,
                     double corner_radius, std::string_view title) {
  out_ += "<rect" + attribute("class", css_class) + " x=\"" + px(corner.x) + "\" y=\"" +
          px(corner.y) + "\" width=\"" + px(width) + "\" height=\"" + px(height) + "\"" +
          (corner_radius > 0 ? " rx=\"" + px(corner_radius) + "\"" : "");
  out_ += title.empty() ? "/>" : ">" + title_element(title) + "</rect>";
}

void SvgCanvas::circle(Point center, double radius, std::string_view css_class,
                       std::string_view title) {
  out_ += "<circle" + attribute("class", css_class) + " cx=\"" + px(center.x) + "\" cy=\"" +
          px(center.y) + "\" r=\"" + px(radius) + "\"";
  out_ += title.empty() ? "/>" : ">" + title_element(title) + "</circle>";
}

void SvgCanvas::path(std::string_view d, std::string_view css_class, std::string_view marker_end) {
  out_ += "<path" + attribute("class", css_class) +
          (marker_end.empty() ? "" : " marker-end=\"url(#" + html_attribute(marker_end) + ")\"") +
          " d=\"" + std::string(d) + "\"/>";
}

void SvgCanvas::text(Point at, std::string_view text, std::string_view css_class, Anchor anchor,
                     std::string_view title) {
  out_ += "<text" + attribute("class", css_class) + " x=\"" + px(at.x) + "\" y=\"" + px(at.y) +
          "\"" + std::string(anchor_attribute(anchor)) + ">" + title_element(title) +
          html_text(text) + "</text>";
}

void SvgCanvas::vertical_text(Point at, std::string_view text) {
  // Rotated by -90 degrees, the text's x runs up the page: x = -y, y = x.
  out_ += "<text transform=\"rotate(-90)\" x=\"" + px(-at.y) + "\" y=\"" + px(at.x) +
          "\" text-anchor=\"middle\">" + html_text(text) + "</text>";
}

std::string SvgCanvas::finish() {
  return out_ + "</svg>";
}

std::string path_data(const std::vector<Point>& points, bool closed) {
  std::string d;
  for (const auto& point : points) {
    d += (d.empty() ? "M" : " L") + px(point.x) + " " + px(point.y);
  }
  return closed && !d.empty() ? d + " Z" : d;
}

void left_axis(SvgCanvas& canvas, const Scale& y, const std::vector<Tick>& ticks,
               const PlotArea& plot) {
  draw_axis(canvas, y, ticks, [&](double at, const std::string& label) {
    canvas.line({plot.left, at}, {plot.right, at}, "grid");
    canvas.text({plot.left - 6, at + 4}, label, {}, Anchor::kEnd);
  });
}

void top_axis(SvgCanvas& canvas, const Scale& x, const std::vector<Tick>& ticks,
              const PlotArea& plot) {
  draw_axis(canvas, x, ticks, [&](double at, const std::string& label) {
    canvas.line({at, plot.top - 6}, {at, plot.bottom}, "grid");
    canvas.text({at, plot.top - 12}, label, {}, Anchor::kMiddle);
  });
}

void bottom_axis(SvgCanvas& canvas, const Scale& x, const std::vector<Tick>& ticks,
                 const PlotArea& plot) {
  draw_axis(canvas, x, ticks, [&](double at, const std::string& label) {
    canvas.line({at, plot.bottom}, {at, plot.bottom + 4}, "axis-line");
    canvas.text({at, plot.bottom + 16}, label, {}, Anchor::kMiddle);
  });
}

std::string line_chart(const LineChart& chart) {
  SvgCanvas canvas(chart.width, chart.height, chart.label, SvgSizing::kFixed);
  left_axis(canvas, chart.y, chart.y_ticks, chart.plot);
  bottom_axis(canvas, chart.x, chart.x_ticks, chart.plot);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& series = chart.series[i];
    if (series.points.empty()) {
      continue;
    }
    std::vector<Point> scaled;
    for (const auto& point : series.points) {
      scaled.push_back({chart.x(point.x), chart.y(point.y)});
    }
    const auto css_class = series_class(i);
    if (chart.dots) {
      for (const auto& point : scaled) {
        canvas.circle(point, 3, css_class);
      }
    }
    canvas.path(path_data(scaled), css_class);
  }
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    if (!chart.series[i].points.empty()) {
      canvas.text({chart.plot.left + 8, chart.plot.top + 12 + 14 * static_cast<double>(i)},
                  chart.series[i].name, series_class(i));
    }
  }
  return canvas.finish();
}

}  // namespace understudy::reports::detail
