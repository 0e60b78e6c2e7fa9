// Scenario: one scripted run against a fresh engine, as read from a scenario
// file (TOML, see scenarios/README.md): engine settings, client processes,
// and steps, each an action with an optional expectation.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace understudy::harness {

// Names Python for Unity's package folder (understudy run --pfu-package) in a
// client's script and in engine-side code: "{pfu_package}/Tests/rpyc/...".
inline constexpr std::string_view kPfuPackagePlaceholder = "{pfu_package}";

// Where something came from in a scenario file, for error messages.
struct SourceLocation {
  std::filesystem::path file;
  int line = 0;
  std::string text() const { return file.string() + ":" + std::to_string(line); }
};

struct EngineSpec {
  double tick_hz = 60;
  double call_timeout = 30;
  std::string on_deadlock = "report";
  bool faithful = false;
  std::string socket = "tcp";  // tcp: a free loopback port; pfu: PfU 2.x's Unix socket
  std::vector<std::filesystem::path> scripts;  // resolved against the scenario's folder
  std::vector<std::filesystem::path> schemas;  // --schema files or folders, resolved the same way
  std::vector<std::filesystem::path> unity_schemas;  // --unity-schema files, resolved the same way
  std::vector<std::string> args;                     // extra engine flags
  std::vector<std::string> expect_errors;  // engine errors the scenario expects (their text)
};

struct RedisSpec {
  bool enabled = false;  // a private redis-server (or the one given by --redis-url)
};

struct ClientSpec {
  std::string name_template = "client-{i}";  // {i} counts 0..count-1
  std::filesystem::path script;              // or "{pfu_package}/...", resolved by the run
  std::string kind = "understudy";  // understudy: an understudy_client script; pfu: plain PfU
  int count = 1;
  std::vector<std::string> args;
  bool wait_registered = true;
  SourceLocation where;

  std::string name(int index) const;
};

// What a step checks about the outcome of its action.
struct Expectation {
  std::optional<std::string> outcome;   // ok, error, timeout, deadlock, disconnected, no_client
  std::optional<double> min_s;          // the action took at least this long
  std::optional<double> max_s;          // ... and at most this long
  std::optional<nlohmann::json> value;  // the call's or expression's result
  std::optional<std::string> message_contains;
  std::optional<double> within_s;  // python steps: re-run until `value` holds, up to this long
};

// One step. `action` names what it does (an entry of the step catalog,
// harness/steps/step_catalog.h); `params` holds its value or its table, checked
// against the catalog: every key the catalog declares for the action's table
// is present with its declared type, unless the catalog leaves it unset
// (documented there), and none other is.
struct Step {
  std::string action;
  nlohmann::json params;
  Expectation expect;
  std::string title;  // for reports: the step's `title`, else made from the action
  SourceLocation where;
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  double timeout_s = 60;  // the whole scenario
  EngineSpec engine;
  RedisSpec redis;
  std::vector<ClientSpec> clients;
  std::vector<Step> steps;
  std::filesystem::path file;

  bool has_tag(const std::string& tag) const;
  // Whether it runs Python for Unity's own files: a client of kind pfu, or
  // {pfu_package} in a client's script or in engine-side code.
  bool needs_pfu_package() const;
};

class ScenarioFileError : public std::runtime_error {
 public:
  ScenarioFileError(const SourceLocation& where, const std::string& problem)
      : std::runtime_error(where.text() + ": " + problem) {}
};

// Reads and checks a scenario file. Throws ScenarioFileError naming file:line.
Scenario parse_scenario_file(const std::filesystem::path& file);

// Checks `text` as the contents of `file`: errors name `file`, and scripts are
// looked for next to it. Throws ScenarioFileError naming file:line.
Scenario parse_scenario_text(std::string_view text, const std::filesystem::path& file);

}  // namespace understudy::harness
