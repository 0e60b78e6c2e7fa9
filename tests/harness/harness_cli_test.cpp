// The harness tested as users run it: the real `understudy` binary on
// scenario files made to fail, to be malformed, to crash, or to be
// interrupted. Processes are started and stopped with ChildProcess, as the
// harness starts and stops its own.
// Over 500 lines: one test module per binary is this suite's convention; its
// cases share the scenario-file and process helpers at the top.
#define BOOST_TEST_MODULE harness_cli
#include <signal.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "common/child_process.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using understudy::ChildProcess;
using understudy::ProcessSpec;
using understudy::testing::TempDir;

namespace {

const fs::path kScenarios = UNDERSTUDY_TEST_SCENARIOS;
const fs::path kShippedScenarios = UNDERSTUDY_SHIPPED_SCENARIOS;

struct Outcome {
  int exit_code = -1;
  std::string output;
  fs::path log;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `understudy args...` to completion (or fails the test at the deadline).
// `cwd`: where it runs (the harness's current folder when not given).
Outcome run_understudy(const std::vector<std::string>& args, const fs::path& dir,
                       std::map<std::string, std::string> env = {},
                       std::chrono::milliseconds deadline = 60s,
                       std::optional<fs::path> cwd = std::nullopt) {
  std::vector<std::string> argv = {UNDERSTUDY_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessSpec spec{"understudy", argv, std::move(env), dir / "understudy.log", std::move(cwd)};
  ChildProcess process(spec);
  const bool exited = process.wait_exit(deadline);
  Outcome outcome;
  outcome.log = spec.log_path;
  outcome.output = read_file(spec.log_path);
  BOOST_TEST_REQUIRE(exited, "understudy did not finish within " << deadline.count()
                                                                 << " ms; its output:\n"
                                                                 << outcome.output);
  outcome.exit_code = process.exit_code().value_or(-1);
  return outcome;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define CHECK_CONTAINS(text, part) \
  BOOST_TEST(contains(text, part), "expected to find \"" << part << "\" in:\n" << text)

bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) {
    return true;
  }
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

std::set<std::string> listed(const std::string& output) {
  std::set<std::string> names;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      names.insert(line.substr(0, line.find('\t')));
    }
  }
  return names;
}

}  // namespace

BOOST_AUTO_TEST_CASE(failing_expectation_fails_with_what_was_expected_and_seen) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy(
      {"run", (kScenarios / "good/must_fail.toml").string(), "--report-dir", dir.path().string()},
      dir.path());
  BOOST_TEST(out.exit_code == 1, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "FAIL harness self-test: an expectation that does not hold");
  CHECK_CONTAINS(out.output, "expected outcome ok, saw outcome error");
  CHECK_CONTAINS(out.output, "kaboom from the client");
  CHECK_CONTAINS(out.output, "must_fail.toml:9");
  CHECK_CONTAINS(out.output, "engine log: ");
  CHECK_CONTAINS(out.output, "0 passed, 1 failed");
  const auto junit = read_file(dir.path() / "junit.xml");
  CHECK_CONTAINS(junit, "<failure");
  CHECK_CONTAINS(junit, "kaboom from the client");
}

// Without --report-dir, reports go to understudy-reports/ in the current
// folder, and the output says so before and after the run. Log paths in the
// reports are relative to them, so the folder works wherever it is moved.
BOOST_AUTO_TEST_CASE(the_default_report_folder_is_stated_and_its_log_paths_are_relative) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({"run", (kScenarios / "good/must_fail.toml").string()},
                                  dir.path(), {}, 60s, dir.path());
  BOOST_TEST(out.exit_code == 1, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "; reports in understudy-reports\n");
  CHECK_CONTAINS(out.output,
                 "understudy: reports: understudy-reports/report.html, "
                 "understudy-reports/junit.xml\n");
  const auto moved = dir.path() / "downloaded";
  fs::rename(dir.path() / "understudy-reports", moved);
  const auto junit = read_file(moved / "junit.xml");
  const std::regex log_line(R"(\nlog of engine: ([^\n]+))");
  std::smatch match;
  BOOST_TEST_REQUIRE(std::regex_search(junit, match, log_line), junit);
  const fs::path log = match[1].str();
  BOOST_TEST(log.is_relative(), log);
  BOOST_TEST(fs::is_regular_file(moved / log), log);
  const auto html = read_file(moved / "report.html");
  CHECK_CONTAINS(html, "<a href=\"" + log.string() + "\">");
}

