// The scenario parser against the step catalog: every key at every depth is
// checked (known, of its type and range, required ones present, bounds that
// do not contradict), every problem is a ScenarioFileError naming file:line,
// the key, what it must be and what it was; and the runner gets every
// default filled in. The README's steps reference is the catalog's.
#define BOOST_TEST_MODULE scenario_parser
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "harness/faults/fault_matrix.h"
#include "harness/scenario/scenario.h"
#include "harness/steps/step_catalog.h"

namespace {

namespace steps = understudy::harness::steps;
using nlohmann::json;
using understudy::harness::FaultMatrixOptions;
using understudy::harness::parse_scenario_file;
using understudy::harness::parse_scenario_text;
using understudy::harness::Scenario;
using understudy::harness::ScenarioFileError;

// Beside the shipped scenarios, so that their client scripts resolve.
const std::filesystem::path kFile =
    std::filesystem::path(UNDERSTUDY_SHIPPED_SCENARIOS) / "strict.toml";

const std::string kHeader =
    "[scenario]\n"
    "name = \"strict\"\n"
    "\n"
    "[[clients]]\n"
    "name = \"worker\"\n"
    "script = \"clients/echo_client.py\"\n"
    "\n"
    "[[steps]]\n";
constexpr int kStepLine = 9;  // the first line after kHeader

// The parser's error for `text`, or "(accepted)".
std::string error_of(const std::string& text) {
  try {
    parse_scenario_text(text, kFile);
  } catch (const ScenarioFileError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("(not a ScenarioFileError) ") + e.what();
  }
  return "(accepted)";
}

std::string step_error(const std::string& step) {
  return error_of(kHeader + step + "\n");
}

Scenario parsed(const std::string& text) {
  return parse_scenario_text(text, kFile);
}
Scenario with_step(const std::string& step) {
  return parsed(kHeader + step + "\n");
}

std::string at_line(int line) {
  return kFile.string() + ":" + std::to_string(line) + ": ";
}

#define CHECK_ERROR(error, fragment)                      \
  BOOST_TEST((error).find(fragment) != std::string::npos, \
             "expected an error containing\n  " << (fragment) << "\ngot\n  " << (error))

}  // namespace

// --- what was seen (issue 13), each a case ---

BOOST_AUTO_TEST_CASE(misspelt_keys_inside_action_tables_are_errors) {
  const auto label = step_error("expect_actors = { lable_prefix = \"x\", count = 1 }");
  CHECK_ERROR(label, at_line(kStepLine));
  CHECK_ERROR(label, "unknown key 'lable_prefix' in expect_actors (did you mean 'label_prefix'?)");
  CHECK_ERROR(label, "allowed: label, label_prefix, class, count, unique, timeout");
  CHECK_ERROR(step_error("expect_deadlock = { membres = [\"main\"] }"),
              "unknown key 'membres' in expect_deadlock (did you mean 'members'?)");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\", timout = 1 }"),
              "unknown key 'timout' in call (did you mean 'timeout'?)");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\", pth = \"sync\" }"),
              "unknown key 'pth' in call (did you mean 'path'?)");
}

BOOST_AUTO_TEST_CASE(wrong_types_are_errors_not_defaults) {
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\" }\n"
                         "expect = { max_s = \"0.001\" }"),
              at_line(kStepLine + 1) +
                  "expect.max_s must be a number of seconds >= 0, got the string \"0.001\"");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\ntimeout = \"soon\"\n[[steps]]\nwait = 0\n"),
              at_line(3) +
                  "[scenario] timeout must be a number of seconds > 0, got the string "
                  "\"soon\"");
  CHECK_ERROR(
      error_of("[scenario]\nname = \"x\"\n[engine]\ntick_hz = \"fast\"\n[[steps]]\nwait = 0\n"),
      at_line(4) +
          "[engine] tick_hz must be a number of frames per second >= 0, got the "
          "string \"fast\"");
  CHECK_ERROR(
      error_of("[scenario]\nname = \"x\"\n[engine]\ncall_timeout = \"two\"\n[[steps]]\nwait = 0\n"),
      at_line(4) + "[engine] call_timeout must be a number of seconds > 0, got the string \"two\"");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[[clients]]\nname = \"w\"\n"
                       "script = \"clients/echo_client.py\"\ncount = \"2\"\n[[steps]]\nwait = 0\n"),
              at_line(6) + "[[clients]] count must be an integer >= 1, got the string \"2\"");
}

