#include "harness/faults/fault_schedule.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace understudy::harness {
namespace {

// std::mt19937_64's output is fixed by the standard; the standard
// distributions are not (they differ between library versions), so the
// numbers are drawn from the raw output directly.
class SeededDraws {
 public:
  explicit SeededDraws(std::uint64_t seed) : engine_(seed) {}

  double uniform(double low, double high) {
    const double unit = static_cast<double>(engine_() >> 11) * 0x1.0p-53;  // [0, 1)
    return low + unit * (high - low);
  }

  int index(std::size_t count) { return static_cast<int>(engine_() % count); }

 private:
  std::mt19937_64 engine_;
};

// Times are planned to the millisecond, so that the printed schedule is the
// schedule that runs.
double millis(double seconds) {
  return static_cast<double>(static_cast<long long>(seconds * 1000.0 + 0.5)) / 1000.0;
}

const char* article(protocol::CallPath path) {
  return path == protocol::CallPath::kAsync ? "an" : "a";
}

}  // namespace

std::string fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kKill:
      return "kill";
    case FaultKind::kPause:
      return "pause";
    case FaultKind::kReload:
      return "reload";
    case FaultKind::kRestartRedis:
      return "restart_redis";
  }
  return "?";
}

FaultKind fault_kind_from_name(const std::string& name) {
  for (auto kind :
       {FaultKind::kKill, FaultKind::kPause, FaultKind::kReload, FaultKind::kRestartRedis}) {
    if (fault_kind_name(kind) == name) {
      return kind;
    }
  }
  throw std::invalid_argument("unknown fault kind '" + name +
                              "' (kill, pause, reload, restart_redis)");
}

double PlannedFault::busy_until_s() const {
  switch (kind) {
    case FaultKind::kKill:
      return at_s + into_call_s + restart_after_s;
    case FaultKind::kPause:
      return at_s + into_call_s + pause_s;
    case FaultKind::kReload:
      return at_s;
    case FaultKind::kRestartRedis:
      return at_s + down_s;
  }
  return at_s;
}

std::string PlannedFault::describe(const std::string& client_name) const {
  char text[256];
  switch (kind) {
    case FaultKind::kKill:
      std::snprintf(text, sizeof text,
                    "t=%7.3f s  kill    %s %.3f s into %s %s call holding %.3f s; started again "
                    "%.3f s later",
                    at_s, client_name.c_str(), into_call_s, article(path),
                    protocol::call_path_name(path).data(), hold_s, restart_after_s);
      break;
    case FaultKind::kPause:
      std::snprintf(text, sizeof text,
                    "t=%7.3f s  pause   %s %.3f s into %s %s call holding %.3f s; resumed %.3f s "
                    "later",
                    at_s, client_name.c_str(), into_call_s, article(path),
                    protocol::call_path_name(path).data(), hold_s, pause_s);
      break;
    case FaultKind::kReload:
      std::snprintf(text, sizeof text, "t=%7.3f s  reload  the engine, under load", at_s);
      break;
    case FaultKind::kRestartRedis:
      std::snprintf(text, sizeof text, "t=%7.3f s  restart redis-server, down %.3f s", at_s,
                    down_s);
      break;
  }
  return text;
}

std::vector<PlannedFault> plan_faults(const FaultMatrixSpec& spec, std::uint64_t seed) {
  if (spec.kinds.empty() || spec.faults < 0 || spec.clients < 1 || spec.duration_s <= 0) {
    throw std::invalid_argument(
        "a fault matrix needs at least one kind of fault, one client and a positive duration");
  }
  SeededDraws draw(seed);
  std::vector<PlannedFault> faults;
  for (int i = 0; i < spec.faults; ++i) {
    PlannedFault f;
    f.at_s = millis(draw.uniform(0.0, spec.duration_s));
    f.kind = spec.kinds[static_cast<std::size_t>(draw.index(spec.kinds.size()))];
    if (f.kind == FaultKind::kKill || f.kind == FaultKind::kPause) {
      f.client = draw.index(static_cast<std::size_t>(spec.clients));
      f.path =
          protocol::kCallPaths[static_cast<std::size_t>(draw.index(protocol::kCallPaths.size()))];
      f.hold_s = millis(spec.hold_s);
      f.into_call_s = millis(draw.uniform(0.0, spec.hold_s));
      if (f.kind == FaultKind::kPause) {
        f.pause_s = millis(draw.uniform(0.05, spec.pause_max_s));
      } else {
        f.restart_after_s = millis(spec.restart_after_s);
      }
    } else if (f.kind == FaultKind::kRestartRedis) {
      f.down_s = millis(draw.uniform(0.05, spec.redis_down_max_s));
    }
    faults.push_back(f);
  }
  std::stable_sort(faults.begin(), faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) { return a.at_s < b.at_s; });
  // One fault at a time per client (and for Redis, and reloads): a later one
  // waits until the client is back, plus a moment for it to register again.
  std::vector<double> client_free(static_cast<std::size_t>(spec.clients), 0.0);
  double redis_free = 0;
  double reload_free = 0;  // two reload requests within a frame would make one reload
  for (auto& f : faults) {
    if (f.client >= 0) {
      auto& free_at = client_free[static_cast<std::size_t>(f.client)];
      f.at_s = std::max(f.at_s, free_at);
      free_at = millis(f.busy_until_s() + 0.5);
    } else if (f.kind == FaultKind::kRestartRedis) {
      f.at_s = std::max(f.at_s, redis_free);
      redis_free = millis(f.busy_until_s() + 0.2);
    } else {
      f.at_s = std::max(f.at_s, reload_free);
      reload_free = millis(f.at_s + 1.0);
    }
  }
  std::stable_sort(faults.begin(), faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) { return a.at_s < b.at_s; });
  return faults;
}

}  // namespace understudy::harness
