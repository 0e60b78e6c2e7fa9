#include "reports/json_writer.h"

#include <nlohmann/json.hpp>

#include "common/percentile_summary.h"
#include "reports/detail/text.h"

namespace understudy::reports {
namespace {

using nlohmann::ordered_json;

ordered_json expectation_json(const ExpectationResult& expectation) {
  return {{"description", expectation.description},
          {"passed", expectation.passed},
          {"expected", expectation.expected},
          {"seen", expectation.seen},
          {"where", expectation.where}};
}

ordered_json event_json(const TimelineEvent& event) {
  return {{"kind", event.kind},
          {"name", event.name},
          {"track", event.track},
          {"start_s", event.start_s},
          {"duration_s", event.duration_s},
          {"outcome", event.outcome},
          {"args", event.args}};
}

ordered_json deadlock_json(const DeadlockCycle& cycle) {
  return {{"certain", cycle.certain}, {"members", cycle.members}, {"summary", cycle.summary},
          {"text", cycle.text},       {"at_s", cycle.at_s},       {"frame", cycle.frame}};
}

ordered_json latency_json(const LatencySeries& series) {
  const auto summary = summarize(series.samples_ms);
  ordered_json stats = {{"count", summary.count}};
  if (summary.count > 0) {
    stats.update({{"min", summary.min},
                  {"mean", summary.mean},
                  {"p50", summary.p50},
                  {"p90", summary.p90},
                  {"p99", summary.p99},
                  {"max", summary.max}});
  }
  return {{"name", series.name}, {"samples_ms", series.samples_ms}, {"summary", stats}};
}

ordered_json excluded_json(const ExcludedScenarios& excluded) {
  return {{"reason", excluded.reason},
          {"hint", excluded.hint},
          {"names", excluded.names},
          {"summary", describe(excluded)}};
}

ordered_json log_json(const ProcessLog& log) {
  return {{"process", log.process}, {"path", log.path}, {"tail", log.tail}};
}

template <class T, class F>
ordered_json array_of(const std::vector<T>& items, F&& to_json_item) {
  ordered_json array = ordered_json::array();
  for (const auto& item : items) {
    array.push_back(to_json_item(item));
  }
  return array;
}

ordered_json scenario_json(const ScenarioResult& scenario) {
  return {{"name", scenario.name},
          {"file", scenario.file},
          {"tags", scenario.tags},
          {"status", status_name(scenario.status)},
          {"duration_s", scenario.duration_s},
          {"failure_message", scenario.failure_message},
          {"failure_type", failure_kind_name(reported_failure_kind(scenario))},
          {"repeat_index", scenario.repeat_index},
          {"seed", scenario.seed},
          {"fault_schedule", scenario.fault_schedule},
          {"expectations", array_of(scenario.expectations, expectation_json)},
          {"timeline", array_of(scenario.timeline, event_json)},
          {"deadlocks", array_of(scenario.deadlocks, deadlock_json)},
          {"latencies", array_of(scenario.latencies, latency_json)},
          {"logs", array_of(scenario.logs, log_json)},
          {"metrics", scenario.metrics}};
}

}  // namespace

std::string to_json(const SuiteResult& suite) {
  ordered_json counts;
  for (const auto status : {Status::kPassed, Status::kFailed, Status::kError, Status::kSkipped}) {
    counts[status_name(status)] = suite.count(status);
  }
  const ordered_json document = {
      {"format", "understudy-results/1"},
      {"name", suite.name},
      {"started_at", suite.started_at},
      {"duration_s", suite.duration_s},
      {"command_line", suite.command_line},
      {"hostname", suite.hostname},
      {"counts", counts},
      {"interrupted_by", suite.interrupted_by},
      {"excluded", array_of(suite.excluded, excluded_json)},
      {"scenarios", array_of(suite.scenarios, scenario_json)},
  };
  return document.dump(2, ' ', /*ensure_ascii=*/false, ordered_json::error_handler_t::replace) +
         "\n";
}

void write_json(const SuiteResult& suite, const std::filesystem::path& path) {
  detail::write_file(path, to_json(suite));
}

}  // namespace understudy::reports
