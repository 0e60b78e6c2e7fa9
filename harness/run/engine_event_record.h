// Turns the engine's deadlock and error console events into the scenario's
// timeline entries and deadlock cycles, once the run is over: each cycle
// with the stacks its clients dumped when it was reported.
#pragma once

#include "harness/control/engine_client.h"
#include "harness/run/scenario_clients.h"
#include "harness/run/scenario_record.h"

namespace understudy::harness {

void record_engine_events(const EngineClient& control, ScenarioClients& clients,
                          ScenarioRecord& record);

}  // namespace understudy::harness