// These reached the runner, whose nlohmann::json reads threw type_error.302
// (no file:line, exit 1): the parser now guarantees each type.
BOOST_AUTO_TEST_CASE(types_the_runner_reads_are_checked_by_the_parser) {
  CHECK_ERROR(step_error("expect_deadlock = { within_frames = \"2\" }"),
              "expect_deadlock.within_frames must be an integer >= 0, got the string \"2\"");
  CHECK_ERROR(step_error("expect_deadlock = { certain = 1 }"),
              "expect_deadlock.certain must be true or false, got the integer 1");
  CHECK_ERROR(step_error("expect_deadlock = { members = [\"main\", 3] }"),
              "expect_deadlock.members must be a list of strings, got a list whose item 2 is the "
              "integer 3");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\", count = 2.5 }"),
              "call.count must be an integer >= 1, got the number 2.5");
  CHECK_ERROR(step_error("expect_latency = { p50_max_ms = \"5\" }"),
              "expect_latency.p50_max_ms must be a number of ms >= 0, got the string \"5\"");
  CHECK_ERROR(step_error("expect_console = { contains = \"x\", min_count = \"2\" }"),
              "expect_console.min_count must be an integer >= 1, got the string \"2\"");
  CHECK_ERROR(step_error("python = 42"), "python must be a string, got the integer 42");
  CHECK_ERROR(step_error("wait = \"1\""), "wait must be a number of seconds >= 0");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\", args = \"hero\" }"),
              "call.args must be a list, got the string \"hero\"");
  CHECK_ERROR(step_error("kill_client = { name = 3 }"),
              "kill_client.name must be a non-empty string, got the integer 3");
}

BOOST_AUTO_TEST_CASE(contradictory_bounds_are_errors) {
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\" }\n"
                         "expect = { min_s = 2, max_s = 1 }"),
              at_line(kStepLine + 1) +
                  "contradictory bounds: expect.min_s = 2.0 is above expect.max_s = 1.0");
  CHECK_ERROR(step_error("expect_latency = { p50_min_ms = 10, p50_max_ms = 5 }"),
              "contradictory bounds: expect_latency.p50_min_ms = 10.0 is above "
              "expect_latency.p50_max_ms = 5.0");
  CHECK_ERROR(step_error("expect_latency = { p50_min_ms = 10, max_ms = 5 }"),
              "expect_latency.p50_min_ms = 10.0 is above expect_latency.max_ms = 5.0");
  BOOST_TEST(with_step("expect_latency = { p50_min_ms = 5, p50_max_ms = 5 }").steps.size() == 1u);
}

// --- the catalog's rules ---

BOOST_AUTO_TEST_CASE(unknown_keys_are_errors_at_every_depth) {
  CHECK_ERROR(error_of("[scenari]\nname = \"x\"\n"),
              "unknown key 'scenari' in the file (did you mean 'scenario'?)");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\ntimeot = 3\n[[steps]]\nwait = 0\n"),
              at_line(3) + "unknown key 'timeot' in [scenario] (did you mean 'timeout'?)");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[engine]\ntickhz = 3\n[[steps]]\nwait = 0\n"),
              at_line(4) + "unknown key 'tickhz' in [engine] (did you mean 'tick_hz'?)");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[redis]\nenable = true\n[[steps]]\nwait = 0\n"),
              "unknown key 'enable' in [redis] (did you mean 'enabled'?)");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[[clients]]\nname = \"w\"\n"
                       "script = \"clients/echo_client.py\"\ncuont = 2\n[[steps]]\nwait = 0\n"),
              at_line(6) + "unknown key 'cuont' in [[clients]] (did you mean 'count'?)");
  CHECK_ERROR(step_error("expect_actor = { count = 1 }"),
              "unknown key 'expect_actor' in a step (did you mean 'expect_actors'?)");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\" }\n"
                         "expect = { outcom = \"ok\" }"),
              at_line(kStepLine + 1) + "unknown key 'outcom' in expect (did you mean 'outcome'?)");
  CHECK_ERROR(step_error("fault_matrix = { script = \"clients/fault_matrix_client.py\", "
                         "duraton = 2 }"),
              "unknown key 'duraton' in fault_matrix");
}

