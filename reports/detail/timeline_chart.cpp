#include "reports/detail/timeline_chart.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <vector>

#include "reports/detail/svg_chart.h"
#include "reports/detail/text.h"
#include "reports/detail/tracks.h"

namespace understudy::reports::detail {
namespace {

constexpr double kWidth = 1240, kLabelRight = 186, kPlotX = 198, kRightPad = 80;
constexpr double kAxisH = 34, kRowH = 22, kLanePad = 5, kBarH = 16;
constexpr std::size_t kMaxRows = 8;

// Cuts to at most `max_chars` code points, with an ellipsis, never inside a
// UTF-8 sequence.
std::string truncate(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return std::string(text.substr(0, i)) + "\u2026";
    }
  }
  return std::string(text);
}

std::string kind_class(std::string_view kind) {
  for (const std::string_view known :
       {"call", "wait", "step", "console", "process", "fault", "deadlock"}) {
    if (kind == known) {
      return "ev-" + std::string(kind);
    }
  }
  return "ev-other";
}

bool is_bad_outcome(std::string_view outcome) {
  return outcome == "error" || outcome == "timeout";
}

std::string event_tooltip(const TimelineEvent& event) {
  std::string text = event.name + "\n" + (event.kind.empty() ? "event" : event.kind) + " on " +
                     event.track + "\nat " + fixed(event.start_s, 3) + " s";
  if (event.duration_s > 0) {
    text += ", lasting " + duration(event.duration_s);
  }
  if (!event.outcome.empty()) {
    text += "\noutcome: " + event.outcome;
  }
  for (const auto& [key, value] : event.args) {
    text += "\n" + key + ": " + value;
  }
  return text;
}

struct Lane {
  std::string track;
  std::vector<double> row_ends;  // right edge, in px, of the last event in each row
  double y = 0;
  double height = 0;
};

struct PlacedEvent {
  const TimelineEvent* event;
  std::size_t lane;
  std::size_t row;
  double x0, x1;
};

// The lanes of a timeline and where each event sits in them.
struct TimelineLayout {
  std::vector<Lane> lanes;
  std::map<std::string, std::size_t> lane_of;  // by track
  std::vector<PlacedEvent> placed;
  double plot_bottom = 0;
};

// Overlapping events on one track (a call made while waiting, nested steps)
// go to extra rows of its lane instead of hiding each other.
TimelineLayout lay_out(const ScenarioResult& scenario, const std::vector<std::string>& tracks,
                       const Scale& x) {
  TimelineLayout layout;
  for (const auto& track : tracks) {
    layout.lane_of[track] = layout.lanes.size();
    layout.lanes.push_back({track, {}, 0, 0});
  }
  std::vector<const TimelineEvent*> ordered;
  for (const auto& event : scenario.timeline) {
    ordered.push_back(&event);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->start_s < b->start_s; });
  for (const auto* event : ordered) {
    auto& lane = layout.lanes[layout.lane_of.at(event->track)];
    double x0 = x(event->start_s);
    double x1 =
        event->duration_s > 0 ? std::max(x0 + 2, x(event->start_s + event->duration_s)) : x0 + 6;
    if (event->duration_s <= 0) {
      x0 -= 6;
    }
    std::size_t row = 0;
    while (row < lane.row_ends.size() && lane.row_ends[row] > x0 + 0.5) {
      ++row;
    }
    if (row == lane.row_ends.size()) {
      if (lane.row_ends.size() < kMaxRows) {
        lane.row_ends.push_back(0);
      } else {
        row = static_cast<std::size_t>(
            std::min_element(lane.row_ends.begin(), lane.row_ends.end()) - lane.row_ends.begin());
      }
    }
    lane.row_ends[row] = std::max(lane.row_ends[row], x1);
    layout.placed.push_back({event, layout.lane_of.at(event->track), row, x0, x1});
  }
  double y = kAxisH;
  for (auto& lane : layout.lanes) {
    lane.y = y;
    lane.height =
        static_cast<double>(std::max<std::size_t>(1, lane.row_ends.size())) * kRowH + 2 * kLanePad;
    y += lane.height;
  }
  layout.plot_bottom = y;
  return layout;
}

