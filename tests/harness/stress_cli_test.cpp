// `understudy stress` as users run it: the real binary starting a real
// engine, the plain RPyC baseline server and real client processes, and the
// stress.json it writes read back. Figures are checked for being there and
// consistent, never against a speed.
#define BOOST_TEST_MODULE stress_cli
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/child_process.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using understudy::ChildProcess;
using understudy::ProcessSpec;
using understudy::testing::TempDir;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int exit_code = -1;
  std::string output;
};

Outcome run_stress(std::vector<std::string> args, const fs::path& dir,
                   std::chrono::milliseconds deadline = 150s) {
  std::vector<std::string> argv = {UNDERSTUDY_BINARY, "stress", "--report-dir", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessSpec spec{"understudy stress", argv, {}, dir / "understudy.log", std::nullopt};
  ChildProcess process(spec);
  const bool exited = process.wait_exit(deadline);
  Outcome outcome;
  outcome.output = read_file(spec.log_path);
  BOOST_TEST_REQUIRE(exited, "understudy stress did not finish within " << deadline.count()
                                                                        << " ms; its output:\n"
                                                                        << outcome.output);
  outcome.exit_code = process.exit_code().value_or(-1);
  return outcome;
}

json read_report(const fs::path& dir, const std::string& output) {
  const auto text = read_file(dir / "stress.json");
  BOOST_TEST_REQUIRE(!text.empty(), "no stress.json in " << dir << "; output:\n" << output);
  return json::parse(text);
}

const json* find_step(const json& report, const std::string& target) {
  for (const auto& step : report["steps"]) {
    if (step["target"] == target) {
      return &step;
    }
  }
  return nullptr;
}

const json* find_path(const json& step, const std::string& name) {
  for (const auto& path : step["paths"]) {
    if (path["name"] == name) {
      return &path;
    }
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_short_run_measures_every_path_on_the_engine_and_its_baselines) {
  TempDir dir("understudy-stress-test");
  const auto out = run_stress({"--clients", "2", "--connections-per-process", "2", "--duration",
                               "2", "--engine-rate", "60"},
                              dir.path());
  BOOST_TEST_REQUIRE(out.exit_code == 0, "exit " << out.exit_code << "; output:\n" << out.output);
  const auto report = read_report(dir.path(), out.output);

  const auto* loopback = find_step(report, "loopback TCP");
  BOOST_TEST_REQUIRE(loopback != nullptr, report.dump(2));
  BOOST_TEST((*loopback)["paths"][0]["calls"].get<int>() > 0);

  for (const std::string target : {"plain RPyC", "engine"}) {
    BOOST_TEST_CONTEXT(target) {
      const auto* step = find_step(report, target);
      BOOST_TEST_REQUIRE(step != nullptr, report.dump(2));
      BOOST_TEST((*step)["clients"] == 2);
      BOOST_TEST((*step)["processes"] == 1);
      BOOST_TEST((*step)["registration_seconds"].get<double>() > 0);
      BOOST_TEST((*step)["memory"]["rss_registered_bytes"].get<double>() > 0);
      // Its threads ran, and were woken thousands of times: each waited for
      // a CPU at least a little (Linux's schedstat, summed over them).
      BOOST_TEST((*step)["target_cpu_seconds"].get<double>() > 0);
      BOOST_TEST((*step)["target_cpu_wait_seconds"].get<double>() > 0);
      BOOST_TEST((*step)["target_cpu_wait_seconds"].get<double>() <
                 10 * (*step)["target_cpu_seconds"].get<double>() + 10);
      BOOST_TEST((*step)["target_switches_in_per_second"].get<double>() > 0);
      // One connection per client, at least, beyond what the target had alone.
      BOOST_TEST((*step)["memory"]["fds_registered"].get<int>() >=
                 (*step)["memory"]["fds_before"].get<int>() + 2);
      for (const std::string name :
           {"execute", "cheap", "pipeline", "sync", "coroutine", "async"}) {
        BOOST_TEST_CONTEXT(name) {
          const auto* path = find_path(*step, name);
          BOOST_TEST_REQUIRE(path != nullptr, step->dump(2));
          const auto calls = (*path)["calls"].get<std::uint64_t>();
          BOOST_TEST(calls > 0u);
          BOOST_TEST((*path)["ok"].get<std::uint64_t>() == calls);
          const auto& latency = (*path)["latency_ms"];
          BOOST_TEST(latency["p50"].get<double>() > 0);
          BOOST_TEST(latency["p50"].get<double>() <= latency["p99"].get<double>());
          BOOST_TEST(latency["p99"].get<double>() <= latency["max"].get<double>());
        }
      }
    }
  }
  const auto* engine = find_step(report, "engine");
  BOOST_TEST((*engine)["frames"]["frames"].get<int>() > 0);
  // The engine issued what was due (60/s for 2 s on each path), give or take a frame.
  BOOST_TEST((*find_path(*engine, "sync"))["calls"].get<int>() >= 100);

  bool throughput_compared = false;
  for (const auto& c : report["comparisons"]) {
    throughput_compared |= c["what"] == "throughput, all paths" && c["ratio"].get<double>() > 0;
  }
  BOOST_TEST(throughput_compared, report["comparisons"].dump(2));
  const auto html = read_file(dir.path() / "stress.html");
  BOOST_TEST(html.find("Against the baselines") != std::string::npos);
  BOOST_TEST(html.find("<svg") != std::string::npos);

  // The output leads its summary with the verdict: all paths and each path
  // both targets ran, the engine's calls to clients marked frame-bound.
  BOOST_TEST(report["verdicts"].size() == 7u, report["verdicts"].dump(2));
  const auto verdict = out.output.find("understudy stress: verdict, the engine against the plain");
  BOOST_TEST_REQUIRE(verdict != std::string::npos, out.output);
  BOOST_TEST(out.output.find("\n  ping-pong ") < verdict, "the loopback step's figures:\n"
                                                              << out.output);
  for (const std::string row : {"  all paths", "  execute", "  sync *", "  async *"}) {
    BOOST_TEST(out.output.find(row, verdict) != std::string::npos, row << " in\n" << out.output);
  }
  BOOST_TEST(
      out.output.find("* frame-bound: the engine calls its clients", verdict) != std::string::npos,
      out.output);
  BOOST_TEST(html.find("<h2>Verdict") < html.find("<h2>Against the baselines"));
}

// Open loop: a call due between two frames goes out at the next frame, and
// its latency counts from when it was due (no coordinated omission). At
// 5 Hz frames are 200 ms apart: calls wait about 100 ms for their frame,
// while the call itself takes a millisecond or so.
BOOST_AUTO_TEST_CASE(open_loop_latency_counts_from_when_the_call_was_due) {
  TempDir dir("understudy-stress-test");
  const auto out =
      run_stress({"--clients", "1", "--duration", "3", "--tick-hz", "5", "--mix", "",
                  "--engine-paths", "sync", "--engine-rate", "40", "--no-plain", "--no-loopback"},
                 dir.path());
  BOOST_TEST_REQUIRE(out.exit_code == 0, "exit " << out.exit_code << "; output:\n" << out.output);
  const auto report = read_report(dir.path(), out.output);
  const auto* engine = find_step(report, "engine");
  BOOST_TEST_REQUIRE(engine != nullptr, report.dump(2));
  const auto* sync = find_path(*engine, "sync");
  BOOST_TEST_REQUIRE(sync != nullptr, engine->dump(2));
  const auto from_due = (*sync)["latency_ms"]["p50"].get<double>();
  const auto from_send = (*sync)["from_send_ms"]["p50"].get<double>();
  BOOST_TEST(from_due > 40.0, "from due p50 " << from_due << " ms");
  BOOST_TEST(from_send < from_due / 4,
             "from send p50 " << from_send << " ms, from due " << from_due << " ms");
  BOOST_TEST((*sync)["latency_ms"]["max"].get<double>() >= 150.0);
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused_with_what_is_wrong) {
  TempDir dir("understudy-stress-test");
  auto out = run_stress({"--clients", "0"}, dir.path(), 20s);
  BOOST_TEST(out.exit_code == 2);
  BOOST_TEST(
      out.output.find("--clients takes counts like 64 or 1,4,16,64, got '0'") != std::string::npos,
      out.output);
  out = run_stress({"--engine-paths", "sync,telepathy"}, dir.path(), 20s);
  BOOST_TEST(out.exit_code == 2);
  BOOST_TEST(out.output.find("got 'telepathy'") != std::string::npos, out.output);
  out = run_stress({"--mix", "execute:1,teleport:2"}, dir.path(), 20s);
  BOOST_TEST(out.exit_code == 2);
  BOOST_TEST(out.output.find("unknown client path 'teleport'") != std::string::npos, out.output);
  out = run_stress({"--mix", "execute:-1"}, dir.path(), 20s);
  BOOST_TEST(out.exit_code == 2);
  BOOST_TEST(out.output.find("weight") != std::string::npos, out.output);
}

// A thousand clients fit on a small machine as many connections per process:
// every connection is a client of its own to the engine (its own name, its
// own connection thread there).
BOOST_AUTO_TEST_CASE(many_connections_per_process_are_each_a_registered_client) {
  TempDir dir("understudy-stress-test");
  const auto out = run_stress(
      {"--clients", "32", "--connections-per-process", "8", "--duration", "1", "--mix", "cheap",
       "--engine-paths", "sync", "--engine-rate", "64", "--no-plain", "--no-loopback"},
      dir.path());
  BOOST_TEST_REQUIRE(out.exit_code == 0, "exit " << out.exit_code << "; output:\n" << out.output);
  const auto report = read_report(dir.path(), out.output);
  const auto* engine = find_step(report, "engine");
  BOOST_TEST_REQUIRE(engine != nullptr, report.dump(2));
  BOOST_TEST((*engine)["clients"] == 32);
  BOOST_TEST((*engine)["processes"] == 4);
  const auto& memory = (*engine)["memory"];
  BOOST_TEST(memory["threads_registered"].get<int>() >= memory["threads_before"].get<int>() + 32);
  BOOST_TEST(memory["per_client_bytes"].get<double>() > 0);
  const auto* sync = find_path(*engine, "sync");
  BOOST_TEST_REQUIRE(sync != nullptr);
  BOOST_TEST((*sync)["ok"].get<int>() > 0);
  BOOST_TEST((*sync)["ok"] == (*sync)["calls"]);
}