BOOST_AUTO_TEST_CASE(values_out_of_range_are_errors) {
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[[clients]]\nname = \"w\"\n"
                       "script = \"clients/echo_client.py\"\ncount = 0\n[[steps]]\nwait = 0\n"),
              "[[clients]] count must be an integer >= 1, got the integer 0");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\", timeout = 0 }"),
              "call.timeout must be a number of seconds > 0, got the integer 0");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\ntimeout = inf\n[[steps]]\nwait = 0\n"),
              "[scenario] timeout must be a number of seconds > 0, got the number inf");
  CHECK_ERROR(step_error("wait = -1"), "wait must be a number of seconds >= 0, got the integer -1");
  CHECK_ERROR(step_error("line_load = { concurrency = 0 }"),
              "line_load.concurrency must be an integer >= 1, got the integer 0");
  CHECK_ERROR(step_error("expect_actors = { count = 5000000000 }"),
              "expect_actors.count must be an integer >= 0, got the integer 5000000000");
  CHECK_ERROR(step_error("fault_matrix = { script = \"clients/fault_matrix_client.py\", "
                         "kinds = [] }"),
              "fault_matrix.kinds must be a list of strings");
}

BOOST_AUTO_TEST_CASE(values_outside_their_enum_are_errors) {
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\", path = \"synch\" }"),
              "call.path must be one of \"sync\", \"coroutine\" or \"async\", got the string "
              "\"synch\" (did you mean \"sync\"?)");
  CHECK_ERROR(step_error("kill_client = { name = \"worker\", signal = \"HUP\" }"),
              "kill_client.signal must be one of \"KILL\" or \"TERM\"");
  CHECK_ERROR(step_error("fault_matrix = { script = \"clients/fault_matrix_client.py\", "
                         "kinds = [\"kill\", \"explode\"] }"),
              "fault_matrix.kinds must be a list of strings (each \"kill\", \"pause\", "
              "\"reload\" or \"restart_redis\") with at least 1 item, got a list whose item 2 is "
              "the string \"explode\"");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[engine]\non_deadlock = \"panic\"\n"
                       "[[steps]]\nwait = 0\n"),
              "[engine] on_deadlock must be one of \"report\", \"fail-fast\" or \"wait\"");
  CHECK_ERROR(step_error("python = \"1\"\nexpect = { outcome = \"maybe\" }"),
              "expect.outcome must be one of \"ok\"");
  CHECK_ERROR(step_error("expect_console = { severity = \"eror\" }"), "(did you mean \"error\"?)");
  CHECK_ERROR(step_error("reload = false"), "reload must be true, got the boolean false");
  CHECK_ERROR(step_error("restart_redis = false"),
              "restart_redis must be true or a table {down_s = ...}, got the boolean false");
}

BOOST_AUTO_TEST_CASE(missing_required_keys_are_errors) {
  CHECK_ERROR(step_error("call = { client = \"worker\" }"),
              at_line(kStepLine) + "call needs 'service' (a non-empty string");
  CHECK_ERROR(step_error("kill_client = { signal = \"TERM\" }"), "kill_client needs 'name'");
  CHECK_ERROR(step_error("await_call = {}"), "await_call needs 'label'");
  CHECK_ERROR(step_error("fault_matrix = { faults = 2 }"), "fault_matrix needs 'script'");
  CHECK_ERROR(
      error_of("[scenario]\nname = \"x\"\n[[clients]]\nname = \"w\"\n[[steps]]\nwait = 0\n"),
      at_line(3) + "[[clients]] needs 'script'");
  CHECK_ERROR(error_of("[scenario]\ndescription = \"x\"\n[[steps]]\nwait = 0\n"),
              "[scenario] needs 'name'");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\" }\n"
                         "[[steps]]\nkill_client = {}"),
              at_line(kStepLine + 2) + "kill_client needs 'name'");
}

