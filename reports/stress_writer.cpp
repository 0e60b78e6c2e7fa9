#include "reports/stress_writer.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/detail/html_page.h"
#include "reports/detail/report_assets.h"
#include "reports/detail/stress_charts.h"
#include "reports/detail/text.h"

namespace understudy::reports {

using detail::fixed;
using detail::html_text;
using detail::significant;
using detail::significant_ms;
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
               {"target_switches_in_per_second", s.target_switches_in_per_second},
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

std::string mib(double bytes) {
  return fixed(bytes / (1024.0 * 1024.0), 1) + " MiB";
}

std::string warning_list(const std::vector<std::string>& warnings) {
  if (warnings.empty()) {
    return "";
  }
  std::string out = "<ul class=warnings>";
  for (const auto& warning : warnings) {
    out += "<li>" + html_text(warning) + "</li>";
  }
  return out + "</ul>";
}

std::string path_table(const StressStep& step) {
  std::string t =
      "<table><tr><th>path</th><th class=l>direction</th><th class=l>mode</th><th>calls</th>"
      "<th>calls/s</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>"
      "<th>p50 / p99 from send</th><th>errors</th><th>timeouts</th><th>disconnected</th></tr>";
  for (const auto& p : step.paths) {
    t += "<tr><td>" + html_text(p.name) + "</td><td class=l>" + html_text(p.direction) +
         "</td><td class=l>" + html_text(p.mode) + "</td><td>" + std::to_string(p.calls) +
         "</td><td>" + significant(p.per_second) + "</td><td>" + significant_ms(p.p50_ms) +
         "</td><td>" + significant_ms(p.p90_ms) + "</td><td>" + significant_ms(p.p99_ms) +
         "</td><td>" + significant_ms(p.p999_ms) + "</td><td>" + significant_ms(p.max_ms) +
         "</td><td>" + significant_ms(p.sent_p50_ms) + " / " + significant_ms(p.sent_p99_ms) +
         "</td><td" + (p.errors ? " class=bad" : "") + ">" + std::to_string(p.errors) + "</td><td" +
         (p.timeouts ? " class=bad" : "") + ">" + std::to_string(p.timeouts) + "</td><td" +
         (p.disconnected ? " class=bad" : "") + ">" + std::to_string(p.disconnected) + "</td></tr>";
  }
  return t + "</table>";
}

std::string verdict_table(const StressReport& report) {
  if (report.verdicts.empty()) {
    return "";
  }
  std::string t =
      "<h2>Verdict: the engine against the plain RPyC server</h2><table><tr>"
      "<th>clients</th><th class=l>path</th><th>engine</th><th>plain RPyC</th>"
      "<th class=l>better</th></tr>";
  for (const auto& v : report.verdicts) {
    t += "<tr><td>" + std::to_string(v.clients) + "</td><td class=l>" + html_text(v.path) +
         (v.frame_bound ? " *" : "") + "</td><td>" + html_text(verdict_figure(v, v.engine)) +
         "</td><td>" + html_text(verdict_figure(v, v.plain)) + "</td><td class=l>" +
         html_text(verdict_outcome(v)) + "</td></tr>";
  }
  t += "</table>";
  for (const auto& note : report.verdict_notes) {
    t += "<p class=muted>" + html_text(note) + "</p>";
  }
  return t;
}

}  // namespace

std::string verdict_figure(const StressVerdict& verdict, double value) {
  return verdict.figure == "p50" ? "p50 " + detail::significant_ms(value)
                                 : detail::significant(value) + " calls/s";
}

