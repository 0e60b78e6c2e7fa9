#include "harness/run/scenario_record.h"

#include <utility>

#include "harness/run/run_failures.h"

namespace understudy::harness {

ScenarioRecord::ScenarioRecord(std::function<std::string()> engine_log_hint)
    : started_(Clock::now()), engine_log_hint_(std::move(engine_log_hint)) {}

void ScenarioRecord::timeline(std::string kind, std::string name, std::string track,
                              double duration, std::string outcome,
                              std::map<std::string, std::string> args) {
  result_.timeline.push_back({std::move(kind), std::move(name), std::move(track),
                              now_s() - duration, duration, std::move(outcome), std::move(args)});
}

void ScenarioRecord::latency(const std::string& series, double value_ms) {
  for (auto& s : result_.latencies) {
    if (s.name == series) {
      s.samples_ms.push_back(value_ms);
      return;
    }
  }
  result_.latencies.push_back({series, {value_ms}});
}

void ScenarioRecord::pass(const Step& step, const std::string& expected, const std::string& seen) {
  result_.expectations.push_back({step.title, true, expected, seen, step.where.text()});
}

void ScenarioRecord::fail(const Step& step, const std::string& expected, const std::string& seen,
                          reports::FailureKind kind) {
  throw StepFailure{
      {step.title, false, expected, seen, step.where.text() + "; " + engine_log_hint_()}, kind, {}};
}

}  // namespace understudy::harness
