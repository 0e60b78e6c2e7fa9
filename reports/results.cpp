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

std::size_t SuiteResult::count(Status status) const {
  return static_cast<std::size_t>(std::count_if(
      scenarios.begin(), scenarios.end(),
      [status](const ScenarioResult& scenario) { return scenario.status == status; }));
}

}  // namespace understudy::reports
