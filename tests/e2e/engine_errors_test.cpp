// Engine errors, end to end: the exit codes of --script (as python3's), the
// engine_error events the control channel carries for a ticker, a component
// and an asyncio task that raise, the `startup` op that answers only once the
// startup scripts have run, and the tutorial's own hub stopping cleanly.
#define BOOST_TEST_MODULE e2e_engine_errors
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/control/control_client.h"
#include "tests/support/engine_process.h"
#include "tests/support/temp_dir.h"

using namespace understudy::testing;
using nlohmann::json;
using understudy::harness::ControlClient;
using understudy::harness::ControlEvent;

namespace {

std::string script(const char* name) {
  return (std::filesystem::path(UNDERSTUDY_E2E_SCRIPTS_DIR) / name).string();
}

ExitStatus exit_of(EngineProcess& engine) {
  BOOST_REQUIRE(engine.wait_for_exit());
  return *engine.exit_status();
}

// The engine's answer to `op`, which must succeed.
json request(ControlClient& control, const std::string& op) {
  const auto answer = control.request({{"op", op}}, kDefaultTimeout);
  BOOST_REQUIRE_MESSAGE(answer.value("ok", false), op << " failed: " << answer.dump());
  return answer["result"];
}

std::map<std::string, json> engine_error_events_by_source(const ControlClient& control) {
  std::map<std::string, json> found;
  for (const auto& event : control.events()) {
    if (event.kind == "engine_error") {
      found[event.data.value("source", std::string())] = event.data;
    }
  }
  return found;
}

std::string describe(const std::map<std::string, json>& errors) {
  std::string text;
  for (const auto& [source, error] : errors) {
    text += "\n  " + source + ": " + error.dump();
  }
  return text.empty() ? "none" : text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(script_exit_codes_are_python3s_raised_1_clean_0) {
  TempDir raised_dir("understudy-e2e-exit-raised");
  TempDir clean_dir("understudy-e2e-exit-clean");
  EngineProcess raised(UNDERSTUDY_ENGINE_EXECUTABLE, raised_dir.path(),
                       {"--no-rpc", "--frames", "5", "--script", script("raises_at_run_time.py")});
  EngineProcess clean(
      UNDERSTUDY_ENGINE_EXECUTABLE, clean_dir.path(),
      {"--no-rpc", "--frames", "5", "--script", script("runs_after_a_failed_script.py")});
  const auto raised_exit = exit_of(raised);
  BOOST_TEST_CONTEXT(raised.diagnostics()) {
    BOOST_TEST((raised_exit.exited && raised_exit.code == 1), raised_exit.describe());
    // The whole traceback is on stderr, and the last line says why the exit code is 1.
    BOOST_TEST(raised.stderr_text().find("ValueError: boom at run time") != std::string::npos);
    BOOST_TEST(raised.stderr_lines().back().find("1 engine error (1 from scripts)") !=
               std::string::npos);
    // The console file ends with the same, for harnesses.
    const auto ended = raised.exit_event();
    BOOST_REQUIRE(ended.has_value());
    BOOST_TEST(ended->frames == 5u);
    BOOST_TEST(ended->engine_errors == 1u);
    BOOST_TEST(ended->script_errors == 1u);
    BOOST_TEST(ended->first_error.find("ValueError: boom at run time") != std::string::npos,
               ended->first_error);
  }
  const auto clean_exit = exit_of(clean);
  BOOST_TEST_CONTEXT(clean.diagnostics()) {
    BOOST_TEST((clean_exit.exited && clean_exit.code == 0), clean_exit.describe());
    BOOST_TEST(clean.stderr_text().find("engine error") == std::string::npos);
    const auto ended = clean.exit_event();
    BOOST_REQUIRE(ended.has_value());
    BOOST_TEST(ended->engine_errors == 0u);
    BOOST_TEST(ended->first_error.empty());
  }
}

BOOST_AUTO_TEST_CASE(a_ticker_a_component_and_an_asyncio_task_raising_are_engine_error_events) {
  TempDir dir("understudy-e2e-engine-errors");
  const auto control_path = dir.path() / "control.sock";
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--control", control_path.string(), "--script",
                        script("errors_in_a_ticker_a_component_and_a_task.py")});
  ControlClient control(control_path, kDefaultTimeout);
  (void)request(control, "startup");
  BOOST_REQUIRE(poll_until([&] { return engine_error_events_by_source(control).size() == 3; },
                           "engine_error events from a ticker, a component and a task",
                           [&] { return describe(engine_error_events_by_source(control)); }));
  const auto errors = engine_error_events_by_source(control);
  const auto file = script("errors_in_a_ticker_a_component_and_a_task.py");
  struct Expected {
    const char* source;
    int line;
    const char* message;
    const char* what;
  };
  for (const auto& want :
       {Expected{"ticker", 14, "KeyError: \"the ticker's key\"", "raised and was removed"},
        Expected{"component", 23, "RuntimeError: the component's first tick", ".tick raised"},
        Expected{"asyncio", 27, "ValueError: the task's exception, never retrieved",
                 "Task exception was never retrieved"}}) {
    BOOST_TEST_CONTEXT(want.source << ": " << describe(errors)) {
      BOOST_REQUIRE(errors.contains(want.source));
      const auto& error = errors.at(want.source);
      BOOST_TEST(error.value("file", std::string()) == file);
      BOOST_TEST(error.value("line", 0) == want.line);
      BOOST_TEST(error.value("message", std::string()) == want.message);
      BOOST_TEST(error.value("what", std::string()).find(want.what) != std::string::npos);
      BOOST_TEST(error.value("traceback", std::string())
                     .starts_with("Traceback (most recent call last):"));
    }
  }
  // The engine counts them, and keeps them for whoever asks later.
  const auto kept = request(control, "engine_errors");
  BOOST_TEST(kept.value("count", 0) == 3);
  BOOST_TEST(kept["errors"].size() == 3u);

