// ConnectionSoak: rounds of real RPyC clients connecting, calling and
// disconnecting (scenarios/clients/churn_client.py, several processes in
// parallel), with engine->client calls on every path between them. After
// each round the engine must give back what the round took: its file
// descriptors and threads exactly as at the baseline, its RSS within a stated
// tolerance of it. The baseline is taken after a warm-up round, once the
// engine's counts have stopped moving, so that one-time allocations (imports,
// caches, arenas) are not counted as a leak.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/process_resources.h"
#include "reports/results.h"

namespace understudy {
class ChildProcess;
}

namespace understudy::harness {

class EngineClient;

struct ConnectionSoakHost {
  EngineClient& control;
  pid_t engine_pid = 0;
  // Starts a client process the run owns (stopped and reported at the end).
  std::function<ChildProcess&(const std::string& name, const std::filesystem::path& script,
                              const std::vector<std::string>& args)>
      start_client;
  std::function<double()> now_s;  // the scenario's clock, for timeline entries
  double call_timeout_s = 2;
  std::string engine_log_hint;
};

struct ConnectionSoakOptions {
  std::filesystem::path script;
  int processes = 4;  // churning in parallel
  int cycles = 1000;  // connect/call/disconnect cycles per round, over all processes
  int warmup_cycles = 200;
  int rounds = 1;
  double duration_s = 0;  // when > 0: rounds until this long has passed
  double rss_mib = 16;    // RSS allowed above the baseline after a round
  double settle_s = 10;   // for threads and fds to come back after a round
  int calls = 10;         // engine->client calls per path per round
};

struct SoakRound {
  int cycles = 0;
  double seconds = 0;  // the churn alone
  ProcessResources after;
};

struct ConnectionSoakOutcome {
  ProcessResources baseline;
  std::vector<SoakRound> rounds;
  std::vector<std::string> broken;  // what did not come back, with the figures and logs
  std::string summary;              // baseline, after, cycles per second
  std::map<std::string, double> metrics;
  std::vector<reports::TimelineEvent> timeline;
};

class ConnectionSoak {
 public:
  ConnectionSoak(ConnectionSoakHost host, ConnectionSoakOptions options);
  ConnectionSoakOutcome run();

 private:
  // Runs `cycles` cycles over the churn processes; false (with the reason in
  // `out`) unless each exited 0 and the engine saw every cycle's client
  // register (its "client 'NAME' connected" console record), so that a
  // process that exits 0 without churning is not counted as a round.
  bool churn(int cycles, const std::string& round, ConnectionSoakOutcome& out);
  bool calls_on_every_path(ConnectionSoakOutcome& out);
  // Waits until fds and threads stop moving (baseline) or equal `target`.
  ProcessResources settled(const ProcessResources* target);

  ConnectionSoakHost host_;
  ConnectionSoakOptions options_;
  int started_ = 0;         // churn processes so far, for unique log names
  int calls_answered_ = 0;  // engine->client calls between rounds that succeeded
};

}  // namespace understudy::harness
