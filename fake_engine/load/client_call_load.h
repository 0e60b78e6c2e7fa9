// ClientCallLoad: the engine's side of a stress run. From the main thread it
// calls a service on connected clients on the synchronous, coroutine and
// async paths, as game code would, and times every call from the moment it
// was due to the moment its outcome reached the main thread.
//
// Two ways to drive a path:
// - closed loop: `depth` calls in flight per client (sync: one call per client
//   per frame, since a sync call holds the main thread until it returns);
// - open loop: a fixed total rate, each call due at its own intended time and
//   timed from then, so a stalled frame shows up as latency instead of as
//   fewer calls (no coordinated omission).
//
// It goes through understudy_engine's public Python functions, the ones
// engine-side scripts use, so it measures what users get.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/latency_histogram.h"
#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/python/client_calls.h"

namespace understudy {

struct CallLoadPath {
  CallPath path = CallPath::kSync;
  double rate_per_second = 0;  // > 0: open loop at this total rate; 0: closed loop
  int depth = 1;               // closed loop: calls in flight per client (coroutine, async)
};

struct CallLoadPlan {
  std::vector<std::string> clients;
  std::string service = "noop";
  std::vector<CallLoadPath> paths;
  double timeout_seconds = 30;  // sync: the call timeout; coroutine/async: the expiry

  // Throws std::invalid_argument naming the bad field.
  static CallLoadPlan from_json(const nlohmann::json& value);
};

class ClientCallLoad {
 public:
  ClientCallLoad() = default;
  ~ClientCallLoad();
  ClientCallLoad(const ClientCallLoad&) = delete;
  ClientCallLoad& operator=(const ClientCallLoad&) = delete;

  // Main thread. Starts (or replaces) the load; the first calls go out at the
  // next frame. Throws std::runtime_error if understudy_engine is not running.
  void start(CallLoadPlan plan);
  // Main thread. Stops issuing and returns, per path: calls issued,
  // completed, outcomes by kind, calls still in flight, and two latency
  // histograms (LatencyHistogram::to_json): "latency" from each call's due
  // time (what a caller wanting that rate sees, waits for the frame
  // included) and "service" from when it was sent. Calls still in flight
  // finish unrecorded.
  nlohmann::json stop();

  // Main thread, every frame (a frame task). Cheap when no load runs.
  void on_frame();
  bool running() const { return running_.load(); }

 private:
  struct PathState;
  struct Run;

  // Returns false if the call failed before it was sent (it is recorded).
  bool issue(PathState& path, const std::shared_ptr<Run>& run, std::size_t client,
             Clock::time_point intended);

  std::atomic<bool> running_{false};
  std::shared_ptr<Run> run_;
};

}  // namespace understudy