BOOST_AUTO_TEST_CASE(unknown_key_is_a_file_line_error_with_exit_code_2) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy(
      {"run", (kScenarios / "bad/unknown_key.toml").string(), "--report-dir", dir.path().string()},
      dir.path());
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "unknown_key.toml:5: unknown key 'expect_actor'");
}

BOOST_AUTO_TEST_CASE(broken_toml_is_a_file_line_error_with_exit_code_2) {
  TempDir dir("understudy-harness-test");
  const auto out =
      run_understudy({"list", (kScenarios / "bad/broken_syntax.toml").string()}, dir.path());
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  BOOST_TEST(std::regex_search(out.output, std::regex("broken_syntax\\.toml:[3-5]: ")),
             "no file:line in:\n"
                 << out.output);
}

BOOST_AUTO_TEST_CASE(client_crashing_at_start_is_reported_with_its_log_tail) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({"run", (kScenarios / "good/crashing_client.toml").string(),
                                   "--report-dir", dir.path().string()},
                                  dir.path());
  BOOST_TEST(out.exit_code == 1, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "ERROR harness self-test: a client crashes at start");
  CHECK_CONTAINS(out.output, "client process 'crasher' exited with code 1 before it registered");
  CHECK_CONTAINS(out.output, "missing configuration XYZZY");
}

// The harness's own folders (the control socket's) left in `tmp`.
std::vector<fs::path> leftover_private_folders(const fs::path& tmp) {
  std::vector<fs::path> left;
  for (const auto& entry : fs::directory_iterator(tmp)) {
    if (entry.path().filename().string().starts_with("understudy-")) {
      left.push_back(entry.path());
    }
  }
  return left;
}

// Starts the lingering scenario, waits until its engine and clients run, kills
// the harness with `signal`, and checks that every one of them is gone, and
// so is the control socket's folder.
void interrupt_and_check_nothing_survives(int signal) {
  TempDir dir("understudy-harness-test");
  const auto pid_dir = dir.path() / "pids";
  const auto tmp = dir.path() / "tmp";
  fs::create_directories(pid_dir);
  fs::create_directories(tmp);
  ProcessSpec spec{"understudy",
                   {UNDERSTUDY_BINARY, "run", (kScenarios / "good/linger.toml").string(),
                    "--report-dir", (dir.path() / "reports").string()},
                   {{"PID_DIR", pid_dir.string()}, {"TMPDIR", tmp.string()}},
                   dir.path() / "understudy.log",
                   std::nullopt};
  ChildProcess harness(spec);
  std::set<pid_t> pids;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (pids.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    pids.clear();
    for (const auto& entry : fs::directory_iterator(pid_dir)) {
      pids.insert(std::stoi(entry.path().stem().string()));
    }
    std::this_thread::sleep_for(20ms);
  }
  BOOST_TEST_REQUIRE(pids.size() == 3u, "expected 3 client pids within 30 s, saw "
                                            << pids.size() << "; harness output:\n"
                                            << read_file(spec.log_path));
  const auto engine_log = read_file(dir.path() / "reports/runs/0-linger/engine.log");
  std::smatch match;
  BOOST_TEST_REQUIRE(std::regex_search(engine_log, match, std::regex("\"pid\": (\\d+)")),
                     "no engine pid in its log:\n"
                         << engine_log);
  pids.insert(std::stoi(match[1]));

  ::kill(harness.pid(), signal);
  BOOST_TEST_REQUIRE(harness.wait_exit(10s),
                     "the harness did not exit within 10 s of signal " << signal);
  const auto gone_by = std::chrono::steady_clock::now() + 10s;
  std::set<pid_t> alive = pids;
  while (!alive.empty() && std::chrono::steady_clock::now() < gone_by) {
    std::erase_if(alive, process_gone);
    std::this_thread::sleep_for(20ms);
  }
  for (const pid_t pid : alive) {
    ::kill(pid, SIGKILL);  // do not leave it behind even when the test fails
  }
  BOOST_TEST(alive.empty(),
             alive.size() << " of " << pids.size() << " processes outlived the harness by 10 s");
  const auto left = leftover_private_folders(tmp);
  BOOST_TEST(left.empty(), "the harness left " << (left.empty() ? fs::path() : left.front())
                                               << " behind in its TMPDIR");
}

