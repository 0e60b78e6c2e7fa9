#include "harness/run/step_executors/latency_and_count_steps.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "common/deadline.h"
#include "common/percentile_summary.h"
#include "common/text_format.h"
#include "harness/run/run_failures.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

// What an engine query answered; a refusal is the scenario's error.
template <class Query>
auto asked(const std::string& op, Query query) -> decltype(query()) {
  try {
    return query();
  } catch (const EngineRefusal& e) {
    throw ScenarioError("engine query '" + op + "' failed: " + e.what());
  }
}

}  // namespace

void expect_latency(StepContext& run, const Step& step) {
  auto& record = run.record;
  const auto name = step.params.value("series", std::string("sync call"));
  std::vector<double> samples;
  for (const auto& series : record.result().latencies) {
    if (series.name == name) {
      samples = series.samples_ms;
    }
  }
  const auto min_count = step.params.value("min_count", std::size_t{1});
  if (samples.empty() || samples.size() < min_count) {
    record.fail(step,
                "at least " + std::to_string(std::max<std::size_t>(min_count, 1)) +
                    " samples of '" + name + "'",
                std::to_string(samples.size()) + " samples");
  }
  // The same percentiles the reports show (common/percentile_summary.h), so that
  // a failed bound and the HTML report never disagree.
  const auto summary = summarize(samples);
  const std::string seen = "p50 " + text::fixed(summary.p50, 3) + " ms, p99 " +
                           text::fixed(summary.p99, 3) + " ms, max " + text::fixed(summary.max, 3) +
                           " ms over " + std::to_string(summary.count) + " samples";
  for (const auto& [key, value] :
       {std::pair{"p50_max_ms", summary.p50}, std::pair{"p99_max_ms", summary.p99},
        std::pair{"max_ms", summary.max}}) {
    if (step.params.contains(key) && value > step.params[key].get<double>()) {
      record.fail(step, std::string(key) + " " + text::fixed(step.params[key].get<double>(), 3),
                  seen);
    }
  }
  // A lower bound shows a cost the original has (a poll interval, a frame).
  if (step.params.contains("p50_min_ms") && summary.p50 < step.params["p50_min_ms"].get<double>()) {
    record.fail(step,
                "p50 at least " + text::fixed(step.params["p50_min_ms"].get<double>(), 3) + " ms",
                seen);
  }
  record.pass(step, "latency of '" + name + "' within bounds", seen);
}

void expect_count(StepContext& run, const Step& step, const std::string& op) {
  auto& record = run.record;
  auto& control = run.control();
  const auto wanted = step.params.value("count", 1);
  const double timeout = step.params.value("timeout", 5.0);
  int seen = -1;
  std::string detail;
  // Judged below, from the last answer.
  (void)poll_until(
      [&] {
        const auto ask_timeout = std::max(seconds_as_ms(timeout), kControlRequestTimeout);
        seen = 0;
        detail.clear();
        if (op == "world") {
          const auto label = step.params.value("label", std::string());
          const auto prefix = step.params.value("label_prefix", std::string());
          const auto cls = step.params.value("class", std::string());
          std::map<std::string, int> labels;
          const auto actors = asked(op, [&] { return control.world(ask_timeout); });
          for (const auto& actor : actors) {
            if ((label.empty() || actor.label == label) &&
                (prefix.empty() || actor.label.starts_with(prefix)) &&
                (cls.empty() || actor.class_name == cls)) {
              ++seen;
              ++labels[actor.label];
            }
          }
          detail = std::to_string(actors.size()) + " actors in the world";
          if (step.params.value("unique", false)) {
            for (const auto& [text, n] : labels) {
              if (n > 1) {
                record.fail(step, "each matching label exactly once",
                            "'" + text + "' " + std::to_string(n) + " times (" + detail + ")");
              }
            }
          }
        } else {
          const auto name = step.params.value("name", std::string());
          const auto registry = asked(op, [&] { return control.registry(ask_timeout); });
          seen = registry.contains(name) ? registry.at(name) : 0;
          detail = "registry " + nlohmann::json(registry).dump();
        }
        return seen == wanted;
      },
      "the count", {}, seconds_as_ms(timeout), kControlPollInterval);
  const std::string what = op == "world" ? "actors" : "connections";
  if (seen != wanted) {
    record.fail(step,
                std::to_string(wanted) + " " + what + " within " + text::fixed(timeout, 1) + " s",
                std::to_string(seen) + " (" + detail + ")");
  }
  record.pass(step, std::to_string(wanted) + " " + what, std::to_string(seen));
}

}  // namespace understudy::harness
