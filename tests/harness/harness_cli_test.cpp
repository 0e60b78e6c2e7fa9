// The harness tested as users run it: the real `understudy` binary on
// scenario files made to fail, to be malformed, to crash, or to be
// interrupted. Processes are started and stopped with the harness's own
// ChildProcess.
#define BOOST_TEST_MODULE harness_cli
#include <signal.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "harness/process/child_process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using understudy::harness::ChildProcess;
using understudy::harness::ProcessSpec;

namespace {

const fs::path kScenarios = UNDERSTUDY_TEST_SCENARIOS;
const fs::path kShippedScenarios = UNDERSTUDY_SHIPPED_SCENARIOS;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "understudy-harness-test-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

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
Outcome run_understudy(const std::vector<std::string>& args, const fs::path& dir,
                       std::map<std::string, std::string> env = {},
                       std::chrono::milliseconds deadline = 60s) {
  std::vector<std::string> argv = {UNDERSTUDY_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessSpec spec{"understudy", argv, std::move(env), dir / "understudy.log", std::nullopt};
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
  TempDir dir;
  const auto out = run_understudy(
      {"run", (kScenarios / "good/must_fail.toml").string(), "--report-dir", dir.path.string()},
      dir.path);
  BOOST_TEST(out.exit_code == 1, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "FAIL harness self-test: an expectation that does not hold");
  CHECK_CONTAINS(out.output, "expected outcome ok, saw outcome error");
  CHECK_CONTAINS(out.output, "kaboom from the client");
  CHECK_CONTAINS(out.output, "must_fail.toml:9");
  CHECK_CONTAINS(out.output, "engine log: ");
  CHECK_CONTAINS(out.output, "0 passed, 1 failed");
  const auto junit = read_file(dir.path / "junit.xml");
  CHECK_CONTAINS(junit, "<failure");
  CHECK_CONTAINS(junit, "kaboom from the client");
}

BOOST_AUTO_TEST_CASE(unknown_key_is_a_file_line_error_with_exit_code_2) {
  TempDir dir;
  const auto out = run_understudy(
      {"run", (kScenarios / "bad/unknown_key.toml").string(), "--report-dir", dir.path.string()},
      dir.path);
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "unknown_key.toml:5: unknown key 'expect_actor'");
}

BOOST_AUTO_TEST_CASE(broken_toml_is_a_file_line_error_with_exit_code_2) {
  TempDir dir;
  const auto out =
      run_understudy({"list", (kScenarios / "bad/broken_syntax.toml").string()}, dir.path);
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  BOOST_TEST(std::regex_search(out.output, std::regex("broken_syntax\\.toml:[3-5]: ")),
             "no file:line in:\n"
                 << out.output);
}

BOOST_AUTO_TEST_CASE(client_crashing_at_start_is_reported_with_its_log_tail) {
  TempDir dir;
  const auto out = run_understudy({"run", (kScenarios / "good/crashing_client.toml").string(),
                                   "--report-dir", dir.path.string()},
                                  dir.path);
  BOOST_TEST(out.exit_code == 1, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "ERROR harness self-test: a client crashes at start");
  CHECK_CONTAINS(out.output, "client process 'crasher' exited with code 1 before it registered");
  CHECK_CONTAINS(out.output, "missing configuration XYZZY");
}

// Starts the lingering scenario, waits until its engine and clients run, kills
// the harness with `signal`, and checks that every one of them is gone.
void interrupt_and_check_nothing_survives(int signal) {
  TempDir dir;
  const auto pid_dir = dir.path / "pids";
  fs::create_directories(pid_dir);
  ProcessSpec spec{"understudy",
                   {UNDERSTUDY_BINARY, "run", (kScenarios / "good/linger.toml").string(),
                    "--report-dir", (dir.path / "reports").string()},
                   {{"PID_DIR", pid_dir.string()}},
                   dir.path / "understudy.log",
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
  const auto engine_log = read_file(dir.path / "reports/runs/0-linger/engine.log");
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
}

BOOST_AUTO_TEST_CASE(sigterm_to_the_harness_leaves_no_process_behind) {
  interrupt_and_check_nothing_survives(SIGTERM);
}

BOOST_AUTO_TEST_CASE(sigkill_to_the_harness_leaves_no_process_behind) {
  interrupt_and_check_nothing_survives(SIGKILL);
}

BOOST_AUTO_TEST_CASE(shards_partition_the_suite_exactly) {
  TempDir dir;
  const auto all = listed(run_understudy({"list", kShippedScenarios.string()}, dir.path).output);
  BOOST_TEST_REQUIRE(all.size() >= 10u, "the shipped suite lists only " << all.size());
  std::multiset<std::string> union_of_shards;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = run_understudy(
        {"list", kShippedScenarios.string(), "--shard", std::to_string(i) + "/3"}, dir.path);
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
        run_understudy({"list", kShippedScenarios.string()}, dir.path,
                       {{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", std::to_string(i)}});
    for (const auto& name : listed(shard.output)) {
      from_env.insert(name);
    }
  }
  BOOST_TEST((std::set<std::string>(from_env.begin(), from_env.end()) == all));
  BOOST_TEST(from_env.size() == all.size());
}

BOOST_AUTO_TEST_CASE(bad_shard_argument_is_a_usage_error) {
  TempDir dir;
  const auto out = run_understudy({"list", kShippedScenarios.string(), "--shard", "4/3"}, dir.path);
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
                         seed, "--report-dir", (dir.path / folder).string()},
                        dir.path, {}, 120s);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_same_seed_replays_the_same_fault_schedule_and_another_seed_does_not) {
  TempDir dir;
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
  CHECK_CONTAINS(read_file(dir.path / "first" / "results.json"), "fault schedule for seed 7");
}

BOOST_AUTO_TEST_CASE(a_misspelt_fault_matrix_key_is_a_file_line_error) {
  TempDir dir;
  const auto file = dir.path / "misspelt.toml";
  std::ofstream(file) << "[scenario]\nname = \"x\"\n\n[[steps]]\nfault_matrix = { script = \""
                      << (kShippedScenarios / "clients/fault_matrix_client.py").string()
                      << "\", faults = 3, duraton = 2 }\n";
  const auto out = run_understudy({"run", file.string()}, dir.path);
  BOOST_TEST(out.exit_code == 2, "exit code " << out.exit_code << "; output:\n" << out.output);
  CHECK_CONTAINS(out.output, "misspelt.toml:5");  // the key's own line
  CHECK_CONTAINS(out.output, "unknown key 'duraton' in fault_matrix");
}
