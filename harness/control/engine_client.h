// EngineClient: the harness's one client of an engine's control ops, a
// method per op (protocol/README.md lists them), over a ControlClient
// connection. Scenario steps, the fault matrix, the soak and the stress
// targets ask the engine through it; nothing else in the harness spells an
// op or its fields.
//
// Contract:
// - The waiting methods send the op and wait up to `timeout` for its answer.
//   They throw ControlTimeout when none came in time, ControlError when the
//   channel is gone or broke the protocol (as ControlClient::request), and
//   EngineRefusal when the engine answered the op with an error.
// - The send_* methods only send: a step waits for the answer itself
//   (await_response), watching for deadlocks meanwhile, and decodes a call's
//   answer with call_result().
// - Thread-safety as ControlClient's: any thread may ask.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/control/control_client.h"
#include "protocol/messages.h"

namespace understudy::harness {

// The engine answered an op with an error (ok = false).
class EngineRefusal : public ControlError {
 public:
  EngineRefusal(const std::string& op, std::string type, std::string message,
                nlohmann::json detail);
  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }
  const nlohmann::json& detail() const { return detail_; }

 private:
  std::string type_;
  std::string message_;
  nlohmann::json detail_;
};

// load_start: the engine calls `service` on each client, on each path.
struct CallLoadRequest {
  std::vector<std::string> clients;
  std::string service = "noop";
  // Per path: a rate (calls a second, open loop) or, with rate 0, a depth
  // (calls in flight per client, closed loop).
  struct PathLoad {
    protocol::CallPath path = protocol::CallPath::kSync;
    double rate = 0;
    int depth = 1;
  };
  std::vector<PathLoad> paths;
  double timeout_s = 30;
};

class EngineClient : public ControlClient {
 public:
  using ControlClient::ControlClient;
  using Timeout = std::chrono::milliseconds;

  std::uint64_t ping(Timeout timeout);  // the engine's current frame
  protocol::Hello hello(Timeout timeout);
  // Once the startup scripts have run: {count, errors, frame}.
  nlohmann::json startup(Timeout timeout);
  protocol::FramesSummary frames(Timeout timeout, std::optional<std::uint64_t> since = {});
  std::vector<protocol::ActorInfo> world(Timeout timeout);
  std::map<std::string, int> registry(Timeout timeout);  // name -> live connections
  // The value of the code's last expression (null if it is no expression).
  nlohmann::json python(const std::string& code, Timeout timeout);
  void reload(Timeout timeout);
  void stop(Timeout timeout);
  void load_start(const CallLoadRequest& load, Timeout timeout);
  // Per path: {mode, rate, depth, issued, completed, in_flight, outcomes, ...}.
  nlohmann::json load_stop(Timeout timeout);

  std::int64_t send_call(const protocol::CallRequest& call);
  std::int64_t send_python(const std::string& code);
  std::int64_t send_reload();

 private:
  // The result of a waiting op; throws EngineRefusal for an error answer.
  nlohmann::json ask(const std::string& op, nlohmann::json fields, Timeout timeout);
};

// A `call` op's answer, decoded once: its CallResult when ok, the CallResult
// in its error's detail when the call failed, and for a call the engine
// refused outright (a bad request, an engine stopping) a result of kind
// "error" with the refusal's type and message.
protocol::CallResult call_result(const nlohmann::json& response);
// A `python` op's answer as a step judges it: kind "ok" with the code's value
// in `value`, or the kind, type and message of its exception.
protocol::CallResult python_result(const nlohmann::json& response);

}  // namespace understudy::harness
