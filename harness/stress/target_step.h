// TargetStep: one step of a stress sweep: the engine or the plain RPyC
// server, started for the step, loaded by `clients` clients (rounded up to
// whole worker processes) for the run's duration. In order: the target's
// resources before; the clients connect and register (timed); the load, with
// a progress line every second; the figures, the frames under load (engine)
// and the warnings.
//
// Contract:
// - run() once. It returns the step's figures, or throws when the target or
//   the workers failed: StressStepError with what was expected, what was
//   seen and which log to read, or std::runtime_error when a process or the
//   collector's socket could not be set up. Either way every process it
//   started is stopped, the workers first, before it returns.
// - Logs go to `work_dir`/engine-N-clients/ (or plain-N-clients/); sockets
//   to a private folder under the temporary directory, removed on return.
// - Blocks the calling thread for the step: about the duration plus the
//   clients' start, each wait with its own deadline (registration 30 s plus
//   a quarter of a second per client, the workers' finish 60 s).
#pragma once

#include <chrono>
#include <filesystem>

#include "harness/stress/progress_line.h"
#include "harness/stress/sample_collector.h"
#include "harness/stress/stress_options.h"
#include "harness/stress/stress_target.h"
#include "harness/stress/worker_fleet.h"
#include "reports/stress_results.h"

namespace understudy::harness {

class TargetStep {
 public:
  TargetStep(const StressOptions& options, bool engine, int clients, ProgressLine& progress)
      : o_(options), engine_(engine), clients_(clients), progress_(progress) {}

  reports::StressStep run();

 private:
  void register_clients(StressTarget& target, WorkerFleet& fleet, const std::filesystem::path& dir);
  void apply_load(StressTarget& target, SampleCollector& collector, WorkerFleet& fleet);
  void show_load_progress(StressTarget& target, SampleCollector& collector, WorkerFleet& fleet,
                          std::chrono::steady_clock::time_point start);

  const StressOptions& o_;
  const bool engine_;
  const int clients_;
  ProgressLine& progress_;
  reports::StressStep step_;
};

}  // namespace understudy::harness
