// Scenario files are TOML (toml++), checked against the step catalog
// (harness/steps/step_catalog.h). Every problem is reported with the file
// and line it comes from, and unknown keys, wrong types and contradictory
// bounds are errors: a typo must not turn into a check that silently never
// runs. The runner may read every key the catalog declares with its type.
#include <toml++/toml.h>

#include <algorithm>
#include <map>

#include "harness/scenario/key_checker.h"
#include "harness/scenario/scenario.h"
#include "harness/steps/step_catalog.h"

namespace understudy::harness {
namespace {

using nlohmann::json;

const std::vector<std::string> kTopLevel = {"scenario", "engine", "redis", "clients", "steps"};

Expectation parse_expectation(const KeyChecker& check, const toml::table& table,
                              const steps::Action& action) {
  const auto& section = steps::expect_section();
  for (const auto& [name, node] : table) {
    const std::string key(name.str());
    if (section.find(key) == nullptr) {
      check.unknown_key(node, key, "expect", section.key_names());
    }
    if (std::find(action.expect.begin(), action.expect.end(), key) == action.expect.end()) {
      std::string takes;
      for (const auto& k : action.expect) {
        takes += (takes.empty() ? "" : ", ") + k;
      }
      throw ScenarioFileError(
          check.at(node),
          "expect." + key + " does not apply to " + action.name +
              (takes.empty() ? " (it has no outcome to expect)" : " (it takes " + takes + ")"));
    }
  }
  const auto values = check.table(table, section);
  Expectation e;
  if (values.contains("outcome"))
    e.outcome = values["outcome"].get<std::string>();
  if (values.contains("min_s"))
    e.min_s = values["min_s"].get<double>();
  if (values.contains("max_s"))
    e.max_s = values["max_s"].get<double>();
  if (values.contains("value"))
    e.value = values["value"];
  if (values.contains("message_contains"))
    e.message_contains = values["message_contains"].get<std::string>();
  if (values.contains("within_s"))
    e.within_s = values["within_s"].get<double>();
  return e;
}

// The action's parameters: its table, checked and with the defaults filled
// in, or its value (wait = 0.5, python = "code", reload = true).
json action_params(const KeyChecker& check, const toml::node& node, const steps::Action& action) {
  if (action.table && node.is_table()) {
    return check.table(*node.as_table(), *action.table);
  }
  if (action.value) {
    if (action.table && !(node.is_boolean() && node.as_boolean()->get())) {
      throw ScenarioFileError(check.at(node), action.name + " must be true or a table {" +
                                                  action.table->key_names().front() + " = ...}" +
                                                  ", got " + KeyChecker::describe(node));
    }
    auto value = check.value(node, *action.value, action.name);
    return action.table ? check.table(toml::table{}, *action.table) : value;
  }
  throw ScenarioFileError(check.at(node), action.name + " takes a table, e.g. " + action.name +
                                              " = { ... }, got " + KeyChecker::describe(node));
}

Step parse_step(const KeyChecker& check, const toml::table& table, std::size_t index) {
  Step step;
  step.where = check.at(table);
  const steps::Action* action = nullptr;
  const toml::table* expect = nullptr;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (name == "expect") {
      expect = node.as_table();
      if (expect == nullptr) {
        throw ScenarioFileError(check.at(node),
                                "expect must be a table, got " + KeyChecker::describe(node));
      }
    } else if (name == "title") {
      step.title = check.value(node, steps::Key::string("title", ""), "title").get<std::string>();
    } else if (const auto* found = steps::find_action(name)) {
      if (action != nullptr) {
        throw ScenarioFileError(check.at(node), "step " + std::to_string(index + 1) +
                                                    " has two actions ('" + action->name +
                                                    "' and '" + name +
                                                    "'); give each its own [[steps]]");
      }
      action = found;
      step.action = name;
      step.params = action_params(check, node, *action);
    } else {
      auto allowed = steps::action_names();
      allowed.push_back("title");
      allowed.push_back("expect");
      check.unknown_key(node, name, "a step", allowed);
    }
  }
  if (action == nullptr) {
    throw ScenarioFileError(step.where, "step " + std::to_string(index + 1) + " has no action");
  }
  if (expect != nullptr) {
    step.expect = parse_expectation(check, *expect, *action);
  }
  if (step.title.empty()) {
    step.title = step.action;
    if (step.params.is_object() && step.params.contains("service")) {
      step.title += " " + step.params["client"].get<std::string>() + "." +
                    step.params["service"].get<std::string>();
    }
  }
  if (action->table && step.params.is_object()) {
    KeyChecker::fill_computed(step.params, *action->table, step.title);
  }
  return step;
}

// A start_call's label names its call until an await_call takes it: an
// await_call naming no call in flight, a second start_call under a label
// still in flight (whose first call would never be checked), and a call never
// awaited (whose outcome nobody checks) are errors.
void check_call_labels(const std::vector<Step>& steps) {
  std::map<std::string, SourceLocation> in_flight;
  for (const auto& step : steps) {
    if (step.action != "start_call" && step.action != "await_call") {
      continue;
    }
    const auto label = step.params["label"].get<std::string>();
    if (step.action == "start_call" && !in_flight.emplace(label, step.where).second) {
      throw ScenarioFileError(step.where, "start_call.label '" + label +
                                              "' is still in flight from an earlier start_call; "
                                              "await it first or give this one its own label");
    }
    if (step.action == "await_call" && in_flight.erase(label) == 0) {
      std::string names;
      for (const auto& [name, where] : in_flight) {
        names += (names.empty() ? "" : ", ") + name;
      }
      throw ScenarioFileError(step.where, "await_call.label '" + label +
                                              "' names no call a start_call before it began (in "
                                              "flight: " +
                                              (names.empty() ? "none" : names) + ")");
    }
  }
  if (!in_flight.empty()) {
    const auto& [label, where] = *in_flight.begin();
    throw ScenarioFileError(where, "start_call '" + label +
                                       "' is never awaited, so its outcome would not be checked; "
                                       "add a step await_call = { label = \"" +
                                       label + "\" }");
  }
}

const toml::table& section_table(const KeyChecker& check, const toml::node& node,
                                 const std::string& name) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    throw ScenarioFileError(check.at(node),
                            name + " must be a table, got " + KeyChecker::describe(node));
  }
  return *table;
}

