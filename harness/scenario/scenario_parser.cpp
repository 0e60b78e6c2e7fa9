// Scenario files are TOML (toml++). Every problem is reported with the file
// and line it comes from, and unknown keys are errors: a typo must not turn
// into a check that silently never runs.
#include <toml++/toml.h>

#include <map>
#include <set>

#include "harness/scenario/scenario.h"

namespace understudy::harness {
namespace {

using nlohmann::json;

SourceLocation at(const std::filesystem::path& file, const toml::node& node) {
  return SourceLocation{file, static_cast<int>(node.source().begin.line)};
}

void allow_only(const std::filesystem::path& file, const toml::table& table,
                const std::set<std::string>& allowed, const std::string& what) {
  for (const auto& [key, node] : table) {
    if (!allowed.contains(std::string(key.str()))) {
      std::string list;
      for (const auto& a : allowed) {
        list += (list.empty() ? "" : ", ") + a;
      }
      throw ScenarioFileError(at(file, node), "unknown key '" + std::string(key.str()) + "' in " +
                                                  what + " (allowed: " + list + ")");
    }
  }
}

json to_json(const toml::node& node) {
  if (const auto* t = node.as_table()) {
    json object = json::object();
    for (const auto& [key, value] : *t) {
      object[std::string(key.str())] = to_json(value);
    }
    return object;
  }
  if (const auto* a = node.as_array()) {
    json array = json::array();
    for (const auto& value : *a) {
      array.push_back(to_json(value));
    }
    return array;
  }
  if (const auto* s = node.as_string())
    return s->get();
  if (const auto* i = node.as_integer())
    return i->get();
  if (const auto* f = node.as_floating_point())
    return f->get();
  if (const auto* b = node.as_boolean())
    return b->get();
  return nullptr;
}

template <class T>
T required(const std::filesystem::path& file, const toml::table& table, const char* key,
           const std::string& what) {
  const auto* node = table.get(key);
  if (node == nullptr) {
    throw ScenarioFileError(at(file, table), what + " needs '" + key + "'");
  }
  auto value = node->value<T>();
  if (!value) {
    throw ScenarioFileError(at(file, *node),
                            "'" + std::string(key) + "' in " + what + " has the wrong type");
  }
  return *value;
}

std::vector<std::string> strings(const std::filesystem::path& file, const toml::node* node,
                                 const char* key) {
  std::vector<std::string> result;
  if (node == nullptr) {
    return result;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    throw ScenarioFileError(at(file, *node),
                            "'" + std::string(key) + "' must be a list of strings");
  }
  for (const auto& item : *array) {
    auto text = item.value<std::string>();
    if (!text) {
      throw ScenarioFileError(at(file, item),
                              "'" + std::string(key) + "' must be a list of strings");
    }
    result.push_back(*text);
  }
  return result;
}

// A script that is not there is a file:line error now rather than a process
// that fails to start later; so is one that cannot be looked for (a name too
// long, a folder that cannot be read), instead of a filesystem_error.
void require_script(const SourceLocation& where, const std::string& what, const std::string& script,
                    const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    throw ScenarioFileError(where, what + " '" + script + "' " +
                                       (error ? "cannot be looked for (" + error.message() + ")"
                                              : std::string("not found")) +
                                       " (looked at " + path.string() + ")");
  }
}

const std::set<std::string> kActions = {"call",
                                        "start_call",
                                        "await_call",
                                        "python",
                                        "wait",
                                        "reload",
                                        "stop_redis",
                                        "start_redis",
                                        "restart_redis",
                                        "kill_client",
                                        "pause_client",
                                        "resume_client",
                                        "expect_console",
                                        "expect_deadlock",
                                        "expect_actors",
                                        "expect_registry",
                                        "expect_latency",
                                        "line_load",
                                        "publish_load",
                                        "expect_delivery",
                                        "expect_lines_spawned",
                                        "fault_matrix",
                                        "connection_soak"};

// The keys of the steps that take many (a misspelt one must not be ignored).
const std::map<std::string, std::set<std::string>> kActionKeys = {
    {"fault_matrix",
     {"duration", "faults", "clients", "kinds", "hold_s", "pause_max_s", "restart_after_s",
      "redis_down_max_s", "client_name", "script", "load_interval_s", "max_in_flight", "settle_s"}},
    {"connection_soak",
     {"processes", "cycles", "warmup_cycles", "rounds", "duration", "script", "rss_mib", "settle_s",
      "calls"}}};

const std::set<std::string> kFaultKinds = {"kill", "pause", "reload", "restart_redis"};

const std::set<std::string> kOutcomes = {"ok",       "error",        "timeout",
                                         "deadlock", "disconnected", "no_client"};

Expectation parse_expectation(const std::filesystem::path& file, const toml::table& table) {
  allow_only(file, table, {"outcome", "min_s", "max_s", "value", "message_contains", "within_s"},
             "expect");
  Expectation e;
  if (const auto* node = table.get("outcome")) {
    e.outcome = node->value<std::string>();
    if (!e.outcome || !kOutcomes.contains(*e.outcome)) {
      throw ScenarioFileError(at(file, *node),
                              "expect.outcome must be one of ok, error, timeout, deadlock, "
                              "disconnected, no_client");
    }
  }
  if (const auto* node = table.get("min_s"))
    e.min_s = node->value<double>();
  if (const auto* node = table.get("max_s"))
    e.max_s = node->value<double>();
  if (const auto* node = table.get("value"))
    e.value = to_json(*node);
  if (const auto* node = table.get("message_contains"))
    e.message_contains = node->value<std::string>();
  if (const auto* node = table.get("within_s"))
    e.within_s = node->value<double>();
  return e;
}

Step parse_step(const std::filesystem::path& file, const toml::table& table, std::size_t index) {
  Step step;
  step.where = at(file, table);
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (name == "expect") {
      const auto* expect = node.as_table();
      if (expect == nullptr) {
        throw ScenarioFileError(at(file, node), "'expect' must be a table");
      }
      step.expect = parse_expectation(file, *expect);
    } else if (name == "title") {
      step.title = node.value<std::string>().value_or("");
    } else if (kActions.contains(name)) {
      if (!step.action.empty()) {
        throw ScenarioFileError(
            at(file, node), "step " + std::to_string(index + 1) + " has two actions ('" +
                                step.action + "' and '" + name + "'); give each its own [[steps]]");
      }
      step.action = name;
      step.params = to_json(node);
    } else {
      std::string list;
      for (const auto& a : kActions) {
        list += (list.empty() ? "" : ", ") + a;
      }
      throw ScenarioFileError(at(file, node), "unknown key '" + name + "' in a step (actions: " +
                                                  list + "; also title, expect)");
    }
  }
  if (step.action.empty()) {
    throw ScenarioFileError(step.where, "step " + std::to_string(index + 1) + " has no action");
  }
  const bool needs_table =
      step.action == "call" || step.action == "start_call" || step.action == "await_call" ||
      step.action.starts_with("expect_") || step.action.ends_with("_client") ||
      step.action.ends_with("_load") || step.action == "expect_delivery" ||
      step.action == "expect_lines_spawned" || kActionKeys.contains(step.action);
  if (needs_table && !step.params.is_object()) {
    throw ScenarioFileError(
        step.where, "'" + step.action + "' takes a table, e.g. " + step.action + " = { ... }");
  }
  const bool is_call = step.action == "call" || step.action == "start_call";
  if (is_call && (!step.params.contains("client") || !step.params["client"].is_string() ||
                  !step.params.contains("service") || !step.params["service"].is_string())) {
    throw ScenarioFileError(step.where,
                            "'" + step.action + "' needs client and service, both strings");
  }
  if (const auto keys = kActionKeys.find(step.action); keys != kActionKeys.end()) {
    for (const auto& [key, value] : step.params.items()) {
      if (!keys->second.contains(key)) {
        std::string list;
        for (const auto& k : keys->second) {
          list += (list.empty() ? "" : ", ") + k;
        }
        throw ScenarioFileError(
            step.where, "unknown key '" + key + "' in " + step.action + " (allowed: " + list + ")");
      }
    }
    if (!step.params.contains("script")) {
      throw ScenarioFileError(step.where, "'" + step.action +
                                              "' needs script, the client script relative to "
                                              "this file");
    }
    const auto script = file.parent_path() / step.params["script"].get<std::string>();
    if (!std::filesystem::exists(script)) {
      throw ScenarioFileError(step.where, "client script '" +
                                              step.params["script"].get<std::string>() +
                                              "' not found (looked at " + script.string() + ")");
    }
    step.params["script"] = script.string();
  }
  if (step.action == "fault_matrix") {
    for (const auto& kind : step.params.value("kinds", json::array())) {
      if (!kind.is_string() || !kFaultKinds.contains(kind.get<std::string>())) {
        throw ScenarioFileError(step.where,
                                "fault_matrix kinds are kill, pause, reload and "
                                "restart_redis; saw " +
                                    kind.dump());
      }
    }
  }
  if (step.action == "python" && !step.params.is_string()) {
    throw ScenarioFileError(step.where, "'python' takes a string of code");
  }
  if (step.action == "restart_redis" && !step.params.is_object() && !step.params.is_boolean()) {
    throw ScenarioFileError(step.where, "'restart_redis' takes true or a table {down_s = ...}");
  }
  if (step.action == "wait" && !step.params.is_number()) {
    throw ScenarioFileError(step.where, "'wait' takes a number of seconds");
  }
  if (step.title.empty()) {
    step.title = step.action;
    if (is_call) {
      step.title += " " + step.params["client"].get<std::string>() + "." +
                    step.params["service"].get<std::string>();
    }
  }
  return step;
}

