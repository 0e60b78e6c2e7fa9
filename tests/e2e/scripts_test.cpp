// understudy-engine running scripts: timers and spawns to a frame limit, a
// script raising at run time (exit code 1), imports beside the script and from PYTHONPATH,
// and Debian's Python whatever python3 comes first on PATH.
#define BOOST_TEST_MODULE e2e_scripts
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/engine_process.h"
#include "tests/support/temp_dir.h"

using namespace understudy::testing;

namespace {

std::string script(const char* name) {
  return (std::filesystem::path(UNDERSTUDY_E2E_SCRIPTS_DIR) / name).string();
}

void expect_clean_exit(EngineProcess& engine) {
  BOOST_REQUIRE(engine.wait_for_exit());
  const auto& status = *engine.exit_status();
  BOOST_REQUIRE_MESSAGE(status.exited && status.code == 0, "expected exit code 0, got "
                                                               << status.describe() << "\n"
                                                               << engine.diagnostics());
}

bool logged_once(const EngineProcess& engine, std::string_view text) {
  return engine.console_records_containing(text).size() == 1;
}

// How many times timer `name` fired, after checking that its counts ran 1, 2,
// 3... without a gap.
std::size_t timer_count(const EngineProcess& engine, const std::string& name) {
  const auto records = engine.console_records_containing("timer " + name + " ");
  for (std::size_t i = 0; i < records.size(); ++i) {
    BOOST_TEST(records[i].text == "timer " + name + " " + std::to_string(i + 1));
  }
  return records.size();
}

}  // namespace

BOOST_AUTO_TEST_CASE(timers_and_spawning_coroutines_run_to_the_frame_limit) {
  TempDir dir("understudy-e2e-timers");
  const auto started = std::chrono::steady_clock::now();
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--tick-hz", "100", "--frames", "60", "--script",
                        script("timers_and_spawns.py")});
  expect_clean_exit(engine);
  const double seconds = milliseconds_since(started) / 1000.0;

  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    // 60 frames at 100 Hz take 0.6 s at least; longer on a busy machine, where
    // the (wall-clock) timers fire more often per frame, but never more often
    // than the time allows.
    const auto fast = timer_count(engine, "fast");
    const auto slow = timer_count(engine, "slow");
    BOOST_TEST(fast >= 5u, "the 0.05 s timer fired " << fast << " times");
    BOOST_TEST(fast <= static_cast<std::size_t>(seconds / 0.05),
               "the 0.05 s timer fired " << fast << " times in " << seconds << " s");
    BOOST_TEST(slow >= 2u, "the 0.15 s timer fired " << slow << " times");
    BOOST_TEST(slow <= static_cast<std::size_t>(seconds / 0.15),
               "the 0.15 s timer fired " << slow << " times in " << seconds << " s");
    BOOST_TEST(slow < fast);

    for (const auto* line : {"spawned Character_1 as hero-0", "spawned Character_2 as hero-1",
                             "spawned Character_3 as hero-2"}) {
      BOOST_TEST(logged_once(engine, line), "no \"" << line << "\" record");
    }
    const auto world = engine.console_records_containing("world at Quit: ");
    BOOST_REQUIRE_EQUAL(world.size(), 1u);
    BOOST_TEST(world[0].text == "world at Quit: hero-0, hero-1, hero-2, reporter");
    BOOST_TEST(engine.stderr_text().find("understudy-engine: stopped after 60 frames") !=
               std::string::npos);
    for (const auto& record : engine.console_records()) {
      BOOST_TEST(record.severity != "error", record.text);
    }
  }
}

// As `python3 FILE` exits 1 when the script raises, so does the engine, at
// the end of its run: the other scripts and the tickers run on until then.
BOOST_AUTO_TEST_CASE(a_script_raising_at_run_time_is_logged_the_engine_runs_on_and_exits_1) {
  TempDir dir("understudy-e2e-raise");
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--no-rpc", "--tick-hz", "100", "--frames", "30", "--script",
       script("raises_at_run_time.py"), "--script", script("runs_after_a_failed_script.py")});
  BOOST_REQUIRE(engine.wait_for_exit());
  BOOST_REQUIRE_MESSAGE(engine.exit_status()->exited && engine.exit_status()->code == 1,
                        "expected exit code 1, got " << engine.exit_status()->describe() << "\n"
                                                     << engine.diagnostics());

  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    const auto errors = engine.console_records_containing("raised:");
    BOOST_REQUIRE_EQUAL(errors.size(), 1u);
    const auto& traceback = errors[0].text;
    BOOST_TEST(errors[0].severity == "error");
    for (const auto* part : {"Traceback (most recent call last):", "raises_at_run_time.py\", line",
                             "in fail", "ValueError: boom at run time"}) {
      BOOST_TEST(traceback.find(part) != std::string::npos, "no \"" << part << "\" in the error");
    }
    BOOST_TEST(logged_once(engine, "the next script ran"));
    BOOST_TEST(logged_once(engine, "still ticking at frame 30"));
    BOOST_TEST(engine.stderr_text().find("understudy-engine: stopped after 30 frames") !=
               std::string::npos);
    BOOST_TEST(engine.stderr_text().find(
                   "understudy-engine: 1 engine error (1 from scripts); the first: " +
                   script("raises_at_run_time.py") + ":15: ValueError: boom at run time") !=
               std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(modules_beside_the_script_and_on_pythonpath_are_importable) {
  TempDir dir("understudy-e2e-imports");
  dir.write_file("pythonpath/from_pythonpath.py", "GREETING = 'hello from PYTHONPATH'\n");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--frames", "3", "--script", script("imports_neighbours.py")},
                       {{"PYTHONPATH", (dir.path() / "pythonpath").string()}});
  expect_clean_exit(engine);

  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(logged_once(engine, "beside the script: hello from beside the script"));
    BOOST_TEST(logged_once(engine, "from PYTHONPATH: hello from PYTHONPATH"));
  }
}

BOOST_AUTO_TEST_CASE(debians_python_runs_the_engine_whatever_python3_is_first_on_path) {
  TempDir dir("understudy-e2e-python");
  // Records that it ran, and fails: the engine must never run it.
  dir.write_file("bin/python3", "#!/bin/sh\ntouch \"$(dirname \"$0\")/fake-python3-ran\"\nexit 1\n",
                 /*executable=*/true);
  const char* path = std::getenv("PATH");
  // --port 0: the engine's own RPyC server, which needs Debian's rpyc, starts too.
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--port", "0", "--frames", "3", "--script", script("reports_its_python.py")},
      {{"PATH", (dir.path() / "bin").string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")}});
  expect_clean_exit(engine);

  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(logged_once(engine, "python /usr/bin/python3 3.11"));
    BOOST_TEST(logged_once(engine, "rpyc 5."));
    BOOST_TEST(logged_once(engine, "at /usr/lib/python3/dist-packages/rpyc/"));
    BOOST_TEST(logged_once(engine, "at /usr/lib/python3/dist-packages/redis/"));
    BOOST_TEST(logged_once(engine, "rpc server listening on tcp://127.0.0.1:"));
    BOOST_TEST(!std::filesystem::exists(dir.path() / "bin" / "fake-python3-ran"),
               "the engine ran the python3 it found on PATH");
  }
}
