// The judgement of the engine errors a scenario's engine announced (a script
// that raised, a callback that failed): each fails the scenario unless
// [engine] expect_errors has a text it contains, and an expected text no
// error contains fails it too.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/control/engine_client.h"
#include "harness/scenario/scenario.h"
#include "reports/results.h"

namespace understudy::harness {

// Every engine error the engine announced, in its order: the startup
// answer's (`startup_errors`, by id) and the engine_error events. Waits,
// bounded, for the control connection to close after the engine's exit, so
// that its last events are read. `control` may be null (never connected).
std::vector<nlohmann::json> engine_errors_after_exit(
    EngineClient* control, const std::map<std::uint64_t, nlohmann::json>& startup_errors);

// Whether one of them was raised in a startup script: the engine then exits
// with status 1, as python3 does, and that exit is judged as the error.
bool raised_in_a_script(const std::vector<nlohmann::json>& errors);

// Records the verdict in `result`: a passed expectation when every error was
// expected, else a failed one (the scenario's failure when it had passed,
// added to its failure message otherwise). `engine_log_hint` names the log.
void judge_engine_errors(const Scenario& scenario, const std::vector<nlohmann::json>& errors,
                         const std::string& engine_log_hint, reports::ScenarioResult& result);

}  // namespace understudy::harness
