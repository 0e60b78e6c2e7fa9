// FaultMatrix: runs a FaultSchedule against a live engine while clients call
// on every path, then checks the invariants that must survive any schedule:
//   - the main thread is never held longer than the call timeout plus two
//     frames (the longest interval between two frame starts over the whole
//     run, less the one period frames are apart);
//   - no actor is created twice or lost: every label a client or a call
//     reported done is in the world exactly once, every matrix label in the
//     world was attempted by someone, and none whose spawn the engine
//     reported failed is in the world (see check_actors for the definition);
//   - every planned fault took effect, as observed: a killed client died of
//     the SIGKILL, a paused one was in the stopped state until its SIGCONT,
//     a reload finished, Redis refused PING while down and answered again,
//     and is still answering at the end;
//   - nothing hangs silently: every call the harness made has an outcome
//     within its deadline, every client is back and answering at the end
//     (killed ones were started again), its own calls are not stuck, and
//     every process that ended was ended by the schedule.
// The matrix starts its own clients (scenarios/clients/fault_matrix_client.py).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/faults/fault_schedule.h"
#include "reports/results.h"

namespace understudy::redis {
class RedisServer;
}

namespace understudy {
class ChildProcess;
}

namespace understudy::harness {

class EngineClient;

// What the matrix needs from the scenario run it is part of.
struct FaultMatrixHost {
  EngineClient& control;
  // Starts a client process named `name` running `script` with `args`; the
  // run owns it (stops it and reports its log at the end).
  std::function<ChildProcess&(const std::string& name, const std::filesystem::path& script,
                              const std::vector<std::string>& args)>
      start_client;
  // The scenario's private redis-server, for restart_redis faults (null
  // without one). Used only from the matrix's threads while run() runs.
  redis::RedisServer* redis = nullptr;
  double call_timeout_s = 2;
  double tick_hz = 60;
  std::function<double()> now_s;  // the scenario's clock, for timeline entries
  std::filesystem::path work_dir;
  std::string engine_log_hint;
};

struct FaultMatrixOptions {
  FaultMatrixSpec spec;
  std::string client_name = "fm-{i}";  // {i} counts the clients
  std::filesystem::path client_script;
  double load_interval_s = 0.02;  // the harness's engine->client calls, one this often
  int max_load_in_flight = 4;
  double settle_s = 15;  // for clients to come back after the last fault
};

struct FaultMatrixOutcome {
  std::vector<PlannedFault> schedule;
  std::string schedule_text;         // one line per fault, as printed
  std::vector<std::string> broken;   // each broken invariant, with what was seen and where to look
  std::vector<std::string> checked;  // each invariant that held, with the figures
  std::map<std::string, double> metrics;
  std::vector<reports::TimelineEvent> timeline;  // the faults as they happened
};

class FaultMatrix {
 public:
  // Plans the schedule; throws std::invalid_argument for an impossible spec.
  FaultMatrix(FaultMatrixHost host, FaultMatrixOptions options, std::uint64_t seed);
  // The schedule, as printed, known before run() (and kept if it throws).
  const std::string& schedule_text() const { return schedule_text_; }
  FaultMatrixOutcome run();

 private:
  struct Impl;
  FaultMatrixHost host_;
  FaultMatrixOptions options_;
  std::uint64_t seed_;
  std::vector<std::string> names_;
  std::vector<PlannedFault> schedule_;
  std::string schedule_text_;
};

// The schedule as printed in reports: a header naming the seed, then one line per fault.
std::string describe_schedule(const std::vector<PlannedFault>& schedule,
                              const std::vector<std::string>& client_names, std::uint64_t seed);

}  // namespace understudy::harness