std::vector<std::string> strings_of(const json& list) {
  return list.get<std::vector<std::string>>();
}

void read_engine(const KeyChecker& check, const toml::node& node, EngineSpec& e) {
  const auto values = check.table(section_table(check, node, "[engine]"), steps::engine_section());
  e.tick_hz = values["tick_hz"].get<double>();
  e.call_timeout = values["call_timeout"].get<double>();
  e.on_deadlock = values["on_deadlock"].get<std::string>();
  e.faithful = values["faithful"].get<bool>();
  e.socket = values["socket"].get<std::string>();
  for (const auto& script : strings_of(values["scripts"])) {
    e.scripts.emplace_back(script);
  }
  for (const auto& schema : strings_of(values["schemas"])) {
    e.schemas.emplace_back(schema);
  }
  for (const auto& schema : strings_of(values["unity_schemas"])) {
    e.unity_schemas.emplace_back(schema);
  }
  e.args = strings_of(values["args"]);
  e.expect_errors = strings_of(values["expect_errors"]);
}

ClientSpec read_client(const KeyChecker& check, const toml::node& node) {
  const auto& table = section_table(check, node, "[[clients]]");
  const auto values = check.table(table, steps::clients_section());
  ClientSpec client;
  client.where = check.at(table);
  client.name_template = values["name"].get<std::string>();
  client.script = values["script"].get<std::string>();
  client.kind = values["kind"].get<std::string>();
  client.count = static_cast<int>(values["count"].get<std::int64_t>());
  client.args = strings_of(values["args"]);
  client.wait_registered = values["wait_registered"].get<bool>();
  return client;
}

const toml::array& array_of_tables(const KeyChecker& check, const toml::node& node,
                                   const std::string& name) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    throw ScenarioFileError(check.at(node), name + " must be tables ([[" + name + "]]), got " +
                                                KeyChecker::describe(node));
  }
  return *array;
}

Scenario check_scenario(const std::filesystem::path& file, const toml::table& root) {
  const KeyChecker check(file);
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(kTopLevel.begin(), kTopLevel.end(), name) == kTopLevel.end()) {
      check.unknown_key(node, name, "the file", kTopLevel);
    }
  }
  Scenario scenario;
  scenario.file = file;

  const auto* meta = root.get("scenario");
  if (meta == nullptr) {
    throw ScenarioFileError(SourceLocation{file, 1}, "missing [scenario] table with a name");
  }
  const auto values =
      check.table(section_table(check, *meta, "[scenario]"), steps::scenario_section());
  scenario.name = values["name"].get<std::string>();
  scenario.description = values["description"].get<std::string>();
  scenario.tags = strings_of(values["tags"]);
  scenario.timeout_s = values["timeout"].get<double>();

  if (const auto* engine = root.get("engine")) {
    read_engine(check, *engine, scenario.engine);
  }
  if (const auto* redis = root.get("redis")) {
    scenario.redis.enabled =
        check.table(section_table(check, *redis, "[redis]"), steps::redis_section())["enabled"]
            .get<bool>();
  }
  if (const auto* clients = root.get("clients")) {
    for (const auto& node : array_of_tables(check, *clients, "clients")) {
      scenario.clients.push_back(read_client(check, node));
    }
  }

  const auto* steps = root.get("steps");
  if (steps == nullptr || (steps->is_array() && steps->as_array()->empty())) {
    throw ScenarioFileError(SourceLocation{file, 1}, "a scenario needs at least one [[steps]]");
  }
  std::size_t index = 0;
  for (const auto& node : array_of_tables(check, *steps, "steps")) {
    scenario.steps.push_back(parse_step(check, section_table(check, node, "[[steps]]"), index++));
  }
  check_call_labels(scenario.steps);
  return scenario;
}

}  // namespace

std::string ClientSpec::name(int index) const {
  std::string result = name_template;
  const auto pos = result.find("{i}");
  if (pos != std::string::npos) {
    result.replace(pos, 3, std::to_string(index));
  }
  return result;
}

bool Scenario::needs_pfu_package() const {
  for (const auto& client : clients) {
    if (client.kind == "pfu" || client.script.string().starts_with(kPfuPackagePlaceholder)) {
      return true;
    }
  }
  for (const auto& step : steps) {
    if (step.action == "python" &&
        step.params.get<std::string>().find(kPfuPackagePlaceholder) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool Scenario::has_tag(const std::string& tag) const {
  for (const auto& t : tags) {
    if (t == tag) {
      return true;
    }
  }
  return false;
}

Scenario parse_scenario_file(const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ScenarioFileError(SourceLocation{file, static_cast<int>(e.source().begin.line)},
                            std::string(e.description()));
  }
  return check_scenario(file, root);
}

Scenario parse_scenario_text(std::string_view text, const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    throw ScenarioFileError(SourceLocation{file, static_cast<int>(e.source().begin.line)},
                            std::string(e.description()));
  }
  return check_scenario(file, root);
}

}  // namespace understudy::harness
