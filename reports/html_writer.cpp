#include "reports/html_writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string_view>
#include <vector>

#include "reports/chrome_trace_writer.h"
#include "reports/detail/stats.h"
#include "reports/detail/text.h"
#include "reports/detail/tracks.h"

namespace understudy::reports {
namespace {

using detail::fixed;
using detail::html_text;

std::string attr(std::string_view text) {
  return detail::escape_xml(text, true);
}
std::string px(double value) {
  return fixed(value, 1);
}

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

std::string first_line(std::string_view text) {
  const auto newline = text.find('\n');
  return newline == std::string_view::npos ? std::string(text)
                                           : std::string(text.substr(0, newline)) + " \u2026";
}

std::string lower_ascii(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

// The 1-2-5 step nearest above `raw`, for axis ticks people can read.
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

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fixed(value, std::min(decimals, 6));
}

bool is_problem(Status status) {
  return status == Status::kFailed || status == Status::kError;
}

// A skipped scenario did not run: "0 ms" would suggest it ran instantly.
std::string scenario_duration(const ScenarioResult& scenario) {
  return scenario.status == Status::kSkipped && scenario.duration_s == 0
             ? "\u2014"
             : detail::duration(scenario.duration_s);
}

std::string pill(Status status) {
  const auto name = status_name(status);
  return "<span class=\"pill " + name + "\">" + name + "</span>";
}

std::string tag_list(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) {
    out += "<span class=\"tag\">" + html_text(tag) + "</span>";
  }
  return out;
}

constexpr std::string_view kSuiteReportStyle = R"CSS(
:root{--bg:#f4f5f7;--panel:#fff;--text:#1f2937;--muted:#6b7280;--border:#e3e6ea;
--passed:#15803d;--passed-bg:#dcfce7;--failed:#b91c1c;--failed-bg:#fee2e2;
--error:#9a3412;--error-bg:#ffedd5;--skipped:#4b5563;--skipped-bg:#e5e7eb;--accent:#2563eb;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 var(--sans)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:var(--mono);font-size:12.5px}
pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.wrap{max-width:1320px;margin:0 auto;padding:0 28px}
header.top{background:#111827;color:#f9fafb;padding:22px 0 20px}
header.top h1{font-size:22px;margin:0;display:flex;align-items:center;gap:12px;font-weight:650}
header.top .meta{color:#9ca3af;font-size:13px;margin-top:8px;display:flex;flex-wrap:wrap;gap:4px 18px}
header.top .meta b{color:#e5e7eb;font-weight:500}
header.top code{color:#e5e7eb;font-size:12px;overflow-wrap:anywhere}
.verdict{font-size:12px;font-weight:700;letter-spacing:.06em;padding:3px 10px;border-radius:999px}
.verdict.bad{background:#dc2626;color:#fff}.verdict.good{background:#16a34a;color:#fff}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin:22px 0 12px}
.card{background:var(--panel);border:1px solid var(--border);border-radius:10px;padding:12px 16px}
.card .n{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.card .l{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.06em}
.card.passed .n{color:var(--passed)}.card.failed .n{color:var(--failed)}
.card.error .n{color:var(--error)}.card.skipped .n{color:var(--skipped)}
.card.zero .n{color:#c3c8cf}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:var(--border);margin:0 0 22px}
.bar .passed{background:#22c55e}.bar .failed{background:#ef4444}.bar .error{background:#f97316}.bar .skipped{background:#9ca3af}
.toolbar{display:flex;gap:8px;align-items:center;margin:0 0 10px;flex-wrap:wrap}
.toolbar button{border:1px solid var(--border);background:var(--panel);border-radius:6px;padding:5px 12px;cursor:pointer;font:inherit;font-size:13px;color:inherit}
.toolbar button:hover{border-color:#9ca3af}
.toolbar button.active{background:#1f2937;color:#fff;border-color:#1f2937}
.toolbar input{border:1px solid var(--border);border-radius:6px;padding:5px 10px;font:inherit;font-size:13px;min-width:240px}
.toolbar .spacer{flex:1}.toolbar .shown{color:var(--muted);font-size:13px}
.panel{background:var(--panel);border:1px solid var(--border);border-radius:10px;overflow:hidden}
table{border-collapse:collapse;width:100%}
th{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);background:#f9fafb;font-weight:600;text-align:left;padding:8px 12px;border-bottom:1px solid var(--border)}
.notes{padding:4px 16px;margin-bottom:12px}
.notes p{margin:8px 0}
.failure .ftype{font-weight:600;margin-bottom:4px}
table.summary td{padding:9px 12px;border-bottom:1px solid var(--border);vertical-align:top}
table.summary tr:last-child td{border-bottom:0}
table.summary tr.problem td{background:#fffafa}
table.summary .file{color:var(--muted);font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.msg{max-width:480px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:var(--failed)}
td.msg.error{color:var(--error)}td.msg.skipped,td.msg.passed{color:var(--muted)}
.pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;white-space:nowrap}
.pill.passed{background:var(--passed-bg);color:var(--passed)}.pill.failed{background:var(--failed-bg);color:var(--failed)}
.pill.error{background:var(--error-bg);color:var(--error)}.pill.skipped{background:var(--skipped-bg);color:var(--skipped)}
.tag{display:inline-block;background:#eef2ff;color:#3730a3;border-radius:4px;padding:0 6px;margin:0 4px 2px 0;font-size:12px}
.repeat{display:inline-block;background:#f3f4f6;color:var(--muted);border-radius:4px;padding:0 6px;font-size:12px}
h2{font-size:16px;margin:30px 0 10px}
details.scenario{background:var(--panel);border:1px solid var(--border);border-left:4px solid #22c55e;border-radius:10px;margin:12px 0;scroll-margin-top:12px}
details.scenario.failed{border-left-color:#ef4444}details.scenario.error{border-left-color:#f97316}details.scenario.skipped{border-left-color:#9ca3af}
details.scenario>summary{cursor:pointer;padding:12px 16px;display:flex;gap:12px;align-items:center;list-style:none}
details.scenario>summary::-webkit-details-marker{display:none}
.chev{display:inline-block;color:var(--muted);transition:transform .15s;font-size:11px;width:10px}
details[open]>summary .chev{transform:rotate(90deg)}
.sc-name{font-weight:650;font-size:15px}.sc-file{color:var(--muted);font-size:12px}
.sc-dur{margin-left:auto;color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}
.sc-body{padding:2px 20px 20px;border-top:1px solid var(--border)}
h3{font-size:11px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);margin:22px 0 8px;font-weight:700}
h3 .count{text-transform:none;letter-spacing:0;font-weight:500;margin-left:6px}
.failure{background:var(--failed-bg);border:1px solid #fecaca;border-radius:8px;padding:10px 14px;margin-top:16px;color:#7f1d1d}
.failure.error{background:var(--error-bg);border-color:#fed7aa;color:#7c2d12}
.failure pre{font-size:13px}
.facts{display:flex;flex-wrap:wrap;gap:4px 26px;margin:14px 0 0;color:var(--muted);font-size:13px}
.facts b{color:var(--text);font-weight:500}
table.expect{border:1px solid var(--border);border-radius:8px;border-collapse:separate;border-spacing:0;overflow:hidden}
table.expect td{padding:8px 10px;border-top:1px solid var(--border);vertical-align:top}
table.expect td.text{font-family:var(--mono);font-size:12.5px;white-space:pre-wrap;overflow-wrap:anywhere}
table.expect tr.fail td{background:#fff6f6}
table.expect td.mark{width:28px;text-align:center;font-weight:700}
tr.fail td.mark{color:var(--failed)}tr.pass td.mark{color:var(--passed)}
table.expect td.where{color:var(--muted)}
.deadlock{border:1px solid #fecaca;background:#fff8f8;border-radius:8px;padding:12px 14px;margin-bottom:10px}
.deadlock .head{font-weight:650;color:#991b1b}
.deadlock .head span{font-weight:400;color:var(--muted);margin-left:8px}
.members{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:10px 0}
.member{background:#fff;border:1px solid #fca5a5;border-radius:6px;padding:2px 8px;font-family:var(--mono);font-size:12.5px}
.member i{font-style:normal;color:#dc2626;font-weight:700;margin-right:6px}
.members .to{color:#dc2626}
.deadlock details summary{cursor:pointer;color:var(--muted);font-size:13px;margin-top:6px}
.deadlock pre{margin-top:6px;background:#fff;border:1px solid var(--border);border-radius:6px;padding:8px 10px;max-height:320px;overflow:auto}
.timeline{overflow-x:auto;border:1px solid var(--border);border-radius:8px;background:#fff}
.timeline svg{display:block;min-width:900px}
svg text{font-family:var(--sans);font-size:11px}
.lane-label{fill:#374151;font-size:12px}.lane-bg{fill:#f8fafc}
.axis text{fill:#6b7280}.grid{stroke:#eceff3;stroke-width:1}.axis-line{stroke:#d1d5db}
.ev-call{--k:#3b82f6}.ev-wait{--k:#f59e0b}.ev-step{--k:#94a3b8}.ev-console{--k:#14b8a6}
.ev-process{--k:#8b5cf6}.ev-fault{--k:#e11d48}.ev-deadlock{--k:#dc2626}.ev-other{--k:#64748b}
.ev{fill:var(--k)}.legend i[class^=ev-]{background:var(--k)}
.ev.bad rect,.ev.bad path{stroke:#7f1d1d;stroke-width:2}
.ev:hover rect,.ev:hover path{stroke:#111827;stroke-width:1.5}
.ev-label{fill:#fff;font-size:11px;pointer-events:none}
.ev-label.dark{fill:#1f2937}
.cycle .mark{stroke:#dc2626;stroke-dasharray:5 3;stroke-width:1.5}
.cycle .link{fill:none;stroke:#dc2626;stroke-width:2}
.cycle .halo{fill:none;stroke:#fff;stroke-width:6;stroke-linecap:round;opacity:.9}
.cycle .node{fill:#fff;stroke:#dc2626;stroke-width:2}
.cycle .num{fill:#dc2626;font-size:9px;font-weight:700}
.cycle .flag{fill:#dc2626}.cycle .flag-text{fill:#fff;font-size:11px;font-weight:600}
.legend{display:flex;gap:16px;flex-wrap:wrap;font-size:12px;color:var(--muted);margin-top:8px}
.legend .hint{margin-left:auto}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-2px;margin-right:5px}
.legend i.bad{background:#fff;border:2px solid #7f1d1d}
.legend i.cycle{background:none;border-left:2px dashed #dc2626;border-radius:0;width:4px}
.lat-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:12px}
.lat-card{border:1px solid var(--border);border-radius:8px;padding:10px 12px}
.lat-card .title{font-weight:600;margin-bottom:4px}
.lat-card .body{display:flex;gap:14px;align-items:flex-start}
.lat-card svg{flex:1;min-width:0;height:auto}
.hist-bar{fill:#93c5fd}.hist-bar:hover{fill:#3b82f6}
table.stats{width:auto;font-size:13px}
table.stats td{padding:2px 6px;font-variant-numeric:tabular-nums;white-space:nowrap}
table.stats td:first-child{color:var(--muted)}table.stats td:last-child{text-align:right}
.metrics{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px}
.metric{border:1px solid var(--border);border-radius:8px;padding:8px 12px}
.metric .v{font-size:18px;font-weight:650;font-variant-numeric:tabular-nums}
.metric .k{font-size:12px;color:var(--muted);overflow-wrap:anywhere}
.log{margin-bottom:12px}
.log .head{font-size:13px;margin-bottom:4px}.log .head code{color:var(--muted)}
pre.log-tail{background:#0f172a;color:#e2e8f0;border-radius:8px;padding:12px 14px;max-height:380px;overflow:auto;line-height:1.5}
.empty{color:var(--muted);font-style:italic;margin:0}
footer{color:var(--muted);font-size:12px;margin:30px 0 40px}
@media print{.toolbar{display:none!important}details.scenario{break-inside:avoid}}
)CSS";

constexpr std::string_view kScript = R"JS(
(() => {
  const toolbar = document.querySelector('.toolbar');
  toolbar.hidden = false;
  const text = document.getElementById('filter-text');
  const buttons = [...toolbar.querySelectorAll('[data-filter]')];
  const items = [...document.querySelectorAll('[data-status]')];
  const rows = document.querySelectorAll('tr[data-status]').length;
  let mode = 'all';
  const keep = (el) => {
    const status = el.dataset.status;
    const statusOk = mode === 'all' ||
        (mode === 'problems' ? status === 'failed' || status === 'error' : status === mode);
    const query = text.value.trim().toLowerCase();
    return statusOk && (!query || el.dataset.search.includes(query));
  };
  const apply = () => {
    items.forEach((el) => { el.hidden = !keep(el); });
    buttons.forEach((b) => b.classList.toggle('active', b.dataset.filter === mode));
    const shown = document.querySelectorAll('tr[data-status]:not([hidden])').length;
    document.getElementById('shown').textContent = shown + ' of ' + rows + ' shown';
  };
  buttons.forEach((b) => b.addEventListener('click', () => { mode = b.dataset.filter; apply(); }));
  text.addEventListener('input', apply);
  const setOpen = (open) => document.querySelectorAll('details.scenario:not([hidden])')
      .forEach((d) => { d.open = open; });
  document.getElementById('expand-all').addEventListener('click', () => setOpen(true));
  document.getElementById('collapse-all').addEventListener('click', () => setOpen(false));
  const openTarget = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
  apply();
})();
)JS";

// ---- timeline ---------------------------------------------------------------

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
    text += ", lasting " + detail::duration(event.duration_s);
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

std::string timeline_section(const ScenarioResult& scenario, std::size_t index) {
  const auto tracks = detail::timeline_tracks(scenario);
  if (tracks.empty()) {
    return "<p class=\"empty\">No timeline events were recorded.</p>";
  }
  constexpr double kWidth = 1240, kLabelRight = 186, kPlotX = 198, kRightPad = 80;
  constexpr double kAxisH = 34, kRowH = 22, kLanePad = 5, kBarH = 16;
  constexpr std::size_t kMaxRows = 8;
  const double plot_w = kWidth - kPlotX - kRightPad;

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
  const auto x_of = [&](double t) {
    return kPlotX + (std::isfinite(t) ? std::clamp(t, 0.0, t_max) : 0.0) / t_max * plot_w;
  };

  std::vector<Lane> lanes;
  std::map<std::string, std::size_t> lane_of;
  for (const auto& track : tracks) {
    lane_of[track] = lanes.size();
    lanes.push_back({track, {}, 0, 0});
  }
  // Overlapping events on one track (a call made while waiting, nested
  // steps) go to extra rows instead of hiding each other.
  std::vector<const TimelineEvent*> ordered;
  for (const auto& event : scenario.timeline) {
    ordered.push_back(&event);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->start_s < b->start_s; });
  std::vector<PlacedEvent> placed;
  for (const auto* event : ordered) {
    auto& lane = lanes[lane_of.at(event->track)];
    double x0 = x_of(event->start_s);
    double x1 =
        event->duration_s > 0 ? std::max(x0 + 2, x_of(event->start_s + event->duration_s)) : x0 + 6;
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
    placed.push_back({event, lane_of.at(event->track), row, x0, x1});
  }
  double y = kAxisH;
  for (auto& lane : lanes) {
    lane.y = y;
    lane.height =
        static_cast<double>(std::max<std::size_t>(1, lane.row_ends.size())) * kRowH + 2 * kLanePad;
    y += lane.height;
  }
  const double height = y + 12;
  const double plot_bottom = y;

  std::string svg =
      "<div class=\"timeline\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
      px(kWidth) + " " + px(height) + "\" width=\"100%\" role=\"img\" aria-label=\"" +
      attr("Timeline of " + scenario.name) + "\">";
  const std::string marker_id = "arrow-" + std::to_string(index);
  svg += "<defs><marker id=\"" + marker_id +
         "\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
         "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#dc2626\"/>"
         "</marker></defs>";
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    const auto& lane = lanes[i];
    if (i % 2 == 0) {
      svg += "<rect class=\"lane-bg\" x=\"0\" y=\"" + px(lane.y) + "\" width=\"" + px(kWidth) +
             "\" height=\"" + px(lane.height) + "\"/>";
    }
    svg += "<text class=\"lane-label\" x=\"" + px(kLabelRight) + "\" y=\"" +
           px(lane.y + kLanePad + kRowH / 2 + 4) + "\" text-anchor=\"end\"><title>" +
           html_text(lane.track) + "</title>" + html_text(truncate(lane.track, 28)) + "</text>";
  }
  svg += "<g class=\"axis\">";
  for (double t = 0; t <= t_max + step / 2; t += step) {
    const double x = x_of(t);
    svg += "<line class=\"grid\" x1=\"" + px(x) + "\" y1=\"" + px(kAxisH - 6) + "\" x2=\"" + px(x) +
           "\" y2=\"" + px(plot_bottom) + "\"/><text x=\"" + px(x) + "\" y=\"" + px(kAxisH - 12) +
           "\" text-anchor=\"middle\">" + tick_label(t, step) + " s</text>";
  }
  svg += "<line class=\"axis-line\" x1=\"" + px(kPlotX) + "\" y1=\"" + px(kAxisH) + "\" x2=\"" +
         px(kPlotX + plot_w) + "\" y2=\"" + px(kAxisH) + "\"/></g>";

  for (const auto& item : placed) {
    const auto& event = *item.event;
    const double row_top = lanes[item.lane].y + kLanePad + static_cast<double>(item.row) * kRowH;
    const double bar_y = row_top + (kRowH - kBarH) / 2;
    svg += std::string("<g class=\"ev ") + kind_class(event.kind) +
           (is_bad_outcome(event.outcome) ? " bad" : "") + "\"><title>" +
           html_text(event_tooltip(event)) + "</title>";
    if (event.duration_s > 0) {
      const double w = item.x1 - item.x0;
      svg += "<rect x=\"" + px(item.x0) + "\" y=\"" + px(bar_y) + "\" width=\"" + px(w) +
             "\" height=\"" + px(kBarH) + "\" rx=\"3\"/>";
      const auto fits = static_cast<std::size_t>(std::max(0.0, (w - 8) / 6.3));
      if (fits >= 4) {
        svg += std::string("<text class=\"ev-label") + (event.kind == "wait" ? " dark" : "") +
               "\" x=\"" + px(item.x0 + 4) + "\" y=\"" + px(bar_y + kBarH - 4) + "\">" +
               html_text(truncate(event.name, fits)) + "</text>";
      }
    } else {
      const double cx = item.x0 + 6;
      const double cy = bar_y + kBarH / 2;
      svg += "<path d=\"M" + px(cx) + "," + px(cy - 7) + " L" + px(cx + 6) + "," + px(cy) + " L" +
             px(cx) + "," + px(cy + 7) + " L" + px(cx - 6) + "," + px(cy) + " Z\"/>";
    }
    svg += "</g>";
  }

  // Each cycle: a dashed line at detection time, a numbered node on each
  // member's lane and an arrow from each member to the one it waits for.
  // Arrows going down bow right and arrows going up bow left, so a two-party
  // cycle reads as a loop.
  for (const auto& cycle : scenario.deadlocks) {
    const double x = x_of(cycle.at_s);
    std::string label =
        (cycle.certain ? "deadlock @ " : "long wait @ ") + fixed(cycle.at_s, 2) + " s";
    const double label_w = static_cast<double>(label.size()) * 6.4 + 12;
    const double label_x = std::min(x - label_w / 2, kWidth - label_w - 2);
    svg += "<g class=\"cycle\"><title>" + html_text(cycle.summary) + "</title>";
    svg += "<line class=\"mark\" x1=\"" + px(x) + "\" y1=\"" + px(kAxisH) + "\" x2=\"" + px(x) +
           "\" y2=\"" + px(plot_bottom) + "\"/>";
    svg += "<rect class=\"flag\" x=\"" + px(label_x) + "\" y=\"2\" width=\"" + px(label_w) +
           "\" height=\"16\" rx=\"8\"/><text class=\"flag-text\" x=\"" + px(label_x + label_w / 2) +
           "\" y=\"14\" text-anchor=\"middle\">" + html_text(label) + "</text>";
    std::vector<double> ys;
    std::vector<std::size_t> member_lanes;
    for (const auto& member : cycle.members) {
      const auto lane = lane_of.at(detail::track_of_member(member, tracks));
      member_lanes.push_back(lane);
      ys.push_back(lanes[lane].y + kLanePad + kRowH / 2);
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
      svg += "<path class=\"halo\" d=\"" + path + "\"/>";
    }
    for (const auto& path : links) {
      svg += "<path class=\"link\" marker-end=\"url(#" + marker_id + ")\" d=\"" + path + "\"/>";
    }
    for (std::size_t i = 0; i < n; ++i) {
      svg += "<circle class=\"node\" cx=\"" + px(x) + "\" cy=\"" + px(ys[i]) +
             "\" r=\"6.5\"><title>" + html_text(cycle.members[i]) +
             "</title></circle><text class=\"num\" x=\"" + px(x) + "\" y=\"" + px(ys[i] + 3.2) +
             "\" text-anchor=\"middle\">" + std::to_string(i + 1) + "</text>";
    }
    svg += "</g>";
  }
  svg += "</svg></div>";

  std::vector<std::string> kinds;
  bool any_bad = false;
  for (const auto& event : scenario.timeline) {
    const auto kind = event.kind.empty() ? std::string("event") : event.kind;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      kinds.push_back(kind);
    }
    any_bad = any_bad || is_bad_outcome(event.outcome);
  }
  svg += "<div class=\"legend\">";
  for (const auto& kind : kinds) {
    svg += "<span><i class=\"" + kind_class(kind) + "\"></i>" + html_text(kind) + "</span>";
  }
  if (any_bad) {
    svg += "<span><i class=\"bad\"></i>error / timeout</span>";
  }
  if (!scenario.deadlocks.empty()) {
    svg += "<span><i class=\"cycle\"></i>deadlock cycle (arrow: waits for)</span>";
  }
  svg +=
      "<span class=\"hint\">bars have durations, diamonds are instants; hover for "
      "details</span></div>";
  return svg;
}

// ---- latencies --------------------------------------------------------------

std::string latency_card(const LatencySeries& series) {
  const auto stats = detail::summarize(series.samples_ms);
  std::string out =
      "<div class=\"lat-card\"><div class=\"title\">" + html_text(series.name) + "</div>";
  if (stats.count == 0) {
    return out + "<p class=\"empty\">No samples.</p></div>";
  }
  constexpr double kWidth = 440, kLeft = 44, kRight = 14, kBottom = 30, kPlotH = 150;
  const double plot_w = kWidth - kLeft - kRight;

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
  const auto x_of = [&](double v) { return kLeft + (v - lo) / (hi - lo) * plot_w; };

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

  struct Marker {
    const char* name;
    double value;
    const char* color;
    double x0 = 0, x1 = 0;
    std::size_t row = 0;
    bool anchor_end = false;
  };
  std::vector<Marker> markers = {{"p50", stats.p50, "#16a34a"},
                                 {"p90", stats.p90, "#d97706"},
                                 {"p99", stats.p99, "#dc2626"},
                                 {"max", stats.max, "#111827"}};
  // Close percentiles would print on top of each other: each label takes the
  // first row where it clears the labels already there.
  std::vector<double> row_right;
  for (auto& marker : markers) {
    const double x = x_of(marker.value);
    const auto chars = std::string(marker.name).size() + 1 + detail::number(marker.value).size();
    const double w = static_cast<double>(chars) * 6.0;
    marker.anchor_end = x + 3 + w > kWidth;
    marker.x0 = marker.anchor_end ? x - 3 - w : x + 3;
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
  const double top = 8 + static_cast<double>(row_right.size()) * 13;
  const double bottom = top + kPlotH;
  const double height = bottom + kBottom;
  const auto y_of = [&](double c) { return bottom - c / y_top * kPlotH; };

  out += "<div class=\"body\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         px(kWidth) + " " + px(height) + "\" role=\"img\" aria-label=\"" +
         attr("Latency histogram of " + series.name) + "\"><g class=\"axis\">";
  for (double c = 0; c <= y_top + y_step / 2; c += y_step) {
    out += "<line class=\"grid\" x1=\"" + px(kLeft) + "\" y1=\"" + px(y_of(c)) + "\" x2=\"" +
           px(kLeft + plot_w) + "\" y2=\"" + px(y_of(c)) + "\"/><text x=\"" + px(kLeft - 6) +
           "\" y=\"" + px(y_of(c) + 4) + "\" text-anchor=\"end\">" + fixed(c, 0) + "</text>";
  }
  for (double v = lo; v <= hi + x_step / 2; v += x_step) {
    out += "<line class=\"axis-line\" x1=\"" + px(x_of(v)) + "\" y1=\"" + px(bottom) + "\" x2=\"" +
           px(x_of(v)) + "\" y2=\"" + px(bottom + 4) + "\"/><text x=\"" + px(x_of(v)) + "\" y=\"" +
           px(bottom + 16) + "\" text-anchor=\"middle\">" + tick_label(v, x_step) + "</text>";
  }
  out += "<text x=\"" + px(kLeft + plot_w) + "\" y=\"" + px(bottom + 28) +
         "\" text-anchor=\"end\">latency (ms)</text><text transform=\"rotate(-90)\" x=\"" +
         px(-(top + kPlotH / 2)) + "\" y=\"11\" text-anchor=\"middle\">samples</text></g>";
  for (std::size_t i = 0; i < bins; ++i) {
    if (counts[i] == 0) {
      continue;
    }
    const double from = lo + bin_w * static_cast<double>(i);
    const double x0 = x_of(from) + 0.5;
    const double x1 = x_of(from + bin_w) - 0.5;
    const double c = static_cast<double>(counts[i]);
    out += "<rect class=\"hist-bar\" x=\"" + px(x0) + "\" y=\"" + px(y_of(c)) + "\" width=\"" +
           px(std::max(1.0, x1 - x0)) + "\" height=\"" + px(bottom - y_of(c)) + "\"><title>" +
           detail::number(from) + " \u2013 " + detail::number(from + bin_w) +
           " ms: " + std::to_string(counts[i]) + (counts[i] == 1 ? " sample" : " samples") +
           "</title></rect>";
  }
  out += "<line class=\"axis-line\" x1=\"" + px(kLeft) + "\" y1=\"" + px(bottom) + "\" x2=\"" +
         px(kLeft + plot_w) + "\" y2=\"" + px(bottom) + "\"/>";
  for (const auto& marker : markers) {
    const double x = x_of(marker.value);
    const double label_y = 18 + static_cast<double>(marker.row) * 13;
    out += std::string("<g><title>") + marker.name + " = " + detail::number(marker.value) +
           " ms</title><line x1=\"" + px(x) + "\" y1=\"" + px(label_y - 9) + "\" x2=\"" + px(x) +
           "\" y2=\"" + px(bottom) + "\" stroke=\"" + marker.color +
           "\" stroke-width=\"1.5\" stroke-dasharray=\"" +
           (std::string(marker.name) == "max" ? "2 2" : "none") + "\"/><text x=\"" +
           px(marker.anchor_end ? marker.x1 : marker.x0) + "\" y=\"" + px(label_y) + "\" fill=\"" +
           marker.color + "\" font-weight=\"600\"" +
           (marker.anchor_end ? " text-anchor=\"end\"" : "") + ">" + marker.name + " " +
           detail::number(marker.value) + "</text></g>";
  }
  out += "</svg><table class=\"stats\">";
  const std::pair<const char*, std::string> rows[] = {
      {"samples", std::to_string(stats.count)},     {"min", detail::number(stats.min) + " ms"},
      {"mean", detail::number(stats.mean) + " ms"}, {"p50", detail::number(stats.p50) + " ms"},
      {"p90", detail::number(stats.p90) + " ms"},   {"p99", detail::number(stats.p99) + " ms"},
      {"max", detail::number(stats.max) + " ms"}};
  for (const auto& [name, value] : rows) {
    out += std::string("<tr><td>") + name + "</td><td>" + value + "</td></tr>";
  }
  return out + "</table></div></div>";
}

// ---- scenario sections ------------------------------------------------------

std::string expectations_section(const ScenarioResult& scenario) {
  if (scenario.expectations.empty()) {
    return "";
  }
  const auto passed = std::count_if(scenario.expectations.begin(), scenario.expectations.end(),
                                    [](const auto& e) { return e.passed; });
  std::string out = "<h3>Expectations<span class=\"count\">" + std::to_string(passed) + " of " +
                    std::to_string(scenario.expectations.size()) +
                    " held</span></h3><table class=\"expect\"><thead><tr><th></th><th>"
                    "Expectation</th><th>Expected</th><th>Seen</th><th>Where</th></tr></thead>"
                    "<tbody>";
  for (const auto& expectation : scenario.expectations) {
    out += std::string("<tr class=\"") + (expectation.passed ? "pass" : "fail") +
           "\"><td class=\"mark\">" + (expectation.passed ? "\u2713" : "\u2717") + "</td><td>" +
           html_text(expectation.description) + "</td><td class=\"text expected\">" +
           html_text(expectation.expected) + "</td><td class=\"text seen\">" +
           html_text(expectation.seen) + "</td><td class=\"text where\">" +
           html_text(expectation.where) + "</td></tr>";
  }
  return out + "</tbody></table>";
}

std::string deadlocks_section(const ScenarioResult& scenario) {
  if (scenario.deadlocks.empty()) {
    return "";
  }
  std::string out = "<h3>Deadlocks<span class=\"count\">" +
                    std::to_string(scenario.deadlocks.size()) + "</span></h3>";
  for (const auto& cycle : scenario.deadlocks) {
    out += "<div class=\"deadlock\"><div class=\"head\">" +
           std::string(cycle.certain ? "Deadlock: closed wait-for cycle"
                                     : "Suspected deadlock: long wait, no closed cycle") +
           "<span>detected at " + fixed(cycle.at_s, 3) + " s, frame " +
           std::to_string(cycle.frame) + "</span></div><div class=\"members\">";
    for (std::size_t i = 0; i < cycle.members.size(); ++i) {
      out += "<span class=\"member\"><i>" + std::to_string(i + 1) + "</i>" +
             html_text(cycle.members[i]) + "</span><span class=\"to\">" +
             (i + 1 < cycle.members.size() ? "\u2192" : "\u21BA back to 1") + "</span>";
    }
    out += "</div><div class=\"mono\">" + html_text(cycle.summary) + "</div>";
    if (!cycle.text.empty()) {
      out += "<details open><summary>Full report</summary><pre>" + html_text(cycle.text) +
             "</pre></details>";
    }
    out += "</div>";
  }
  return out;
}

std::string metrics_section(const ScenarioResult& scenario) {
  if (scenario.metrics.empty()) {
    return "";
  }
  std::string out = "<h3>Metrics</h3><div class=\"metrics\">";
  for (const auto& [name, value] : scenario.metrics) {
    out += "<div class=\"metric\"><div class=\"v\">" + detail::number(value) +
           "</div><div class=\"k\">" + html_text(name) + "</div></div>";
  }
  return out + "</div>";
}

std::string logs_section(const ScenarioResult& scenario) {
  if (scenario.logs.empty()) {
    return "";
  }
  std::string out = "<h3>Process logs<span class=\"count\">last lines</span></h3>";
  for (const auto& log : scenario.logs) {
    out += "<div class=\"log\"><div class=\"head\"><b>" + html_text(log.process) + "</b> <code>" +
           html_text(log.path) + "</code></div><pre class=\"log-tail\">" +
           (log.tail.empty() ? std::string("(empty)") : html_text(log.tail)) + "</pre></div>";
  }
  return out;
}

std::string search_text(const ScenarioResult& scenario) {
  std::string text = scenario.name + " " + scenario.file;
  for (const auto& tag : scenario.tags) {
    text += " " + tag;
  }
  return lower_ascii(text);
}

std::string scenario_section(const ScenarioResult& scenario, std::size_t index,
                             const std::string& trace_link) {
  const auto status = status_name(scenario.status);
  std::string out = "<details class=\"scenario " + status + "\" id=\"scenario-" +
                    std::to_string(index) + "\" data-status=\"" + status + "\" data-search=\"" +
                    attr(search_text(scenario)) + "\"" +
                    (is_problem(scenario.status) ? " open" : "") +
                    "><summary><span class=\"chev\">\u25B6</span>" + pill(scenario.status) +
                    "<span class=\"sc-name\">" + html_text(scenario.name) + "</span>";
  if (scenario.repeat_index > 0) {
    out += "<span class=\"repeat\">repeat " + std::to_string(scenario.repeat_index) + "</span>";
  }
  out += "<span class=\"sc-file\">" + html_text(scenario.file) + "</span><span class=\"sc-dur\">" +
         detail::duration(scenario.duration_s) + "</span></summary><div class=\"sc-body\">";
  if (!scenario.failure_message.empty()) {
    const auto type = failure_kind_name(reported_failure_kind(scenario));
    out += std::string("<div class=\"failure") +
           (scenario.status == Status::kError ? " error" : "") + "\">" +
           (type.empty() ? "" : "<div class=\"ftype\">" + html_text(type) + "</div>") + "<pre>" +
           html_text(scenario.failure_message) + "</pre></div>";
  }
  out += "<div class=\"facts\"><span>file <b>" + html_text(scenario.file) +
         "</b></span><span>seed <b>" + std::to_string(scenario.seed) +
         "</b></span><span>repeat <b>" + std::to_string(scenario.repeat_index) + "</b></span>";
  if (!scenario.tags.empty()) {
    out += "<span>tags " + tag_list(scenario.tags) + "</span>";
  }
  if (!trace_link.empty()) {
    out += "<span>trace <a href=\"" + attr(trace_link) + "\">" + html_text(trace_link) +
           "</a> (open in Perfetto or chrome://tracing)</span>";
  }
  out += "</div>";
  out += expectations_section(scenario);
  out += deadlocks_section(scenario);
  out += "<h3>Timeline<span class=\"count\">" + std::to_string(scenario.timeline.size()) +
         (scenario.timeline.size() == 1 ? " event" : " events") + "</span></h3>" +
         timeline_section(scenario, index);
  if (!scenario.latencies.empty()) {
    out += "<h3>Latencies</h3><div class=\"lat-grid\">";
    for (const auto& series : scenario.latencies) {
      out += latency_card(series);
    }
    out += "</div>";
  }
  out += metrics_section(scenario);
  out += logs_section(scenario);
  return out + "</div></details>";
}

// ---- page -------------------------------------------------------------------

// What the table of scenarios does not show: the run was interrupted, the
// selection left scenarios out.
std::string run_notes(const SuiteResult& suite) {
  std::string notes;
  if (!suite.interrupted_by.empty()) {
    notes += "<p class=\"interrupted\">Interrupted by " + html_text(suite.interrupted_by) +
             ": the scenarios after it did not run.</p>";
  }
  for (const auto& excluded : suite.excluded) {
    notes += "<p class=\"excluded\">" + html_text(describe(excluded)) + "</p>";
  }
  return notes.empty() ? notes : "<div class=\"panel notes\">" + notes + "</div>";
}

std::string summary_table(const SuiteResult& suite) {
  std::string out =
      "<div class=\"panel\"><table class=\"summary\"><thead><tr><th class=\"num\">#</th><th>"
      "Scenario</th><th>Status</th><th class=\"num\">Duration</th><th>Tags</th><th>Failure"
      "</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < suite.scenarios.size(); ++i) {
    const auto& scenario = suite.scenarios[i];
    const auto status = status_name(scenario.status);
    out += "<tr data-status=\"" + status + "\" data-search=\"" + attr(search_text(scenario)) +
           "\"" + (is_problem(scenario.status) ? " class=\"problem\"" : "") +
           "><td class=\"num\">" + std::to_string(i + 1) + "</td><td><a href=\"#scenario-" +
           std::to_string(i + 1) + "\">" + html_text(scenario.name) + "</a>" +
           (scenario.repeat_index > 0 ? " <span class=\"repeat\">repeat " +
                                            std::to_string(scenario.repeat_index) + "</span>"
                                      : "") +
           "<div class=\"file\">" + html_text(scenario.file) + "</div></td><td>" +
           pill(scenario.status) + "</td><td class=\"num\">" + scenario_duration(scenario) +
           "</td><td>" + tag_list(scenario.tags) + "</td><td class=\"msg " + status +
           "\" title=\"" + attr(scenario.failure_message) + "\">" +
           html_text(first_line(scenario.failure_message)) + "</td></tr>";
  }
  if (suite.scenarios.empty()) {
    out += "<tr><td colspan=\"6\" class=\"empty\">No scenarios ran.</td></tr>";
  }
  return out + "</tbody></table></div>";
}

}  // namespace

std::string to_html(const SuiteResult& suite, const HtmlOptions& options) {
  const std::size_t total = suite.scenarios.size();
  const std::size_t passed = suite.count(Status::kPassed);
  const std::size_t failed = suite.count(Status::kFailed);
  const std::size_t errors = suite.count(Status::kError);
  const std::size_t skipped = suite.count(Status::kSkipped);
  const bool bad = failed + errors > 0;

  std::string title = suite.name + " \u2014 ";
  title += bad ? std::to_string(failed + errors) + " of " + std::to_string(total) + " failed"
               : std::to_string(passed) + " of " + std::to_string(total) + " passed";

  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // The report must never reach out: no fonts, images or scripts from
      // anywhere but this file, even if a log tail smuggles markup in.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
      "<title>" +
      html_text(title) + "</title><style>" + std::string(kSuiteReportStyle) +
      "</style></head><body>";

  out += "<header class=\"top\"><div class=\"wrap\"><h1>" + html_text(suite.name) +
         std::string(" <span class=\"verdict ") + (bad ? "bad\">FAILED" : "good\">PASSED") +
         "</span></h1><div class=\"meta\">";
  if (!suite.started_at.empty()) {
    out += "<span>started <b>" + html_text(suite.started_at) + "</b></span>";
  }
  out += "<span>took <b>" + detail::duration(suite.duration_s) + "</b></span>";
  if (!suite.hostname.empty()) {
    out += "<span>on <b>" + html_text(suite.hostname) + "</b></span>";
  }
  if (!suite.command_line.empty()) {
    out += "<span><code>" + html_text(suite.command_line) + "</code></span>";
  }
  out += "</div></div></header><div class=\"wrap\">";

  const auto card = [](const char* cls, const char* label, std::string value, bool zero) {
    return std::string("<div class=\"card ") + cls + (zero ? " zero" : "") +
           "\"><div class=\"n\">" + value + "</div><div class=\"l\">" + label + "</div></div>";
  };
  out += "<section class=\"cards\">" + card("total", "Scenarios", std::to_string(total), false) +
         card("passed", "Passed", std::to_string(passed), passed == 0) +
         card("failed", "Failed", std::to_string(failed), failed == 0) +
         card("error", "Errors", std::to_string(errors), errors == 0) +
         card("skipped", "Skipped", std::to_string(skipped), skipped == 0) +
         card("time", "Duration", detail::duration(suite.duration_s), false) + "</section>";
  out += "<div class=\"bar\" title=\"passed / failed / errors / skipped\">";
  for (const auto& [cls, n] : {std::pair{"passed", passed}, std::pair{"failed", failed},
                               std::pair{"error", errors}, std::pair{"skipped", skipped}}) {
    if (n > 0) {
      out += std::string("<span class=\"") + cls + "\" style=\"flex:" + std::to_string(n) +
             "\"></span>";
    }
  }
  out += "</div>";

  out += "<nav class=\"toolbar\" hidden><button data-filter=\"all\">All " + std::to_string(total) +
         "</button><button data-filter=\"problems\">Failed &amp; errors " +
         std::to_string(failed + errors) + "</button><button data-filter=\"passed\">Passed " +
         std::to_string(passed) + "</button><button data-filter=\"skipped\">Skipped " +
         std::to_string(skipped) +
         "</button><input id=\"filter-text\" type=\"search\" placeholder=\"Filter by name, file "
         "or tag\" aria-label=\"Filter scenarios\"><span class=\"spacer\"></span><span "
         "class=\"shown\" id=\"shown\"></span><button id=\"expand-all\">Expand all</button>"
         "<button id=\"collapse-all\">Collapse all</button></nav>";
  out += run_notes(suite);
  out += summary_table(suite);

  out += "<h2>Scenarios</h2><main>";
  const auto trace_names =
      options.trace_dir.empty() ? std::vector<std::string>() : trace_file_names(suite);
  for (std::size_t i = 0; i < suite.scenarios.size(); ++i) {
    const std::string link = trace_names.empty() ? "" : options.trace_dir + "/" + trace_names[i];
    out += scenario_section(suite.scenarios[i], i + 1, link);
  }
  out +=
      "</main><footer>Generated by Understudy. Hover timeline events and histogram bars for "
      "details.<br>The engines under test run any code a connected client sends (the RPyC "
      "root's <code>execute</code>, netrefs into the engine): they listen on 127.0.0.1 (or a "
      "Unix socket of mode 0600) unless a scenario says otherwise, so only this machine's "
      "users can reach them. See SECURITY.md.</footer></div><script>" +
      std::string(kScript) + "</script></body></html>\n";
  return out;
}

void write_html(const SuiteResult& suite, const std::filesystem::path& path,
                const HtmlOptions& options) {
  detail::write_file(path, to_html(suite, options));
}

}  // namespace understudy::reports
