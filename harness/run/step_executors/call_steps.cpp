#include "harness/run/step_executors/call_steps.h"

#include <algorithm>
#include <utility>

#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/run/deadlock_explanation.h"
#include "harness/run/run_failures.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

protocol::CallRequest call_request(const Step& step) {
  protocol::CallRequest call;
  call.client = step.params.value("client", std::string());
  call.service = step.params.value("service", std::string());
  call.args = step.params.value("args", json::array());
  call.path = step.params.value("path", protocol::CallPath::kSync);
  if (step.params.contains("timeout")) {
    call.timeout_s = step.params["timeout"].get<double>();
  }
  return call;
}

std::string replaced(std::string text, std::string_view key, const std::string& value) {
  for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
    text.replace(pos, key.size(), value);
    pos += value.size();
  }
  return text;
}

}  // namespace

void CallSteps::call(const Step& step) {
  auto& control = run_.control();
  // `count` repeats the call (each checked), e.g. to gather latency samples.
  const int count = step.params.value("count", 1);
  for (int i = 0; i < count; ++i) {
    const auto events_from = control.event_count();
    const auto call = call_request(step);
    check_call(step, call, control.send_call(call), run_.record.now_s(), events_from);
  }
}

void CallSteps::start_call(const Step& step) {
  const double begun = run_.record.now_s();
  auto& control = run_.control();
  const auto events_from = control.event_count();
  const auto call = call_request(step);
  pending_calls_[step.params.value("label", step.title)] = {control.send_call(call), begun, call,
                                                            events_from};
}

void CallSteps::await_call(const Step& step) {
  const auto label = step.params.value("label", std::string());
  const auto it = pending_calls_.find(label);
  if (it == pending_calls_.end()) {
    throw ScenarioError("await_call at " + step.where.text() + " names call '" + label +
                        "', which no start_call started");
  }
  check_call(step, it->second.call, it->second.id, it->second.begun, it->second.events_from);
  pending_calls_.erase(it);
}

void CallSteps::python(const Step& step) {
  const double begun = run_.record.now_s();
  auto& control = run_.control();
  const auto code = with_placeholders(step.params.get<std::string>());
  // The code runs on the main thread: a cycle through it and a client
  // is one its own calls closed.
  auto run = [&] {
    const auto events_from = control.event_count();
    return python_result(await_engine(
        step, control.send_python(code), kEngineCodeTimeout, events_from, [](const json& edge) {
          return edge.value("target", std::string()).starts_with("client:");
        }));
  };
  auto response = run();
  // With expect.within_s the code is re-run until its value is the one
  // expected (state that settles: messages still arriving, ...);
  // check_outcome then judges the last answer.
  if (step.expect.within_s && step.expect.value) {
    bool first = true;  // the answer above is the first check's
    (void)poll_until(
        [&] {
          if (!std::exchange(first, false)) {
            response = run();
          }
          return response.ok() && response.value == *step.expect.value;
        },
        "the python step's value", {}, seconds_as_ms(*step.expect.within_s), kControlPollInterval);
  }
  check_outcome(step, response, run_.record.now_s() - begun);
}

// Engine-side code may name files beside the scenario as {scenario_dir}/...,
// and files of PfU's package as {pfu_package}/...
std::string CallSteps::with_placeholders(std::string code) const {
  code = replaced(std::move(code), "{scenario_dir}",
                  std::filesystem::absolute(run_.scenario.file).parent_path().string());
  if (run_.settings.pfu_package) {
    code = replaced(std::move(code), kPfuPackagePlaceholder, run_.settings.pfu_package->string());
  } else if (code.find(kPfuPackagePlaceholder) != std::string::npos) {
    throw ScenarioError(
        "the code names {pfu_package}, but no PfU package was given "
        "(--pfu-package)");
  }
  return code;
}

