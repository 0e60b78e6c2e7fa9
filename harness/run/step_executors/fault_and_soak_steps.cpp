#include "harness/run/step_executors/fault_and_soak_steps.h"

#include <algorithm>

#include "common/text_format.h"
#include "harness/faults/fault_matrix.h"
#include "harness/soak/connection_soak.h"

namespace understudy::harness {

void fault_matrix(StepContext& run, const Step& step) {
  auto& record = run.record;
  auto& result = record.result();
  const auto& p = step.params;
  FaultMatrixOptions options;
  options.spec.duration_s = p.value("duration", options.spec.duration_s);
  options.spec.faults = p.value("faults", options.spec.faults);
  options.spec.clients = p.value("clients", options.spec.clients);
  if (p.contains("kinds")) {
    options.spec.kinds.clear();
    for (const auto& kind : p["kinds"]) {
      options.spec.kinds.push_back(fault_kind_from_name(kind.get<std::string>()));
    }
  }
  options.spec.hold_s = p.value("hold_s", options.spec.hold_s);
  options.spec.pause_max_s = p.value("pause_max_s", options.spec.pause_max_s);
  options.spec.restart_after_s = p.value("restart_after_s", options.spec.restart_after_s);
  options.spec.redis_down_max_s = p.value("redis_down_max_s", options.spec.redis_down_max_s);
  options.client_name = p.value("client_name", options.client_name);
  options.client_script = p.value("script", std::string());
  options.load_interval_s = p.value("load_interval_s", options.load_interval_s);
  options.max_load_in_flight = p.value("max_in_flight", options.max_load_in_flight);
  options.settle_s = p.value("settle_s", options.settle_s);
  const bool wants_redis = std::find(options.spec.kinds.begin(), options.spec.kinds.end(),
                                     FaultKind::kRestartRedis) != options.spec.kinds.end();
  FaultMatrixHost host{run.control(),
                       [&run](const std::string& name, const std::filesystem::path& script,
                              const std::vector<std::string>& args) -> ChildProcess& {
                         return run.clients.start(name, script, args);
                       },
                       nullptr,
                       run.scenario.engine.call_timeout,
                       run.scenario.engine.tick_hz,
                       [&record] { return record.now_s(); },
                       run.settings.work_dir,
                       run.engine.log_hint()};
  if (wants_redis) {
    host.redis = &run.redis.private_server(step);
  }
  const double begun = record.now_s();
  FaultMatrix matrix(host, options, run.settings.seed);
  result.fault_schedule = matrix.schedule_text();
  auto outcome = matrix.run();
  result.timeline.insert(result.timeline.end(), outcome.timeline.begin(), outcome.timeline.end());
  for (const auto& [key, value] : outcome.metrics) {
    result.metrics[key] = value;
  }
  record.timeline("fault", "fault matrix", "harness", record.now_s() - begun, "ok");
  if (!outcome.broken.empty()) {
    std::string seen;
    for (const auto& b : outcome.broken) {
      seen += (seen.empty() ? "" : "; ") + b;
    }
    record.fail(step,
                "every invariant to hold after the fault schedule (replay it with --seed " +
                    std::to_string(run.settings.seed) + ")",
                seen);
  }
  std::string held;
  for (const auto& c : outcome.checked) {
    held += (held.empty() ? "" : "; ") + c;
  }
  record.pass(step,
              "every invariant holds after " + std::to_string(outcome.schedule.size()) + " faults",
              held);
}

void connection_soak(StepContext& run, const Step& step) {
  auto& record = run.record;
  auto& result = record.result();
  const auto& p = step.params;
  ConnectionSoakOptions options;
  options.script = p.value("script", std::string());
  options.processes = p.value("processes", options.processes);
  options.cycles = p.value("cycles", options.cycles);
  options.warmup_cycles = p.value("warmup_cycles", options.warmup_cycles);
  options.rounds = p.value("rounds", options.rounds);
  options.duration_s = p.value("duration", options.duration_s);
  options.rss_mib = p.value("rss_mib", options.rss_mib);
  options.settle_s = p.value("settle_s", options.settle_s);
  options.calls = p.value("calls", options.calls);
  ConnectionSoakHost host{run.control(),
                          run.engine.process_started().pid(),
                          [&run](const std::string& name, const std::filesystem::path& script,
                                 const std::vector<std::string>& args) -> ChildProcess& {
                            return run.clients.start(name, script, args);
                          },
                          [&record] { return record.now_s(); },
                          run.scenario.engine.call_timeout,
                          run.engine.log_hint()};
  auto outcome = ConnectionSoak(host, options).run();
  result.timeline.insert(result.timeline.end(), outcome.timeline.begin(), outcome.timeline.end());
  for (const auto& [key, value] : outcome.metrics) {
    result.metrics[key] = value;
  }
  if (!outcome.broken.empty()) {
    record.fail(step, "the engine's resources back at the baseline after every round",
                outcome.broken.front() + (outcome.summary.empty() ? "" : "; " + outcome.summary));
  }
  record.pass(step,
              "fds and threads exactly at the baseline, RSS within " +
                  text::fixed(options.rss_mib, 1) + " MiB, after every round",
              outcome.summary);
}

}  // namespace understudy::harness
