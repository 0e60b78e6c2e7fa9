#include <signal.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/control/engine_client.h"
#include "harness/faults/fault_matrix_run.h"
#include "harness/timeouts.h"
#include "redis/redis_server.h"

namespace understudy::harness {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// A few names out of many, for failure messages.
std::string first_of(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 8; ++i) {
    text += (i ? ", " : "") + names[i];
  }
  return text + (names.size() > 8 ? ", ..." : "");
}

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

void FaultMatrix::Impl::check_faults_took_effect() {
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

void FaultMatrix::Impl::check_redis_back() {
  const bool restarted =
      std::any_of(out.schedule.begin(), out.schedule.end(),
                  [](const PlannedFault& f) { return f.kind == FaultKind::kRestartRedis; });
  if (!restarted || host.redis == nullptr) {
    return;
  }
  std::string seen = "not running";
  if (!host.redis->running() || !host.redis->answers_ping(kRedisPingTimeout, &seen)) {
    broken("the private redis-server running and answering PING at the end of the matrix; " + seen +
           " (its log: " + host.redis->log_path().string() + ")");
  } else {
    held("redis-server (pid " + std::to_string(host.redis->pid()) + ") answering PING at the end");
  }
}

double FaultMatrix::Impl::pending_deadline_s() const {
  double last = 0;
  for (const auto& call : calls) {
    if (call.outcome.empty()) {
      last = std::max(last, call.deadline_s);
    }
  }
  return last;
}

void FaultMatrix::Impl::check_calls() {
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

void FaultMatrix::Impl::check_clients() {
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
    const auto value =
        json::parse(status.value.is_string() ? status.value.get<std::string>() : std::string("{}"),
                    nullptr, false);
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

bool FaultMatrix::Impl::matrix_label(const std::string& label) const {
  if (label.starts_with("e2c.") || label.starts_with("fault.")) {
    return true;
  }
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& name) { return label.starts_with(name + "."); });
}

void FaultMatrix::Impl::check_actors() {
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
  const std::string where =
      " (ledgers in " + ledgers.front().parent_path().string() + "; " + host.engine_log_hint + ")";
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
         std::to_string(uncertain) + " more whose callers never heard back, none twice; none of " +
         std::to_string(failed.size()) + " reported failed in the world");
  }
}

void FaultMatrix::Impl::check_main_thread() {
  protocol::FramesSummary f;
  try {
    f = host.control.frames(kControlRequestTimeout);
  } catch (const EngineRefusal& e) {
    broken(std::string("the engine's frame statistics; ") + e.what() + " (" + host.engine_log_hint +
           ")");
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

void FaultMatrix::Impl::check_reloads() {
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

}  // namespace understudy::harness