void CallSteps::check_call(const Step& step, const protocol::CallRequest& call, std::int64_t id,
                           double begun, std::size_t events_from) {
  auto& record = run_.record;
  const double limit = call.timeout_s.value_or(run_.scenario.engine.call_timeout) + 15.0;
  const auto& client = call.client;
  const auto& service = call.service;
  // The main thread's wait for this call: main -> client:NAME#N (service).
  const auto result =
      call_result(await_engine(step, id, seconds_as_ms(limit), events_from, [&](const json& edge) {
        const auto target = edge.value("target", std::string());
        return target.starts_with("client:" + client + "#") &&
               edge.value("what", std::string()) == service;
      }));
  // An answer without timings (a refused call) took what the harness saw.
  const bool timed = result.finished_frame > 0 || result.elapsed_s > 0;
  const double elapsed = timed ? result.elapsed_s : record.now_s() - begun;
  const auto path = std::string(protocol::call_path_name(call.path));
  record.latency(path + " call", elapsed * 1000.0);
  record.result().timeline.push_back(
      {"call",
       path + " call " + client + "." + service,
       call.path == protocol::CallPath::kSync ? "main" : "harness",
       record.now_s() - elapsed,
       elapsed,
       std::string(protocol::call_outcome_name(result.kind)),
       {{"frames", std::to_string(
                       static_cast<std::int64_t>(result.finished_frame - result.started_frame))}}});
  // A client that went away mid-call, unexpectedly: say how its process ended.
  std::string message;
  if (result.kind == protocol::CallOutcomeKind::kDisconnected &&
      step.expect.outcome.value_or("ok") != "disconnected") {
    if (const auto ended = run_.clients.how_newest_ended(client)) {
      message = result.message + "; " + *ended;
    }
  }
  check_outcome(step, result, elapsed, message);
}

// Waits up to `limit` for the engine's answer to request `id`. Unless the
// step expects a timeout or a deadlock, a certain deadlock reported after
// event `events_from` fails the step at once, whatever --on-deadlock says
// (with "report" the engine's call still times out as the original's
// does; the step just does not wait for it), when one of the cycle's edges
// out of the main thread is one `main_waits` accepts.
json CallSteps::await_engine(const Step& step, std::int64_t id, milliseconds limit,
                             std::size_t events_from,
                             const std::function<bool(const json&)>& main_waits) {
  auto& control = run_.control();
  const auto wanted = step.expect.outcome.value_or("ok");
  const bool expects_stall = wanted == "timeout" || wanted == "deadlock";
  auto closes_cycle = [&](const ControlEvent& e) {
    if (e.kind != "deadlock" || !e.data.value("certain", false)) {
      return false;
    }
    for (const auto& edge : e.data.value("edges", json::array())) {
      if (edge.value("waiter", std::string()) == "main" && main_waits(edge)) {
        return true;
      }
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (!expects_stall) {
      if (auto cycle = control.wait_event(closes_cycle, milliseconds(0), events_from)) {
        deadlock_failure(step, *cycle);
      }
    }
    try {
      // Short slices, so that a cycle fails the step within a frame or two.
      auto response = control.await_response(id, milliseconds(10));
      if (!expects_stall && !response.value("ok", false) &&
          call_result(response).kind == protocol::CallOutcomeKind::kDeadlock) {
        // fail-fast: the report came just before the answer.
        if (auto cycle = control.wait_event(closes_cycle, kDeadlockReportTimeout, events_from)) {
          deadlock_failure(step, *cycle);
        }
      }
      return response;
    } catch (const ControlError& e) {
      // A timeout of one slice waits on; a channel that closed or a line
      // that was no answer fails the step at once.
      const bool waiting = dynamic_cast<const ControlTimeout*>(&e) != nullptr;
      if (!waiting || !control.connected() || std::chrono::steady_clock::now() >= deadline) {
        run_.record.fail(step,
                         "the engine's answer within " +
                             text::fixed(std::chrono::duration<double>(limit).count(), 1) + " s",
                         e.what(), reports::FailureKind::kTimeout);
      }
    }
  }
}

// The step fails on a deadlock its engine call closed: the cycle in one
// line, then each client's frame in the user's code (from its stack dump),
// the engine-side frame and the ways out; the full report, with both
// sides' stacks, goes into the scenario's result with the others.
void CallSteps::deadlock_failure(const Step& step, const ControlEvent& report) {
  main_thread_stuck_ = true;
  const std::string where = "step '" + step.title + "' (" + step.where.text() + ")";
  const auto explanation = explain_deadlock(
      report.data, run_.clients.deadlock_clients(report.data, kStackDumpTimeout), where);
  // The cycle formed when its newest wait began.
  double newest_wait_s = 1e9;
  std::uint64_t formed_frame = 0;
  for (const auto& edge : report.data.value("edges", json::array())) {
    newest_wait_s = std::min(newest_wait_s, edge.value("waited_seconds", 0.0));
    formed_frame = std::max(formed_frame, edge.value("since_frame", std::uint64_t{0}));
  }
  const auto detected_frame = report.data.value("detected_frame", std::uint64_t{0});
  const double cycle_to_failure =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - report.received).count() +
      newest_wait_s;
  run_.record.result().metrics["deadlock.cycle_to_failed_step_s"] = cycle_to_failure;
  const bool fail_fast = run_.scenario.engine.on_deadlock == "fail-fast";
  const std::string seen =
      "a deadlock: " + explanation.cycle + " (reported at frame " + std::to_string(detected_frame) +
      ", " + std::to_string(detected_frame - formed_frame) +
      " frames after the cycle formed; the step failed " + text::fixed(cycle_to_failure, 3) +
      " s after it formed, " +
      (fail_fast ? "as the engine failed the call"
                 : "not waiting for the call's timeout, which the engine still waits out") +
      ")";
  throw StepFailure{{step.title, false, "outcome " + step.expect.outcome.value_or("ok"), seen,
                     step.where.text() + "; " + run_.engine.log_hint()},
                    reports::FailureKind::kDeadlock,
                    explanation.text("    ")};
}