Scenario check_scenario(const std::filesystem::path& file, const toml::table& root) {
  allow_only(file, root, {"scenario", "engine", "redis", "clients", "steps"}, "the file");
  const auto folder = file.parent_path();
  Scenario scenario;
  scenario.file = file;

  const auto* meta = root.get_as<toml::table>("scenario");
  if (meta == nullptr) {
    throw ScenarioFileError(SourceLocation{file, 1}, "missing [scenario] table with a name");
  }
  allow_only(file, *meta, {"name", "description", "tags", "timeout"}, "[scenario]");
  scenario.name = required<std::string>(file, *meta, "name", "[scenario]");
  scenario.description =
      meta->get("description") ? meta->get("description")->value_or(std::string()) : "";
  scenario.tags = strings(file, meta->get("tags"), "tags");
  if (const auto* t = meta->get("timeout"))
    scenario.timeout_s = t->value<double>().value_or(60);

  if (const auto* engine = root.get_as<toml::table>("engine")) {
    allow_only(
        file, *engine,
        {"tick_hz", "call_timeout", "on_deadlock", "faithful", "scripts", "args", "expect_errors"},
        "[engine]");
    auto& e = scenario.engine;
    if (const auto* n = engine->get("tick_hz"))
      e.tick_hz = n->value<double>().value_or(e.tick_hz);
    if (const auto* n = engine->get("call_timeout"))
      e.call_timeout = n->value<double>().value_or(e.call_timeout);
    if (const auto* n = engine->get("faithful"))
      e.faithful = n->value<bool>().value_or(false);
    if (const auto* n = engine->get("on_deadlock")) {
      e.on_deadlock = n->value<std::string>().value_or("");
      if (e.on_deadlock != "report" && e.on_deadlock != "fail-fast" && e.on_deadlock != "wait") {
        throw ScenarioFileError(at(file, *n), "on_deadlock must be report, fail-fast or wait");
      }
    }
    for (const auto& script : strings(file, engine->get("scripts"), "scripts")) {
      const auto path = folder / script;
      require_script(at(file, *engine->get("scripts")), "engine script", script, path);
      e.scripts.push_back(path);
    }
    e.args = strings(file, engine->get("args"), "args");
    e.expect_errors = strings(file, engine->get("expect_errors"), "expect_errors");
  }

  if (const auto* redis = root.get_as<toml::table>("redis")) {
    allow_only(file, *redis, {"enabled"}, "[redis]");
    scenario.redis.enabled = redis->get("enabled") ? redis->get("enabled")->value_or(true) : true;
  }

  if (const auto* clients = root.get_as<toml::array>("clients")) {
    for (const auto& node : *clients) {
      const auto* table = node.as_table();
      if (table == nullptr) {
        throw ScenarioFileError(at(file, node), "[[clients]] entries must be tables");
      }
      allow_only(file, *table, {"name", "script", "count", "args", "wait_registered"},
                 "[[clients]]");
      ClientSpec client;
      client.where = at(file, *table);
      client.name_template = required<std::string>(file, *table, "name", "[[clients]]");
      const auto script = required<std::string>(file, *table, "script", "[[clients]]");
      client.script = folder / script;
      require_script(client.where, "client script", script, client.script);
      if (const auto* n = table->get("count"))
        client.count = static_cast<int>(n->value<int64_t>().value_or(1));
      if (client.count < 1) {
        throw ScenarioFileError(client.where, "count must be at least 1");
      }
      client.args = strings(file, table->get("args"), "args");
      if (const auto* n = table->get("wait_registered"))
        client.wait_registered = n->value<bool>().value_or(true);
      scenario.clients.push_back(std::move(client));
    }
  }

  const auto* steps = root.get_as<toml::array>("steps");
  if (steps == nullptr || steps->empty()) {
    throw ScenarioFileError(SourceLocation{file, 1}, "a scenario needs at least one [[steps]]");
  }
  std::size_t index = 0;
  for (const auto& node : *steps) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      throw ScenarioFileError(at(file, node), "[[steps]] entries must be tables");
    }
    scenario.steps.push_back(parse_step(file, *table, index++));
  }
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
