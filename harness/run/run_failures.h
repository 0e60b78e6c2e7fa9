// The two ways a scenario stops before its last step, thrown by the
// runner's parts and caught once, by the runner: a StepFailure (a step's
// expectation did not hold: the scenario failed) and a ScenarioError (the
// scenario could not run: a process did not start, the engine vanished).
#pragma once

#include <stdexcept>
#include <string>

#include "reports/results.h"

namespace understudy::harness {

// `explanation` (indented lines, may be empty) follows the one-line failure
// message in the terminal, as a deadlock's cycle, sides and ways out do.
struct StepFailure {
  reports::ExpectationResult result;
  reports::FailureKind kind;
  std::string explanation;
};

struct ScenarioError : std::runtime_error {
  explicit ScenarioError(const std::string& what,
                         reports::FailureKind failure_kind = reports::FailureKind::kHarnessError)
      : std::runtime_error(what), kind(failure_kind) {}
  reports::FailureKind kind;
};

}  // namespace understudy::harness
