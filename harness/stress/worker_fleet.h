// WorkerFleet: the client processes of one stress step. A worker is a Python
// process (harness/pylib/understudy_stress/worker.py) holding
// `connections_per_process` clients of the target; it reports to the
// SampleCollector, connects, waits for the conductor's 'G', calls for the
// run's duration and waits for 'Q'. With --spawn fork, a launcher imports
// rpyc once and forks up to 64 workers, so a thousand clients start in
// seconds; with --spawn exec every worker is a launcher of its own.
//
// Contract:
// - start() returns once the launchers are started, not when the workers
//   have connected; launcher N logs to `log_dir`/workers-N.log.
// - await_registration() returns when every worker said its clients are
//   connected and the target's registry lists them all. It throws
//   StressStepError (what was expected, what was seen, which log) when a
//   launcher failed, the target exited or `deadline` passed.
// - check_launchers() throws StressStepError, with the end of its log, when
//   a launcher exited with an error.
// - stop() gives each launcher 15 s to exit (its workers end after 'Q'),
//   then stops it by its pid. Destroying a fleet that was not stopped stops
//   the launchers by their pids (ChildProcess).
// - Not thread-safe: the step's thread alone uses it. The collector must
//   outlive the fleet.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "harness/stress/sample_collector.h"
#include "harness/stress/stress_options.h"
#include "harness/stress/stress_target.h"

namespace understudy::harness {

class WorkerFleet {
 public:
  WorkerFleet(const StressOptions& options, int processes, int connections_per_process,
              const SampleCollector& collector)
      : o_(options),
        processes_(processes),
        per_process_(connections_per_process),
        collector_(collector) {}

  void start(const std::string& rpc, const std::filesystem::path& log_dir);
  void await_registration(StressTarget& target, std::chrono::steady_clock::time_point deadline);
  void check_launchers();
  void stop();

  int clients() const { return processes_ * per_process_; }
  // The names the workers give their clients in the target's registry, the
  // names the engine's calls to clients are addressed to.
  std::vector<std::string> client_names() const;
  // "3 of 4 worker processes reported connected and 0 done"
  std::string describe() const;

 private:
  const StressOptions& o_;
  const int processes_;
  const int per_process_;
  const SampleCollector& collector_;
  std::filesystem::path log_dir_;
  std::vector<std::unique_ptr<ChildProcess>> launchers_;
};

}  // namespace understudy::harness
