// The verdict `understudy stress` leads with: for each client count and path,
// and for all paths together, whether the engine or the plain RPyC server
// did better and by how much, with figures rounded to what one run's noise
// allows, and the notes a reader needs to read it (what counts as a tie, why
// the engine's calls to clients keep to its frames).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "harness/stress/stress_options.h"
#include "reports/stress_results.h"

namespace understudy::harness {

// Below this ratio neither target is called better: the same step, run
// again on this machine, moved by up to 1.2x (BENCHMARKS.md: 0.76-1.16
// over three runs of the 16-client mix), so a smaller gap says nothing.
inline constexpr double kClearWinRatio = 1.2;

// For each client count with both an engine and a plain RPyC step: all
// paths' calls/s first, then each path both ran, on the figure that decides
// it (calls/s in a closed loop, p50 latency in an open loop).
std::vector<reports::StressVerdict> stress_verdicts(const std::vector<reports::StressStep>& steps);

// How to read `verdicts`: the tie rule, and, when a path is frame-bound,
// why (the engine's frame rate from `options`). Empty without verdicts.
std::vector<std::string> verdict_notes(const StressOptions& options,
                                       const std::vector<reports::StressVerdict>& verdicts);

// The verdict table and its notes, as the terminal shows them; nothing
// without verdicts.
void print_verdicts(std::ostream& out, const reports::StressReport& report);

}  // namespace understudy::harness
