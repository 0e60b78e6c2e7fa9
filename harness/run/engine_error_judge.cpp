#include "harness/run/engine_error_judge.h"

#include <algorithm>

#include "common/deadline.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

// "script error at scripts/x.py:3: ValueError: boom", then the traceback.
std::string describe_engine_error(const nlohmann::json& error) {
  const auto file = error.value("file", std::string());
  std::string text = error.value("source", std::string("engine")) + " error";
  if (!file.empty()) {
    text += " at " + file + ":" + std::to_string(error.value("line", 0));
  }
  text += ": " + error.value("message", std::string()) + "\n      " +
          error.value("what", std::string());
  auto traceback = error.value("traceback", std::string());
  for (std::size_t at = traceback.find('\n'); at != std::string::npos;
       at = traceback.find('\n', at + 1)) {
    traceback.insert(at + 1, "      ");
  }
  if (!traceback.empty()) {
    text += "\n      " + traceback;
  }
  return text;
}

}  // namespace

std::vector<nlohmann::json> engine_errors_after_exit(
    EngineClient* control, const std::map<std::uint64_t, nlohmann::json>& startup_errors) {
  if (control) {
    // Past the deadline, the events read so far are all there are.
    (void)poll_until([&] { return !control->connected(); },
                     "the control connection to close after the engine's exit", {},
                     kControlCloseTimeout, kLocalPollInterval);
  }
  std::map<std::uint64_t, nlohmann::json> by_id = startup_errors;
  if (control) {
    for (const auto& event : control->events()) {
      if (event.kind == "engine_error") {
        by_id[event.data.value("id", std::uint64_t{0})] = event.data;
      }
    }
  }
  std::vector<nlohmann::json> errors;
  for (auto& [id, error] : by_id) {
    errors.push_back(std::move(error));
  }
  return errors;
}

bool raised_in_a_script(const std::vector<nlohmann::json>& errors) {
  return std::any_of(errors.begin(), errors.end(), [](const nlohmann::json& error) {
    return error.value("source", std::string()) == "script";
  });
}

void judge_engine_errors(const Scenario& scenario, const std::vector<nlohmann::json>& errors,
                         const std::string& engine_log_hint, reports::ScenarioResult& result) {
  const auto& expected = scenario.engine.expect_errors;
  std::vector<bool> occurred(expected.size(), false);
  std::vector<std::string> problems;
  for (const auto& error : errors) {
    const auto text = error.value("what", std::string()) + "\n" +
                      error.value("message", std::string()) + "\n" +
                      error.value("traceback", std::string());
    bool declared = false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (text.find(expected[i]) != std::string::npos) {
        occurred[i] = declared = true;
      }
    }
    if (!declared) {
      problems.push_back("unexpected " + describe_engine_error(error));
    }
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!occurred[i]) {
      problems.push_back("expected an engine error containing '" + expected[i] +
                         "', none occurred");
    }
  }
  const std::string wanted =
      expected.empty() ? "no engine error"
                       : std::to_string(expected.size()) + " expected engine error text(s)";
  if (problems.empty()) {
    if (!errors.empty()) {
      result.expectations.push_back(
          {"engine errors", true, wanted,
           std::to_string(errors.size()) + " engine error(s), all expected",
           scenario.file.string()});
    }
    return;
  }
  std::string seen;
  for (const auto& problem : problems) {
    seen += "\n    " + problem;
  }
  const std::string where = scenario.file.string() + " [engine]; " + engine_log_hint;
  result.expectations.push_back({"engine errors", false, wanted, seen, where});
  const std::string message = "engine errors: expected " + wanted +
                              " (declare expected ones "
                              "in [engine] expect_errors), saw:" +
                              seen + "\n    (" + where + ")";
  if (result.status == reports::Status::kPassed) {
    result.status = reports::Status::kFailed;
    result.failure_kind = reports::FailureKind::kEngineError;
    result.failure_message = message;
  } else {
    result.failure_message += "\n    " + message;
  }
}

}  // namespace understudy::harness
