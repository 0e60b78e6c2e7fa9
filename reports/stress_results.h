// The results of a stress run (`understudy stress`): per target (the engine,
// the plain RPyC baseline, raw loopback TCP) and client count, each path's
// throughput and latency distribution, what the load did to the engine's
// frames and memory, and warnings about anything that makes a figure less
// than the truth (a saturated load generator, a busy machine). Plain data;
// stress_writer.h turns it into JSON and a self-contained HTML page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/frame_times_summary.h"

namespace understudy::reports {

struct LatencyPoint {
  double quantile = 0;  // 0.5, 0.9, ...
  double ms = 0;
};

struct StressPathResult {
  std::string name;  // "execute", "cheap", "pipeline", "sync", "coroutine", "async", "ping-pong"
  std::string direction;  // "client -> engine", "engine -> client", "loopback"
  std::string mode;       // "closed loop", "open loop 200/s", "depth 8"
  std::uint64_t calls = 0;
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t disconnected = 0;
  std::uint64_t in_flight_at_end = 0;
  double per_second = 0;  // completed without error
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
  std::vector<LatencyPoint> distribution;  // quantile curve, for the HTML
  // From when the call was sent rather than when it was due: differs for
  // the engine's open-loop paths, whose calls go out at the next frame.
  double sent_p50_ms = 0;
  double sent_p99_ms = 0;
};

// The engine's frames during one step's load.
using StressFrames = FrameTimesSummary;

struct StressStep {
  std::string target;  // "engine", "plain RPyC", "loopback TCP"
  int clients = 0;
  int processes = 0;
  double seconds = 0;  // how long the load ran
  std::vector<StressPathResult> paths;
  double total_per_second = 0;
  double registration_seconds = 0;  // all clients connected and registered
  std::uint64_t rss_before_bytes = 0;
  std::uint64_t rss_registered_bytes = 0;
  double memory_per_client_bytes = 0;
  int threads_before = 0;
  int threads_registered = 0;
  int fds_before = 0;
  int fds_registered = 0;
  double target_cpu_seconds = 0;             // the engine's (or plain server's) CPU during the load
  double target_cpu_wait_seconds = 0;        // its threads' waits for a CPU during the load
  double target_switches_in_per_second = 0;  // its threads put on a CPU, per second of load
  double machine_busy = 0;                   // 0..1, all CPUs, during the load
  bool has_frames = false;
  StressFrames frames;
  std::vector<std::string> warnings;
  std::vector<std::string> error_examples;
  std::string log_dir;
};

// One figure of the engine beside its baseline from the same run.
struct StressComparison {
  int clients = 0;
  std::string what;      // "throughput, all paths", "execute p50"
  std::string baseline;  // "plain RPyC", "loopback TCP"
  double engine = 0;
  double base = 0;
  std::string unit;  // "calls/s", "ms"
  double ratio = 0;  // engine / base
};

// Which target did better on one path (or on all paths together) at one
// client count: the engine or the plain RPyC server, on the figure that
// decides it (calls/s in a closed loop, where each client calls again as
// soon as it can; the p50 latency in an open loop, where both are sent the
// same calls/s).
struct StressVerdict {
  int clients = 0;
  std::string path;    // "all paths", "execute", "sync", ...
  std::string figure;  // "calls/s" or "p50"
  double engine = 0;   // calls/s, or milliseconds for "p50"
  double plain = 0;
  std::string better;        // "engine", "plain RPyC", or "" when within the noise
  double factor = 0;         // how many times better, >= 1; 0 when one side has no figure
  bool frame_bound = false;  // made from the engine's main thread, frame by frame
};

struct StressReport {
  std::string command_line;
  std::string settings;  // a readable summary of the options
  std::vector<StressStep> steps;
  std::vector<StressVerdict> verdicts;     // what the report leads with
  std::vector<std::string> verdict_notes;  // how to read them: noise, frames
  std::vector<StressComparison> comparisons;
  std::vector<std::string> warnings;  // for the whole run
  bool failed = false;                // a target could not run, or calls failed
};

}  // namespace understudy::reports
