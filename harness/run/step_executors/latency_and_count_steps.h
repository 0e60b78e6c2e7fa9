// The steps that judge figures: expect_latency (bounds on the samples a
// latency series gathered so far) and expect_actors / expect_registry (a
// count the engine reports, polled until it matches or the deadline).
// Each returns when the step passed and throws StepFailure when it failed,
// ScenarioError when the engine refused the query. Scenario thread.
#pragma once

#include <string>

#include "harness/run/step_executors/step_context.h"

namespace understudy::harness {

// expect_latency {series, min_count, p50_min_ms, p50_max_ms, p99_max_ms, max_ms}:
// the series "sync call", "async call", ...
void expect_latency(StepContext& run, const Step& step);

// expect_actors (`op` "world") and expect_registry (`op` "registry").
void expect_count(StepContext& run, const Step& step, const std::string& op);

}  // namespace understudy::harness