BOOST_AUTO_TEST_CASE(sigterm_to_the_harness_leaves_no_process_behind) {
  interrupt_and_check_nothing_survives(SIGTERM);
}

BOOST_AUTO_TEST_CASE(sigkill_to_the_harness_leaves_no_process_behind) {
  interrupt_and_check_nothing_survives(SIGKILL);
}

BOOST_AUTO_TEST_CASE(shards_partition_the_suite_exactly) {
  TempDir dir("understudy-harness-test");
  const auto all = listed(run_understudy({"list", kShippedScenarios.string()}, dir.path()).output);
  BOOST_TEST_REQUIRE(all.size() >= 10u, "the shipped suite lists only " << all.size());
  std::multiset<std::string> union_of_shards;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = run_understudy(
        {"list", kShippedScenarios.string(), "--shard", std::to_string(i) + "/3"}, dir.path());
    BOOST_TEST(shard.exit_code == 0);
    for (const auto& name : listed(shard.output)) {
      union_of_shards.insert(name);
    }
  }
  BOOST_TEST(union_of_shards.size() == all.size(), "every scenario in exactly one shard");
  BOOST_TEST((std::set<std::string>(union_of_shards.begin(), union_of_shards.end()) == all));
  // The environment variables Bazel and other runners set (0-based index).
  std::multiset<std::string> from_env;
  for (int i = 0; i < 2; ++i) {
    const auto shard =
        run_understudy({"list", kShippedScenarios.string()}, dir.path(),
                       {{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", std::to_string(i)}});
    for (const auto& name : listed(shard.output)) {
      from_env.insert(name);
    }
  }
  BOOST_TEST((std::set<std::string>(from_env.begin(), from_env.end()) == all));
  BOOST_TEST(from_env.size() == all.size());
}

BOOST_AUTO_TEST_CASE(bad_shard_argument_is_a_usage_error) {
  TempDir dir("understudy-harness-test");
  const auto out =
      run_understudy({"list", kShippedScenarios.string(), "--shard", "4/3"}, dir.path());
  BOOST_TEST(out.exit_code == 2);
  CHECK_CONTAINS(out.output, "--shard takes I/N");
}

namespace {

// The fault schedule `understudy run` printed: the lines after its header.
std::string printed_schedule(const std::string& output) {
  const auto start = output.find("fault schedule for seed");
  if (start == std::string::npos) {
    return {};
  }
  std::istringstream lines(output.substr(start));
  std::string schedule;
  std::string line;
  std::getline(lines, line);
  schedule += line + "\n";
  while (std::getline(lines, line) && line.find("  t=") != std::string::npos) {
    schedule += line + "\n";
  }
  return schedule;
}

Outcome run_tiny_matrix(const TempDir& dir, const std::string& seed, const std::string& folder) {
  return run_understudy({"run", (kScenarios / "good/fault_matrix_tiny.toml").string(), "--seed",
                         seed, "--report-dir", (dir.path() / folder).string()},
                        dir.path(), {}, 120s);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_same_seed_replays_the_same_fault_schedule_and_another_seed_does_not) {
  TempDir dir("understudy-harness-test");
  const auto first = run_tiny_matrix(dir, "7", "first");
  const auto again = run_tiny_matrix(dir, "7", "again");
  const auto other = run_tiny_matrix(dir, "8", "other");
  for (const auto* out : {&first, &again, &other}) {
    // The invariants hold, whichever schedule ran.
    BOOST_TEST(out->exit_code == 0, "exit code " << out->exit_code << "; output:\n" << out->output);
  }
  const auto schedule = printed_schedule(first.output);
  BOOST_TEST_REQUIRE(!schedule.empty(), "no fault schedule printed in:\n" << first.output);
  CHECK_CONTAINS(schedule, "fault schedule for seed 7 (4 faults)");
  BOOST_TEST(schedule == printed_schedule(again.output));
  BOOST_TEST(schedule != printed_schedule(other.output), "seeds 7 and 8 planned the same faults:\n"
                                                             << schedule);
  CHECK_CONTAINS(printed_schedule(other.output), "fault schedule for seed 8");
  // The report keeps the schedule for whoever reads it later.
  CHECK_CONTAINS(read_file(dir.path() / "first" / "results.json"), "fault schedule for seed 7");
}

BOOST_AUTO_TEST_CASE(a_misspelt_fault_matrix_key_is_a_file_line_error) {
  TempDir dir("understudy-harness-test");
  const auto file = dir.path() / "misspelt.toml";
  std::ofstream(file) << "[scenario]\nname = \"x\"\n\n[[steps]]\nfault_matrix = { script = \""
                      << (kShippedScenarios / "clients/fault_matrix_client.py").string()
                      << "\", faults = 3, duraton = 2 }\n";
  const auto out = run_understudy({"run", file.string()}, dir.path());
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "misspelt.toml:5");  // the key's own line
  CHECK_CONTAINS(out.output, "unknown key 'duraton' in fault_matrix");
}

// --- the command line itself ---

BOOST_AUTO_TEST_CASE(version_prints_the_project_version_and_exits_0) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({"--version"}, dir.path());
  BOOST_TEST(out.exit_code == 0, "exit code " << out.exit_code << "; output:\n" << out.output);
  BOOST_TEST(out.output == std::string("understudy ") + UNDERSTUDY_VERSION + "\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_command_is_named_with_the_commands_there_are) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({"frobnicate", "scenarios/"}, dir.path());
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output,
                 "understudy: error: unknown command 'frobnicate' (commands: run, list, stress");
  BOOST_TEST(!contains(out.output, "A subcommand is required"), out.output);
}

BOOST_AUTO_TEST_CASE(no_command_prints_the_help_summary_and_exits_2) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({}, dir.path());
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "Usage:");
  CHECK_CONTAINS(out.output, "Run scenarios and write reports");
  CHECK_CONTAINS(out.output, "understudy: error: a command is required");
}