BOOST_AUTO_TEST_CASE(keys_that_would_not_run_are_errors) {
  CHECK_ERROR(step_error("wait = 1\nexpect = { max_s = 2 }"),
              "expect.max_s does not apply to wait (it has no outcome to expect)");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\" }\n"
                         "expect = { value = 1, within_s = 2 }"),
              "expect.within_s does not apply to call (it takes outcome, min_s, max_s, value, "
              "message_contains)");
  CHECK_ERROR(step_error("python = \"1\"\nexpect = { within_s = 2 }"),
              "expect.within_s needs expect.value too");
  CHECK_ERROR(step_error("expect_console = { contains = \"x\", absent = true, min_count = 2 }"),
              "expect_console.min_count means nothing with absent = true");
  CHECK_ERROR(step_error("expect_deadlock = { members = [\"main\"], absent = true }"),
              "expect_deadlock.members means nothing with absent = true");
  CHECK_ERROR(step_error("connection_soak = { script = \"clients/churn_client.py\", rounds = 3, "
                         "duration = 10 }"),
              "connection_soak.rounds means nothing with duration = 10.0");
  CHECK_ERROR(step_error("await_call = { label = \"c\" }"),
              "await_call.label 'c' names no call a start_call before it began");
  CHECK_ERROR(step_error("start_call = { client = \"worker\", service = \"echo\", label = \"c\" }\n"
                         "[[steps]]\n"
                         "start_call = { client = \"worker\", service = \"echo\", label = \"c\" }\n"
                         "[[steps]]\nawait_call = { label = \"c\" }"),
              "start_call.label 'c' is still in flight");
  CHECK_ERROR(step_error("start_call = { client = \"worker\", service = \"echo\", label = \"c\" }"),
              at_line(kStepLine - 1) +
                  "start_call 'c' is never awaited, so its outcome would not be "
                  "checked");
  CHECK_ERROR(step_error("python = \"1\"\nexpect = { value = 1979-05-27 }"),
              "expect.value holds a date, which has no JSON form");
  CHECK_ERROR(step_error("call = { client = \"worker\", service = \"echo\" }\nwait = 1"),
              "has two actions ('call' and 'wait')");
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[engine]\nscripts = [\"engine/nope.py\"]\n"
                       "[[steps]]\nwait = 0\n"),
              "[engine] scripts 'engine/nope.py' not found");
  CHECK_ERROR(error_of("engine = 5\n[scenario]\nname = \"x\"\n[[steps]]\nwait = 0\n"),
              at_line(1) + "[engine] must be a table, got the integer 5");
  CHECK_ERROR(error_of("clients = 5\n[scenario]\nname = \"x\"\n[[steps]]\nwait = 0\n"),
              "clients must be tables ([[clients]]), got the integer 5");
}

