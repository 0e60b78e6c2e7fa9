// ScenarioRedis: the Redis a scenario with [redis] enabled talks to: a
// private redis-server of its own, started here and stopped with the run, or
// the shared one --redis-url names, which the harness neither stops nor
// restarts.
//
// Contract: start() throws what RedisServer throws when the server does not
// start; private_server() and address() throw ScenarioError naming the step
// that needed what the scenario does not have. Scenario thread only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "harness/run/scenario_record.h"
#include "harness/run/scenario_runner.h"
#include "redis/redis_server.h"

namespace understudy::harness {

class ScenarioRedis {
 public:
  ScenarioRedis(const Scenario& scenario, const RunSettings& settings)
      : scenario_(scenario), settings_(settings) {}

  void start(ScenarioRecord& record);

  // For the steps that stop, start and restart it.
  redis::RedisServer& private_server(const Step& step);
  // UNDERSTUDY_REDIS_URL for the engine and its clients; none without Redis.
  std::map<std::string, std::string> env() const;
  // The host and port publishers connect to.
  std::pair<std::string, int> address(const Step& step) const;

  // Adds the private server's log to the result and stops it.
  void finish(reports::ScenarioResult& result, bool failed);

 private:
  const Scenario& scenario_;
  const RunSettings& settings_;
  std::unique_ptr<redis::RedisServer> server_;
  std::string url_;
};

}  // namespace understudy::harness
