#include "harness/run/scenario_runner.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/run/engine_error_judge.h"
#include "harness/run/engine_event_record.h"
#include "harness/run/run_failures.h"
#include "harness/run/scenario_clients.h"
#include "harness/run/scenario_engine.h"
#include "harness/run/scenario_record.h"
#include "harness/run/scenario_redis.h"
#include "harness/run/scenario_watchdog.h"
#include "harness/run/step_executors/call_steps.h"
#include "harness/run/step_executors/console_steps.h"
#include "harness/run/step_executors/fault_and_soak_steps.h"
#include "harness/run/step_executors/latency_and_count_steps.h"
#include "harness/run/step_executors/line_load_steps.h"
#include "harness/run/step_executors/publish_steps.h"
#include "harness/run/step_executors/step_context.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

// One scenario's run: starts its processes (ScenarioRedis, ScenarioEngine,
// ScenarioClients), dispatches its steps to their executors (steps/), and
// turns what stopped it (a StepFailure, a ScenarioError, the deadline, the
// engine's death) into the scenario's result, with the engine's errors
// judged and the processes' logs attached.
class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const RunSettings& settings)
      : scenario_(scenario),
        settings_(settings),
        engine_(scenario, settings),
        record_([this] { return engine_.log_hint(); }),
        redis_(scenario, settings),
        clients_(scenario, settings, engine_, redis_, record_),
        context_{scenario, settings, record_, engine_, clients_, redis_},
        calls_(context_),
        line_load_(context_),
        publishing_(context_) {
    auto& result = record_.result();
    result.name = scenario.name;
    result.file = scenario.file.string();
    result.tags = scenario.tags;
    result.repeat_index = settings.repeat_index;
    result.seed = settings.seed;
  }

  reports::ScenarioResult execute() {
    auto& result = record_.result();
    std::filesystem::create_directories(settings_.work_dir);
    // The timeout bounds the whole scenario, the step in flight included: at
    // the deadline the watchdog stops the engine, which ends every wait on it.
    ScenarioWatchdog watchdog(record_.started() + seconds_as_ms(scenario_.timeout_s),
                              [this] { on_deadline(); });
    watchdog_ = &watchdog;
    std::string during = "startup (the engine and the clients starting)";
    try {
      redis_.start(record_);
      start_engine();
      clients_.start_all();
      for (const auto& step : scenario_.steps) {
        const auto step_text = "step '" + step.title + "' (" + step.where.text() + ")";
        // Checked first: past the deadline, `during` stays the step in flight then.
        if (record_.now_s() > scenario_.timeout_s) {
          throw ScenarioError("the scenario ran longer than its timeout of " +
                                  text::fixed(scenario_.timeout_s, 1) + " s before " + step_text,
                              reports::FailureKind::kTimeout);
        }
        during = step_text;
        run_step(step);
      }
      result.status = reports::Status::kPassed;
    } catch (const StepFailure& failure) {
      result.expectations.push_back(failure.result);
      result.status = reports::Status::kFailed;
      result.failure_kind = failure.kind;
      result.failure_message = failure.result.description + ": expected " +
                               failure.result.expected + ", saw " + failure.result.seen + " (" +
                               failure.result.where + ")";
      if (!failure.explanation.empty()) {
        result.expectations.back().seen += "\n" + failure.explanation;
        result.failure_message += "\n" + failure.explanation;
        result.failure_message.pop_back();  // the explanation's last newline
      }
    } catch (const ScenarioError& e) {
      result.status = reports::Status::kError;
      result.failure_kind = e.kind;
      result.failure_message = e.what();
    } catch (const std::exception& e) {
      result.status = reports::Status::kError;
      result.failure_kind = reports::FailureKind::kHarnessError;
      result.failure_message = e.what();
    }
    watchdog.stop();
    watchdog_ = nullptr;
    if (result.status != reports::Status::kPassed && !watchdog.expired()) {
      name_engine_death(during);
    }
    if (watchdog.expired()) {
      const double late =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - watchdog.expired_at())
              .count();
      result.metrics["scenario_timeout.deadline_to_end_s"] = late;
      result.status = reports::Status::kError;
      result.failure_kind = reports::FailureKind::kTimeout;
      result.failure_message =
          "the scenario ran longer than its timeout of " + text::fixed(scenario_.timeout_s, 1) +
          " s, during " + during +
          "; at the deadline the harness stopped the engine with SIGKILL (" + engine_.log_hint() +
          "), and the step ended " + text::fixed(late, 3) + " s later" +
          (result.failure_message.empty() ? "" : ", seeing: " + result.failure_message);
    }
    finish();
    classify_unexpected_deadlock();
    result.duration_s = record_.now_s();
    return result;
  }

 private:
  void start_engine() {
    engine_.start(redis_.env());
    record_.timeline("process", "engine started", "harness", 0, "ok",
                     {{"rpc", engine_.rpc_address()}});
    // On the control reader thread: a deadlock report asks its clients for
    // their stacks while they are still stuck.
    engine_.control().set_event_hook(
        [this](const ControlEvent& event) { clients_.on_control_event(event); });
  }

  // On the watchdog's thread, at the scenario's deadline: every client dumps
  // its stacks into its log (what it was doing), and the engine is killed,
  // which closes the control channel and so ends whatever the scenario's
  // thread waits for. The report and the logs are written as for any failure.
  void on_deadline() {
    clients_.ask_for_stacks_from_any_thread();
    engine_.kill_from_any_thread();
  }

  // A step that failed because the engine died (a crash, an OOM kill, a
  // kill from outside) says so first, with when and how: what the step saw
  // ("the engine closed the control channel", a client that lost its
  // connection) follows as the consequence it is.
  void name_engine_death(const std::string& during) {
    auto* engine = engine_.process();
    auto* control = engine_.control_or_null();
    // The channel closes as the engine dies, a moment before it can be reaped.
    if (!engine || !control || control->connected() || !engine->wait_exit(kEngineReapTimeout)) {
      return;  // not started (its own error says so), or still alive
    }
    const auto closed = control->closed_at();
    const double at = closed ? record_.seconds_since_start(*closed) : record_.now_s();
    std::string tail = engine->log_tail(5);
    while (!tail.empty() && tail.back() == '\n') {
      tail.pop_back();
    }
    auto& result = record_.result();
    result.status = reports::Status::kError;
    result.failure_kind = reports::FailureKind::kEngineError;
    result.failure_message = "the engine " + engine->describe_exit() +
                             " at t=" + text::fixed(at, 2) + " s, during " + during + " (" +
                             engine_.log_hint() +
                             (tail.empty() ? ")" : ", which ends with:\n" + tail + "\n)") +
                             "; the scenario then saw: " + result.failure_message;
  }

  void finish() {
    auto& result = record_.result();
    auto* engine = engine_.process();
    auto* control = engine_.control_or_null();
    publishing_.finish();
    if (calls_.main_thread_stuck()) {
      // The main thread may still wait for a deadlocked client (with
      // --on-deadlock report, for the whole call timeout): a client that is
      // gone ends the call at once, and the engine then stops when asked.
      clients_.stop_all();
    }
    if (control && control->connected()) {
      try {
        const nlohmann::json frames = control->frames(kEndOfRunRequestTimeout);
        for (const auto& [key, value] : frames.items()) {
          result.metrics["engine." + key] = value.get<double>();
        }
        control->stop(kEndOfRunRequestTimeout);
      } catch (const std::exception&) {
        // The engine is stuck or gone: it is stopped by signal below.
      }
    }
    if (control) {
      record_engine_events(*control, clients_, record_);
    }
    bool engine_clean = true;
    std::string engine_exit;
    if (engine) {
      if (!engine->wait_exit(kEngineExitTimeout)) {
        engine->stop();
        engine_clean = false;
        engine_exit = "did not stop within " + seconds_text(kEngineExitTimeout) +
                      " of being asked; stopped by signal";
      }
    }
    // After the exit, so that errors raised while the engine stopped count too.
    const auto errors = engine_errors_after_exit(control, engine_.startup_errors());
    if (engine_clean && engine && engine->exit_code() != 0 &&
        !(engine->exit_code() == 1 && raised_in_a_script(errors))) {
      engine_clean = false;  // exit 1 after a script raised is python3's, judged below
      engine_exit = engine->describe_exit();
    }
    judge_engine_errors(scenario_, errors, engine_.log_hint(), result);
    clients_.stop_all();
    engine_.remove_control_folder();
    if (!engine_clean && result.status == reports::Status::kPassed) {
      result.status = reports::Status::kError;
      result.failure_kind = reports::FailureKind::kEngineError;
      const auto closed = control ? control->closed_at() : std::nullopt;
      result.failure_message =
          "the engine " + engine_exit +
          (closed ? " at t=" + text::fixed(record_.seconds_since_start(*closed), 2) + " s"
                  : std::string()) +
          ", after the last step (" + engine_.log_hint() + ")";
    }
    const bool failed = result.status != reports::Status::kPassed;
    if (engine) {
      result.logs.push_back(
          {"engine", engine->log_path().string(), engine->log_tail(failed ? 60 : 15)});
    }
    clients_.add_logs(result, failed);
    redis_.finish(result, failed);
    if (!result.fault_schedule.empty()) {
      result.logs.push_back({"fault schedule (seed " + std::to_string(settings_.seed) + ")",
                             (settings_.work_dir / "fault-matrix" / "schedule.txt").string(),
                             result.fault_schedule});
    }
    result.metrics["clients"] = static_cast<double>(clients_.count());
  }

  // A scenario that failed after a certain deadlock cycle it did not expect
  // (no expect_deadlock step, no step expecting the outcome deadlock) failed
  // because of that cycle, whatever the step that noticed saw.
  void classify_unexpected_deadlock() {
    auto& result = record_.result();
    if (result.status == reports::Status::kPassed ||
        result.failure_kind == reports::FailureKind::kEngineError) {
      return;
    }
    const bool certain = std::any_of(result.deadlocks.begin(), result.deadlocks.end(),
                                     [](const auto& cycle) { return cycle.certain; });
    const bool expected =
        std::any_of(scenario_.steps.begin(), scenario_.steps.end(), [](const Step& step) {
          return (step.action == "expect_deadlock" && !step.params.value("absent", false)) ||
                 step.expect.outcome == "deadlock";
        });
    if (certain && !expected) {
      result.failure_kind = reports::FailureKind::kDeadlock;
    }
  }

  void run_step(const Step& step) {
    const double begun = record_.now_s();
    const auto& a = step.action;
    if (a == "call") {
      calls_.call(step);
    } else if (a == "start_call") {
      calls_.start_call(step);
    } else if (a == "await_call") {
      calls_.await_call(step);
    } else if (a == "python") {
      calls_.python(step);
    } else if (a == "wait") {
      if (!watchdog_->sleep_for(seconds_as_ms(step.params.get<double>()))) {
        throw ScenarioError("the wait was cut short by the scenario's timeout");
      }
    } else if (a == "reload") {
      reload(step);
    } else if (a == "stop_redis") {
      redis_.private_server(step).stop();
      record_.timeline("fault", "redis-server stopped", "redis", record_.now_s() - begun, "ok");
    } else if (a == "start_redis") {
      redis_.private_server(step).start();
      record_.timeline("fault", "redis-server started again", "redis", record_.now_s() - begun,
                       "ok");
    } else if (a == "restart_redis") {
      auto& server = redis_.private_server(step);
      server.stop();
      const double down = step.params.is_object() ? step.params.value("down_s", 0.0) : 0.0;
      std::this_thread::sleep_for(seconds_as_ms(down));
      server.start();
      record_.timeline("fault", "redis-server restarted", "redis", record_.now_s() - begun, "ok");
    } else if (a == "kill_client" || a == "pause_client" || a == "resume_client") {
      signal_client(step);
    } else if (a == "expect_console") {
      expect_console(context_, step);
    } else if (a == "expect_deadlock") {
      expect_deadlock(context_, step);
    } else if (a == "expect_actors") {
      expect_count(context_, step, "world");
    } else if (a == "expect_registry") {
      expect_count(context_, step, "registry");
    } else if (a == "expect_latency") {
      expect_latency(context_, step);
    } else if (a == "line_load") {
      line_load_.line_load(step);
    } else if (a == "expect_lines_spawned") {
      line_load_.expect_lines_spawned(step);
    } else if (a == "publish_load") {
      publishing_.publish_load(step);
    } else if (a == "expect_delivery") {
      publishing_.expect_delivery(step);
    } else if (a == "fault_matrix") {
      fault_matrix(context_, step);
    } else if (a == "connection_soak") {
      connection_soak(context_, step);
    }
    record_.timeline("step", step.title, "harness", record_.now_s() - begun, "ok",
                     {{"where", step.where.text()}});
  }

  void reload(const Step& step) {
    const double begun = record_.now_s();
    auto& control = engine_.control();
    const auto before = control.event_count();
    control.reload(kControlRequestTimeout);
    auto done = control.wait_event(
        [](const ControlEvent& e) {
          return e.kind == "console" &&
                 e.data.value("text", std::string()).starts_with("domain reload: done");
        },
        kDomainReloadTimeout, before);
    if (!done) {
      record_.fail(step, "domain reload finishes",
                   "no 'domain reload: done' record within " + seconds_text(kDomainReloadTimeout));
    }
    record_.timeline("fault", "domain reload", "main", record_.now_s() - begun, "ok");
  }

  void signal_client(const Step& step) {
    const auto& a = step.action;
    auto& client = clients_.named(step, step.params.value("name", std::string()));
    int signal = a == "pause_client" ? SIGSTOP : a == "resume_client" ? SIGCONT : SIGKILL;
    if (a == "kill_client" && step.params.value("signal", std::string("KILL")) == "TERM") {
      signal = SIGTERM;
    }
    client.send_signal(signal);
    if (a == "kill_client") {
      client.wait_exit(kClientExitTimeout);
    }
    record_.timeline("fault", step.title, "client:" + step.params.value("name", std::string()), 0,
                     "ok");
  }

  const Scenario& scenario_;
  const RunSettings& settings_;
  ScenarioEngine engine_;
  ScenarioRecord record_;
  ScenarioRedis redis_;
  ScenarioClients clients_;
  StepContext context_;
  CallSteps calls_;
  LineLoadSteps line_load_;
  PublishSteps publishing_;
  ScenarioWatchdog* watchdog_ = nullptr;  // while execute() runs
};

}  // namespace

reports::ScenarioResult run_scenario(const Scenario& scenario, const RunSettings& settings) {
  return ScenarioRun(scenario, settings).execute();
}

}  // namespace understudy::harness