BOOST_AUTO_TEST_CASE(defaults_are_filled_in_with_their_declared_types) {
  const auto call = with_step("call = { client = \"worker\", service = \"echo\" }").steps[0];
  BOOST_TEST(call.params["path"] == "sync");
  BOOST_TEST(call.params["args"] == json::array());
  BOOST_TEST(call.params["count"] == 1);
  BOOST_TEST(!call.params.contains("timeout"), "unset means [engine] call_timeout");
  BOOST_TEST(call.title == "call worker.echo");

  const auto started = with_step(
                           "start_call = { client = \"worker\", service = \"echo\" }\n[[steps]]\n"
                           "await_call = { label = \"start_call worker.echo\" }")
                           .steps[0];
  BOOST_TEST(started.params["label"] == "start_call worker.echo");

  BOOST_TEST(with_step("expect_console = { contains = \"x\" }").steps[0].params["timeout"] == 5.0);
  BOOST_TEST(with_step("expect_console = { absent = true }").steps[0].params["timeout"] == 0.0);
  BOOST_TEST(with_step("restart_redis = true").steps[0].params == json({{"down_s", 0.0}}));
  BOOST_TEST(with_step("wait = 1").steps[0].params == 1.0);

  const FaultMatrixOptions matrix;
  const auto fm =
      with_step("fault_matrix = { script = \"clients/fault_matrix_client.py\" }").steps[0].params;
  BOOST_TEST(fm["hold_s"] == matrix.spec.hold_s);
  BOOST_TEST(fm["faults"] == matrix.spec.faults);
  BOOST_TEST(fm["kinds"] == json({"kill", "pause", "reload"}));
  BOOST_TEST(fm["script"] == (kFile.parent_path() / "clients/fault_matrix_client.py").string());

  const auto scenario = parsed(
      "[scenario]\nname = \"x\"\n[engine]\nexpect_errors = [\"ZeroDivisionError\"]\n"
      "[[steps]]\nwait = 0\n");
  BOOST_TEST(scenario.engine.expect_errors == std::vector<std::string>{"ZeroDivisionError"});
  BOOST_TEST(scenario.engine.call_timeout == 30.0);
  BOOST_TEST(scenario.timeout_s == 60.0);
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[engine]\nexpect_errors = \"x\"\n"
                       "[[steps]]\nwait = 0\n"),
              "[engine] expect_errors must be a list of strings, got the string \"x\"");
}

// Each default is a value its own key accepts, so that what the runner reads
// after the parser has the declared type whether given or not.
BOOST_AUTO_TEST_CASE(every_catalog_default_has_its_keys_type) {
  auto check_section = [](const std::string& where, const steps::Section& section) {
    for (const auto& key : section.keys) {
      BOOST_TEST(!key.doc.empty(), where << "." << key.name << " has no documentation");
      if (!key.fallback) {
        continue;
      }
      const auto& value = *key.fallback;
      bool ok = false;
      switch (key.type) {
        case steps::Type::kString:
          ok = value.is_string() &&
               (key.one_of.empty() || std::find(key.one_of.begin(), key.one_of.end(),
                                                value.get<std::string>()) != key.one_of.end());
          break;
        case steps::Type::kNumber:
          ok = value.is_number();
          break;
        case steps::Type::kInteger:
          ok = value.is_number_integer();
          break;
        case steps::Type::kBool:
          ok = value.is_boolean();
          break;
        case steps::Type::kTrue:
          ok = value == true;
          break;
        case steps::Type::kStringList:
          ok = value.is_array();
          for (const auto& item : value) {
            ok = ok && item.is_string();
          }
          break;
        case steps::Type::kList:
          ok = value.is_array();
          break;
        case steps::Type::kAny:
          ok = true;
          break;
      }
      BOOST_TEST(ok, where << "." << key.name << "'s default " << value.dump() << " is not "
                           << key.expected());
      BOOST_TEST(!key.is_required, where << "." << key.name << " is required and has a default");
    }
  };
  for (const auto& action : steps::actions()) {
    BOOST_TEST(!action.doc.empty(), action.name);
    const bool takes_something = action.table || action.value;
    BOOST_TEST(takes_something, action.name << " takes neither a table nor a value");
    if (action.table) {
      check_section(action.name, *action.table);
    }
    for (const auto& key : action.expect) {
      BOOST_TEST(steps::expect_section().find(key) != nullptr, action.name << " expects " << key);
    }
  }
  for (const auto* section :
       {&steps::scenario_section(), &steps::engine_section(), &steps::redis_section(),
        &steps::clients_section(), &steps::expect_section()}) {
    check_section(section->name, *section);
  }
}

