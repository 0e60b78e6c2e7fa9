// ClientCalls: the engine's calls to client services from C++, on the three
// paths of Unity's PythonRunner (CallServiceOnClient and its coroutine and
// async variants). They go through the same Python code engine-side scripts
// use (understudy_engine), so both behave the same way.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "protocol/messages.h"

namespace understudy {

// The paths are the control channel's (a `call` op names one).
using protocol::call_path_name;
using protocol::CallPath;

struct ClientCall {
  std::string client;
  std::string service;
  nlohmann::json args = nlohmann::json::array();
  CallPath path = CallPath::kSync;
  std::optional<double> timeout_seconds;  // sync: the call timeout; others: the expiry
};

// How a call ended. `kind` is "ok", or the error's kind: "timeout",
// "no_client", "disconnected", "deadlock", "error".
struct CallOutcome {
  bool ok = false;
  std::string kind;
  std::string error_type;  // "ServiceCallTimeout", ...
  std::string message;     // names the client, the service and the elapsed time
  nlohmann::json value;    // the service's result (JSON, or its repr)
  double elapsed_s = 0;
  std::uint64_t started_frame = 0;
  std::uint64_t finished_frame = 0;
};

// Main thread only. Starts the call; `done` runs on the main thread when it
// ends: before start_client_call returns for the sync path, at a later frame
// for the others. A failed call is also logged to the console.
void start_client_call(const ClientCall& call, std::function<void(const CallOutcome&)> done);

// Main thread only. The synchronous path: returns when the call has ended.
CallOutcome call_service_on_client(const ClientCall& call);

CallOutcome call_outcome_from_json(bool ok, const nlohmann::json& detail);

}  // namespace understudy