BOOST_AUTO_TEST_CASE(numeric_options_out_of_range_are_refused_in_words) {
  const std::string scenario = (kScenarios / "good/must_fail.toml").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"run", scenario, "-j", "0"}, "--jobs must be at least 1, got 0"},
      {{"run", scenario, "--jobs", "two"}, "--jobs must be a whole number, got 'two'"},
      {{"run", scenario, "--jobs", "99999999999"},
       "--jobs must be at most 2147483647, got 99999999999"},
      {{"run", scenario, "--repeat", "0"}, "--repeat must be at least 1, got 0"},
      {{"run", scenario, "--repeat", "1.5"}, "--repeat must be a whole number, got '1.5'"},
      {{"run", scenario, "--seed", "-1"}, "--seed must be a non-negative integer, got -1"},
      {{"run", scenario, "--seed", "seven"}, "--seed must be a non-negative integer, got 'seven'"},
      {{"stress", "--duration", "0"}, "--duration must be a positive number of seconds, got 0"},
      {{"stress", "--duration", "soon"}, "--duration must be a number of seconds, got 'soon'"},
      {{"stress", "--connections-per-process", "0"},
       "--connections-per-process must be at least 1, got 0"},
      {{"stress", "--pipeline-depth", "0"}, "--pipeline-depth must be at least 1, got 0"},
      {{"stress", "--engine-depth", "-2"}, "--engine-depth must be at least 1, got -2"},
      {{"stress", "--rate", "-1"}, "--rate must be 0 (closed loop) or more, got -1"},
      {{"stress", "--engine-rate", "fast"}, "--engine-rate must be a number, got 'fast'"},
      {{"stress", "--tick-hz", "-60"},
       "--tick-hz must be 0 (as fast as possible) or more, got -60"},
      {{"stress", "--seed", "-1"}, "--seed must be a non-negative integer, got -1"},
  };
  TempDir dir("understudy-harness-test");
  for (const auto& c : cases) {
    auto args = c.args;
    args.insert(args.end(), {"--report-dir", (dir.path() / "reports").string()});
    const auto out = run_understudy(args, dir.path());
    BOOST_TEST(out.exit_code == 2, c.args[2] << " " << c.args.back() << ": exit code "
                                             << out.exit_code << "; output:\n"
                                             << out.output);
    CHECK_CONTAINS(out.output, "understudy: error: " + c.message + "\n");
    BOOST_TEST(out.output.size() < 200u, "a long message:\n" << out.output);
    BOOST_TEST(!fs::exists(dir.path() / "reports"), "something ran for " << c.message);
  }
}

