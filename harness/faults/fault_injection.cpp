#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/control/engine_client.h"
#include "harness/faults/fault_matrix_run.h"
#include "harness/timeouts.h"
#include "redis/redis_server.h"

namespace understudy::harness {

using nlohmann::json;
using std::chrono::milliseconds;

void FaultMatrix::Impl::start_client(int client) {
  const auto i = static_cast<std::size_t>(client);
  auto& process = host.start_client(
      names[i], options.client_script,
      {"--ledger", ledgers[i].string(), "--call-timeout", text::fixed(host.call_timeout_s, 3)});
  incarnations[i].push_back({&process, false});
}

bool FaultMatrix::Impl::all_registered(milliseconds timeout, std::string* seen) {
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

void FaultMatrix::Impl::send_call(int client, protocol::CallPath path, const std::string& label,
                                  double hold_s) {
  HarnessCall call;
  call.client = client;
  call.path = std::string(protocol::call_path_name(path));
  call.label = label;
  call.spawns =
      path != protocol::CallPath::kSync;  // a callback on the sync path is the re-entrant deadlock
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

std::size_t FaultMatrix::Impl::poll_calls() {
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

void FaultMatrix::Impl::send_load_call() {
  const auto n = load_turn++;
  const int client = static_cast<int>(n % names.size());
  const auto path = protocol::kCallPaths[(n / names.size()) % protocol::kCallPaths.size()];
  send_call(client, path, "e2c." + std::to_string(n), 0.01);
  last_load_s = now_s();
}

std::string FaultMatrix::Impl::restart_redis(double down_s) {
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
  return "pid " + before + " stopped (PING: " + refused + "), pid " + std::to_string(server.pid()) +
         " answering PING";
}

void FaultMatrix::Impl::push_signal_into_call(std::vector<TimedAction>& actions,
                                              const PlannedFault& fault, std::size_t number,
                                              int signal, const char* verb) {
  const int c = fault.client;
  const auto label = "fault." + std::to_string(number);
  const auto text = fault.describe(names[static_cast<std::size_t>(c)]);
  actions.push_back(
      {fault.at_s, [this, c, fault, label] { send_call(c, fault.path, label, fault.hold_s); }});
  actions.push_back({fault.at_s + fault.into_call_s, [this, c, text, number, signal, verb] {
                       auto& process = current(c);
                       if (!process.running()) {
                         observe(number, false,
                                 "pid " + std::to_string(process.pid()) + " was not there to " +
                                     verb + ": it " + process.describe_exit());
                         return;
                       }
                       process.send_signal(signal);
                       effects[number].signalled = true;
                       // The checks allow this incarnation to end, by this SIGKILL only.
                       if (signal == SIGKILL) {
                         incarnations[static_cast<std::size_t>(c)].back().killed_by_schedule = true;
                       }
                       fault_event(text, "client:" + names[static_cast<std::size_t>(c)]);
                     }});
}

std::vector<TimedAction> FaultMatrix::Impl::actions_for(const PlannedFault& fault,
                                                        std::size_t number) {
  std::vector<TimedAction> actions;
  const int c = fault.client;
  const auto text = fault.describe(c >= 0 ? names[static_cast<std::size_t>(c)] : "");
  switch (fault.kind) {
    case FaultKind::kKill:
      push_signal_into_call(actions, fault, number, SIGKILL, "kill");
      actions.push_back({fault.at_s + fault.into_call_s + fault.restart_after_s, [this, c, number] {
                           // SIGKILL takes effect at once; the wait only reaps it.
                           auto& process = current(c);
                           const bool gone = process.wait_exit(kKilledProcessReapTimeout);
                           if (effects[number].signalled) {
                             const auto pid = "pid " + std::to_string(process.pid());
                             if (gone && process.exit_code() == 128 + SIGKILL) {
                               observe(number, true, pid + " killed by SIGKILL");
                             } else {
                               observe(number, false,
                                       pid + " after SIGKILL: " + process.describe_exit());
                             }
                           }
                           start_client(c);
                           fault_event("started " + names[static_cast<std::size_t>(c)] + " again",
                                       "client:" + names[static_cast<std::size_t>(c)]);
                         }});
      break;
    case FaultKind::kPause:
      push_signal_into_call(actions, fault, number, SIGSTOP, "pause");
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

void FaultMatrix::Impl::run_schedule() {
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

}  // namespace understudy::harness