BOOST_AUTO_TEST_CASE(every_shipped_and_test_scenario_parses) {
  const std::filesystem::path root = UNDERSTUDY_SOURCE_DIR;
  int count = 0;
  for (const auto* folder : {"scenarios", "tests/harness/scenarios/good", "tests/must_fail"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
      const auto& path = entry.path();
      // must_fail/parse/ holds the files the parser must refuse; NAME.schema.toml
      // files are object schemas, not scenarios.
      if (path.extension() != ".toml" || path.stem().string().ends_with(".schema") ||
          path.string().find("/must_fail/parse/") != std::string::npos) {
        continue;
      }
      ++count;
      try {
        parse_scenario_file(path);
      } catch (const ScenarioFileError& e) {
        BOOST_ERROR(e.what());
      }
    }
  }
  BOOST_TEST(count > 20);
}

BOOST_AUTO_TEST_CASE(the_readmes_steps_reference_is_the_catalogs) {
  const std::filesystem::path readme =
      std::filesystem::path(UNDERSTUDY_SHIPPED_SCENARIOS) / "README.md";
  std::ifstream in(readme);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << readme);
  std::stringstream text;
  text << in.rdbuf();
  const auto content = text.str();
  const auto begin = content.find(steps::kReferenceBegin);
  const auto end = content.find(steps::kReferenceEnd);
  BOOST_TEST_REQUIRE((begin != std::string::npos && end != std::string::npos && begin < end),
                     readme << " has no steps reference markers");
  std::ostringstream generated;
  steps::print_step_reference(generated);
  const auto copy = content.substr(begin, end + steps::kReferenceEnd.size() + 1 - begin);
  BOOST_TEST(copy == generated.str(),
             readme << "'s steps reference differs from the step catalog "
                       "(harness/steps/step_catalog.cpp); regenerate it with: "
                       "build/harness/understudy steps --update scenarios/README.md");
}

// Plain PfU clients: the engine on PfU's socket, the client a PfU script,
// and a script in PfU's package left for the run to find (it knows where
// the package is; the parser does not).
BOOST_AUTO_TEST_CASE(pfu_clients_and_the_pfu_socket_are_read) {
  const auto scenario = parsed(
      "[scenario]\nname = \"x\"\n[engine]\nsocket = \"pfu\"\n"
      "[[clients]]\nname = \"com.unity.scripting.python.tests.rpyc\"\nkind = \"pfu\"\n"
      "script = \"{pfu_package}/Tests/rpyc/rpyc_test_client_init.py\"\nargs = [\"A\"]\n"
      "[[steps]]\nwait = 0\n");
  BOOST_TEST(scenario.engine.socket == "pfu");
  BOOST_REQUIRE_EQUAL(scenario.clients.size(), 1U);
  BOOST_TEST(scenario.clients[0].kind == "pfu");
  BOOST_TEST(scenario.clients[0].script.string() ==
             "{pfu_package}/Tests/rpyc/rpyc_test_client_init.py");
  BOOST_TEST(scenario.needs_pfu_package());
  BOOST_TEST(!with_step("wait = 0").needs_pfu_package());
  BOOST_TEST(with_step("python = \"open('{pfu_package}/x')\"").needs_pfu_package());
  BOOST_TEST(with_step("wait = 0").engine.socket == "tcp");
  const auto unity = parsed(
      "[scenario]\nname = \"x\"\n[engine]\n"
      "unity_schemas = [\"engine/studio.schema.toml\"]\n[[steps]]\nwait = 0\n");
  BOOST_REQUIRE_EQUAL(unity.engine.unity_schemas.size(), 1U);
  BOOST_TEST(unity.engine.unity_schemas[0].filename() == "studio.schema.toml");
  BOOST_TEST(with_step("wait = 0").clients[0].kind == "understudy");
  CHECK_ERROR(
      error_of("[scenario]\nname = \"x\"\n[engine]\nsocket = \"unix\"\n[[steps]]\nwait = 0\n"),
      at_line(4) +
          "[engine] socket must be one of \"tcp\" or \"pfu\", got the string "
          "\"unix\"");
  // Only a client's script may be in PfU's package; elsewhere it is a path.
  CHECK_ERROR(error_of("[scenario]\nname = \"x\"\n[engine]\n"
                       "scripts = [\"{pfu_package}/x.py\"]\n[[steps]]\nwait = 0\n"),
              "not found");
}
