// ScenarioRecord: the result of one scenario as it is being written: its
// clock (seconds since the scenario started), timeline entries, latency
// samples and the expectations its steps passed or failed.
//
// Contract:
// - fail() throws StepFailure, naming the step's file:line and the engine's
//   log (from `engine_log_hint`, asked when the step fails).
// - now_s() may be called from any thread; the rest only from the
//   scenario's own thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "harness/scenario/scenario.h"
#include "reports/results.h"

namespace understudy::harness {

class ScenarioRecord {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ScenarioRecord(std::function<std::string()> engine_log_hint);

  reports::ScenarioResult& result() { return result_; }
  Clock::time_point started() const { return started_; }
  double now_s() const { return seconds_since_start(Clock::now()); }
  double seconds_since_start(Clock::time_point at) const {
    return std::chrono::duration<double>(at - started_).count();
  }

  // An entry that ended now and took `duration` seconds.
  void timeline(std::string kind, std::string name, std::string track, double duration,
                std::string outcome, std::map<std::string, std::string> args = {});
  void latency(const std::string& series, double value_ms);

  void pass(const Step& step, const std::string& expected, const std::string& seen);
  [[noreturn]] void fail(const Step& step, const std::string& expected, const std::string& seen,
                         reports::FailureKind kind = reports::FailureKind::kExpectation);

 private:
  const Clock::time_point started_;
  const std::function<std::string()> engine_log_hint_;
  reports::ScenarioResult result_;
};

}  // namespace understudy::harness
