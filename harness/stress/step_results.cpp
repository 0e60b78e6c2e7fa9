#include "harness/stress/step_results.h"

#include "common/text_format.h"

namespace understudy::harness {

using nlohmann::json;
using reports::StressPathResult;

namespace {

std::string mode_of_client_path(const StressOptions& o, std::string_view path) {
  std::string mode =
      o.rate > 0 ? "open loop, " + text::number(o.rate) + "/s per client" : "closed loop";
  if (path == "pipeline") {
    mode += ", depth " + std::to_string(o.pipeline_depth);
  }
  return mode;
}

std::string mode_of_engine_path(const StressOptions& o, std::string_view path) {
  if (o.engine_rate > 0) {
    return "open loop, " + text::number(o.engine_rate) + "/s";
  }
  return path == "sync" ? "closed loop, one per client per frame"
                        : "closed loop, depth " + std::to_string(o.engine_depth) + " per client";
}

double ns_to_ms(std::uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

// Sent and due latencies are the same unless the source tells them apart
// (from_engine_load).
void fill_latency(StressPathResult& r, const measure::LatencyHistogram& h) {
  r.mean_ms = h.mean() / 1e6;
  r.p50_ms = ns_to_ms(h.quantile(0.5));
  r.p90_ms = ns_to_ms(h.quantile(0.9));
  r.p99_ms = ns_to_ms(h.quantile(0.99));
  r.p999_ms = ns_to_ms(h.quantile(0.999));
  r.max_ms = ns_to_ms(h.max());
  r.sent_p50_ms = r.p50_ms;
  r.sent_p99_ms = r.p99_ms;
  if (h.count() > 0) {
    for (const double q : {0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999}) {
      r.distribution.push_back({q, ns_to_ms(h.quantile(q))});
    }
  }
}

StressPathResult from_tally(const std::string& name, const std::string& direction,
                            const std::string& mode, const PathTally& tally, double seconds) {
  StressPathResult r;
  r.name = name;
  r.direction = direction;
  r.mode = mode;
  r.calls = tally.calls();
  r.ok = tally.outcomes[0];
  r.errors = tally.outcomes[1];
  r.timeouts = tally.outcomes[2];
  r.disconnected = tally.outcomes[3];
  r.per_second = seconds > 0 ? static_cast<double>(r.ok) / seconds : 0;
  fill_latency(r, tally.latency);
  return r;
}

// The engine's ClientCallLoad result for one path: outcomes by exception
// name, latency from when each call was due, "service" from when it was sent.
StressPathResult from_engine_load(const std::string& name, const std::string& mode,
                                  const json& path) {
  StressPathResult r;
  r.name = name;
  r.direction = "engine -> client";
  r.mode = mode;
  const auto seconds = path.value("elapsed_s", 0.0);
  const auto& outcomes = path.at("outcomes");
  for (auto it = outcomes.begin(); it != outcomes.end(); ++it) {
    const auto& kind = it.key();
    const auto n = it.value().get<std::uint64_t>();
    r.calls += n;
    if (kind == "ok") {
      r.ok += n;
    } else if (kind == "ServiceCallTimeout") {
      r.timeouts += n;
    } else if (kind == "ClientDisconnectedError") {
      r.disconnected += n;
    } else {
      r.errors += n;
    }
  }
  r.in_flight_at_end = path.value("in_flight", std::uint64_t{0});
  r.per_second = seconds > 0 ? static_cast<double>(r.ok) / seconds : 0;
  fill_latency(r, measure::LatencyHistogram::from_json(path.at("latency")));
  const auto service = measure::LatencyHistogram::from_json(path.at("service"));
  r.sent_p50_ms = ns_to_ms(service.quantile(0.5));
  r.sent_p99_ms = ns_to_ms(service.quantile(0.99));
  return r;
}

}  // namespace

std::vector<StressPathResult> step_path_results(const StressOptions& o, bool engine,
                                                const CollectorSnapshot& snap,
                                                const json& engine_load, double load_seconds) {
  std::vector<StressPathResult> paths;
  const double seconds = std::chrono::duration<double>(o.duration).count();
  for (const auto p : {StressPath::kExecute, StressPath::kCheap, StressPath::kPipeline}) {
    const auto& tally = snap.paths[static_cast<std::size_t>(p)];
    if (tally.calls() > 0) {
      const std::string name(stress_path_name(p));
      paths.push_back(
          from_tally(name, "client -> engine", mode_of_client_path(o, name), tally, seconds));
    }
  }
  for (const auto& name : o.engine_paths) {
    if (engine) {
      if (engine_load.contains(name)) {
        paths.push_back(from_engine_load(name, mode_of_engine_path(o, name), engine_load[name]));
      }
      continue;
    }
    const auto id = name == "sync"        ? StressPath::kSync
                    : name == "coroutine" ? StressPath::kCoroutine
                                          : StressPath::kAsync;
    auto r = from_tally(
        name, "engine -> client",
        mode_of_engine_path(o, name) + (name == "sync" ? "" : " (rpyc.async_: no coroutines here)"),
        snap.paths[static_cast<std::size_t>(id)], load_seconds);
    if (engine_load.contains(name)) {
      r.in_flight_at_end = engine_load[name].value("in_flight", std::uint64_t{0});
    }
    paths.push_back(r);
  }
  return paths;
}

StressPathResult loopback_path_result(const LoopbackResult& result) {
  StressPathResult r;
  r.name = "ping-pong";
  r.direction = "loopback";
  r.mode = "closed loop, 64 bytes";
  r.calls = r.ok = result.round_trip.count();
  r.per_second = result.per_second();
  fill_latency(r, result.round_trip);
  return r;
}

std::vector<std::string> error_examples(const CollectorSnapshot& snap) {
  std::vector<std::string> examples;
  for (const auto& e : snap.errors) {
    examples.push_back(std::string(stress_path_name(static_cast<StressPath>(e.value("path", 0)))) +
                       ": " + e.value("message", std::string()));
    if (examples.size() >= 10) {
      break;
    }
  }
  return examples;
}

}  // namespace understudy::harness