void draw_lanes(SvgCanvas& canvas, const std::vector<Lane>& lanes) {
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    const auto& lane = lanes[i];
    if (i % 2 == 0) {
      canvas.rect({0, lane.y}, kWidth, lane.height, "lane-bg");
    }
    canvas.text({kLabelRight, lane.y + kLanePad + kRowH / 2 + 4}, truncate(lane.track, 28),
                "lane-label", Anchor::kEnd, lane.track);
  }
}

void draw_events(SvgCanvas& canvas, const TimelineLayout& layout) {
  for (const auto& item : layout.placed) {
    const auto& event = *item.event;
    const double row_top =
        layout.lanes[item.lane].y + kLanePad + static_cast<double>(item.row) * kRowH;
    const double bar_y = row_top + (kRowH - kBarH) / 2;
    canvas.begin_group(
        "ev " + kind_class(event.kind) + (is_bad_outcome(event.outcome) ? " bad" : ""),
        event_tooltip(event));
    if (event.duration_s > 0) {
      const double w = item.x1 - item.x0;
      canvas.rect({item.x0, bar_y}, w, kBarH, {}, 3);
      const auto fits = static_cast<std::size_t>(std::max(0.0, (w - 8) / 6.3));
      if (fits >= 4) {
        canvas.text({item.x0 + 4, bar_y + kBarH - 4}, truncate(event.name, fits),
                    event.kind == "wait" ? "ev-label dark" : "ev-label");
      }
    } else {
      const double cx = item.x0 + 6;
      const double cy = bar_y + kBarH / 2;
      canvas.path(path_data({{cx, cy - 7}, {cx + 6, cy}, {cx, cy + 7}, {cx - 6, cy}}, true), {});
    }
    canvas.end_group();
  }
}

// Each cycle: a dashed line at detection time, a numbered node on each
// member's lane and an arrow from each member to the one it waits for.
// Arrows going down bow right and arrows going up bow left, so a two-party
// cycle reads as a loop.
void draw_cycle(SvgCanvas& canvas, const DeadlockCycle& cycle, const TimelineLayout& layout,
                const std::vector<std::string>& tracks, const Scale& x_of,
                const std::string& arrowhead) {
  const double x = x_of(cycle.at_s);
  const std::string label =
      (cycle.certain ? "deadlock @ " : "long wait @ ") + fixed(cycle.at_s, 2) + " s";
  const double label_w = static_cast<double>(label.size()) * 6.4 + 12;
  const double label_x = std::min(x - label_w / 2, kWidth - label_w - 2);
  canvas.begin_group("cycle", cycle.summary);
  canvas.line({x, kAxisH}, {x, layout.plot_bottom}, "mark");
  canvas.rect({label_x, 2}, label_w, 16, "flag", 8);
  canvas.text({label_x + label_w / 2, 14}, label, "flag-text", Anchor::kMiddle);
  std::vector<double> ys;
  std::vector<std::size_t> member_lanes;
  for (const auto& member : cycle.members) {
    const auto lane = layout.lane_of.at(track_of_member(member, tracks));
    member_lanes.push_back(lane);
    ys.push_back(layout.lanes[lane].y + kLanePad + kRowH / 2);
  }
  const std::size_t n = ys.size();
  std::vector<std::string> links;
  for (std::size_t i = 0; i < n && n > 1; ++i) {
    const double y1 = ys[i];
    const double y2 = ys[(i + 1) % n];
    if (member_lanes[i] == member_lanes[(i + 1) % n]) {
      links.push_back("M" + px(x + 5) + "," + px(y1 - 5) + " C" + px(x + 30) + "," + px(y1 - 26) +
                      " " + px(x - 30) + "," + px(y1 - 26) + " " + px(x - 5) + "," + px(y1 - 6));
      continue;
    }
    const double direction = y2 > y1 ? 1 : -1;
    const double lanes_apart = std::fabs(static_cast<double>(member_lanes[(i + 1) % n]) -
                                         static_cast<double>(member_lanes[i]));
    const double bulge = std::min(26 + 8 * lanes_apart, 70.0);
    links.push_back("M" + px(x + direction * 4) + "," + px(y1 + direction * 5) + " Q" +
                    px(x + direction * bulge) + "," + px((y1 + y2) / 2) + " " +
                    px(x + direction * 4) + "," + px(y2 - direction * 7));
  }
  // A white halo under every arrow first, so the arrows stay readable over
  // the bars they cross.
  for (const auto& path : links) {
    canvas.path(path, "halo");
  }
  for (const auto& path : links) {
    canvas.path(path, "link", arrowhead);
  }
  for (std::size_t i = 0; i < n; ++i) {
    canvas.circle({x, ys[i]}, 6.5, "node", cycle.members[i]);
    canvas.text({x, ys[i] + 3.2}, std::to_string(i + 1), "num", Anchor::kMiddle);
  }
  canvas.end_group();
}

