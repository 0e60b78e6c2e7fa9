#include "harness/faults/fault_matrix.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "common/child_process.h"
#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/control/engine_client.h"
#include "harness/timeouts.h"
#include "redis/redis_server.h"

namespace understudy::harness {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A few names out of many, for failure messages.
std::string first_of(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 8; ++i) {
    text += (i ? ", " : "") + names[i];
  }
  return text + (names.size() > 8 ? ", ..." : "");
}

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

// What a client's ledger says about the actors it spawned through the
// engine (in its own loop, and inside the harness's calls to it).
struct Ledger {
  std::set<std::string> attempted;
  std::set<std::string> done;
  // The engine answered the spawn with an exception it raised while running
  // it: a report that the spawn failed, so no such actor may exist.
  std::set<std::string> failed;
  std::size_t errors = 0;  // failed, or no answer either way (expired, connection lost)
};

// What a planned fault was seen to do.
struct FaultEffect {
  bool signalled = false;  // kill and pause: the signal was sent
  bool taken = false;      // observed to have taken effect
  std::string seen = "its time never came";
};

Ledger read_ledger(const std::filesystem::path& path) {
  Ledger ledger;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string what;
    std::string label;
    words >> what >> label;
    if (what == "attempt") {
      ledger.attempted.insert(label);
    } else if (what == "done") {
      ledger.done.insert(label);
    } else if (what == "failed") {
      ledger.failed.insert(label);
      ++ledger.errors;
    } else if (what == "error") {
      ++ledger.errors;
    }
  }
  return ledger;
}

}  // namespace

std::string describe_schedule(const std::vector<PlannedFault>& schedule,
                              const std::vector<std::string>& client_names, std::uint64_t seed) {
  std::string text = "fault schedule for seed " + std::to_string(seed) + " (" +
                     std::to_string(schedule.size()) + " faults):\n";
  for (const auto& fault : schedule) {
    const auto name = fault.client >= 0 && fault.client < static_cast<int>(client_names.size())
                          ? client_names[static_cast<std::size_t>(fault.client)]
                          : std::string();
    text += "  " + fault.describe(name) + "\n";
  }
  return text;
}

struct FaultMatrix::Impl {
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

  void start_client(int client) {
    const auto i = static_cast<std::size_t>(client);
    auto& process = host.start_client(
        names[i], options.client_script,
        {"--ledger", ledgers[i].string(), "--call-timeout", text::fixed(host.call_timeout_s, 3)});
    incarnations[i].push_back({&process, false});
  }

  // Every client registered exactly once (a killed one's connection gone).
  bool all_registered(milliseconds timeout, std::string* seen) {
    const auto registered = poll_until(
        [&] {
          const auto registry = host.control.registry(kControlRequestTimeout);
          bool all = true;
          for (const auto& name : names) {
            all = all && registry.contains(name) && registry.at(name) == 1;
          }
          *seen = json(registry).dump();
          return all;
        },
        "every client registered exactly once", {}, timeout, kControlPollInterval);
    return static_cast<bool>(registered);
  }

  void send_call(int client, protocol::CallPath path, const std::string& label, double hold_s) {
    HarnessCall call;
    call.client = client;
    call.path = std::string(protocol::call_path_name(path));
    call.label = label;
    call.spawns =
        path !=
        protocol::CallPath::kSync;  // a callback on the sync path is the re-entrant deadlock
    call.sent_s = now_s();
    // Sync calls run one at a time on the main thread: one may wait behind
    // every other call in flight, each bounded by the call timeout.
    call.deadline_s =
        call.sent_s + hold_s + 5.0 + host.call_timeout_s * (options.max_load_in_flight + 3);
    call.id = host.control.send_call({names[static_cast<std::size_t>(client)], "hold",
                                      json::array({label, hold_s, call.spawns}), path,
                                      host.call_timeout_s});
    calls.push_back(call);
  }

