// CallSteps: the steps that ask the engine to run something and judge its
// answer: call, start_call / await_call (a call left in flight while other
// steps run), and python (engine-side code on the main thread).
//
// While it waits for an answer, a step watches for a certain deadlock its
// call closed and fails at once on one (unless it expects the outcome
// timeout or deadlock), explaining the cycle with the clients' stacks.
//
// Contract: each method returns when the step passed and throws StepFailure
// (the step failed) or ScenarioError (it could not run). Scenario thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/run/step_executors/step_context.h"
#include "protocol/messages.h"

namespace understudy::harness {

class CallSteps {
 public:
  explicit CallSteps(StepContext& run) : run_(run) {}

  void call(const Step& step);
  void start_call(const Step& step);
  void await_call(const Step& step);
  void python(const Step& step);

  // A step failed on a deadlock while the engine's main thread may still be
  // in the call: the run stops the clients first, which ends the call.
  bool main_thread_stuck() const { return main_thread_stuck_; }

 private:
  struct PendingCall {
    std::int64_t id;
    double begun;
    protocol::CallRequest call;
    std::size_t events_from;  // the control events before the call was sent
  };

  void check_call(const Step& step, const protocol::CallRequest& call, std::int64_t id,
                  double begun, std::size_t events_from);
  nlohmann::json await_engine(const Step& step, std::int64_t id, std::chrono::milliseconds limit,
                              std::size_t events_from,
                              const std::function<bool(const nlohmann::json&)>& main_waits);
  [[noreturn]] void deadlock_failure(const Step& step, const ControlEvent& report);
  void check_outcome(const Step& step, const protocol::CallResult& result, double elapsed,
                     std::string message = {});
  std::string with_placeholders(std::string code) const;

  StepContext& run_;
  bool main_thread_stuck_ = false;
  std::map<std::string, PendingCall> pending_calls_;  // by label
};

}  // namespace understudy::harness
