// StressOptions: what `understudy stress` was asked to do (the command line's
// options, resolved), read by every part of a stress run and never changed
// once the run starts.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

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

// The readable one-line summary of the options, as the report shows it.
std::string describe(const StressOptions& options);

// The PYTHONPATH of every process the run starts (engine, plain server,
// workers): `pylib` first, so that understudy_stress and understudy_client
// are the ones next to this binary, then the caller's own PYTHONPATH.
std::string child_python_path(const StressOptions& options);

}  // namespace understudy::harness