  std::size_t poll_calls() {
    std::size_t in_flight = 0;
    for (auto& call : calls) {
      if (!call.outcome.empty()) {
        continue;
      }
      if (auto response = host.control.try_response(call.id)) {
        call.outcome = protocol::call_outcome_name(call_result(*response).kind);
        out.metrics["fault_matrix.calls." + call.path + "." + call.outcome] += 1;
      } else {
        ++in_flight;
      }
    }
    return in_flight;
  }

  void send_load_call() {
    const auto n = load_turn++;
    const int client = static_cast<int>(n % names.size());
    const auto path = protocol::kCallPaths[(n / names.size()) % protocol::kCallPaths.size()];
    send_call(client, path, "e2c." + std::to_string(n), 0.01);
    last_load_s = now_s();
  }

  // Stops the private redis-server, sees its port refuse PING, starts it
  // again after `down_s` (RedisServer::start waits for its PONG). Returns
  // what was seen; throws if Redis did not go down or did not come back.
  std::string restart_redis(double down_s) {
    if (host.redis == nullptr) {
      throw std::runtime_error("no private redis-server to restart ([redis] enabled = true)");
    }
    std::lock_guard lock(redis_restart_mutex);
    auto& server = *host.redis;
    const auto before = std::to_string(server.pid());
    server.stop();
    std::string refused;
    if (server.answers_ping(kStoppedRedisPingTimeout, &refused)) {
      throw std::runtime_error("redis-server pid " + before +
                               " stopped, yet its port still answered PING");
    }
    std::this_thread::sleep_for(seconds_as_ms(down_s));
    server.start();
    return "pid " + before + " stopped (PING: " + refused + "), pid " +
           std::to_string(server.pid()) + " answering PING";
  }

  std::vector<TimedAction> actions_for(const PlannedFault& fault, std::size_t number) {
    std::vector<TimedAction> actions;
    const int c = fault.client;
    const auto text = fault.describe(c >= 0 ? names[static_cast<std::size_t>(c)] : "");
    const auto label = "fault." + std::to_string(number);
    switch (fault.kind) {
      case FaultKind::kKill:
        actions.push_back({fault.at_s, [this, c, fault, label] {
                             send_call(c, fault.path, label, fault.hold_s);
                           }});
        actions.push_back({fault.at_s + fault.into_call_s, [this, c, text, number] {
                             auto& process = current(c);
                             if (!process.running()) {
                               observe(number, false,
                                       "pid " + std::to_string(process.pid()) +
                                           " was not there to kill: it " + process.describe_exit());
                               return;
                             }
                             process.send_signal(SIGKILL);
                             effects[number].signalled = true;
                             incarnations[static_cast<std::size_t>(c)].back().killed_by_schedule =
                                 true;
                             fault_event(text, "client:" + names[static_cast<std::size_t>(c)]);
                           }});
        actions.push_back(
            {fault.at_s + fault.into_call_s + fault.restart_after_s, [this, c, number] {
               // SIGKILL takes effect at once; the wait only reaps it.
               auto& process = current(c);
               const bool gone = process.wait_exit(kKilledProcessReapTimeout);
               if (effects[number].signalled) {
                 const auto pid = "pid " + std::to_string(process.pid());
                 if (gone && process.exit_code() == 128 + SIGKILL) {
                   observe(number, true, pid + " killed by SIGKILL");
                 } else {
                   observe(number, false, pid + " after SIGKILL: " + process.describe_exit());
                 }
               }
               start_client(c);
               fault_event("started " + names[static_cast<std::size_t>(c)] + " again",
                           "client:" + names[static_cast<std::size_t>(c)]);
             }});
        break;
      case FaultKind::kPause:
        actions.push_back({fault.at_s, [this, c, fault, label] {
                             send_call(c, fault.path, label, fault.hold_s);
                           }});
        actions.push_back({fault.at_s + fault.into_call_s, [this, c, text, number] {
                             auto& process = current(c);
                             if (!process.running()) {
                               observe(number, false,
                                       "pid " + std::to_string(process.pid()) +
                                           " was not there to pause: it " +
                                           process.describe_exit());
                               return;
                             }
                             process.send_signal(SIGSTOP);
                             effects[number].signalled = true;
                             fault_event(text, "client:" + names[static_cast<std::size_t>(c)]);
                           }});
        actions.push_back({fault.at_s + fault.into_call_s + fault.pause_s, [this, c, number] {
                             // Still stopped when its SIGCONT is due: paused throughout.
                             auto& process = current(c);
                             if (effects[number].signalled) {
                               const auto pid = "pid " + std::to_string(process.pid());
                               if (process.stopped()) {
                                 observe(number, true, pid + " stopped until its SIGCONT");
                               } else {
                                 observe(number, false,
                                         pid +
                                             " not in the stopped state when its SIGCONT was "
                                             "due: it " +
                                             process.describe_exit());
                               }
                             }
                             process.send_signal(SIGCONT);
                             fault_event("resumed " + names[static_cast<std::size_t>(c)],
                                         "client:" + names[static_cast<std::size_t>(c)]);
                           }});
        break;
      case FaultKind::kReload:
        actions.push_back({fault.at_s, [this, text] {
                             reload_requests.push_back(host.control.send_reload());
                             fault_event(text, "main");
                           }});
        break;
      case FaultKind::kRestartRedis:
        actions.push_back({fault.at_s, [this, text, number, down = fault.down_s] {
                             fault_event(text, "redis");
                             // On its own thread: the schedule keeps its time meanwhile.
                             redis_restarts.emplace_back([this, number, down] {
                               try {
                                 observe(number, true, restart_redis(down));
                               } catch (const std::exception& e) {
                                 observe(number, false, e.what());
                               }
                             });
                           }});
        break;
    }
    return actions;
  }

