#include "harness/run/step_executors/line_load_steps.h"

#include <algorithm>
#include <map>
#include <vector>

#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/load/line_load.h"
#include "harness/timeouts.h"

namespace understudy::harness {

void LineLoadSteps::line_load(const Step& step) {
  auto& record = run_.record;
  auto& metrics = record.result().metrics;
  LineLoadOptions options;
  options.port = run_.engine.scenario_port();
  options.connections = step.params.value("connections", 1);
  options.lines_per_connection = step.params.value("lines", 10);
  options.lines_per_second = step.params.value("rate", 0.0);
  options.concurrency = step.params.value("concurrency", 256);
  options.prefix = step.params.value("prefix", std::string("line"));
  const auto report = run_line_load(options);
  // The exact labels the spawn server must turn into actors (the sender's
  // line format), for expect_lines_spawned.
  for (int c = 0; c < options.connections; ++c) {
    for (int n = 0; n < options.lines_per_connection; ++n) {
      lines_sent_.insert(options.prefix + "-" + std::to_string(c) + "-" + std::to_string(n));
    }
  }
  metrics["line_load.lines_sent"] += static_cast<double>(report.lines_sent);
  metrics["line_load.connections"] += static_cast<double>(report.connections_opened);
  metrics["line_load.seconds"] += report.seconds;
  if (report.seconds > 0 && report.lines_sent > 0) {
    metrics["line_load.lines_per_second"] = static_cast<double>(report.lines_sent) / report.seconds;
  }
  record.timeline("load", step.title, "harness", report.seconds,
                  report.connections_failed ? "error" : "ok",
                  {{"lines_sent", std::to_string(report.lines_sent)}});
  const auto wanted = static_cast<std::int64_t>(options.connections) * options.lines_per_connection;
  if (report.connections_failed > 0 || report.lines_sent != wanted) {
    std::string errors;
    for (const auto& e : report.errors) {
      errors += "; " + e;
    }
    record.fail(step,
                std::to_string(options.connections) + " connections sending " +
                    std::to_string(wanted) + " lines",
                std::to_string(report.connections_failed) + " connections failed, " +
                    std::to_string(report.lines_sent) + " lines sent" + errors);
  }
  // lines = 0 asks for connections that send nothing (a churn); that is
  // still work. No connection at all is none.
  if (options.connections <= 0 || report.connections_opened == 0) {
    record.fail(step, "connections to the spawn server",
                std::to_string(report.connections_opened) + " connections opened of " +
                    std::to_string(options.connections) + ", " + std::to_string(report.lines_sent) +
                    " lines sent");
  }
  record.pass(step, std::to_string(wanted) + " lines sent",
              std::to_string(report.lines_sent) + " lines over " +
                  std::to_string(report.connections_opened) + " connections in " +
                  text::fixed(report.seconds, 3) + " s");
}

void LineLoadSteps::expect_lines_spawned(const Step& step) {
  auto& record = run_.record;
  if (lines_sent_.empty()) {
    record.fail(step, "lines sent by line_load steps before it, each exactly one actor",
                "no line sent: 0 lines to look for");
  }
  const double timeout = step.params.value("timeout", 20.0);
  std::vector<std::string> missing;
  std::vector<std::string> doubled;
  // Judged below, from the last look at the world.
  (void)poll_until(
      [&] {
        std::map<std::string, int> labels;
        for (const auto& actor :
             run_.control().world(std::max(seconds_as_ms(timeout), kControlRequestTimeout))) {
          if (lines_sent_.contains(actor.label)) {
            ++labels[actor.label];
          }
        }
        missing.clear();
        doubled.clear();
        for (const auto& line : lines_sent_) {
          const auto it = labels.find(line);
          if (it == labels.end()) {
            missing.push_back(line);
          } else if (it->second > 1) {
            doubled.push_back(line + " x" + std::to_string(it->second));
          }
        }
        return missing.empty() && doubled.empty();
      },
      "every line sent as exactly one actor", {}, seconds_as_ms(timeout),
      kLargeControlPollInterval);
  auto first = [](const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 10; ++i) {
      text += (i ? ", " : "") + names[i];
    }
    return text + (names.size() > 10 ? ", ..." : "");
  };
  if (!missing.empty() || !doubled.empty()) {
    record.fail(step, std::to_string(lines_sent_.size()) + " lines, each exactly one actor",
                std::to_string(missing.size()) + " lines without an actor (" + first(missing) +
                    "), " + std::to_string(doubled.size()) + " with several (" + first(doubled) +
                    ")");
  }
  record.pass(step, std::to_string(lines_sent_.size()) + " lines, each exactly one actor",
              "all " + std::to_string(lines_sent_.size()) + " labels present once");
}

}  // namespace understudy::harness
