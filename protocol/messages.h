// The control channel's messages, typed: what the engine answers and
// announces and what the harness reads, each with one to_json/from_json, so
// that a field is spelled in one place. protocol/README.md lists every op and
// event with its fields; protocol/codec.h frames them into lines.
//
// Contract: to_json writes every field; from_json reads a message written by
// to_json, takes a missing field as its default (an older engine may not send
// it), and throws nlohmann::json::exception for a field of the wrong type.
// Seconds are doubles in fields named `_s`.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/frame_times_summary.h"

namespace understudy::protocol {

// Raised when a message changes in a way an older reader cannot take; the
// engine says which it speaks in its hello.
inline constexpr int kProtocolVersion = 1;

// The three ways the engine calls a client service (Unity's PythonRunner:
// CallServiceOnClient and its coroutine and async variants).
enum class CallPath { kSync, kCoroutine, kAsync };
inline constexpr std::array kCallPaths = {CallPath::kSync, CallPath::kCoroutine, CallPath::kAsync};

std::string_view call_path_name(CallPath path);  // "sync", "coroutine", "async"
std::optional<CallPath> call_path_from_name(std::string_view name);
// "sync, coroutine or async", for messages naming what a path may be.
std::string call_path_choices();

// How a call ended: the kind of the error, or kOk.
enum class CallOutcomeKind { kOk, kTimeout, kNoClient, kDisconnected, kDeadlock, kError };
inline constexpr std::array kCallOutcomeKinds = {
    CallOutcomeKind::kOk,       CallOutcomeKind::kError,        CallOutcomeKind::kTimeout,
    CallOutcomeKind::kDeadlock, CallOutcomeKind::kDisconnected, CallOutcomeKind::kNoClient};

// "ok", "error", "timeout", "deadlock", "disconnected", "no_client".
std::string_view call_outcome_name(CallOutcomeKind kind);
// A name this does not know is an "error" (the engine's catch-all).
CallOutcomeKind call_outcome_from_name(std::string_view name);

void to_json(nlohmann::json& j, CallPath path);
void from_json(const nlohmann::json& j, CallPath& path);  // throws for an unknown path
void to_json(nlohmann::json& j, CallOutcomeKind kind);
void from_json(const nlohmann::json& j, CallOutcomeKind& kind);

// The `call` op: the engine calls `service` on client `client`.
struct CallRequest {
  std::string client;
  std::string service;
  nlohmann::json args = nlohmann::json::array();
  CallPath path = CallPath::kSync;
  // sync: the call timeout; coroutine and async: the result's expiry. Unset:
  // the engine's --call-timeout.
  std::optional<double> timeout_s;
};
void to_json(nlohmann::json& j, const CallRequest& request);  // without "op" and "id"
void from_json(const nlohmann::json& j, CallRequest& request);

// How a call ended: the `call` op's answer (its result when ok, its error's
// detail otherwise) and, without value, type and message, the `call` event.
struct CallResult {
  CallPath path = CallPath::kSync;
  std::string client;
  std::string service;
  CallOutcomeKind kind = CallOutcomeKind::kError;
  double elapsed_s = 0;
  std::uint64_t started_frame = 0;
  std::uint64_t finished_frame = 0;
  nlohmann::json value;    // the service's result when ok (JSON, or its repr)
  std::string error_type;  // "ServiceCallTimeout", ... when not ok
  std::string message;     // names the client, the service and the elapsed time

  bool ok() const { return kind == CallOutcomeKind::kOk; }
};
void to_json(nlohmann::json& j, const CallResult& result);
void from_json(const nlohmann::json& j, CallResult& result);
// The `call` event's data: the result without value, type and message.
nlohmann::json call_event_data(const CallResult& result);

// The `frames` op's answer: the frame loop's statistics (all frames in the
// window, or those after `since`), with where the loop is now.
struct FramesSummary : FrameStatsSummary {
  std::uint64_t current_frame = 0;
  std::uint64_t queue_depth = 0;  // main-thread jobs waiting
};
void to_json(nlohmann::json& j, const FramesSummary& summary);
void from_json(const nlohmann::json& j, FramesSummary& summary);

// One actor of the world (the `world` op answers a list of them).
struct ActorInfo {
  std::uint64_t id = 0;
  std::string class_name;  // "class" on the wire
  std::string name;
  std::string label;
  std::uint64_t spawned_frame = 0;
};
void to_json(nlohmann::json& j, const ActorInfo& actor);
void from_json(const nlohmann::json& j, ActorInfo& actor);

// One console record: the `console` event's data, and an item of the
// `console` op's answer.
struct ConsoleEvent {
  std::uint64_t sequence = 0;
  std::string severity;  // "log", "warning", "error", ...
  std::uint64_t frame = 0;
  std::string thread;
  double seconds = 0;  // since the engine started, on its clock
  std::string text;
};
void to_json(nlohmann::json& j, const ConsoleEvent& record);
void from_json(const nlohmann::json& j, ConsoleEvent& record);

// One wait of the wait-for graph: an item of the `waits` op's answer and an
// edge of a deadlock report.
struct WaitEdgeInfo {
  std::uint64_t id = 0;
  std::string waiter;  // "main", "client:NAME#N", ...
  std::string target;
  std::string what;
  std::string thread;
  std::uint64_t since_frame = 0;
  double waited_seconds = 0;
};
void to_json(nlohmann::json& j, const WaitEdgeInfo& edge);
void from_json(const nlohmann::json& j, WaitEdgeInfo& edge);

// The `deadlock` event: a cycle (certain) or a long wait (not certain). The
// parts only a report shows (cycle, engine_frame, ways_out) stay JSON.
struct DeadlockEvent {
  bool certain = false;
  std::vector<std::string> members;
  std::string summary;
  std::uint64_t detected_frame = 0;
  std::vector<WaitEdgeInfo> edges;
  std::string text;
  std::map<std::string, std::int64_t> client_pids;  // node -> pid
  nlohmann::json cycle;
  nlohmann::json engine_frame;
  nlohmann::json ways_out;
};
void to_json(nlohmann::json& j, const DeadlockEvent& event);
void from_json(const nlohmann::json& j, DeadlockEvent& event);

// The `hello` op's answer: who the engine is and where its RPC server
// listens, so that the harness needs nothing of the engine's Python.
struct Hello {
  int protocol_version = kProtocolVersion;
  std::int64_t pid = 0;
  std::optional<std::string>
      rpc_address;  // "tcp://127.0.0.1:PORT", "unix://PATH"; none with --no-rpc
};
void to_json(nlohmann::json& j, const Hello& hello);
void from_json(const nlohmann::json& j, Hello& hello);

// The `exit` event, the last line of the engine's console file
// (--console-file): how the run ended, which the control channel, gone by
// then, cannot tell. A file without it is an engine that did not stop by
// itself (killed, crashed).
struct EngineExit {
  std::uint64_t frames = 0;
  std::uint64_t engine_errors = 0;  // every engine error of the run
  std::uint64_t script_errors = 0;  // those raised by scripts: exit code 1
  std::string first_error;          // "FILE:LINE: message" of the first kept, or ""
};
void to_json(nlohmann::json& j, const EngineExit& exit);
void from_json(const nlohmann::json& j, EngineExit& exit);

}  // namespace understudy::protocol