void CallSteps::check_outcome(const Step& step, const protocol::CallResult& result, double elapsed,
                              std::string message) {
  auto& record = run_.record;
  const auto& expect = step.expect;
  const auto outcome = std::string(protocol::call_outcome_name(result.kind));
  if (message.empty() && !result.ok()) {
    message = result.message;
  }
  const std::string wanted = expect.outcome.value_or("ok");
  if (outcome != wanted) {
    record.fail(step, "outcome " + wanted,
                "outcome " + outcome + (message.empty() ? "" : ": " + message),
                outcome == "timeout"    ? reports::FailureKind::kTimeout
                : outcome == "deadlock" ? reports::FailureKind::kDeadlock
                                        : reports::FailureKind::kExpectation);
  }
  if (expect.min_s && elapsed < *expect.min_s) {
    record.fail(step, "it to take at least " + text::fixed(*expect.min_s, 3) + " s",
                "it took " + text::fixed(elapsed, 3) + " s");
  }
  if (expect.max_s && elapsed > *expect.max_s) {
    record.fail(step, "it to take at most " + text::fixed(*expect.max_s, 3) + " s",
                "it took " + text::fixed(elapsed, 3) + " s");
  }
  if (expect.message_contains && message.find(*expect.message_contains) == std::string::npos) {
    record.fail(step, "an error message containing '" + *expect.message_contains + "'",
                "'" + message + "'");
  }
  if (expect.value) {
    const json value = result.ok() ? result.value : json();
    if (value != *expect.value) {
      record.fail(step, "value " + expect.value->dump(), "value " + value.dump());
    }
  }
  record.pass(step, "outcome " + wanted,
              "outcome " + outcome + " after " + text::fixed(elapsed, 3) + " s");
}

}  // namespace understudy::harness
