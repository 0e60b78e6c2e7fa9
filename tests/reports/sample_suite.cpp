#include "tests/reports/sample_suite.h"

#include <cmath>

namespace understudy::testing {
namespace {

using namespace understudy::reports;

// Deterministic, long-tailed latencies: mostly around `typical_ms`, with a
// few slow outliers, like real call latencies under a frame loop.
std::vector<double> latencies(std::size_t count, double typical_ms, unsigned salt) {
  std::vector<double> samples;
  std::uint32_t state = 2463534242u ^ salt;
  for (std::size_t i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    const double u = (static_cast<double>(state % 100000) + 0.5) / 100000.0;
    const double jitter = -std::log(u);  // exponential, mean 1
    samples.push_back(std::round((typical_ms * (0.6 + 0.4 * jitter)) * 1000.0) / 1000.0);
  }
  return samples;
}

TimelineEvent event(std::string kind, std::string name, std::string track, double start_s,
                    double duration_s, std::string outcome = "",
                    std::map<std::string, std::string> args = {}) {
  return {std::move(kind), std::move(name),    std::move(track), start_s,
          duration_s,      std::move(outcome), std::move(args)};
}

ScenarioResult passed_scenario(int repeat_index) {
  ScenarioResult scenario;
  scenario.name = "sync call round trip";
  scenario.file = "scenarios/basics/sync_call.toml";
  scenario.tags = {"smoke", "rpc"};
  scenario.status = Status::kPassed;
  scenario.duration_s = repeat_index == 0 ? 1.42 : 1.37;
  scenario.repeat_index = repeat_index;
  scenario.seed = 424242 + static_cast<std::uint64_t>(repeat_index);
  scenario.expectations = {
      {"call worker-0.on_event (sync) returns within 50 ms", true, "reply within 50 ms",
       "reply after 8.1 ms", "scenarios/basics/sync_call.toml:9"},
      {"no frame takes longer than 33 ms", true, "frame work <= 33 ms", "max frame work 6.2 ms",
       "scenarios/basics/sync_call.toml:12"},
  };
  scenario.timeline = {
      event("process", "engine started", "harness", 0.02, 0),
      event("process", "client worker-0 connected", "harness", 0.31, 0),
      event("step", "step 1: warm up", "harness", 0.05, 0.4),
      event("call", "sync call worker-0.on_event", "main", 0.5, 0.0081, "ok", {{"call_id", "1"}}),
      event("wait", "main waits for client:worker-0#1", "main", 0.501, 0.007, "ok"),
      event("call", "execute on_event", "client:worker-0", 0.502, 0.006, "ok"),
      event("step", "step 2: 200 sync calls", "harness", 0.52, 0.8),
      event("console", "LogPython: tick 60", "main", 1.0, 0),
  };
  scenario.latencies = {
      {"sync call", latencies(200, 6.0, 7u + static_cast<unsigned>(repeat_index))}};
  scenario.logs = {{"engine", "logs/sync_call/engine.log",
                    "[0.02] engine up, 60 fps\n[1.40] shutting down cleanly\n"}};
  scenario.metrics = {{"frames", 85}, {"frame_work_p99_ms", 5.8}, {"messages_lost", 0}};
  return scenario;
}

ScenarioResult failed_scenario() {
  ScenarioResult scenario;
  scenario.name = "deadlock: main <-> worker \"ping\" & 'pong'";
  scenario.file = "scenarios/deadlock/ping_pong.toml";
  scenario.tags = {"deadlock", "nightly"};
  scenario.status = Status::kFailed;
  scenario.failure_kind = FailureKind::kDeadlock;
  scenario.duration_s = 6.25;
  scenario.seed = 1234567890123456789ull;
  scenario.failure_message =
      "call worker-0.on_event (sync) did not time out in [1.8, 3.0] s: no reply after 5.00 s "
      "(deadlock main -> client:worker-0#3 -> client:worker-1#7 -> main)";
  scenario.expectations = {
      {"engine starts within 2 s", true, "ready within 2 s", "ready after 0.21 s",
       "scenarios/deadlock/ping_pong.toml:4"},
      {"call worker-0.on_event (sync) times out in [1.8, 3.0] s", false,
       "a timeout after 1.8 s to 3.0 s", "no reply after 5.00 s; <blocked> & still waiting",
       "logs/ping_pong/engine.log; scenarios/deadlock/ping_pong.toml:14"},
      {"no deadlock is reported", false, "no wait-for cycle",
       "cycle of 3: main -> client:worker-0#3 -> client:worker-1#7 -> main",
       "logs/ping_pong/engine.log"},
  };
  scenario.timeline = {
      event("process", "engine started", "harness", 0.0, 0),
      event("process", "clients worker-0, worker-1 connected", "harness", 0.21, 0),
      event("step", "step 1: lock order ping/pong", "harness", 0.25, 5.8),
      event("call", "sync call worker-0.on_event", "main", 0.5, 5.0, "timeout",
            {{"call_id", "3"}, {"timeout_s", "5.0"}}),
      event("wait", "main waits for client:worker-0#3", "main", 0.52, 4.98, "timeout"),
      event("call", "execute ping", "client:worker-0", 0.55, 4.9, "error",
            {{"error", "ConnectionResetError: peer closed <socket>"}}),
      event("wait", "client:worker-0#3 waits for client:worker-1", "client:worker-0", 0.6, 4.8,
            "error"),
      event("call", "execute lock", "client:worker-1", 0.58, 4.85, "error"),
      event("wait", "client:worker-1#7 waits for main", "client:worker-1", 0.62, 4.75, "error"),
      event("console", "LogPython: Warning: game thread blocked for 1.0 s", "main", 1.52, 0),
      event("deadlock", "deadlock detected", "harness", 2.5, 0, "",
            {{"members", "main, client:worker-0#3, client:worker-1#7"}}),
      event("fault", "redis: connection dropped (injected)", "redis", 3.1, 0),
      event("call", "GET session:42", "redis", 0.3, 0.002, "ok"),
      event("process", "engine killed after timeout", "harness", 6.1, 0, "error"),
  };
  DeadlockCycle cycle;
  cycle.certain = true;
  cycle.members = {"main", "client:worker-0#3", "client:worker-1#7"};
  cycle.summary = "main -> client:worker-0#3 (ping) -> client:worker-1#7 (lock) -> main (execute)";
  cycle.text =
      "Deadlock detected at frame 150 (2.500 s)\n"
      "  main (game thread) waits for client:worker-0#3: sync call on_event\n"
      "    at unreal_engine.py:212 in call_sync\n"
      "    at scenario.py:40 in on_tick\n"
      "  client:worker-0#3 waits for client:worker-1#7: lock 'pong'\n"
      "    at worker.py:88 in ping\n"
      "  client:worker-1#7 waits for main: execute <main thread>\n"
      "    at worker.py:120 in lock\n";
  cycle.at_s = 2.5;
  cycle.frame = 150;
  scenario.deadlocks = {cycle};
  scenario.latencies = {
      {"sync call", latencies(150, 9.0, 99u)},
      {"client->engine execute", latencies(400, 2.5, 5u)},
  };
  scenario.logs = {
      {"engine", "logs/ping_pong/engine.log",
       "[2.50] LogDeadlock: Error: cycle main -> client:worker-0#3 -> client:worker-1#7\n"
       "[2.51] " +
           std::string(kTrickyLogLine) +
           "\n"
           "[6.10] LogExit: killed by the harness (SIGKILL)\n"},
      {"client worker-0", "logs/ping_pong/client-worker-0.log",
       "Traceback (most recent call last):\n  File \"worker.py\", line 88, in ping\n"
       "ConnectionResetError: peer closed <socket>\n"},
  };
  scenario.metrics = {
      {"frames", 150}, {"frame_work_p99_ms", 4.7}, {"messages_lost", 3}, {"longest_wait_s", 4.98}};
  return scenario;
}

ScenarioResult error_scenario() {
  ScenarioResult scenario;
  scenario.name = "redis reconnect";
  scenario.file = "scenarios/redis/reconnect.toml";
  scenario.tags = {"redis"};
  scenario.status = Status::kError;
  scenario.failure_kind = FailureKind::kHarnessError;
  scenario.duration_s = 0.84;
  scenario.seed = 7;
  scenario.failure_message =
      "redis-server did not start: port 6390 already in use (see logs/reconnect/redis.log)";
  scenario.timeline = {
      event("process", "redis-server exited with code 1", "redis", 0.8, 0, "error")};
  scenario.logs = {{"redis-server", "logs/reconnect/redis.log",
                    "# Could not create server TCP listening socket *:6390: bind: Address "
                    "already in use\n"}};
  return scenario;
}

ScenarioResult skipped_scenario() {
  ScenarioResult scenario;
  scenario.name = "python 3.13 free-threaded ticker";
  scenario.file = "scenarios/python/free_threaded.toml";
  scenario.tags = {"python", "experimental"};
  scenario.status = Status::kSkipped;
  scenario.failure_message = "requires a free-threaded Python build";
  return scenario;
}

}  // namespace

reports::SuiteResult sample_suite() {
  SuiteResult suite;
  suite.name = "understudy";
  suite.started_at = "2024-05-17T09:30:12Z";
  suite.duration_s = 9.96;
  suite.command_line = "understudy-harness run scenarios/ --repeat 2 --report-dir out/";
  suite.hostname = "ci-runner-3";
  suite.scenarios = {passed_scenario(0), passed_scenario(1), failed_scenario(), error_scenario(),
                     skipped_scenario()};
  suite.excluded = {
      {"tagged slow", "--tag slow runs them", {"fault matrix long", "ten minute soak"}}};
  return suite;
}

}  // namespace understudy::testing
