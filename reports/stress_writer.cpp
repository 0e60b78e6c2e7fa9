#include "reports/stress_writer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "reports/detail/text.h"

namespace understudy::reports {

using detail::escape_xml;
using detail::fixed;
using detail::html_text;
using detail::number;
using nlohmann::json;

namespace {

json to_json(const StressPathResult& p) {
  json distribution = json::array();
  for (const auto& point : p.distribution) {
    distribution.push_back({{"quantile", point.quantile}, {"ms", point.ms}});
  }
  return {{"name", p.name},
          {"direction", p.direction},
          {"mode", p.mode},
          {"calls", p.calls},
          {"ok", p.ok},
          {"errors", p.errors},
          {"timeouts", p.timeouts},
          {"disconnected", p.disconnected},
          {"in_flight_at_end", p.in_flight_at_end},
          {"per_second", p.per_second},
          {"latency_ms",
           {{"mean", p.mean_ms},
            {"p50", p.p50_ms},
            {"p90", p.p90_ms},
            {"p99", p.p99_ms},
            {"p99.9", p.p999_ms},
            {"max", p.max_ms}}},
          {"from_send_ms", {{"p50", p.sent_p50_ms}, {"p99", p.sent_p99_ms}}},
          {"distribution", distribution}};
}

json to_json(const StressStep& s) {
  json paths = json::array();
  for (const auto& p : s.paths) {
    paths.push_back(to_json(p));
  }
  json step = {{"target", s.target},
               {"clients", s.clients},
               {"processes", s.processes},
               {"seconds", s.seconds},
               {"total_per_second", s.total_per_second},
               {"paths", paths},
               {"registration_seconds", s.registration_seconds},
               {"memory",
                {{"rss_before_bytes", s.rss_before_bytes},
                 {"rss_registered_bytes", s.rss_registered_bytes},
                 {"per_client_bytes", s.memory_per_client_bytes},
                 {"threads_before", s.threads_before},
                 {"threads_registered", s.threads_registered},
                 {"fds_before", s.fds_before},
                 {"fds_registered", s.fds_registered}}},
               {"target_cpu_seconds", s.target_cpu_seconds},
               {"target_cpu_wait_seconds", s.target_cpu_wait_seconds},
               {"machine_busy", s.machine_busy},
               {"warnings", s.warnings},
               {"error_examples", s.error_examples},
               {"log_dir", s.log_dir}};
  if (s.has_frames) {
    step["frames"] = {{"frames", s.frames.frames},
                      {"work_p50_ms", s.frames.work_p50_ms},
                      {"work_p90_ms", s.frames.work_p90_ms},
                      {"work_p99_ms", s.frames.work_p99_ms},
                      {"work_max_ms", s.frames.work_max_ms},
                      {"lateness_p99_ms", s.frames.lateness_p99_ms},
                      {"lateness_max_ms", s.frames.lateness_max_ms},
                      {"late_frames", s.frames.late_frames}};
  }
  return step;
}

std::string ms(double value) {
  if (value >= 1000) {
    return fixed(value / 1000, 2) + " s";
  }
  if (value >= 1) {
    return fixed(value, 2) + " ms";
  }
  return fixed(value * 1000, 1) + " us";
}

std::string mib(double bytes) {
  return fixed(bytes / (1024.0 * 1024.0), 1) + " MiB";
}

constexpr std::string_view kStressReportStyle = R"(
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bad:#dc2626;--warn:#b45309;--ok:#15803d}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.muted{color:var(--muted)}code{font-size:12px;background:#f3f4f6;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:right;white-space:nowrap}
th:first-child,td:first-child,th.l,td.l{text-align:left}
.warn{color:var(--warn)}.bad{color:var(--bad);font-weight:600}.good{color:var(--ok)}
ul.warnings li{color:var(--warn)}
svg{background:#fafafa;border:1px solid var(--line);border-radius:4px}
svg text{font:11px system-ui,sans-serif;fill:#374151}
)";

const std::vector<std::string> kColours{"#2563eb", "#dc2626", "#16a34a", "#9333ea",
                                        "#ea580c", "#0891b2", "#4b5563"};

// Throughput against client count, one line per target.
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
  const double w = 640;
  const double hgt = 260;
  const double left = 70;
  const double bottom = 30;
  const double right = 20;
  const double topm = 16;
  const std::vector<int> xs(counts.begin(), counts.end());
  auto x_of = [&](int clients) {
    const auto i = std::find(xs.begin(), xs.end(), clients) - xs.begin();
    return left + (w - left - right) * static_cast<double>(i) / static_cast<double>(xs.size() - 1);
  };
  auto y_of = [&](double v) { return topm + (hgt - topm - bottom) * (1 - v / (top * 1.1)); };
  std::string svg = "<svg width=\"" + fixed(w, 0) + "\" height=\"" + fixed(hgt, 0) +
                    "\" role=\"img\" aria-label=\"throughput against client count\">";
  for (int g = 0; g <= 4; ++g) {
    const double v = top * 1.1 * g / 4;
    svg += "<line x1=\"" + fixed(left, 0) + "\" x2=\"" + fixed(w - right, 0) + "\" y1=\"" +
           fixed(y_of(v), 1) + "\" y2=\"" + fixed(y_of(v), 1) + "\" stroke=\"#e5e7eb\"/>";
    svg += "<text x=\"" + fixed(left - 6, 0) + "\" y=\"" + fixed(y_of(v) + 4, 1) +
           "\" text-anchor=\"end\">" + number(std::round(v)) + "</text>";
  }
  for (const int c : xs) {
    svg += "<text x=\"" + fixed(x_of(c), 1) + "\" y=\"" + fixed(hgt - 10, 0) +
           "\" text-anchor=\"middle\">" + std::to_string(c) + " clients</text>";
  }
  std::size_t colour = 0;
  for (const auto& [target, points] : lines) {
    std::string path;
    for (const auto& [clients, value] : points) {
      path += (path.empty() ? "M" : " L") + fixed(x_of(clients), 1) + " " + fixed(y_of(value), 1);
      svg += "<circle cx=\"" + fixed(x_of(clients), 1) + "\" cy=\"" + fixed(y_of(value), 1) +
             "\" r=\"3\" fill=\"" + kColours[colour % kColours.size()] + "\"/>";
    }
    svg += "<path d=\"" + path + "\" fill=\"none\" stroke-width=\"2\" stroke=\"" +
           kColours[colour % kColours.size()] + "\"/>";
    svg += "<text x=\"" + fixed(left + 8, 0) + "\" y=\"" +
           fixed(topm + 12 + 14 * static_cast<double>(colour), 0) +
           "\" style=\"fill:" + kColours[colour % kColours.size()] + "\">" + html_text(target) +
           " (calls/s)</text>";
    ++colour;
  }
  return svg + "</svg>";
}

// Latency against quantile (log scale), one line per path of a step.
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
  const double w = 640;
  const double hgt = 240;
  const double left = 70;
  const double bottom = 30;
  const double right = 20;
  const double topm = 10;
  const double l0 = std::floor(std::log10(lo));
  const double l1 = std::ceil(std::log10(hi));
  const double span = std::max(1.0, l1 - l0);
  // x: -log10(1 - q), so 0.5, 0.9, 0.99, 0.999 are evenly spaced.
  auto x_of = [&](double q) {
    const double nines = std::min(4.0, -std::log10(std::max(1e-4, 1 - q)));
    return left + (w - left - right) * (nines - std::log10(2.0)) / (4.0 - std::log10(2.0));
  };
  auto y_of = [&](double v) {
    return topm + (hgt - topm - bottom) * (1 - (std::log10(std::max(v, lo)) - l0) / span);
  };
  std::string svg = "<svg width=\"" + fixed(w, 0) + "\" height=\"" + fixed(hgt, 0) +
                    "\" role=\"img\" aria-label=\"latency distribution\">";
  for (double l = l0; l <= l1; ++l) {
    const double v = std::pow(10.0, l);
    svg += "<line x1=\"" + fixed(left, 0) + "\" x2=\"" + fixed(w - right, 0) + "\" y1=\"" +
           fixed(y_of(v), 1) + "\" y2=\"" + fixed(y_of(v), 1) + "\" stroke=\"#e5e7eb\"/>";
    svg += "<text x=\"" + fixed(left - 6, 0) + "\" y=\"" + fixed(y_of(v) + 4, 1) +
           "\" text-anchor=\"end\">" + ms(v) + "</text>";
  }
  for (const double q : {0.5, 0.9, 0.99, 0.999, 0.9999}) {
    svg += "<text x=\"" + fixed(x_of(q), 1) + "\" y=\"" + fixed(hgt - 10, 0) +
           "\" text-anchor=\"middle\">p" + number(q * 100) + "</text>";
  }
  std::size_t colour = 0;
  for (const auto& p : step.paths) {
    std::string path;
    for (const auto& point : p.distribution) {
      path += (path.empty() ? "M" : " L") + fixed(x_of(point.quantile), 1) + " " +
              fixed(y_of(point.ms), 1);
    }
    if (!path.empty()) {
      const auto& c = kColours[colour % kColours.size()];
      svg += "<path d=\"" + path + "\" fill=\"none\" stroke-width=\"2\" stroke=\"" + c + "\"/>";
      svg += "<text x=\"" + fixed(left + 8, 0) + "\" y=\"" +
             fixed(topm + 12 + 14 * static_cast<double>(colour), 0) + "\" style=\"fill:" + c +
             "\">" + html_text(p.name) + "</text>";
    }
    ++colour;
  }
  return svg + "</svg>";
}

std::string path_table(const StressStep& step) {
  std::string t =
      "<table><tr><th>path</th><th class=l>direction</th><th class=l>mode</th><th>calls</th>"
      "<th>calls/s</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>"
      "<th>p50 / p99 from send</th><th>errors</th><th>timeouts</th><th>disconnected</th></tr>";
  for (const auto& p : step.paths) {
    t += "<tr><td>" + html_text(p.name) + "</td><td class=l>" + html_text(p.direction) +
         "</td><td class=l>" + html_text(p.mode) + "</td><td>" + std::to_string(p.calls) +
         "</td><td>" + number(std::round(p.per_second)) + "</td><td>" + ms(p.p50_ms) + "</td><td>" +
         ms(p.p90_ms) + "</td><td>" + ms(p.p99_ms) + "</td><td>" + ms(p.p999_ms) + "</td><td>" +
         ms(p.max_ms) + "</td><td>" + ms(p.sent_p50_ms) + " / " + ms(p.sent_p99_ms) + "</td><td" +
         (p.errors ? " class=bad" : "") + ">" + std::to_string(p.errors) + "</td><td" +
         (p.timeouts ? " class=bad" : "") + ">" + std::to_string(p.timeouts) + "</td><td" +
         (p.disconnected ? " class=bad" : "") + ">" + std::to_string(p.disconnected) + "</td></tr>";
  }
  return t + "</table>";
}

}  // namespace

