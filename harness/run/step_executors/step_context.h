// StepContext: what a step executor works with: the scenario and the run's
// settings, the record of its result (pass, fail, timeline, latencies) and
// the processes the scenario owns. The runner makes one and hands it to each
// executor; the executors share nothing else.
#pragma once

#include "harness/run/scenario_clients.h"
#include "harness/run/scenario_engine.h"
#include "harness/run/scenario_record.h"
#include "harness/run/scenario_redis.h"
#include "harness/run/scenario_runner.h"

namespace understudy::harness {

struct StepContext {
  const Scenario& scenario;
  const RunSettings& settings;
  ScenarioRecord& record;
  ScenarioEngine& engine;
  ScenarioClients& clients;
  ScenarioRedis& redis;

  EngineClient& control() { return engine.control(); }
};

}  // namespace understudy::harness