  void run_schedule() {
    std::vector<TimedAction> actions;
    double end_s = options.spec.duration_s;
    for (std::size_t i = 0; i < out.schedule.size(); ++i) {
      for (auto& action : actions_for(out.schedule[i], i)) {
        end_s = std::max(end_s, action.at_s);
        actions.push_back(std::move(action));
      }
    }
    std::stable_sort(actions.begin(), actions.end(),
                     [](const TimedAction& a, const TimedAction& b) { return a.at_s < b.at_s; });
    std::size_t next = 0;
    while (next < actions.size() || now_s() < end_s) {
      while (next < actions.size() && actions[next].at_s <= now_s()) {
        actions[next++].run();
      }
      const auto in_flight = poll_calls();
      if (in_flight < static_cast<std::size_t>(options.max_load_in_flight) &&
          now_s() - last_load_s >= options.load_interval_s) {
        send_load_call();
      }
      // A turn of this loop every 2 ms keeps faults and load calls well
      // within a 60 Hz frame of their planned times.
      std::this_thread::sleep_for(milliseconds(2));
    }
    for (auto& thread : redis_restarts) {
      thread.join();  // bounded: RedisServer's start waits for PING with a deadline
    }
  }

  // Every planned fault was observed to take effect (a fault that found its
  // client gone, or a signal that did nothing, is no fault injected).
  void check_faults_took_effect() {
    std::vector<std::string> missed;
    std::map<std::string, int> taken;
    for (std::size_t i = 0; i < out.schedule.size(); ++i) {
      const auto& fault = out.schedule[i];
      const auto name = fault.client >= 0 ? names[static_cast<std::size_t>(fault.client)] : "";
      if (effects[i].taken) {
        ++taken[fault_kind_name(fault.kind)];
      } else {
        missed.push_back(fault.describe(name) + ": " + effects[i].seen);
      }
    }
    if (out.schedule.empty()) {
      broken("faults to be planned and injected; the schedule has none (faults = 0)");
    } else if (!missed.empty()) {
      std::string seen;
      for (const auto& m : missed) {
        seen += "; " + m;
      }
      broken(std::to_string(missed.size()) + " of " + std::to_string(out.schedule.size()) +
             " planned faults did not take effect" + seen + " (" + host.engine_log_hint + ")");
    } else {
      std::string kinds;
      for (const auto& [kind, n] : taken) {
        kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
      }
      held("all " + std::to_string(out.schedule.size()) + " planned faults took effect (" + kinds +
           ")");
    }
  }

