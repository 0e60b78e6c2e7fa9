#include "reports/results.h"

#include <algorithm>

namespace understudy::reports {

std::string status_name(Status status) {
  switch (status) {
    case Status::kPassed:
      return "passed";
    case Status::kFailed:
      return "failed";
    case Status::kError:
      return "error";
    case Status::kSkipped:
      return "skipped";
  }
  return "unknown";
}

std::string failure_kind_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::kNone:
      return "";
    case FailureKind::kExpectation:
      return "ExpectationFailed";
    case FailureKind::kTimeout:
      return "Timeout";
    case FailureKind::kDeadlock:
      return "Deadlock";
    case FailureKind::kEngineError:
      return "EngineError";
    case FailureKind::kHarnessError:
      return "HarnessError";
    case FailureKind::kInterrupted:
      return "Interrupted";
  }
  return "";
}

FailureKind reported_failure_kind(const ScenarioResult& scenario) {
  if (scenario.failure_kind != FailureKind::kNone) {
    return scenario.failure_kind;
  }
  switch (scenario.status) {
    case Status::kFailed:
      return FailureKind::kExpectation;
    case Status::kError:
      return FailureKind::kHarnessError;
    default:
      return FailureKind::kNone;
  }
}

std::string describe(const ExcludedScenarios& excluded) {
  constexpr std::size_t kNamesShown = 10;
  const auto n = excluded.names.size();
  std::string text =
      std::to_string(n) + (n == 1 ? " scenario " : " scenarios ") + excluded.reason + " not run";
  if (!excluded.hint.empty()) {
    text += " (" + excluded.hint + ")";
  }
  for (std::size_t i = 0; i < n && i < kNamesShown; ++i) {
    text += (i == 0 ? ": " : ", ") + excluded.names[i];
  }
  if (n > kNamesShown) {
    text += " and " + std::to_string(n - kNamesShown) + " more";
  }
  return text;
}

std::size_t SuiteResult::count(Status status) const {
  return static_cast<std::size_t>(std::count_if(
      scenarios.begin(), scenarios.end(),
      [status](const ScenarioResult& scenario) { return scenario.status == status; }));
}

}  // namespace understudy::reports
