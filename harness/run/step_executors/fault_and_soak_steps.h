// The steps that hand the run to a driver of their own and judge what it
// found: fault_matrix (harness/faults/: faults planned from the run's seed,
// under load, then the invariants) and connection_soak (harness/soak/:
// connect/call/disconnect rounds, then the engine's resources). They adapt
// a step's parameters to the driver's options and the scenario's processes
// to its host, and put the driver's timeline and metrics into the result.
//
// Contract: each returns when the step passed and throws StepFailure when
// it failed. Scenario thread.
#pragma once

#include "harness/run/step_executors/step_context.h"

namespace understudy::harness {

// fault_matrix {duration, faults, clients, kinds, ...}
void fault_matrix(StepContext& run, const Step& step);

// connection_soak {processes, cycles, warmup_cycles, rounds | duration, rss_mib, ...}:
// after each round, the engine's fds and threads back at the baseline and
// its RSS within rss_mib of it.
void connection_soak(StepContext& run, const Step& step);

}  // namespace understudy::harness
