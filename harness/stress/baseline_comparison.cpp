#include "harness/stress/baseline_comparison.h"

#include <map>
#include <string>

namespace understudy::harness {

using reports::StressComparison;
using reports::StressPathResult;
using reports::StressStep;

namespace {

const StressPathResult* find_path(const StressStep& step, const std::string& name) {
  for (const auto& p : step.paths) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

void compare_with_plain(int clients, const StressStep& e, const StressStep& p,
                        std::vector<StressComparison>& out) {
  if (p.total_per_second > 0) {
    out.push_back({clients, "throughput, all paths", "plain RPyC", e.total_per_second,
                   p.total_per_second, "calls/s", e.total_per_second / p.total_per_second});
  }
  for (const auto& ep : e.paths) {
    const auto* pp = find_path(p, ep.name);
    if (pp == nullptr || pp->p50_ms <= 0 || ep.calls == 0) {
      continue;
    }
    out.push_back({clients, ep.name + " p50", "plain RPyC", ep.p50_ms, pp->p50_ms, "ms",
                   ep.p50_ms / pp->p50_ms});
    if (pp->per_second > 0) {
      out.push_back({clients, ep.name + " throughput", "plain RPyC", ep.per_second, pp->per_second,
                     "calls/s", ep.per_second / pp->per_second});
    }
  }
}

// Only the client paths a ping-pong resembles: one call, one answer.
void compare_with_loopback(int clients, const StressStep& e, const StressStep& loopback,
                           std::vector<StressComparison>& out) {
  const auto& l = loopback.paths.front();
  for (const auto& ep : e.paths) {
    if (ep.calls > 0 && l.p50_ms > 0 && (ep.name == "cheap" || ep.name == "execute")) {
      out.push_back({clients, ep.name + " p50", "loopback TCP ping-pong", ep.p50_ms, l.p50_ms, "ms",
                     ep.p50_ms / l.p50_ms});
    }
  }
}

}  // namespace

std::vector<StressComparison> compare_with_baselines(const std::vector<StressStep>& steps) {
  std::map<int, std::map<std::string, const StressStep*>> by_count;
  for (const auto& s : steps) {
    by_count[s.clients][s.target] = &s;
  }
  std::vector<StressComparison> comparisons;
  for (const auto& [clients, targets] : by_count) {
    const auto engine = targets.find("engine");
    if (engine == targets.end()) {
      continue;
    }
    if (const auto plain = targets.find("plain RPyC"); plain != targets.end()) {
      compare_with_plain(clients, *engine->second, *plain->second, comparisons);
    }
    if (const auto loop = targets.find("loopback TCP"); loop != targets.end()) {
      compare_with_loopback(clients, *engine->second, *loop->second, comparisons);
    }
  }
  return comparisons;
}

}  // namespace understudy::harness