  // After its restarts, Redis is there for the rest of the scenario.
  void check_redis_back() {
    const bool restarted =
        std::any_of(out.schedule.begin(), out.schedule.end(),
                    [](const PlannedFault& f) { return f.kind == FaultKind::kRestartRedis; });
    if (!restarted || host.redis == nullptr) {
      return;
    }
    std::string seen = "not running";
    if (!host.redis->running() || !host.redis->answers_ping(kRedisPingTimeout, &seen)) {
      broken("the private redis-server running and answering PING at the end of the matrix; " +
             seen + " (its log: " + host.redis->log_path().string() + ")");
    } else {
      held("redis-server (pid " + std::to_string(host.redis->pid()) +
           ") answering PING at the end");
    }
  }

  // The latest deadline of the calls still unanswered (0 when none is).
  double pending_deadline_s() const {
    double last = 0;
    for (const auto& call : calls) {
      if (call.outcome.empty()) {
        last = std::max(last, call.deadline_s);
      }
    }
    return last;
  }

  void check_calls() {
    // Every call ends by its own deadline; one still unanswered past the last
    // of them is judged below as hanging.
    constexpr milliseconds kInterval{10};
    (void)poll_until([&] { return poll_calls() == 0 || now_s() > pending_deadline_s(); },
                     "every call answered or past its deadline", {},
                     seconds_as_ms(pending_deadline_s() - now_s()) + kInterval, kInterval);
    std::vector<std::string> hanging;
    std::map<std::string, int> ok_by_path;
    for (const auto& call : calls) {
      if (call.outcome.empty()) {
        hanging.push_back(call.path + " call " + names[static_cast<std::size_t>(call.client)] +
                          ".hold(" + call.label + ") sent at t=" + text::fixed(call.sent_s, 3) +
                          " s");
      } else if (call.outcome == "ok") {
        ++ok_by_path[call.path];
      }
    }
    out.metrics["fault_matrix.calls"] = static_cast<double>(calls.size());
    if (!hanging.empty()) {
      broken(std::to_string(hanging.size()) + " of " + std::to_string(calls.size()) +
             " engine->client calls had no outcome by their deadline (nothing may hang "
             "silently): " +
             first_of(hanging) + " (" + host.engine_log_hint + ")");
    } else {
      held("all " + std::to_string(calls.size()) +
           " engine->client calls ended (ok, error, timeout or disconnected)");
    }
    for (const auto path : protocol::kCallPaths) {
      if (ok_by_path[std::string(protocol::call_path_name(path))] == 0) {
        broken(std::string("at least one ") + std::string(protocol::call_path_name(path)) +
               " call to succeed between the faults; none did (" + host.engine_log_hint + ")");
      }
    }
  }

