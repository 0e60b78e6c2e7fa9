// The report's figures for a stress step (reports/stress_results.h),
// translated from where they were measured: the SampleCollector's tallies
// (the workers' calls, and the plain server's calls to clients), the engine's
// ClientCallLoad answer (its calls to clients) and frame statistics, and the
// loopback baseline. Latencies become milliseconds; calls/s count only the
// calls that succeeded.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/stress/loopback_baseline.h"
#include "harness/stress/sample_collector.h"
#include "harness/stress/stress_options.h"
#include "reports/stress_results.h"

namespace understudy::harness {

// Every path a step loaded, client -> engine paths first (execute, cheap,
// pipeline, those that made calls), then the engine -> client paths in the
// options' order. For the engine, those come from `engine_load` (its
// load_stop answer; a path missing there is left out); for the plain server,
// from the collector, over `load_seconds`. `engine` says which target ran.
std::vector<reports::StressPathResult> step_path_results(const StressOptions& options, bool engine,
                                                         const CollectorSnapshot& snapshot,
                                                         const nlohmann::json& engine_load,
                                                         double load_seconds);

// The loopback baseline's one path, "ping-pong".
reports::StressPathResult loopback_path_result(const LoopbackResult& result);

// The first ten errors the workers reported, "path: message", for the
// report to show what failed rather than only how often.
std::vector<std::string> error_examples(const CollectorSnapshot& snapshot);

}  // namespace understudy::harness
