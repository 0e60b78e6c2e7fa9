#include "harness/soak/connection_soak.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/child_process.h"
#include "common/deadline.h"
#include "common/text_format.h"
#include "harness/control/engine_client.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kStayingClient = "soak-stay";
constexpr const char* kChurnPrefix = "soak-churn-";

// The engine's console record of one churn client registering.
bool churn_registration(const ControlEvent& event) {
  if (event.kind != "console") {
    return false;
  }
  const auto text = event.data.value("text", std::string());
  return text.starts_with(std::string("client '") + kChurnPrefix) &&
         text.find("' connected from") != std::string::npos;
}

}  // namespace

ConnectionSoak::ConnectionSoak(ConnectionSoakHost host, ConnectionSoakOptions options)
    : host_(std::move(host)), options_(std::move(options)) {}

bool ConnectionSoak::churn(int cycles, const std::string& round, ConnectionSoakOutcome& out) {
  std::vector<ChildProcess*> processes;
  const auto events_before = host_.control.event_count();
  for (int k = 0; k < options_.processes; ++k) {
    const int share = cycles / options_.processes + (k < cycles % options_.processes ? 1 : 0);
    processes.push_back(&host_.start_client(kChurnPrefix + std::to_string(started_++),
                                            options_.script, {"--cycles", std::to_string(share)}));
  }
  const auto limit =
      kChurnCyclesTimeout.for_count((cycles + options_.processes - 1) / options_.processes);
  bool ok = true;
  for (auto* process : processes) {
    if (!process->wait_exit(limit) || process->exit_code() != 0) {
      out.broken.push_back("churn process " + process->name() + " (" + round +
                           ") to finish its cycles within " + std::to_string(limit.count() / 1000) +
                           " s; it " + process->describe_exit() +
                           " (its log: " + process->log_path().string() +
                           ", ends with: " + process->log_tail(5) + ")");
      ok = false;
    }
  }
  if (!ok) {
    return false;
  }
  // The records are streamed; the last ones may still be on their way.
  const auto deadline = Clock::now() + kRegistrationRecordsTimeout;
  int registered = 0;
  std::size_t from = events_before;
  while (registered < cycles) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    std::size_t index = 0;
    if (!host_.control.wait_event(churn_registration, std::max(left, milliseconds(0)), from,
                                  &index)) {
      break;
    }
    ++registered;
    from = index + 1;
  }
  if (cycles <= 0 || registered < cycles) {
    out.broken.push_back(
        "the " + round + "'s " + std::to_string(cycles) +
        " connect/register/disconnect cycles; the engine saw " + std::to_string(registered) +
        " churn clients register (console records \"client '" + kChurnPrefix + "N' connected\", " +
        host_.engine_log_hint +
        (processes.empty()
             ? std::string()
             : "; churn logs: " + processes.front()->log_path().parent_path().string()) +
        ")");
    return false;
  }
  return true;
}

bool ConnectionSoak::calls_on_every_path(ConnectionSoakOutcome& out) {
  for (const auto path : protocol::kCallPaths) {
    for (int i = 0; i < options_.calls; ++i) {
      const auto result = call_result(host_.control.await_response(
          host_.control.send_call(
              {kStayingClient, "ping", json::array({i}), path, host_.call_timeout_s}),
          seconds_as_ms(host_.call_timeout_s) + kCallAnswerMargin));
      if (!result.ok()) {
        out.broken.push_back(std::string(protocol::call_path_name(path)) + " calls to " +
                             kStayingClient + " to succeed between rounds; one answered " +
                             json(result).dump() + " (" + host_.engine_log_hint + ")");
        return false;
      }
      ++calls_answered_;
    }
  }
  return true;
}

ProcessResources ConnectionSoak::settled(const ProcessResources* target) {
  // /proc ten times a second: without a target, ten unchanged looks in a
  // row (stable for a second) count as settled.
  constexpr milliseconds kInterval{100};
  constexpr int kUnchangedLooks = 10;
  std::optional<ProcessResources> last;
  int unchanged = 0;
  // Past the deadline, the last figures are the ones the caller judges.
  (void)poll_until(
      [&] {
        const auto now = ProcessResources::of(host_.engine_pid);
        const bool same = last && now.fds == last->fds && now.threads == last->threads;
        unchanged = same ? unchanged + 1 : 0;
        last = now;
        if (target != nullptr) {
          return now.fds == target->fds && now.threads == target->threads;
        }
        return unchanged >= kUnchangedLooks;
      },
      "the engine's fds and threads to settle", {}, seconds_as_ms(options_.settle_s), kInterval);
  return *last;
}

