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

// UnrealEnginePython's execution model (fake_engine/unreal/script_execution.h)
// and its script functions, through the real engine's command line.
BOOST_AUTO_TEST_SUITE(execution_model)

namespace {

// The console records' texts in order, for order checks and failure messages.
std::vector<std::string> texts(const EngineProcess& engine) {
  std::vector<std::string> result;
  for (const auto& record : engine.console_records()) {
    result.push_back(record.text);
  }
  return result;
}

std::ptrdiff_t position(const std::vector<std::string>& all, std::string_view text) {
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].find(text) != std::string::npos) {
      return static_cast<std::ptrdiff_t>(i);
    }
  }
  return -1;
}

void expect_exit(EngineProcess& engine, int code) {
  BOOST_REQUIRE(engine.wait_for_exit());
  const auto& status = *engine.exit_status();
  BOOST_REQUIRE_MESSAGE(status.exited && status.code == code,
                        "expected exit code " << code << ", got " << status.describe() << "\n"
                                              << engine.diagnostics());
}

}  // namespace

BOOST_AUTO_TEST_CASE(scripts_share_main_after_ue_site_with_sys_and_unreal_engine_imported) {
  TempDir dir("understudy-e2e-main");
  dir.write_file("Scripts/ue_site.py", "import unreal_engine\nunreal_engine.log('in ue_site')\n");
  const auto first = dir.write_file("first.py",
                                    "assert __name__ == '__main__'\n"
                                    "unreal_engine.log(f'first sees sys: {sys.version_info[0]}')\n"
                                    "shared_value = 42\n");
  const auto second = dir.write_file(
      "second.py",
      "import __main__\n"
      "unreal_engine.log(f'second sees {shared_value}, main has it: {__main__.shared_value}')\n");
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--no-rpc", "--frames", "3", "--scripts-path", (dir.path() / "Scripts").string(), "--script",
       first.string(), "--script", second.string()});
  expect_exit(engine, 0);
  const auto all = texts(engine);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    const auto site = position(all, "in ue_site");
    const auto imported = position(all, "ue_site Python module successfully imported");
    const auto first_ran = position(all, "first sees sys: 3");
    BOOST_TEST(site >= 0);
    BOOST_TEST(imported > site);
    BOOST_TEST(first_ran > imported, "ue_site is imported before the first script");
    BOOST_TEST(position(all, "second sees 42, main has it: 42") > first_ran);
  }
}

BOOST_AUTO_TEST_CASE(unittest_main_in_a_script_finds_its_tests_and_its_exit_is_no_error) {
  TempDir dir("understudy-e2e-unittest");
  const auto tests = dir.write_file("tests_in_a_script.py",
                                    "import unittest\n"
                                    "class TestTwo(unittest.TestCase):\n"
                                    "    def test_one(self): pass\n"
                                    "    def test_two(self): pass\n"
                                    "unittest.main(exit=False)\n"
                                    "unittest.main()\n");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--frames", "3", "--script", tests.string()});
  expect_exit(engine, 0);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(engine.console_records_containing("Ran 2 tests").size() == 2u);
    BOOST_TEST(engine.console_records_containing("ended with SystemExit(False)").size() == 1u);
  }
}

BOOST_AUTO_TEST_CASE(exec_runs_files_from_the_scripts_paths_in_main) {
  TempDir dir("understudy-e2e-exec");
  dir.write_file("Scripts/helper.py",
                 "from_helper = 'set by helper'\n"
                 "unreal_engine.log(f'helper __file__ ends with {__file__[-17:]}')\n");
  const auto caller =
      dir.write_file("caller.py",
                     "import unreal_engine as ue\n"
                     "assert ue.exec('helper.py') is None\n"
                     "ue.log(f'caller sees: {from_helper}; its own __file__: {__file__[-9:]}')\n"
                     "ue.exec('no_such_helper.py')\n"
                     "ue.log('caller goes on')\n");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--frames", "3", "--scripts-path",
                        (dir.path() / "Scripts").string(), "--script", caller.string()});
  expect_exit(engine, 1);  // the missing file is an engine error from scripts
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(logged_once(engine, "helper __file__ ends with Scripts/helper.py"));
    BOOST_TEST(logged_once(engine, "caller sees: set by helper; its own __file__: caller.py"));
    BOOST_TEST(logged_once(engine, "unable to find script no_such_helper.py (looked as given"));
    BOOST_TEST(logged_once(engine, "caller goes on"), "exec does not raise to its caller");
  }
}