// --- the report folder ---

BOOST_AUTO_TEST_CASE(a_report_dir_that_cannot_be_written_is_an_error_before_anything_runs) {
  TempDir dir("understudy-harness-test");
  const auto file = dir.path() / "a-file";
  std::ofstream(file) << "in the way\n";
  const std::string scenario = (kScenarios / "good/must_fail.toml").string();
  struct Case {
    fs::path report_dir;
    std::string reason;
  };
  for (const auto& [report_dir, reason] :
       {Case{file / "reports", "Not a directory"}, Case{file, "it exists and is not a folder"}}) {
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"run", scenario}, std::vector<std::string>{"stress"}}) {
      auto args = command;
      args.insert(args.end(), {"--report-dir", report_dir.string()});
      const auto out = run_understudy(args, dir.path());
      BOOST_TEST(out.exit_code == 2, command[0] << ": exit code " << out.exit_code << "; output:\n"
                                                << out.output);
      CHECK_CONTAINS(out.output, "understudy: error: cannot write reports to " +
                                     report_dir.string() + ": " + reason);
      BOOST_TEST(!contains(out.output, "running"), "a scenario ran:\n" << out.output);
      BOOST_TEST(!contains(out.output, "terminate"), out.output);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_trace_folder_that_is_a_file_is_an_error_before_anything_runs) {
  TempDir dir("understudy-harness-test");
  const auto reports = dir.path() / "reports";
  fs::create_directories(reports);
  std::ofstream(reports / "traces") << "in the way\n";
  const auto out = run_understudy(
      {"run", (kScenarios / "good/must_fail.toml").string(), "--report-dir", reports.string()},
      dir.path());
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "understudy: error: cannot write reports to " + reports.string() +
                                 ": " + (reports / "traces").string() +
                                 ": it exists and is not a folder");
}

BOOST_AUTO_TEST_CASE(stale_traces_are_removed_and_other_files_are_kept) {
  TempDir dir("understudy-harness-test");
  const auto reports = dir.path() / "reports";
  fs::create_directories(reports / "traces");
  std::ofstream(reports / "traces" / "a_scenario_that_no_longer_runs.trace.json") << "{}\n";
  std::ofstream(reports / "traces" / "notes.txt") << "mine\n";
  std::ofstream(reports / "notes.txt") << "mine too\n";
  const auto out = run_understudy(
      {"run", (kScenarios / "selection/quick.toml").string(), "--report-dir", reports.string()},
      dir.path());
  BOOST_TEST(out.exit_code == 0, "exit code " << out.exit_code << "; output:\n" << out.output);
  std::set<std::string> traces;
  for (const auto& entry : fs::directory_iterator(reports / "traces")) {
    traces.insert(entry.path().filename().string());
  }
  BOOST_TEST((traces == std::set<std::string>{"selection_quick.trace.json", "notes.txt"}));
  BOOST_TEST(read_file(reports / "notes.txt") == "mine too\n");
}

// --- what a run leaves out ---