std::string stress_to_json(const StressReport& report) {
  json steps = json::array();
  for (const auto& s : report.steps) {
    steps.push_back(to_json(s));
  }
  json comparisons = json::array();
  for (const auto& c : report.comparisons) {
    comparisons.push_back({{"clients", c.clients},
                           {"what", c.what},
                           {"baseline", c.baseline},
                           {"engine", c.engine},
                           {"base", c.base},
                           {"unit", c.unit},
                           {"ratio", c.ratio}});
  }
  return json{{"kind", "understudy stress"},
              {"command_line", report.command_line},
              {"settings", report.settings},
              {"failed", report.failed},
              {"warnings", report.warnings},
              {"comparisons", comparisons},
              {"steps", steps}}
      .dump(2, ' ', false, json::error_handler_t::replace);
}

std::string stress_to_html(const StressReport& report) {
  std::string page =
      "<!doctype html><html lang=en><head><meta charset=utf-8>"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\"><title>understudy stress</title><style>" +
      std::string(kStressReportStyle) + "</style></head><body>";
  page += "<h1>understudy stress</h1><p class=muted><code>" + html_text(report.command_line) +
          "</code><br>" + html_text(report.settings) + "</p>";
  if (!report.warnings.empty()) {
    page += "<ul class=warnings>";
    for (const auto& w : report.warnings) {
      page += "<li>" + html_text(w) + "</li>";
    }
    page += "</ul>";
  }
  if (!report.comparisons.empty()) {
    page +=
        "<h2>Against the baselines</h2><table><tr><th>clients</th><th class=l>figure</th>"
        "<th>engine</th><th class=l>baseline</th><th>baseline</th><th>engine / baseline</th></tr>";
    for (const auto& c : report.comparisons) {
      const auto value = [&](double v) { return c.unit == "ms" ? ms(v) : number(std::round(v)); };
      page += "<tr><td>" + std::to_string(c.clients) + "</td><td class=l>" + html_text(c.what) +
              "</td><td>" + value(c.engine) + "</td><td class=l>" + html_text(c.baseline) +
              "</td><td>" + value(c.base) + "</td><td>" + fixed(c.ratio, 2) + "</td></tr>";
    }
    page += "</table>";
  }
  if (const auto chart = throughput_chart(report); !chart.empty()) {
    page += "<h2>Throughput against client count</h2>" + chart;
  }
  for (const auto& s : report.steps) {
    page += "<h2>" + html_text(s.target) + ", " + std::to_string(s.clients) + " client" +
            (s.clients == 1 ? "" : "s") +
            (s.processes ? " in " + std::to_string(s.processes) + " processes" : "") + "</h2>";
    page += "<p>" + fixed(s.seconds, 1) + " s of load, " + number(std::round(s.total_per_second)) +
            " calls/s in all";
    if (s.registration_seconds > 0) {
      page += "; all registered in " + fixed(s.registration_seconds, 2) + " s";
    }
    if (s.rss_before_bytes > 0) {
      page += "; memory " + mib(static_cast<double>(s.rss_before_bytes)) + " before, " +
              mib(static_cast<double>(s.rss_registered_bytes)) + " with every client (" +
              fixed(s.memory_per_client_bytes / 1024.0, 1) + " KiB per client), threads " +
              std::to_string(s.threads_before) + " -> " + std::to_string(s.threads_registered) +
              ", file descriptors " + std::to_string(s.fds_before) + " -> " +
              std::to_string(s.fds_registered);
    }
    if (s.target_cpu_seconds > 0) {
      page += "; its CPU " + fixed(s.target_cpu_seconds, 2) + " s, its threads' waits for a CPU " +
              fixed(s.target_cpu_wait_seconds, 2) + " s; machine " +
              fixed(s.machine_busy * 100, 0) + "% busy";
    }
    page += ".</p>";
    if (s.has_frames) {
      page += "<p>Frames under the load: " + std::to_string(s.frames.frames) + ", work p50 " +
              ms(s.frames.work_p50_ms) + ", p90 " + ms(s.frames.work_p90_ms) + ", p99 " +
              ms(s.frames.work_p99_ms) + ", max " + ms(s.frames.work_max_ms) +
              "; start lateness p99 " + ms(s.frames.lateness_p99_ms) + ", max " +
              ms(s.frames.lateness_max_ms) + "; " + std::to_string(s.frames.late_frames) +
              " late by more than a frame.</p>";
    }
    page += path_table(s) + distribution_chart(s);
    if (!s.warnings.empty()) {
      page += "<ul class=warnings>";
      for (const auto& w : s.warnings) {
        page += "<li>" + html_text(w) + "</li>";
      }
      page += "</ul>";
    }
    if (!s.error_examples.empty()) {
      page += "<h3>Errors (first of each kind)</h3><ul>";
      for (const auto& e : s.error_examples) {
        page += "<li><code>" + html_text(e) + "</code></li>";
      }
      page += "</ul>";
    }
    if (!s.log_dir.empty()) {
      page += "<p class=muted>Logs: <code>" + html_text(s.log_dir) + "</code></p>";
    }
  }
  page +=
      "<p class=muted>The engine and the plain server under load run any code a client sends "
      "(<code>execute</code>, netrefs); they listened on 127.0.0.1 only. See SECURITY.md.</p>";
  return page + "</body></html>\n";
}

void write_stress_reports(const StressReport& report, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  detail::write_file(dir / "stress.json", stress_to_json(report));
  detail::write_file(dir / "stress.html", stress_to_html(report));
}

}  // namespace understudy::reports
