// FaultMatrix::Impl: one run of the fault matrix, shared by its two halves:
// fault_injection.cpp runs the schedule (the clients, the harness's calls,
// each planned fault at its time) and fault_matrix_checks.cpp judges the
// invariants afterwards. Private to harness/faults/; fault_matrix.cpp's
// FaultMatrix::run() makes one and calls each half in turn.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/child_process.h"
#include "harness/faults/fault_matrix.h"
#include "protocol/messages.h"

namespace understudy::harness {

// One engine->client call the harness made.
struct HarnessCall {
  std::int64_t id = 0;
  int client = 0;
  std::string path;   // the path's name, as the metrics spell it
  std::string label;  // the actor the client spawns for it, on the coroutine and async paths
  bool spawns = false;
  double sent_s = 0;
  double deadline_s = 0;  // an outcome must arrive by then
  std::string outcome;    // empty until it arrives
};

// One process that ran under a client's name.
struct Incarnation {
  ChildProcess* process = nullptr;
  bool killed_by_schedule = false;
};

// A step of the schedule, at its time from the start of the matrix.
struct TimedAction {
  double at_s;
  std::function<void()> run;
};

// What a planned fault was seen to do.
struct FaultEffect {
  bool signalled = false;  // kill and pause: the signal was sent
  bool taken = false;      // observed to have taken effect
  std::string seen = "its time never came";
};

struct FaultMatrix::Impl {
  using Clock = std::chrono::steady_clock;

  Impl(FaultMatrixHost& h, const FaultMatrixOptions& o, std::uint64_t s)
      : host(h), options(o), seed(s) {}

  FaultMatrixHost& host;
  const FaultMatrixOptions& options;
  std::uint64_t seed;
  Clock::time_point started = Clock::now();
  double started_scenario_s = 0;
  std::size_t events_at_start = 0;
  std::vector<std::string> names;
  std::vector<std::filesystem::path> ledgers;
  std::vector<std::vector<Incarnation>> incarnations;  // per client, oldest first
  std::vector<HarnessCall> calls;
  std::vector<std::int64_t> reload_requests;

  // By fault number. A Redis restart's thread writes its own entry, under
  // effects_mutex (observe()); every other entry is the schedule thread's,
  // and the restart threads are joined before any entry is read for a check.
  std::mutex effects_mutex;
  std::vector<FaultEffect> effects;

  // One Redis restart at a time (RedisServer is not thread-safe): under load
  // a restart can outlast the gap the schedule leaves before the next one.
  std::mutex redis_restart_mutex;
  std::size_t load_turn = 0;
  double last_load_s = -1;
  FaultMatrixOutcome out;

  // Last, so destroyed first: a run that unwinds (the engine died under a
  // fault, a control request failed) joins its Redis restarts before what
  // they write goes away, instead of std::terminate on a joinable thread.
  std::vector<std::jthread> redis_restarts;

  double now_s() const { return std::chrono::duration<double>(Clock::now() - started).count(); }

  void broken(std::string what) { out.broken.push_back(std::move(what)); }

  void held(std::string what) { out.checked.push_back(std::move(what)); }

  void fault_event(const std::string& name, const std::string& track) {
    out.timeline.push_back({"fault", name, track, host.now_s(), 0, "ok", {}});
  }

  void observe(std::size_t number, bool taken, std::string seen) {
    std::lock_guard lock(effects_mutex);
    effects[number].taken = taken;
    effects[number].seen = std::move(seen);
  }

  std::string log_of(int client) const {
    return incarnations[static_cast<std::size_t>(client)].back().process->log_path().string();
  }

  ChildProcess& current(int client) {
    return *incarnations[static_cast<std::size_t>(client)].back().process;
  }

  // --- the schedule and the faults (fault_injection.cpp) ---

  void start_client(int client);

  // Every client registered exactly once (a killed one's connection gone).
  bool all_registered(std::chrono::milliseconds timeout, std::string* seen);
  void send_call(int client, protocol::CallPath path, const std::string& label, double hold_s);
  std::size_t poll_calls();
  void send_load_call();

  // Stops the private redis-server, sees its port refuse PING, starts it
  // again after `down_s` (RedisServer::start waits for its PONG). Returns
  // what was seen; throws if Redis did not go down or did not come back.
  std::string restart_redis(double down_s);
  std::vector<TimedAction> actions_for(const PlannedFault& fault, std::size_t number);
  // A kill or a pause: the call the fault lands in, then `signal` to its
  // client `into_call_s` later (`verb` names the fault when the client is gone).
  void push_signal_into_call(std::vector<TimedAction>& actions, const PlannedFault& fault,
                             std::size_t number, int signal, const char* verb);
  void run_schedule();

  // --- the invariants, judged after the schedule (fault_matrix_checks.cpp) ---

  // Every planned fault was observed to take effect (a fault that found its
  // client gone, or a signal that did nothing, is no fault injected).
  void check_faults_took_effect();

  // After its restarts, Redis is there for the rest of the scenario.
  void check_redis_back();

  // The latest deadline of the calls still unanswered (0 when none is).
  double pending_deadline_s() const;
  void check_calls();
  void check_clients();
  bool matrix_label(const std::string& label) const;

  // Holds the world against what was reported. A label is "done" when its
  // spawn was answered without error (in a client's ledger, or a harness
  // call that spawned it ended ok), and "reported failed" when the engine
  // answered its spawn with an exception raised while running it (an RPyC
  // remote exception, carrying the engine's traceback: the engine said the
  // code ran and failed). A spawn whose call expired or whose connection was
  // lost is neither: its caller cannot know, so it is only counted. Then
  // done but not in the world is lost, in the world but reported failed is
  // "spawned, then reported failed", in the world twice is doubled, and in
  // the world but never attempted is a phantom.
  void check_actors();
  void check_main_thread();
  void check_reloads();
};

}  // namespace understudy::harness