  (void)request(control, "stop");
  const auto status = exit_of(engine);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    // Not a script that raised: python3 would exit 0 too. The count is on stderr.
    BOOST_TEST((status.exited && status.code == 0), status.describe());
    BOOST_TEST(engine.stderr_lines().back().find("3 engine errors (0 from scripts)") !=
               std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(startup_answers_once_the_startup_scripts_ran_with_their_errors) {
  TempDir dir("understudy-e2e-startup");
  const auto control_path = dir.path() / "control.sock";
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--control", control_path.string(), "--script",
                        script("slow_startup.py"), "--script", script("raises_at_run_time.py")});
  ControlClient control(control_path, kDefaultTimeout);
  const auto started = std::chrono::steady_clock::now();
  const auto answer = request(control, "startup");
  const double waited_ms = milliseconds_since(started);
  // Console records are answered off the main thread: what they hold now
  // was logged before the startup op answered.
  const auto records = request(control, "console");
  bool slow_done = false;
  bool next_raised = false;
  for (const auto& record : records) {
    const auto text = record.value("text", std::string());
    slow_done = slow_done || text == "the slow startup script is done";
    next_raised = next_raised || text.find("raises_at_run_time.py raised") != std::string::npos;
  }
  BOOST_TEST_CONTEXT(engine.diagnostics()
                     << "\nstartup answered after " << waited_ms << " ms: " << answer.dump()) {
    BOOST_TEST(slow_done);
    BOOST_TEST(next_raised);
    // Raised before anyone listened for events: the answer carries it.
    BOOST_TEST(answer.value("count", 0) == 1);
    BOOST_REQUIRE_EQUAL(answer["errors"].size(), 1u);
    BOOST_TEST(answer["errors"][0].value("source", std::string()) == "script");
    BOOST_TEST(answer["errors"][0].value("line", 0) == 15);
  }
  (void)request(control, "stop");
  const auto status = exit_of(engine);
  BOOST_TEST((status.exited && status.code == 1), status.describe() << "\n"
                                                                    << engine.diagnostics());
}

BOOST_AUTO_TEST_CASE(the_tutorials_own_hub_without_shutdown_stops_cleanly) {
  TempDir dir("understudy-e2e-tutorial-hub");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--tick-hz", "100", "--frames", "20", "--script",
                        script("tutorial/timer_on_the_tutorials_hub.py")});
  const auto status = exit_of(engine);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST((status.exited && status.code == 0), status.describe());
    BOOST_TEST(!engine.console_records_containing("0.02 seconds elapsed").empty());
    for (const auto& record : engine.console_records()) {
      BOOST_TEST(record.severity != "error", record.text);
    }
    BOOST_TEST(engine.stderr_text().find("understudy-engine: error") == std::string::npos);
  }
}
