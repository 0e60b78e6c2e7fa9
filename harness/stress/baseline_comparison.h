// Baseline comparison: the engine's figures beside its baselines from the
// same run and client count, as ratios (engine / baseline), which is what a
// stress run is for: an absolute figure depends on the machine, a ratio to
// a baseline measured beside it much less.
#pragma once

#include <vector>

#include "reports/stress_results.h"

namespace understudy::harness {

// For each client count with an engine step: against the plain RPyC server,
// the throughput of all paths, then each path's p50 and throughput; against
// loopback TCP ping-pong, the p50 of execute and cheap. A figure whose
// baseline is missing or zero is left out.
std::vector<reports::StressComparison> compare_with_baselines(
    const std::vector<reports::StressStep>& steps);

}  // namespace understudy::harness
