// StressTarget: what one step of a stress run loads: the engine, or the
// plain RPyC baseline server (harness/pylib/understudy_stress/plain_server.py)
// that answers the same control requests, as a child process with its
// control channel.
//
// Contract:
// - start_engine and start_plain return once the target listens for RPC and
//   its control channel is open (EngineUnderTest, kEngineStartTimeout), or
//   throw StressStepError naming what did not happen and the target's log.
//   The log goes to `log_dir` (engine.log, plain-server.log).
// - ask(what, op) runs `op` on the target's EngineClient and returns what it
//   returns; it throws StressStepError, with the log to read, when the
//   target does not answer in time or refuses the op.
// - stop() asks the engine to stop over its control channel and gives it
//   10 s to exit, so that it ends as it would for a user; what is still
//   running then, and the plain server at once, is stopped by its pid.
//   Safe to call twice. Destroying a target that was not stopped stops its
//   process by its pid (ChildProcess), without asking.
// - Not thread-safe: the step's thread alone uses it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "common/child_process.h"
#include "harness/control/engine_client.h"
#include "harness/control/engine_under_test.h"
#include "harness/stress/step_error.h"
#include "harness/stress/stress_options.h"

namespace understudy::harness {

class StressTarget {
 public:
  static StressTarget start_engine(const StressOptions& options,
                                   const std::filesystem::path& log_dir);
  // The plain server sends its calls' timings to the collector itself: it
  // makes the engine -> client calls that the engine makes elsewhere.
  static StressTarget start_plain(const StressOptions& options,
                                  const std::filesystem::path& log_dir,
                                  const std::filesystem::path& collector_socket);

  const std::string& name() const { return name_; }  // "the engine", for messages
  bool is_engine() const { return is_engine_; }
  // the address clients connect to
  const std::string& rpc() const { return target_->rpc_address(); }
  pid_t pid() const { return target_->process().pid(); }
  bool running() { return target_->process().running(); }

  // "read LOG (exited with code 1)": the end of every message about it.
  std::string log_hint() const;

  template <class Op>
  auto ask(Op op) {
    try {
      return op(target_->control());
    } catch (const EngineRefusal& e) {
      throw StressStepError(name_ + " refused a control request: " + e.what() + "; " + log_hint());
    } catch (const std::exception& e) {
      throw StressStepError(name_ + " did not answer the control channel: " + e.what() + "; " +
                            log_hint());
    }
  }
  void stop();

 private:
  StressTarget(bool is_engine, EngineUnderTestOptions options);

  std::string name_;
  bool is_engine_;
  std::unique_ptr<EngineUnderTest> target_;
};

}  // namespace understudy::harness