  void check_clients() {
    std::string registry;
    if (!all_registered(seconds_as_ms(options.settle_s), &registry)) {
      broken("every client registered exactly once within " + text::fixed(options.settle_s, 1) +
             " s of the last fault; the registry holds " + registry + " (" + host.engine_log_hint +
             ")");
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const int c = static_cast<int>(i);
      for (std::size_t k = 0; k + 1 < incarnations[i].size(); ++k) {
        auto& gone = incarnations[i][k];
        if (!gone.killed_by_schedule || gone.process->exit_code() != 128 + SIGKILL) {
          broken("client " + names[i] + " (pid " + std::to_string(gone.process->pid()) +
                 ") ended only by the schedule's SIGKILL; it " + gone.process->describe_exit() +
                 " (its log: " + gone.process->log_path().string() + ")");
        }
      }
      if (!current(c).running()) {
        broken("client " + names[i] + " alive at the end; it " + current(c).describe_exit() +
               " without the schedule killing it (its log: " + log_of(c) + ")");
        continue;
      }
      const auto status = call_result(host.control.await_response(
          host.control.send_call(
              {names[i], "status", json::array(), protocol::CallPath::kSync, host.call_timeout_s}),
          seconds_as_ms(host.call_timeout_s) + kCallAnswerMargin));
      if (!status.ok()) {
        broken("client " + names[i] + " to answer status() at the end; it answered " +
               std::string(protocol::call_outcome_name(status.kind)) + ": " + status.error_type +
               ": " + status.message + " (its log: " + log_of(c) + ")");
        continue;
      }
      const auto value = json::parse(
          status.value.is_string() ? status.value.get<std::string>() : std::string("{}"), nullptr,
          false);
      if (!value.is_object()) {
        broken("client " + names[i] + "'s status() to be a JSON object; it was " +
               json(status).dump() + " (its log: " + log_of(c) + ")");
        continue;
      }
      const double in_flight = value.value("in_flight_s", 0.0);
      // Its own calls expire after the call timeout; a longer one is stuck.
      if (in_flight > host.call_timeout_s + 1.0) {
        broken("client " + names[i] + "'s own engine call to end within the call timeout; it has " +
               "been in flight " + text::fixed(in_flight, 3) + " s (its log: " + log_of(c) + ")");
      }
      out.metrics["fault_matrix.client_calls_done"] += value.value("done", 0.0);
      out.metrics["fault_matrix.client_calls_failed"] += value.value("errors", 0.0);
    }
    // A clean stop, so that the ledgers are final before the world is read.
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto& process = current(static_cast<int>(i));
      if (!process.running()) {
        continue;
      }
      process.send_signal(SIGTERM);
      if (!process.wait_exit(kLedgerClientExitTimeout) || process.exit_code() != 0) {
        broken("client " + names[i] + " to stop cleanly on SIGTERM within " +
               seconds_text(kLedgerClientExitTimeout) + "; it " + process.describe_exit() +
               " (its log: " + log_of(static_cast<int>(i)) + ")");
      }
    }
    std::size_t killed = 0;
    for (const auto& list : incarnations) {
      killed += list.size() - 1;
    }
    out.metrics["fault_matrix.clients_killed"] = static_cast<double>(killed);
    held(std::to_string(names.size()) + " clients back and answering at the end, " +
         std::to_string(killed) + " killed by the schedule and started again");
  }

  bool matrix_label(const std::string& label) const {
    if (label.starts_with("e2c.") || label.starts_with("fault.")) {
      return true;
    }
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& name) { return label.starts_with(name + "."); });
  }

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
  void check_actors() {
    std::set<std::string> attempted;
    std::set<std::string> done;
    std::set<std::string> failed;
    for (const auto& path : ledgers) {
      auto ledger = read_ledger(path);
      attempted.merge(ledger.attempted);
      done.merge(ledger.done);
      failed.merge(ledger.failed);
    }
    // The clients' own loops (the harness's calls' spawns are in the ledgers too).
    const auto client_done = static_cast<std::size_t>(
        std::count_if(done.begin(), done.end(), [](const std::string& label) {
          return !label.starts_with("e2c.") && !label.starts_with("fault.");
        }));
    for (const auto& call : calls) {
      if (call.spawns) {
        attempted.insert(call.label);
        if (call.outcome == "ok") {
          done.insert(call.label);
        }
      }
    }
    std::map<std::string, int> in_world;
    for (const auto& actor : host.control.world(kLargeControlRequestTimeout)) {
      if (matrix_label(actor.label)) {
        ++in_world[actor.label];
      }
    }
    std::vector<std::string> lost;
    std::vector<std::string> doubled;
    std::vector<std::string> unasked;
    std::vector<std::string> denied;  // in the world although reported failed
    std::size_t uncertain = 0;        // attempted, in the world, but its caller never heard back
    for (const auto& label : done) {
      if (!in_world.contains(label)) {
        lost.push_back(label);
      }
    }
    for (const auto& [label, count] : in_world) {
      if (count > 1) {
        doubled.push_back(label + " x" + std::to_string(count));
      }
      if (!attempted.contains(label)) {
        unasked.push_back(label);
      } else if (failed.contains(label)) {
        denied.push_back(label);
      } else if (!done.contains(label)) {
        ++uncertain;
      }
    }
    out.metrics["fault_matrix.actors"] = static_cast<double>(in_world.size());
    out.metrics["fault_matrix.actors_done"] = static_cast<double>(done.size());
    out.metrics["fault_matrix.actors_unconfirmed"] = static_cast<double>(uncertain);
    const std::string where = " (ledgers in " + ledgers.front().parent_path().string() + "; " +
                              host.engine_log_hint + ")";
    if (!lost.empty()) {
      broken(std::to_string(lost.size()) +
             " actors reported done are not in the world: " + first_of(lost) + where);
    }
    if (!doubled.empty()) {
      broken(std::to_string(doubled.size()) +
             " labels are in the world more than once: " + first_of(doubled) + where);
    }
    if (!unasked.empty()) {
      broken(std::to_string(unasked.size()) +
             " actors in the world nobody asked for: " + first_of(unasked) + where);
    }
    if (!denied.empty()) {
      broken(std::to_string(denied.size()) +
             " actors are in the world although the engine reported their spawn failed "
             "(spawned, then reported failed): " +
             first_of(denied) + where);
    }
    if (client_done == 0) {
      broken("the clients' own engine calls to succeed between the faults; none did" + where);
    }
    out.metrics["fault_matrix.actors_reported_failed"] = static_cast<double>(failed.size());
    if (lost.empty() && doubled.empty() && unasked.empty() && denied.empty()) {
      held(std::to_string(done.size()) + " actors reported done, each in the world once; " +
           std::to_string(uncertain) +
           " more whose callers never heard back, none twice; none of " +
           std::to_string(failed.size()) + " reported failed in the world");
    }
  }

  void check_main_thread() {
    protocol::FramesSummary f;
    try {
      f = host.control.frames(kControlRequestTimeout);
    } catch (const EngineRefusal& e) {
      broken(std::string("the engine's frame statistics; ") + e.what() + " (" +
             host.engine_log_hint + ")");
      return;
    }
    const double interval = f.interval_max_ms;
    // The engine's own part: each interval less the time its main thread
    // was ready to run but the machine gave it no CPU (an overloaded
    // machine is not the engine holding its main thread).
    const double interval_engine = f.interval_max_less_cpu_wait_ms;
    const double period_ms = host.tick_hz > 0 ? 1000.0 / host.tick_hz : 0.0;
    // Frames start one period apart; anything beyond that held the main thread.
    const double held_ms = interval_engine - period_ms;
    const double bound = host.call_timeout_s * 1000.0 + 2 * period_ms;
    out.metrics["fault_matrix.frame_interval_max_ms"] = interval;
    out.metrics["fault_matrix.main_thread_held_max_ms"] = held_ms;
    out.metrics["fault_matrix.main_thread_cpu_wait_ms"] = f.cpu_wait_total_ms;
    out.metrics["fault_matrix.frame_work_max_ms"] = f.work_max_ms;
    const std::string seen =
        "held " + text::fixed(held_ms, 1) + " ms: longest interval between frames " +
        text::fixed(interval_engine, 1) + " ms less the main thread's waits for a CPU (" +
        text::fixed(interval, 1) + " ms with them; " + text::fixed(f.cpu_wait_total_ms, 0) +
        " ms of such waits in all) at " + text::fixed(period_ms, 1) + " ms a frame (work max " +
        text::fixed(f.work_max_ms, 1) + " ms, lateness max " + text::fixed(f.lateness_max_ms, 1) +
        " ms over " + std::to_string(f.frames) + " frames)";
    if (held_ms > bound) {
      broken("the main thread held at most the call timeout plus two frames (" +
             text::fixed(bound, 1) + " ms) over the whole run; " + seen + " (" +
             host.engine_log_hint + ")");
    } else {
      held("main thread never held longer than " + text::fixed(bound, 1) + " ms; " + seen);
    }
  }

  void check_reloads() {
    const auto planned = static_cast<std::size_t>(
        std::count_if(out.schedule.begin(), out.schedule.end(),
                      [](const PlannedFault& f) { return f.kind == FaultKind::kReload; }));
    std::size_t done = 0;
    // Judged below, from the last count.
    (void)poll_until(
        [&] {
          done = 0;
          const auto events = host.control.events();
          for (std::size_t i = events_at_start; i < events.size(); ++i) {
            if (events[i].kind == "console" &&
                events[i].data.value("text", std::string()).starts_with("domain reload: done")) {
              ++done;
            }
          }
          return done >= planned;
        },
        "every planned domain reload done", {}, kDomainReloadTimeout, kControlPollInterval);
    for (const auto id : reload_requests) {
      (void)host.control.try_response(id);  // answered at once; only dropped here
    }
    std::size_t k = 0;
    for (std::size_t i = 0; i < out.schedule.size(); ++i) {
      if (out.schedule[i].kind != FaultKind::kReload) {
        continue;
      }
      ++k;
      if (k <= done) {
        observe(i, true,
                "domain reload " + std::to_string(k) + " of " + std::to_string(planned) + " done");
      } else {
        observe(i, false,
                "the reload did not finish: " + std::to_string(done) + " of " +
                    std::to_string(planned) + " 'domain reload: done' records within " +
                    seconds_text(kDomainReloadTimeout) + " of the last fault");
      }
    }
  }
};