std::string legend(const ScenarioResult& scenario) {
  std::vector<std::string> kinds;
  bool any_bad = false;
  for (const auto& event : scenario.timeline) {
    const auto kind = event.kind.empty() ? std::string("event") : event.kind;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      kinds.push_back(kind);
    }
    any_bad = any_bad || is_bad_outcome(event.outcome);
  }
  std::string out = "<div class=\"legend\">";
  for (const auto& kind : kinds) {
    out += "<span><i class=\"" + kind_class(kind) + "\"></i>" + html_text(kind) + "</span>";
  }
  if (any_bad) {
    out += "<span><i class=\"bad\"></i>error / timeout</span>";
  }
  if (!scenario.deadlocks.empty()) {
    out += "<span><i class=\"cycle\"></i>deadlock cycle (arrow: waits for)</span>";
  }
  return out +
         "<span class=\"hint\">bars have durations, diamonds are instants; hover for "
         "details</span></div>";
}

}  // namespace

std::string timeline_chart(const ScenarioResult& scenario, std::size_t index) {
  const auto tracks = timeline_tracks(scenario);
  if (tracks.empty()) {
    return "<p class=\"empty\">No timeline events were recorded.</p>";
  }
  double t_end = scenario.duration_s;
  for (const auto& event : scenario.timeline) {
    t_end = std::max(t_end, event.start_s + std::max(0.0, event.duration_s));
  }
  for (const auto& cycle : scenario.deadlocks) {
    t_end = std::max(t_end, cycle.at_s);
  }
  if (!(t_end > 0) || !std::isfinite(t_end)) {
    t_end = 1;
  }
  const double step = nice_step(t_end / 10);
  const double t_max = std::ceil(t_end / step - 1e-9) * step;
  const double plot_right = kWidth - kRightPad;
  const auto x = Scale::linear(0, t_max, kPlotX, plot_right);
  const auto layout = lay_out(scenario, tracks, x);
  const PlotArea plot{kPlotX, kAxisH, plot_right, layout.plot_bottom};

  SvgCanvas canvas(kWidth, layout.plot_bottom + 12, "Timeline of " + scenario.name,
                   SvgSizing::kFullWidth);
  const std::string arrowhead = "arrow-" + std::to_string(index);
  canvas.raw("<defs><marker id=\"" + arrowhead +
             "\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
             "orient=\"auto-start-reverse\"><path class=\"arrowhead\" d=\"M0,0 L10,5 L0,10 "
             "z\"/></marker></defs>");
  draw_lanes(canvas, layout.lanes);
  std::vector<Tick> ticks;
  for (const double t : steps(0, t_max, step)) {
    ticks.push_back({t, tick_label(t, step) + " s"});
  }
  top_axis(canvas, x, ticks, plot);
  canvas.line({plot.left, plot.top}, {plot.right, plot.top}, "axis-line");
  draw_events(canvas, layout);
  for (const auto& cycle : scenario.deadlocks) {
    draw_cycle(canvas, cycle, layout, tracks, x, arrowhead);
  }
  return "<div class=\"timeline\">" + canvas.finish() + "</div>" + legend(scenario);
}

}  // namespace understudy::reports::detail
