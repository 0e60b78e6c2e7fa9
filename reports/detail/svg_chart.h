// The SVG that both HTML reports draw their charts with: a canvas that
// writes elements, scales (linear and log10) that map data onto pixels, axes
// with gridlines and tick labels, and line series with their legend.
//
// Contract: every text and title passed in is escaped here, so callers pass
// plain (untrusted) text. Elements are styled by CSS class only, never by
// presentation attributes, so that reports/assets/report.css (which both
// pages include) decides how every chart looks; the classes written here
// are the ones it defines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace understudy::reports::detail {

// Coordinates as the charts write them: pixels with one decimal.
std::string px(double value);

struct Point {
  double x = 0;
  double y = 0;
};

// The rectangle the data is drawn in, in the canvas's pixels.
struct PlotArea {
  double left = 0;
  double top = 0;
  double right = 0;
  double bottom = 0;
};

// Maps a data interval onto a pixel interval; either may run backwards (a y
// axis grows upwards). Values outside the domain are drawn at its nearer
// end, and a value that is not finite at domain_from, so that no mark leaves
// the chart.
class Scale {
 public:
  static Scale linear(double domain_from, double domain_to, double px_from, double px_to);
  // By log10, for values spanning decades; both domain ends must be > 0.
  // Values <= 0 are drawn at the domain's smaller end.
  static Scale log10(double domain_from, double domain_to, double px_from, double px_to);

  double operator()(double value) const;

 private:
  Scale(bool logarithmic, double domain_from, double domain_to, double px_from, double px_to);

  bool logarithmic_;
  double from_;  // the domain, after log10 when logarithmic_
  double to_;
  double px_from_;
  double px_to_;
};

// The 1-2-5 step nearest above `raw`, for axis ticks people can read.
double nice_step(double raw);
// from, from + step, ... while within half a step of `to`.
std::vector<double> steps(double from, double to, double step);
// The powers of ten from 10^floor(log10(lo)) to 10^ceil(log10(hi)); lo > 0.
std::vector<double> decades(double lo, double hi);
// `value` with as many decimals as `step` needs.
std::string tick_label(double value, double step);

struct Tick {
  double value = 0;
  std::string label;
};

enum class Anchor { kStart, kMiddle, kEnd };

// How the <svg> takes its size in the page.
enum class SvgSizing {
  kFixed,      // width and height attributes in pixels
  kFullWidth,  // width="100%", height from the viewBox's aspect ratio
  kStylesheet  // by the page's CSS
};

// An <svg> element being written. Coordinates are in the viewBox's pixels.
class SvgCanvas {
 public:
  // `label` names the chart for screen readers (aria-label).
  SvgCanvas(double width, double height, std::string_view label, SvgSizing sizing);

  // Markup written as it is: <defs> and the like. The caller escapes.
  void raw(std::string_view markup);
  // A <g> whose `title` (if any) is the tooltip of everything in it.
  void begin_group(std::string_view css_class, std::string_view title = {});
  void end_group();

  void line(Point from, Point to, std::string_view css_class);
  void rect(Point corner, double width, double height, std::string_view css_class,
            double corner_radius = 0, std::string_view title = {});
  void circle(Point center, double radius, std::string_view css_class, std::string_view title = {});
  // `d` as path_data() and the like write it; `marker_end` the id of a
  // <marker> drawn at its end, or empty.
  void path(std::string_view d, std::string_view css_class, std::string_view marker_end = {});
  void text(Point at, std::string_view text, std::string_view css_class = {},
            Anchor anchor = Anchor::kStart, std::string_view title = {});
  // Text reading upwards, centred on `at` (a y axis's title).
  void vertical_text(Point at, std::string_view text);

  // The finished <svg>...</svg>.
  std::string finish();

 private:
  std::string out_;
};

// "M x y L x y ...": a line through `points`, closed with " Z" if `closed`.
std::string path_data(const std::vector<Point>& points, bool closed = false);

// Axes, each in its own <g class="axis">. Labels left of the plot, each with
// a gridline across it.
void left_axis(SvgCanvas& canvas, const Scale& y, const std::vector<Tick>& ticks,
               const PlotArea& plot);
// Labels above the plot, each with a gridline down through it.
void top_axis(SvgCanvas& canvas, const Scale& x, const std::vector<Tick>& ticks,
              const PlotArea& plot);
// Labels below the plot, each under a short tick mark.
void bottom_axis(SvgCanvas& canvas, const Scale& x, const std::vector<Tick>& ticks,
                 const PlotArea& plot);

// One line of a line chart, in data units.
struct Series {
  std::string name;
  std::vector<Point> points;
};

// A line chart with a y axis at the left and an x axis below. Series i is
// drawn in the i-th colour of report.css's palette (a dot on each point when
// `dots`) and named in that colour in the i-th row of a legend at the plot's
// top left; a series without points leaves its row empty.
struct LineChart {
  double width = 0;
  double height = 0;
  std::string label;  // for screen readers
  PlotArea plot;
  Scale x;
  Scale y;
  std::vector<Tick> x_ticks{};
  std::vector<Tick> y_ticks{};
  std::vector<Series> series{};
  bool dots = false;
};

// The chart's <svg>.
std::string line_chart(const LineChart& chart);

}  // namespace understudy::reports::detail