BOOST_AUTO_TEST_CASE(scenarios_left_out_by_the_selection_are_named_with_the_reason) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({"run", (kScenarios / "selection").string(), "--report-dir",
                                   (dir.path() / "reports").string()},
                                  dir.path());
  BOOST_TEST(out.exit_code == 0, "exit code " << out.exit_code << "; output:\n" << out.output);
  const std::string line =
      "2 scenarios tagged slow not run (--tag slow runs them): selection: slow one, selection: "
      "slow two";
  CHECK_CONTAINS(out.output, "understudy: " + line + "\n");
  const auto results = nlohmann::json::parse(read_file(dir.path() / "reports/results.json"));
  BOOST_TEST_REQUIRE(results["excluded"].size() == 1u, results["excluded"].dump());
  BOOST_TEST(results["excluded"][0]["summary"].get<std::string>() == line);
  BOOST_TEST(results["excluded"][0]["names"].size() == 2u);
  CHECK_CONTAINS(read_file(dir.path() / "reports/junit.xml"), line);
  CHECK_CONTAINS(read_file(dir.path() / "reports/report.html"), line);

  const auto tagged = run_understudy({"run", (kScenarios / "selection").string(), "--tag", "soak",
                                      "--report-dir", (dir.path() / "tagged").string()},
                                     dir.path());
  BOOST_TEST(tagged.exit_code == 0, tagged.output);
  CHECK_CONTAINS(tagged.output,
                 "understudy: 2 scenarios without the tag soak not run: selection: quick, "
                 "selection: slow one\n");
}

// --- failure types ---

BOOST_AUTO_TEST_CASE(each_failure_is_typed_by_what_actually_failed) {
  TempDir dir("understudy-harness-test");
  const auto out = run_understudy({"run", (kScenarios / "failure_types").string(), "-j", "2",
                                   "--report-dir", (dir.path() / "reports").string()},
                                  dir.path(), {}, 120s);
  BOOST_TEST(out.exit_code == 1, "exit code " << out.exit_code << "; output:\n" << out.output);
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"failure type: an expected deadlock, then a wrong value", {"failed", "ExpectationFailed"}},
      {"failure type: a deadlock nobody expected", {"failed", "Deadlock"}},
      {"failure type: a call that times out", {"failed", "Timeout"}},
      {"failure type: the engine does not start", {"error", "EngineError"}},
      {"failure type: a client does not start", {"error", "HarnessError"}},
  };
  const auto results = nlohmann::json::parse(read_file(dir.path() / "reports/results.json"));
  BOOST_TEST_REQUIRE(results["scenarios"].size() == expected.size());
  for (const auto& scenario : results["scenarios"]) {
    const auto name = scenario["name"].get<std::string>();
    BOOST_TEST_REQUIRE(expected.contains(name), name);
    BOOST_TEST(scenario["status"].get<std::string>() == expected.at(name).first, name);
    BOOST_TEST(scenario["failure_type"].get<std::string>() == expected.at(name).second,
               name << ": " << scenario["failure_message"].get<std::string>());
  }
  const auto junit = read_file(dir.path() / "reports/junit.xml");
  for (const auto& [name, want] : expected) {
    const auto at = junit.find("<testcase name=\"" + name + "\"");
    BOOST_TEST_REQUIRE(at != std::string::npos, name);
    const auto type = junit.find(" type=\"", at);
    BOOST_TEST(junit.substr(type + 7, want.second.size() + 1) == want.second + "\"", name);
  }
}

// --- interruption ---

