// One file over 500 lines on purpose: it is the catalog's table, one entry
// per action and table, and reads best as one list (split, an action's keys
// would be looked for in several places).
//
// The catalog's entries. Defaults that the runner's option structs already
// hold (fault matrix, connection soak, engine settings) are read from those
// structs, so that the documented default is the one that runs.
#include "harness/steps/step_catalog.h"

#include <algorithm>
#include <cmath>

#include "harness/faults/fault_matrix.h"
#include "harness/scenario/scenario.h"
#include "harness/soak/connection_soak.h"
#include "protocol/messages.h"

namespace understudy::harness::steps {
namespace {

using nlohmann::json;

Key make(std::string name, Type type, std::string doc) {
  Key key;
  key.name = std::move(name);
  key.type = type;
  key.doc = std::move(doc);
  return key;
}

std::string number_text(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  auto text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  return text;
}

// The timeout of a check that waits for something to appear; one that checks
// for its absence looks at what happened so far, unless given a time.
json wait_timeout(const json& params, const std::string&) {
  return params.value("absent", false) ? 0.0 : 5.0;
}

// The names of protocol/messages.h's enums: what a step may expect or ask for.
template <class Enum, std::size_t N>
std::vector<std::string> names_of(const std::array<Enum, N>& values,
                                  std::string_view (*name)(Enum)) {
  std::vector<std::string> names;
  for (const auto value : values) {
    names.emplace_back(name(value));
  }
  return names;
}

const std::vector<std::string> kOutcomes =
    names_of(protocol::kCallOutcomeKinds, protocol::call_outcome_name);
const std::vector<std::string> kPaths = names_of(protocol::kCallPaths, protocol::call_path_name);

std::vector<Key> call_keys(bool started) {
  std::vector<Key> keys = {
      Key::string("client", "the client process's name (a [[clients]] name)")
          .required()
          .not_empty(),
      Key::string("service", "the client service to call").required().not_empty(),
      Key::list("args", "the service's arguments").or_else(json::array()),
      Key::string("path",
                  "sync: the main thread waits for the result; coroutine and async: it does not")
          .among(kPaths)
          .or_else("sync"),
      Key::number("timeout", "seconds", "the call's timeout")
          .above(0)
          .unset_means("[engine] call_timeout"),
  };
  if (started) {
    keys.push_back(Key::string("label", "the name await_call waits for it by")
                       .not_empty()
                       .or_else([](const json&, const std::string& title) { return title; },
                                "the step's title"));
  } else {
    keys.push_back(
        Key::integer("count", "how many times to call, each checked").at_least(1).or_else(1));
  }
  return keys;
}

Section table(std::string name, std::vector<Key> keys, std::vector<Bound> bounds = {}) {
  return Section{std::move(name), std::move(keys), std::move(bounds)};
}

std::vector<Action> make_actions() {
  const std::vector<std::string> call_expect = {"outcome", "min_s", "max_s", "value",
                                                "message_contains"};
  auto python_expect = call_expect;
  python_expect.push_back("within_s");
  const FaultMatrixOptions matrix;
  json kinds = json::array();
  for (const auto kind : matrix.spec.kinds) {
    kinds.push_back(fault_kind_name(kind));
  }
  const ConnectionSoakOptions soak;
  const auto name_key = [](std::string doc) {
    return Key::string("name", std::move(doc)).required().not_empty();
  };
  const auto timeout_key = [](double fallback) {
    return Key::number("timeout", "seconds", "how long to wait for it")
        .at_least(0)
        .or_else(fallback);
  };

  std::vector<Action> all;
  all.push_back({"call",
                 "the engine's main thread calls a client service on `path` and the step waits "
                 "for the outcome (`count` times, each checked)",
                 table("call", call_keys(false)),
                 {},
                 call_expect});
  all.push_back({"start_call",
                 "the same call, without waiting: other steps (faults) run while it is in flight",
                 table("start_call", call_keys(true)),
                 {},
                 {}});
  all.push_back(
      {"await_call",
       "waits for the outcome of the call a start_call began",
       table("await_call", {Key::string("label", "the start_call's label").required().not_empty()}),
       {},
       call_expect});
  all.push_back({"python",
                 "engine-side Python on the main thread; the value of a final expression is the "
                 "step's value. It runs in the harness's own namespace, shared by the "
                 "scenario's python steps: a startup script's globals are in `__main__` "
                 "(`import __main__`). `{scenario_dir}` is replaced by this file's folder",
                 {},
                 Key::string("python", "the code"),
                 python_expect});
  all.push_back({"wait", "sleeps", {}, Key::number("wait", "seconds", "").at_least(0), {}});
  all.push_back({"reload",
                 "a domain reload; the step ends when the engine has restarted its server",
                 {},
                 Key::only_true("reload", ""),
                 {}});
  all.push_back({"stop_redis",
                 "stops the scenario's private redis-server",
                 {},
                 Key::only_true("stop_redis", ""),
                 {}});
  all.push_back({"start_redis",
                 "starts the private redis-server again",
                 {},
                 Key::only_true("start_redis", ""),
                 {}});
  all.push_back(
      {"restart_redis",
       "stops the private redis-server and starts it again `down_s` later",
       table("restart_redis",
             {Key::number("down_s", "seconds", "how long it stays down").at_least(0).or_else(0.0)}),
       Key::only_true("restart_redis", ""),
       {}});
  all.push_back(
      {"kill_client",
       "SIGKILL (or SIGTERM) to the newest client of that name; the step waits for it "
       "to exit",
       table("kill_client",
             {name_key("the client's name"),
              Key::string("signal", "the signal").among({"KILL", "TERM"}).or_else("KILL")}),
       {},
       {}});
  all.push_back({"pause_client",
                 "SIGSTOP to the newest client of that name",
                 table("pause_client", {name_key("the client's name")}),
                 {},
                 {}});
  all.push_back({"resume_client",
                 "SIGCONT to the newest client of that name",
                 table("resume_client", {name_key("the client's name")}),
                 {},
                 {}});
  all.push_back({"expect_console",
                 "at least `min_count` matching console records since the start (waiting up to "
                 "`timeout`), or none with `absent = true`",
                 table("expect_console",
                       {Key::string("contains", "text the record contains").or_else(""),
                        Key::string("severity", "the record's severity")
                            .among({"log", "warning", "error"})
                            .unset_means("any"),
                        Key::integer("min_count", "matching records needed")
                            .at_least(1)
                            .or_else(1)
                            .excludes("absent"),
                        Key::boolean("absent", "no matching record may exist").or_else(false),
                        Key::number("timeout", "seconds", "how long to wait for them")
                            .at_least(0)
                            .or_else(wait_timeout, "5, or 0 with absent")}),
                 {},
                 {}});
  all.push_back(
      {"expect_deadlock",
       "a deadlock report whose members start with each given name (`\"main\"`, "
       "`\"client:worker\"`), reported within `within_frames` of the cycle forming; or none "
       "with `absent = true`",
       table("expect_deadlock",
             {Key::strings("members", "names the cycle's members start with")
                  .or_else(json::array())
                  .excludes("absent"),
              Key::boolean("certain", "a certain (true) or potential (false) deadlock")
                  .unset_means("either")
                  .excludes("absent"),
              Key::integer("within_frames", "frames from the cycle forming to the report")
                  .at_least(0)
                  .unset_means("no limit")
                  .excludes("absent"),
              Key::boolean("absent", "no deadlock report may exist").or_else(false),
              Key::number("timeout", "seconds", "how long to wait for it")
                  .at_least(0)
                  .or_else(wait_timeout, "5, or 0 with absent")}),
       {},
       {}});
  all.push_back({"expect_actors",
                 "the world holds exactly `count` matching actors (polled until `timeout`); with "
                 "`unique`, no label among them twice",
                 table("expect_actors",
                       {Key::string("label", "the actor's label, exactly").or_else(""),
                        Key::string("label_prefix", "the start of the actor's label").or_else(""),
                        Key::string("class", "the actor's class").or_else(""),
                        Key::integer("count", "matching actors").at_least(0).or_else(1),
                        Key::boolean("unique", "no label among them twice").or_else(false),
                        timeout_key(5.0)}),
                 {},
                 {}});
  all.push_back(
      {"expect_registry",
       "`count` live connections are registered under `name` (polled until `timeout`)",
       table("expect_registry",
             {name_key("the registered name"),
              Key::integer("count", "live connections").at_least(0).or_else(1), timeout_key(5.0)}),
       {},
       {}});
  all.push_back(
      {"expect_latency",
       "bounds on the latencies gathered so far by calls on a path; generous bounds only: "
       "speed is measured by the benchmarks, not asserted. A series without samples fails, "
       "whatever "
       "`min_count`",
       table(
           "expect_latency",
           {Key::string("series", "the calls' path")
                .among({"sync call", "coroutine call", "async call"})
                .or_else("sync call"),
            Key::integer("min_count", "samples needed").at_least(0).or_else(1),
            Key::number("p50_min_ms", "ms", "the median at least")
                .at_least(0)
                .unset_means("no bound"),
            Key::number("p50_max_ms", "ms", "the median at most")
                .at_least(0)
                .unset_means("no bound"),
            Key::number("p99_max_ms", "ms", "the 99th percentile at most")
                .at_least(0)
                .unset_means("no bound"),
            Key::number("max_ms", "ms", "the slowest at most").at_least(0).unset_means("no bound")},
           {{"p50_min_ms", "p50_max_ms"}, {"p50_min_ms", "p99_max_ms"}, {"p50_min_ms", "max_ms"}}),
       {},
       {}});
  all.push_back(
      {"line_load",
       "Boost.Asio clients send `lines` lines each, `<prefix>-<connection>-<n>`, to the "
       "scenario port (the spawn server); every connection must succeed, and at least one must "
       "be opened (`lines = 0` is a churn of connections that send nothing)",
       table("line_load",
             {Key::integer("connections", "connections").at_least(0).or_else(1),
              Key::integer("lines", "lines per connection; 0: open and close only")
                  .at_least(0)
                  .or_else(10),
              Key::number("rate", "lines per second", "per connection; 0: flat out")
                  .at_least(0)
                  .or_else(0.0),
              Key::integer("concurrency", "connections open at once").at_least(1).or_else(256),
              Key::string("prefix", "the lines' prefix").not_empty().or_else("line")}),
       {},
       {}});
  all.push_back({"expect_lines_spawned",
                 "every line the `line_load` steps sent is the label of exactly one actor; the "
                 "lines without an actor, or with several, are named; fails if no line was sent "
                 "before it",
                 table("expect_lines_spawned", {timeout_key(20.0)}),
                 {},
                 {}});
  all.push_back(
      {"publish_load",
       "hiredis publishers send `pub=<i> seq=<n>` messages to the scenario's Redis; with "
       "`background = true` the step returns at once (for faults meanwhile); fails if they sent "
       "nothing",
       table("publish_load",
             {Key::integer("publishers", "publishers").at_least(1).or_else(1),
              Key::integer("count", "messages per publisher").at_least(1).or_else(100),
              Key::number("rate", "messages per second", "per publisher; 0: flat out")
                  .at_least(0)
                  .or_else(0.0),
              Key::integer("in_flight", "PUBLISHes awaiting a reply, per publisher")
                  .at_least(1)
                  .or_else(1),
              Key::string("channel", "the channel").not_empty().or_else("understudy"),
              Key::boolean("background", "return at once; expect_delivery waits").or_else(false)}),
       {},
       {}});
  all.push_back(
      {"expect_delivery",
       "reconciles what the publishers sent with what the engine's subscriber received: every "
       "message delivered once, in order; or, with `exactly_once = false`, lost only where "
       "pub/sub loses by design, each loss counted by reason. Fails if nothing was sent, or "
       "nothing delivered",
       table("expect_delivery",
             {Key::boolean("exactly_once", "no loss at all").or_else(true), timeout_key(10.0)}),
       {},
       {}});
  all.push_back(
      {"fault_matrix",
       "faults planned from the run's seed, under load, then invariants checked (see below)",
       table(
           "fault_matrix",
           {Key::string("script", "the client script, relative to this file").required().path(),
            Key::number("duration", "seconds", "faults start within this long")
                .above(0)
                .or_else(matrix.spec.duration_s),
            Key::integer("faults", "faults planned").at_least(0).or_else(matrix.spec.faults),
            Key::integer("clients", "client processes").at_least(1).or_else(matrix.spec.clients),
            Key::strings("kinds", "kinds of fault")
                .among({"kill", "pause", "reload", "restart_redis"})
                .at_least(1)
                .or_else(kinds),
            Key::number("hold_s", "seconds", "how long a faulted call's service holds")
                .above(0)
                .or_else(matrix.spec.hold_s),
            Key::number("pause_max_s", "seconds", "a pause lasts 0.05 s up to this")
                .at_least(0.05)
                .or_else(matrix.spec.pause_max_s),
            Key::number("restart_after_s", "seconds", "a killed client starts again this later")
                .at_least(0)
                .or_else(matrix.spec.restart_after_s),
            Key::number("redis_down_max_s", "seconds", "Redis stays down 0.05 s up to this")
                .at_least(0.05)
                .or_else(matrix.spec.redis_down_max_s),
            Key::string("client_name", "the clients' names; {i} counts them")
                .not_empty()
                .or_else(matrix.client_name),
            Key::number("load_interval_s", "seconds", "one engine->client call this often")
                .above(0)
                .or_else(matrix.load_interval_s),
            Key::integer("max_in_flight", "engine->client calls outstanding")
                .at_least(1)
                .or_else(matrix.max_load_in_flight),
            Key::number("settle_s", "seconds", "for the clients to come back after the last fault")
                .above(0)
                .or_else(matrix.settle_s)}),
       {},
       {}});
  all.push_back(
      {"connection_soak",
       "rounds of real RPyC clients connecting, calling and disconnecting; after each round the "
       "engine's fds and threads are exactly at the baseline and its RSS within `rss_mib` of it "
       "(see below)",
       table(
           "connection_soak",
           {Key::string("script", "the churning client script, relative to this file")
                .required()
                .path(),
            Key::integer("processes", "churning processes").at_least(1).or_else(soak.processes),
            Key::integer("cycles", "connect/call/disconnect cycles per round")
                .at_least(1)
                .or_else(soak.cycles),
            Key::integer("warmup_cycles", "cycles before the baseline is taken")
                .at_least(0)
                .or_else(soak.warmup_cycles),
            Key::integer("rounds", "rounds").at_least(1).or_else(soak.rounds).excludes("duration"),
            Key::number("duration", "seconds", "rounds until this long has passed; 0: `rounds`")
                .at_least(0)
                .or_else(soak.duration_s),
            Key::number("rss_mib", "MiB", "RSS allowed above the baseline")
                .at_least(0)
                .or_else(soak.rss_mib),
            Key::number("settle_s", "seconds", "for fds and threads to come back after a round")
                .above(0)
                .or_else(soak.settle_s),
            Key::integer("calls", "calls per path between rounds")
                .at_least(0)
                .or_else(soak.calls)}),
       {},
       {}});
  return all;
}

Section make_scenario_section() {
  const Scenario defaults;
  return table("[scenario]",
               {Key::string("name", "the scenario's name, in reports").required().not_empty(),
                Key::string("description", "what it shows").or_else(""),
                Key::strings("tags", "--tag selects; \"slow\" is excluded by default")
                    .or_else(json::array()),
                Key::number("timeout", "seconds", "for the whole scenario")
                    .above(0)
                    .or_else(defaults.timeout_s)});
}

Section make_engine_section() {
  const EngineSpec defaults;
  return table(
      "[engine]",
      {Key::number("tick_hz", "frames per second", "0 runs frames back to back")
           .at_least(0)
           .or_else(defaults.tick_hz),
       Key::number("call_timeout", "seconds", "RPyC's sync request timeout")
           .above(0)
           .or_else(defaults.call_timeout),
       Key::string("on_deadlock", "what the engine does when it finds a deadlock")
           .among({"report", "fail-fast", "wait"})
           .or_else(defaults.on_deadlock),
       Key::boolean("faithful",
                    "PfU 2.x exactly: its timing and its RPyC 4.0.2 dispatch (--faithful)")
           .or_else(defaults.faithful),
       Key::string("socket",
                   "where the engine listens: tcp, a free loopback port; pfu, PfU "
                   "2.x's Unix socket in the engine's TMPDIR, where unity_client.connect() "
                   "looks")
           .among({"tcp", "pfu"})
           .or_else(defaults.socket),
       Key::strings("scripts", "engine-side scripts, relative to this file")
           .path()
           .or_else(json::array()),
       Key::strings("schemas",
                    "the project's classes, structs and enums (TOML schema files or "
                    "folders, docs/object-schema.md), relative to this file")
           .path()
           .or_else(json::array()),
       Key::strings("unity_schemas",
                    "the Unity project's C# classes (--unity-schema files, with their "
                    "namespace and assembly), relative to this file")
           .path()
           .or_else(json::array()),
       Key::strings("args", "more understudy-engine flags").or_else(json::array()),
       Key::strings("expect_errors",
                    "engine errors the scenario expects (a text each error contains)")
           .not_empty()
           .or_else(json::array())});
}

Section make_clients_section() {
  const ClientSpec defaults;
  return table(
      "[[clients]]",
      {Key::string("name", "the process's name; {i} counts 0..count-1").required().not_empty(),
       Key::string("script", "the client script, relative to this file")
           .required()
           .path()
           .or_in_pfu_package(),
       Key::string("kind",
                   "understudy: an understudy_client script; pfu: a plain Python for Unity "
                   "script (PfU's site-packages on its path, not harness/pylib)")
           .among({"understudy", "pfu"})
           .or_else(defaults.kind),
       Key::integer("count", "processes").at_least(1).or_else(defaults.count),
       Key::strings("args", "its arguments").or_else(json::array()),
       Key::boolean("wait_registered", "the scenario starts once the engine registered it")
           .or_else(defaults.wait_registered)});
}

Section make_expect_section() {
  return table(
      "expect",
      {Key::string("outcome", "how the action ended").among(kOutcomes).unset_means("\"ok\""),
       Key::number("min_s", "seconds", "it took at least this long")
           .at_least(0)
           .unset_means("no bound"),
       Key::number("max_s", "seconds", "it took at most this long")
           .at_least(0)
           .unset_means("no bound"),
       Key::any("value", "the call's or expression's result, compared as JSON")
           .unset_means("not compared"),
       Key::string("message_contains", "text the error message contains")
           .unset_means("not compared"),
       Key::number("within_s", "seconds", "re-run the code until its value is `value`")
           .above(0)
           .only_with("value")
           .unset_means("run once")},
      {{"min_s", "max_s"}});
}

}  // namespace

Key Key::string(std::string name, std::string doc) {
  return make(std::move(name), Type::kString, std::move(doc));
}
Key Key::number(std::string name, std::string unit, std::string doc) {
  auto key = make(std::move(name), Type::kNumber, std::move(doc));
  key.unit = std::move(unit);
  return key;
}
Key Key::integer(std::string name, std::string doc) {
  return make(std::move(name), Type::kInteger, std::move(doc));
}
Key Key::boolean(std::string name, std::string doc) {
  return make(std::move(name), Type::kBool, std::move(doc));
}
Key Key::only_true(std::string name, std::string doc) {
  return make(std::move(name), Type::kTrue, std::move(doc));
}
Key Key::strings(std::string name, std::string doc) {
  return make(std::move(name), Type::kStringList, std::move(doc));
}
Key Key::list(std::string name, std::string doc) {
  return make(std::move(name), Type::kList, std::move(doc));
}
Key Key::any(std::string name, std::string doc) {
  return make(std::move(name), Type::kAny, std::move(doc));
}

Key& Key::required() {
  is_required = true;
  return *this;
}
Key& Key::or_else(nlohmann::json value) {
  fallback = std::move(value);
  return *this;
}
Key& Key::or_else(DefaultFrom compute, std::string text) {
  fallback_from = std::move(compute);
  fallback_text = std::move(text);
  return *this;
}
Key& Key::unset_means(std::string text) {
  fallback_text = std::move(text);
  return *this;
}
Key& Key::at_least(double value) {
  min = value;
  min_exclusive = false;
  return *this;
}
Key& Key::above(double value) {
  min = value;
  min_exclusive = true;
  return *this;
}
Key& Key::at_most(double value) {
  max = value;
  return *this;
}
Key& Key::among(std::vector<std::string> values) {
  one_of = std::move(values);
  return *this;
}
Key& Key::path() {
  is_path = true;
  return *this;
}
Key& Key::or_in_pfu_package() {
  in_pfu_package = true;
  return *this;
}
Key& Key::not_empty() {
  non_empty = true;
  return *this;
}
Key& Key::only_with(std::string key) {
  needs = std::move(key);
  return *this;
}
Key& Key::excludes(std::string key) {
  not_with = std::move(key);
  return *this;
}

std::string Key::expected() const {
  auto quoted_list = [this] {
    std::string text;
    for (std::size_t i = 0; i < one_of.size(); ++i) {
      text += (i == 0 ? "" : i + 1 == one_of.size() ? " or " : ", ") + json(one_of[i]).dump();
    }
    return text;
  };
  std::string range;
  if (min) {
    range += std::string(min_exclusive ? " > " : " >= ") + number_text(*min);
  }
  if (max) {
    range += (min ? " and <= " : " <= ") + number_text(*max);
  }
  switch (type) {
    case Type::kString:
      if (!one_of.empty()) {
        return "one of " + quoted_list();
      }
      return non_empty ? "a non-empty string" : "a string";
    case Type::kNumber:
      return "a number" + (unit.empty() ? "" : " of " + unit) + range;
    case Type::kInteger:
      return "an integer" + range;
    case Type::kBool:
      return "true or false";
    case Type::kTrue:
      return "true";
    case Type::kStringList:
      return "a list of strings" + (one_of.empty() ? "" : " (each " + quoted_list() + ")") +
             (min ? " with at least " + number_text(*min) + " item" : "");
    case Type::kList:
      return "a list";
    case Type::kAny:
      return "a string, number, boolean, list or table";
  }
  return "a value";
}

const Key* Section::find(std::string_view key) const {
  for (const auto& k : keys) {
    if (k.name == key) {
      return &k;
    }
  }
  return nullptr;
}

std::vector<std::string> Section::key_names() const {
  std::vector<std::string> names;
  for (const auto& k : keys) {
    names.push_back(k.name);
  }
  return names;
}

const std::vector<Action>& actions() {
  static const std::vector<Action> all = make_actions();
  return all;
}

const Action* find_action(std::string_view name) {
  for (const auto& action : actions()) {
    if (action.name == name) {
      return &action;
    }
  }
  return nullptr;
}

std::vector<std::string> action_names() {
  std::vector<std::string> names;
  for (const auto& action : actions()) {
    names.push_back(action.name);
  }
  return names;
}

const Section& scenario_section() {
  static const Section section = make_scenario_section();
  return section;
}
const Section& engine_section() {
  static const Section section = make_engine_section();
  return section;
}
const Section& redis_section() {
  static const Section section = table(
      "[redis]", {Key::boolean("enabled", "a private redis-server (or the one --redis-url names)")
                      .or_else(true)});
  return section;
}
const Section& clients_section() {
  static const Section section = make_clients_section();
  return section;
}
const Section& expect_section() {
  static const Section section = make_expect_section();
  return section;
}

// Optimal string alignment distance: a swapped pair of letters ("membres")
// counts as one edit, as it is one slip of the fingers.
std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
      d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
      d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.size()][b.size()];
  };
  const std::size_t limit = word.size() <= 3 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const auto d = distance(word, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace understudy::harness::steps
