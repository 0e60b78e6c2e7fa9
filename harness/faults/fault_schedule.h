// FaultSchedule: the faults a fault_matrix step injects, planned from a seed
// alone, so that `understudy run --seed N` replays the same schedule. Only the
// plan is reproducible; how the engine and the clients react to it (which
// calls fail, how many actors get spawned) is what the run checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/messages.h"

namespace understudy::harness {

enum class FaultKind {
  kKill,          // SIGKILL a client during a call, start it again later
  kPause,         // SIGSTOP a client during a call, SIGCONT it later
  kReload,        // a domain reload while the clients keep calling
  kRestartRedis,  // the scenario's private redis-server stops and starts again
};

std::string fault_kind_name(FaultKind kind);  // "kill", "pause", "reload", "restart_redis"
FaultKind fault_kind_from_name(const std::string& name);  // throws std::invalid_argument

struct FaultMatrixSpec {
  double duration_s = 10;  // faults start within [0, duration_s)
  int faults = 8;
  int clients = 3;  // kill and pause pick one of them
  std::vector<FaultKind> kinds = {FaultKind::kKill, FaultKind::kPause, FaultKind::kReload};
  double hold_s = 0.4;       // how long the client's service runs in the call a fault lands in
  double pause_max_s = 1.5;  // a pause lasts up to this long
  double restart_after_s = 0.3;
  double redis_down_max_s = 0.5;
};

// One fault. Kill and pause land `into_call_s` into a call on `path`
// to client `client` whose service holds
// for `hold_s`; the client is busy with this fault until busy_until_s().
struct PlannedFault {
  double at_s = 0;  // from the start of the matrix
  FaultKind kind = FaultKind::kReload;
  int client = -1;
  protocol::CallPath path = protocol::CallPath::kSync;
  double into_call_s = 0;
  double hold_s = 0;
  double pause_s = 0;          // pause: SIGCONT this long after SIGSTOP
  double restart_after_s = 0;  // kill: started again this long after SIGKILL
  double down_s = 0;           // restart_redis

  double busy_until_s() const;
  std::string describe(const std::string& client_name) const;
};

// Kill and pause faults never overlap on one client: a fault that would land
// while its client is still paused or dead moves to the moment it is back.
// The result is sorted by at_s.
std::vector<PlannedFault> plan_faults(const FaultMatrixSpec& spec, std::uint64_t seed);

}  // namespace understudy::harness