ConnectionSoakOutcome ConnectionSoak::run() {
  ConnectionSoakOutcome out;
  auto& staying = host_.start_client(kStayingClient, options_.script, {"--stay"});
  const auto registered = poll_until(
      [&] {
        const auto registry = host_.control.registry(kControlRequestTimeout);
        const auto it = registry.find(kStayingClient);
        return it != registry.end() && it->second == 1;
      },
      std::string(kStayingClient) + " to register", {}, kClientRegisterTimeout,
      kControlPollInterval);
  if (!registered) {
    out.broken.push_back(std::string(kStayingClient) + " to register within " +
                         seconds_text(kClientRegisterTimeout) + "; it " + staying.describe_exit() +
                         " (its log: " + staying.log_path().string() + ")");
    return out;
  }
  if ((options_.warmup_cycles > 0 && !churn(options_.warmup_cycles, "warm-up", out)) ||
      !calls_on_every_path(out)) {
    return out;
  }
  out.baseline = settled(nullptr);
  out.timeline.push_back(
      {"step", "soak baseline: " + out.baseline.describe(), "harness", host_.now_s(), 0, "ok", {}});
  const auto soak_started = Clock::now();
  int total_cycles = 0;
  double churn_seconds = 0;
  double worst_rss = 0;
  for (int round = 0;; ++round) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - soak_started).count();
    if (options_.duration_s > 0 ? elapsed >= options_.duration_s : round >= options_.rounds) {
      break;
    }
    const auto name = "round " + std::to_string(round + 1);
    const auto churn_started = Clock::now();
    const double began = host_.now_s();
    if (!churn(options_.cycles, name, out)) {
      break;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - churn_started).count();
    total_cycles += options_.cycles;
    churn_seconds += seconds;
    if (!calls_on_every_path(out)) {
      break;
    }
    const auto after = settled(&out.baseline);
    out.rounds.push_back({options_.cycles, seconds, after});
    worst_rss = std::max(worst_rss, after.rss_mib - out.baseline.rss_mib);
    out.timeline.push_back(
        {"load",
         name + ": " + std::to_string(options_.cycles) + " cycles, then " + after.describe(),
         "harness",
         began,
         host_.now_s() - began,
         "ok",
         {}});
    const std::string figures = "baseline " + out.baseline.describe() + ", after " + name + " " +
                                after.describe() + " (" + host_.engine_log_hint + ")";
    if (after.fds != out.baseline.fds || after.threads != out.baseline.threads) {
      out.broken.push_back("the engine's fds and threads back at the baseline within " +
                           text::fixed(options_.settle_s, 1) + " s of " + name + "; " + figures);
      break;
    }
    if (after.rss_mib > out.baseline.rss_mib + options_.rss_mib) {
      out.broken.push_back("the engine's RSS within " + text::fixed(options_.rss_mib, 1) +
                           " MiB of the baseline after " + name + "; " + figures);
      break;
    }
  }
  staying.send_signal(SIGTERM);
  staying.wait_exit(kClientExitTimeout);
  // A soak that churned nothing or called nothing checked nothing.
  if (out.broken.empty() && (total_cycles == 0 || calls_answered_ == 0)) {
    out.broken.push_back("connect/register cycles and engine->client calls between rounds; saw " +
                         std::to_string(total_cycles) + " cycles in " +
                         std::to_string(out.rounds.size()) + " rounds and " +
                         std::to_string(calls_answered_) +
                         " calls (calls = " + std::to_string(options_.calls) + ")");
  }
  const auto last = out.rounds.empty() ? out.baseline : out.rounds.back().after;
  const double rate = churn_seconds > 0 ? total_cycles / churn_seconds : 0;
  out.metrics["soak.cycles"] = total_cycles;
  out.metrics["soak.rounds"] = static_cast<double>(out.rounds.size());
  out.metrics["soak.cycles_per_s"] = rate;
  out.metrics["soak.baseline_fds"] = out.baseline.fds;
  out.metrics["soak.baseline_threads"] = out.baseline.threads;
  out.metrics["soak.baseline_rss_mib"] = out.baseline.rss_mib;
  out.metrics["soak.final_fds"] = last.fds;
  out.metrics["soak.final_threads"] = last.threads;
  out.metrics["soak.final_rss_mib"] = last.rss_mib;
  out.metrics["soak.rss_growth_max_mib"] = worst_rss;
  out.summary = std::to_string(total_cycles) + " cycles in " + std::to_string(out.rounds.size()) +
                " rounds at " + text::fixed(rate, 1) + " cycles/s; baseline " +
                out.baseline.describe() + ", after the last round " + last.describe() +
                "; RSS at most " + text::fixed(worst_rss, 2) + " MiB above the baseline";
  return out;
}

}  // namespace understudy::harness
