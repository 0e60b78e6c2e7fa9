// ScenarioRunner: runs one scenario against a fresh engine and its own
// client processes, each with its own log in the scenario's work folder, and
// records what happened as a reports::ScenarioResult.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "harness/scenario/scenario.h"
#include "reports/results.h"

namespace understudy::harness {

struct RunSettings {
  std::filesystem::path engine_binary;
  std::filesystem::path python;          // Debian's interpreter, for client processes
  std::filesystem::path client_pylib;    // where understudy_client lives
  std::filesystem::path work_dir;        // this run's folder: logs, sockets
  std::optional<std::string> redis_url;  // use this server instead of a private one
  // Python for Unity 2.x's package folder (com.unity.scripting.python, with
  // Python~/site-packages): for PfU clients and {pfu_package}. Not shipped.
  std::optional<std::filesystem::path> pfu_package;
  std::uint64_t seed = 0;
  int repeat_index = 0;
};

reports::ScenarioResult run_scenario(const Scenario& scenario, const RunSettings& settings);

}  // namespace understudy::harness
