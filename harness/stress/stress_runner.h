// StressRunner: `understudy stress`. For each client count of the sweep it
// measures raw loopback TCP, then the plain RPyC baseline server, then the
// engine, each with the same clients (real processes) and the same mix of
// paths, so every figure has its baseline from the same run:
//
//   client -> engine   execute (a main-thread job), cheap (root.list, on the
//                      connection's thread), pipeline (rpyc.async_ calls in
//                      flight); closed loop, or open loop at --rate
//   engine -> client   sync, coroutine, async calls of the clients' `noop`,
//                      from the engine's main thread (ClientCallLoad); open
//                      loop at --engine-rate, or closed loop at --engine-depth
//
// It reports, per path, throughput and latency (p50 .. max, from histograms
// good from a microsecond to the 30 s timeout), errors and timeouts; the
// frames the load stretched; memory, threads and descriptors per client; the
// time for every client to connect and register; and warnings whenever the
// load generator or the machine, not the target, was the limit.
#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "reports/stress_results.h"

namespace understudy::harness {

struct StressOptions {
  std::vector<int> clients{8};                       // one step per count
  int connections_per_process = 1;                   // clients per worker process
  std::string mix = "execute:1,cheap:1,pipeline:1";  // client paths and weights; "" for none
  double rate = 0;  // client paths: calls/s per client; 0 closed loop
  int pipeline_depth = 8;
  std::vector<std::string> engine_paths{"sync", "coroutine", "async"};
  double engine_rate = 300;  // engine paths: calls/s per path in all; 0 closed loop
  int engine_depth = 4;      // closed loop: calls in flight per client (coroutine, async)
  std::chrono::milliseconds duration{5000};
  double tick_hz = 60;
  bool faithful = false;
  std::vector<std::string> engine_args;  // more understudy-engine flags, as given
  bool plain_baseline = true;
  bool loopback_baseline = true;
  std::string spawn =
      "fork";  // "fork": worker processes forked from launchers; "exec": each its own interpreter
  std::uint64_t seed = 1;
  std::filesystem::path engine_binary;
  std::filesystem::path python;
  std::filesystem::path pylib;     // harness/pylib (understudy_client, understudy_stress)
  std::filesystem::path work_dir;  // logs, one folder per step
  bool live_progress = false;      // rewrite one line on a terminal
};

// Runs the sweep. Progress goes to `out`. A target that cannot start makes
// its step record the error and the report `failed`; the others still run.
reports::StressReport run_stress(const StressOptions& options, std::ostream& out);

// The readable one-line summary of the options, as the report shows it.
std::string describe(const StressOptions& options);

}  // namespace understudy::harness