BOOST_AUTO_TEST_CASE(a_missing_ue_site_is_a_log_line_and_a_raising_one_an_engine_error) {
  TempDir dir("understudy-e2e-site");
  const auto script = dir.write_file("after.py", "unreal_engine.log('the script still ran')\n");
  {
    EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                         {"--no-rpc", "--frames", "3", "--script", script.string()});
    expect_exit(engine, 0);
    BOOST_TEST(logged_once(engine, "ue_site Python module not found"), engine.diagnostics());
  }
  dir.write_file("Scripts/ue_site.py", "raise ValueError('ue_site broke')\n");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--frames", "3", "--scripts-path",
                        (dir.path() / "Scripts").string(), "--script", script.string()});
  expect_exit(engine, 1);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(logged_once(engine, "ue_site raised while being imported"));
    BOOST_TEST(logged_once(engine, "ValueError: ue_site broke"));
    BOOST_TEST(logged_once(engine, "the script still ran"));
  }
}

BOOST_AUTO_TEST_CASE(find_plugin_returns_the_plugins_given_and_none_for_others) {
  TempDir dir("understudy-e2e-plugin");
  dir.write_file("Plugins/Tool/Tool.uplugin",
                 R"({"FriendlyName": "The Tool", "VersionName": "1.2", "Version": 3})");
  const auto script = dir.write_file(
      "plugins.py",
      "import unreal_engine as ue\n"
      "tool = ue.find_plugin('Tool')\n"
      "ue.log(f'plugin {tool.get_name()} {tool.friendly_name} {tool.version_name} "
      "{tool.version}')\n"
      "ue.log('base ' + tool.get_base_dir())\n"
      "ue.log('content ' + tool.get_content_dir())\n"
      "ue.log(f'str {tool}; unknown {ue.find_plugin(\"Nope\")}; enabled {tool.is_enabled()}')\n"
      "ue.log(f'all {[p.get_name() for p in ue.get_enabled_plugins()]}')\n");
  const auto base = (dir.path() / "Plugins" / "Tool").string();
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--no-rpc", "--frames", "3", "--plugin", "Tool=" + base, "--script", script.string()});
  expect_exit(engine, 0);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(logged_once(engine, "plugin Tool The Tool 1.2 3"));
    BOOST_TEST(logged_once(engine, "base " + base));
    BOOST_TEST(logged_once(engine, "content " + base + "/Content"));
    BOOST_TEST(logged_once(
        engine, "str <unreal_engine.IPlugin {'name': 'Tool'}>; unknown None; enabled True"));
    BOOST_TEST(logged_once(engine, "all ['Tool']"));
  }
}

BOOST_AUTO_TEST_CASE(dropping_a_ticker_handle_removes_the_ticker) {
  TempDir dir("understudy-e2e-handles");
  const auto script = dir.write_file("handles.py",
                                     "import unreal_engine as ue\n"
                                     "def ticker(name):\n"
                                     "    def tick(delta_time):\n"
                                     "        ue.log(f'{name} ticked')\n"
                                     "        return True\n"
                                     "    return tick\n"
                                     "ue.add_ticker(ticker('dropped'))\n"
                                     "kept = ue.add_ticker(ticker('kept'))\n"
                                     "removed = ue.add_ticker(ticker('removed'))\n"
                                     "ue.remove_ticker(removed)\n"
                                     "ue.log(f'handle type {type(kept).__name__}')\n"
                                     "try:\n"
                                     "    ue.remove_ticker(1)\n"
                                     "except TypeError as e:\n"
                                     "    ue.log(f'remove_ticker(1): {e}')\n");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--frames", "3", "--script", script.string()});
  expect_exit(engine, 0);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(engine.console_records_containing("kept ticked").size() >= 2u);
    BOOST_TEST(engine.console_records_containing("dropped ticked").empty());
    BOOST_TEST(engine.console_records_containing("removed ticked").empty());
    BOOST_TEST(logged_once(engine, "handle type FDelegateHandle"));
    BOOST_TEST(logged_once(engine, "remove_ticker(1): remove_ticker expects the FDelegateHandle"));
  }
}

BOOST_AUTO_TEST_CASE(print_string_and_the_project_folders) {
  TempDir dir("understudy-e2e-screen");
  const auto script = dir.write_file("screen.py",
                                     "import unreal_engine as ue\n"
                                     "ue.print_string('hello screen')\n"
                                     "ue.print_string(42, 5)\n"
                                     "ue.log('content ' + ue.get_content_dir())\n"
                                     "ue.log('saved ' + ue.get_game_saved_dir())\n");
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--frames", "3", "--project-dir", dir.path().string(),
                        "--script", script.string()});
  expect_exit(engine, 0);
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST(logged_once(engine, "on screen (2.0 s): hello screen"));
    BOOST_TEST(logged_once(engine, "on screen (5.0 s): 42"));
    BOOST_TEST(logged_once(engine, "content " + (dir.path() / "Content").string() + "/"));
    BOOST_TEST(logged_once(engine, "saved " + (dir.path() / "Saved").string() + "/"));
  }
}

BOOST_AUTO_TEST_SUITE_END()
