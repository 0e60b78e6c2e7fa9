// Load warnings: the signs that a stress step's figures say more about what
// loaded the target, or the machine it ran on, than about the target. A
// figure is only worth reading against its baseline when neither the load
// generator nor the machine was the limit, so the report says when either
// was, beside the figures.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/stress/sample_collector.h"
#include "harness/stress/stress_options.h"
#include "reports/stress_results.h"

namespace understudy::harness {

// Open loop only (--engine-rate): one warning per engine path, in the
// options' order, that issued fewer than 95% of the calls due, meaning the
// engine's main thread, not the clients, set the pace. `engine_load` is the
// engine's load_stop answer.
std::vector<std::string> engine_pace_warnings(const StressOptions& options,
                                              const nlohmann::json& engine_load);

// One warning per kind, however many workers it concerns, naming the worst,
// in this order: workers that used most of a core (the load generator was
// saturated); workers that sent late (open loop, `open_loop`); client
// connections lost; the target's threads waiting for a CPU for a quarter of
// the CPU time they got; every CPU busy; then each problem the collector had
// with the workers' messages. `step` must hold the target's CPU figures and
// the machine's.
std::vector<std::string> load_warnings(const reports::StressStep& step,
                                       const CollectorSnapshot& snapshot, bool open_loop);

}  // namespace understudy::harness
