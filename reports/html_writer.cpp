#include "reports/html_writer.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include "reports/chrome_trace_writer.h"
#include "reports/detail/html_page.h"
#include "reports/detail/latency_histogram.h"
#include "reports/detail/report_assets.h"
#include "reports/detail/text.h"
#include "reports/detail/timeline_chart.h"

namespace understudy::reports {
namespace {

using detail::fixed;
using detail::html_attribute;
using detail::html_text;

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
    out += "<div class=\"log\"><div class=\"head\"><b>" + html_text(log.process) +
           "</b> <a href=\"" + html_attribute(detail::uri_path(log.path)) + "\"><code>" +
           html_text(log.path) + "</code></a></div><pre class=\"log-tail\">" +
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
                    html_attribute(search_text(scenario)) + "\"" +
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
    out += "<span>trace <a href=\"" + html_attribute(trace_link) + "\">" + html_text(trace_link) +
           "</a> (open in Perfetto or chrome://tracing)</span>";
  }
  out += "</div>";
  out += expectations_section(scenario);
  out += deadlocks_section(scenario);
  out += "<h3>Timeline<span class=\"count\">" + std::to_string(scenario.timeline.size()) +
         (scenario.timeline.size() == 1 ? " event" : " events") + "</span></h3>" +
         detail::timeline_chart(scenario, index);
  if (!scenario.latencies.empty()) {
    out += "<h3>Latencies</h3><div class=\"lat-grid\">";
    for (const auto& series : scenario.latencies) {
      out += detail::latency_histogram_card(series);
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
    out += "<tr data-status=\"" + status + "\" data-search=\"" +
           html_attribute(search_text(scenario)) + "\"" +
           (is_problem(scenario.status) ? " class=\"problem\"" : "") + "><td class=\"num\">" +
           std::to_string(i + 1) + "</td><td><a href=\"#scenario-" + std::to_string(i + 1) + "\">" +
           html_text(scenario.name) + "</a>" +
           (scenario.repeat_index > 0 ? " <span class=\"repeat\">repeat " +
                                            std::to_string(scenario.repeat_index) + "</span>"
                                      : "") +
           "<div class=\"file\">" + html_text(scenario.file) + "</div></td><td>" +
           pill(scenario.status) + "</td><td class=\"num\">" + scenario_duration(scenario) +
           "</td><td>" + tag_list(scenario.tags) + "</td><td class=\"msg " + status +
           "\" title=\"" + html_attribute(scenario.failure_message) + "\">" +
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

  std::string out = "<header class=\"top\"><div class=\"wrap\"><h1>" + html_text(suite.name) +
                    std::string(" <span class=\"verdict ") +
                    (bad ? "bad\">FAILED" : "good\">PASSED") + "</span></h1><div class=\"meta\">";
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
      "users can reach them. See SECURITY.md.</footer></div>";
  return detail::html_document({title, detail::kSuiteReportCss, detail::kSuiteReportJs}, out);
}

void write_html(const SuiteResult& suite, const std::filesystem::path& path,
                const HtmlOptions& options) {
  detail::write_file(path, to_html(suite, options));
}

}  // namespace understudy::reports