// Runs the five scenarios of interrupt/ one at a time and sends `signal`
// once the third has its clients up: two have finished, one is cut short,
// two never start.
void interrupt_a_suite_and_check_what_it_left(int signal, const std::string& name, int code) {
  TempDir dir("understudy-harness-test");
  const auto pid_dir = dir.path() / "pids";
  const auto tmp = dir.path() / "tmp";
  const auto reports = dir.path() / "reports";
  fs::create_directories(pid_dir);
  fs::create_directories(tmp);
  ProcessSpec spec{"understudy",
                   {UNDERSTUDY_BINARY, "run", (kScenarios / "interrupt").string(), "--report-dir",
                    reports.string()},
                   {{"PID_DIR", pid_dir.string()}, {"TMPDIR", tmp.string()}},
                   dir.path() / "understudy.log",  // stdout redirected to a file
                   std::nullopt};
  ChildProcess harness(spec);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  auto pid_files = [&] {
    return std::distance(fs::directory_iterator(pid_dir), fs::directory_iterator());
  };
  while (pid_files() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  BOOST_TEST_REQUIRE(pid_files() == 3,
                     "the third scenario's 3 clients did not start within 60 s; "
                     "harness output:\n"
                         << read_file(spec.log_path));
  const auto sent = std::chrono::steady_clock::now();
  ::kill(harness.pid(), signal);
  BOOST_TEST_REQUIRE(harness.wait_exit(10s), "the harness did not exit within 10 s of " << name);
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  BOOST_TEST(took < 6.0, "the harness took " << took << " s to stop");
  const auto output = read_file(spec.log_path);
  BOOST_TEST(harness.exit_code().value_or(-1) == code,
             "exit code " << harness.exit_code().value_or(-1) << "; output:\n"
                          << output);
  CHECK_CONTAINS(output, "[1/5] PASS interrupt: 1 passes");
  CHECK_CONTAINS(output, "[2/5] FAIL interrupt: 2 fails");
  CHECK_CONTAINS(output, "understudy: interrupted by " + name +
                             " after 2 of 5 scenarios: 1 passed, 1 failed, 3 not run\n");

  const auto results = nlohmann::json::parse(read_file(reports / "results.json"));
  BOOST_TEST(results["interrupted_by"].get<std::string>() == name);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"passed", ""},
      {"failed", "ExpectationFailed"},
      {"error", "Interrupted"},
      {"skipped", ""},
      {"skipped", ""}};
  BOOST_TEST_REQUIRE(results["scenarios"].size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& scenario = results["scenarios"][i];
    BOOST_TEST(scenario["status"].get<std::string>() == expected[i].first, i);
    BOOST_TEST(scenario["failure_type"].get<std::string>() == expected[i].second, i);
  }
  CHECK_CONTAINS(results["scenarios"][2]["failure_message"].get<std::string>(),
                 "interrupted by " + name);
  BOOST_TEST(results["scenarios"][3]["failure_message"].get<std::string>() ==
             "not run: interrupted by " + name);
  const auto junit = read_file(reports / "junit.xml");
  CHECK_CONTAINS(junit, "tests=\"5\" failures=\"1\" errors=\"1\" skipped=\"2\"");
  CHECK_CONTAINS(junit, "type=\"Interrupted\"");
  BOOST_TEST(fs::exists(reports / "report.html"));

  const auto left = leftover_private_folders(tmp);
  BOOST_TEST(left.empty(), "the harness left " << (left.empty() ? fs::path() : left.front())
                                               << " behind in its TMPDIR");
  std::set<pid_t> alive;
  for (const auto& entry : fs::directory_iterator(pid_dir)) {
    alive.insert(std::stoi(entry.path().stem().string()));
  }
  const auto gone_by = std::chrono::steady_clock::now() + 10s;
  while (!alive.empty() && std::chrono::steady_clock::now() < gone_by) {
    std::erase_if(alive, process_gone);
    std::this_thread::sleep_for(20ms);
  }
  for (const pid_t pid : alive) {
    ::kill(pid, SIGKILL);
  }
  BOOST_TEST(alive.empty(), alive.size() << " clients outlived the harness by 10 s");
}

BOOST_AUTO_TEST_CASE(sigint_writes_the_reports_so_far_and_a_summary_and_exits_130) {
  interrupt_a_suite_and_check_what_it_left(SIGINT, "SIGINT", 130);
}

BOOST_AUTO_TEST_CASE(sigterm_writes_the_reports_so_far_and_a_summary_and_exits_143) {
  interrupt_a_suite_and_check_what_it_left(SIGTERM, "SIGTERM", 143);
}