FaultMatrix::FaultMatrix(FaultMatrixHost host, FaultMatrixOptions options, std::uint64_t seed)
    : host_(std::move(host)), options_(std::move(options)), seed_(seed) {
  for (int i = 0; i < options_.spec.clients; ++i) {
    auto name = options_.client_name;
    if (const auto pos = name.find("{i}"); pos != std::string::npos) {
      name.replace(pos, 3, std::to_string(i));
    }
    names_.push_back(name);
  }
  schedule_ = plan_faults(options_.spec, seed_);
  schedule_text_ = describe_schedule(schedule_, names_, seed_);
}

FaultMatrixOutcome FaultMatrix::run() {
  Impl m{host_, options_, seed_};
  const auto folder = host_.work_dir / "fault-matrix";
  std::filesystem::create_directories(folder);
  m.names = names_;
  for (const auto& name : names_) {
    m.ledgers.push_back(folder / (name + ".ledger"));
    m.incarnations.emplace_back();
  }
  m.out.schedule = schedule_;
  m.out.schedule_text = schedule_text_;
  m.effects.resize(schedule_.size());
  { std::ofstream(folder / "schedule.txt") << m.out.schedule_text; }
  for (std::size_t i = 0; i < m.names.size(); ++i) {
    m.start_client(static_cast<int>(i));
  }
  std::string registry;
  const auto limit =
      kMatrixClientsRegisterTimeout.for_count(static_cast<long long>(m.names.size()));
  if (!m.all_registered(limit, &registry)) {
    m.broken("the matrix's " + std::to_string(m.names.size()) +
             " clients to register before the faults; the registry holds " + registry +
             " (client logs: " + folder.parent_path().string() + ")");
    return m.out;
  }
  m.started = Clock::now();
  m.events_at_start = host_.control.event_count();
  m.run_schedule();
  m.check_calls();
  m.check_reloads();
  m.check_faults_took_effect();
  m.check_redis_back();
  m.check_clients();
  m.check_actors();
  m.check_main_thread();
  m.out.metrics["fault_matrix.faults"] = static_cast<double>(m.out.schedule.size());
  m.out.metrics["fault_matrix.seconds"] = m.now_s();
  return m.out;
}

}  // namespace understudy::harness