std::string verdict_outcome(const StressVerdict& verdict) {
  if (verdict.better.empty()) {
    return verdict.factor > 0 ? "neither" : "neither (no call completed)";
  }
  if (verdict.factor == 0) {
    const char* other = verdict.better == "engine" ? "plain RPyC" : "the engine";
    return verdict.better + " (" + other + " completed no call)";
  }
  return verdict.better + ", " + detail::significant(verdict.factor) + "x " +
         (verdict.figure == "p50" ? "faster" : "the calls/s");
}

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
  json verdicts = json::array();
  for (const auto& v : report.verdicts) {
    verdicts.push_back({{"clients", v.clients},
                        {"path", v.path},
                        {"figure", v.figure},
                        {"engine", v.engine},
                        {"plain", v.plain},
                        {"better", v.better},
                        {"factor", v.factor},
                        {"frame_bound", v.frame_bound}});
  }
  return json{{"kind", "understudy stress"},
              {"command_line", report.command_line},
              {"settings", report.settings},
              {"failed", report.failed},
              {"warnings", report.warnings},
              {"verdicts", verdicts},
              {"verdict_notes", report.verdict_notes},
              {"comparisons", comparisons},
              {"steps", steps}}
      .dump(2, ' ', false, json::error_handler_t::replace);
}

std::string stress_to_html(const StressReport& report) {
  std::string page = "<h1>understudy stress</h1><p class=muted><code>" +
                     html_text(report.command_line) + "</code><br>" + html_text(report.settings) +
                     "</p>";
  page += warning_list(report.warnings);
  page += verdict_table(report);
  if (!report.comparisons.empty()) {
    page +=
        "<h2>Against the baselines</h2><table><tr><th>clients</th><th class=l>figure</th>"
        "<th>engine</th><th class=l>baseline</th><th>baseline</th><th>engine / baseline</th></tr>";
    for (const auto& c : report.comparisons) {
      const auto value = [&](double v) {
        return c.unit == "ms" ? significant_ms(v) : significant(v);
      };
      page += "<tr><td>" + std::to_string(c.clients) + "</td><td class=l>" + html_text(c.what) +
              "</td><td>" + value(c.engine) + "</td><td class=l>" + html_text(c.baseline) +
              "</td><td>" + value(c.base) + "</td><td>" + significant(c.ratio) + "</td></tr>";
    }
    page += "</table>";
  }
  if (const auto chart = detail::throughput_chart(report); !chart.empty()) {
    page += "<h2>Throughput against client count</h2>" + chart;
  }
  for (const auto& s : report.steps) {
    page += "<h2>" + html_text(s.target) + ", " + std::to_string(s.clients) + " client" +
            (s.clients == 1 ? "" : "s") +
            (s.processes ? " in " + std::to_string(s.processes) + " processes" : "") + "</h2>";
    page += "<p>" + fixed(s.seconds, 1) + " s of load, " + significant(s.total_per_second) +
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
              fixed(s.target_cpu_wait_seconds, 2) + " s, its threads put on a CPU " +
              fixed(s.target_switches_in_per_second, 0) + " times a second; machine " +
              fixed(s.machine_busy * 100, 0) + "% busy";
    }
    page += ".</p>";
    if (s.has_frames) {
      page += "<p>Frames under the load: " + std::to_string(s.frames.frames) + ", work p50 " +
              significant_ms(s.frames.work_p50_ms) + ", p90 " +
              significant_ms(s.frames.work_p90_ms) + ", p99 " +
              significant_ms(s.frames.work_p99_ms) + ", max " +
              significant_ms(s.frames.work_max_ms) + "; start lateness p99 " +
              significant_ms(s.frames.lateness_p99_ms) + ", max " +
              significant_ms(s.frames.lateness_max_ms) + "; " +
              std::to_string(s.frames.late_frames) + " late by more than a frame.</p>";
    }
    page += path_table(s) + detail::distribution_chart(s);
    page += warning_list(s.warnings);
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
  return detail::html_document({"understudy stress", detail::kStressReportCss, {}}, page);
}

void write_stress_reports(const StressReport& report, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  detail::write_file(dir / "stress.json", stress_to_json(report));
  detail::write_file(dir / "stress.html", stress_to_html(report));
}

}  // namespace understudy::reports
