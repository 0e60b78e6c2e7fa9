#include "protocol/messages.h"

#include <stdexcept>

namespace understudy::protocol {

using nlohmann::json;

namespace {

// Reads `key` into `field` when the message has it (see the contract in
// messages.h: a missing field keeps its default).
template <class T>
void read(const json& j, const char* key, T& field) {
  if (const auto it = j.find(key); it != j.end() && !it->is_null()) {
    it->get_to(field);
  }
}

// The JSON at `key`, null if the message has none.
json field(const json& j, const char* key) {
  const auto it = j.find(key);  // end() for a message that is no object
  return it == j.end() ? json() : *it;
}

}  // namespace

std::string_view call_path_name(CallPath path) {
  switch (path) {
    case CallPath::kSync:
      return "sync";
    case CallPath::kCoroutine:
      return "coroutine";
    case CallPath::kAsync:
      return "async";
  }
  return "sync";
}

std::optional<CallPath> call_path_from_name(std::string_view name) {
  for (const auto path : kCallPaths) {
    if (call_path_name(path) == name) {
      return path;
    }
  }
  return std::nullopt;
}

std::string call_path_choices() {
  return "sync, coroutine or async";
}

std::string_view call_outcome_name(CallOutcomeKind kind) {
  switch (kind) {
    case CallOutcomeKind::kOk:
      return "ok";
    case CallOutcomeKind::kTimeout:
      return "timeout";
    case CallOutcomeKind::kNoClient:
      return "no_client";
    case CallOutcomeKind::kDisconnected:
      return "disconnected";
    case CallOutcomeKind::kDeadlock:
      return "deadlock";
    case CallOutcomeKind::kError:
      return "error";
  }
  return "error";
}

CallOutcomeKind call_outcome_from_name(std::string_view name) {
  for (const auto kind : kCallOutcomeKinds) {
    if (call_outcome_name(kind) == name) {
      return kind;
    }
  }
  return CallOutcomeKind::kError;
}

void to_json(json& j, CallPath path) {
  j = call_path_name(path);
}

void from_json(const json& j, CallPath& path) {
  const auto name = j.get<std::string>();
  const auto known = call_path_from_name(name);
  if (!known) {
    throw std::invalid_argument("unknown call path '" + name + "' (" + call_path_choices() + ")");
  }
  path = *known;
}

void to_json(json& j, CallOutcomeKind kind) {
  j = call_outcome_name(kind);
}

void from_json(const json& j, CallOutcomeKind& kind) {
  kind = call_outcome_from_name(j.get<std::string>());
}

void to_json(json& j, const CallRequest& request) {
  j = {{"client", request.client},
       {"service", request.service},
       {"args", request.args},
       {"path", request.path}};
  if (request.timeout_s) {
    j["timeout_s"] = *request.timeout_s;
  }
}

void from_json(const json& j, CallRequest& request) {
  read(j, "client", request.client);
  read(j, "service", request.service);
  read(j, "args", request.args);
  read(j, "path", request.path);
  if (const auto it = j.find("timeout_s"); it != j.end() && it->is_number()) {
    request.timeout_s = it->get<double>();
  }
}

json call_event_data(const CallResult& result) {
  return {{"path", result.path},
          {"client", result.client},
          {"service", result.service},
          {"kind", result.kind},
          {"elapsed_s", result.elapsed_s},
          {"started_frame", result.started_frame},
          {"finished_frame", result.finished_frame}};
}

void to_json(json& j, const CallResult& result) {
  j = call_event_data(result);
  if (result.ok()) {
    j["value"] = result.value;
  } else {
    j["type"] = result.error_type;
    j["message"] = result.message;
  }
}

void from_json(const json& j, CallResult& result) {
  read(j, "path", result.path);
  read(j, "client", result.client);
  read(j, "service", result.service);
  read(j, "kind", result.kind);
  read(j, "elapsed_s", result.elapsed_s);
  read(j, "started_frame", result.started_frame);
  read(j, "finished_frame", result.finished_frame);
  result.value = field(j, "value");
  read(j, "type", result.error_type);
  read(j, "message", result.message);
}

void to_json(json& j, const FramesSummary& s) {
  j = {{"frames", s.frames},
       {"work_mean_ms", s.work_mean_ms},
       {"work_p50_ms", s.work_p50_ms},
       {"work_p90_ms", s.work_p90_ms},
       {"work_p99_ms", s.work_p99_ms},
       {"work_max_ms", s.work_max_ms},
       {"lateness_p99_ms", s.lateness_p99_ms},
       {"lateness_max_ms", s.lateness_max_ms},
       {"late_frames", s.late_frames},
       {"interval_max_ms", s.interval_max_ms},
       {"interval_max_less_cpu_wait_ms", s.interval_max_less_cpu_wait_ms},
       {"cpu_wait_total_ms", s.cpu_wait_total_ms},
       {"current_frame", s.current_frame},
       {"queue_depth", s.queue_depth}};
}

void from_json(const json& j, FramesSummary& s) {
  read(j, "frames", s.frames);
  read(j, "work_mean_ms", s.work_mean_ms);
  read(j, "work_p50_ms", s.work_p50_ms);
  read(j, "work_p90_ms", s.work_p90_ms);
  read(j, "work_p99_ms", s.work_p99_ms);
  read(j, "work_max_ms", s.work_max_ms);
  read(j, "lateness_p99_ms", s.lateness_p99_ms);
  read(j, "lateness_max_ms", s.lateness_max_ms);
  read(j, "late_frames", s.late_frames);
  read(j, "interval_max_ms", s.interval_max_ms);
  read(j, "interval_max_less_cpu_wait_ms", s.interval_max_less_cpu_wait_ms);
  read(j, "cpu_wait_total_ms", s.cpu_wait_total_ms);
  read(j, "current_frame", s.current_frame);
  read(j, "queue_depth", s.queue_depth);
}

void to_json(json& j, const ActorInfo& actor) {
  j = {{"id", actor.id},
       {"class", actor.class_name},
       {"name", actor.name},
       {"label", actor.label},
       {"spawned_frame", actor.spawned_frame}};
}

void from_json(const json& j, ActorInfo& actor) {
  read(j, "id", actor.id);
  read(j, "class", actor.class_name);
  read(j, "name", actor.name);
  read(j, "label", actor.label);
  read(j, "spawned_frame", actor.spawned_frame);
}

void to_json(json& j, const ConsoleEvent& record) {
  j = {{"sequence", record.sequence}, {"severity", record.severity}, {"frame", record.frame},
       {"thread", record.thread},     {"seconds", record.seconds},   {"text", record.text}};
}

void from_json(const json& j, ConsoleEvent& record) {
  read(j, "sequence", record.sequence);
  read(j, "severity", record.severity);
  read(j, "frame", record.frame);
  read(j, "thread", record.thread);
  read(j, "seconds", record.seconds);
  read(j, "text", record.text);
}

void to_json(json& j, const WaitEdgeInfo& edge) {
  j = {{"id", edge.id},
       {"waiter", edge.waiter},
       {"target", edge.target},
       {"what", edge.what},
       {"thread", edge.thread},
       {"since_frame", edge.since_frame},
       {"waited_seconds", edge.waited_seconds}};
}

void from_json(const json& j, WaitEdgeInfo& edge) {
  read(j, "id", edge.id);
  read(j, "waiter", edge.waiter);
  read(j, "target", edge.target);
  read(j, "what", edge.what);
  read(j, "thread", edge.thread);
  read(j, "since_frame", edge.since_frame);
  read(j, "waited_seconds", edge.waited_seconds);
}

void to_json(json& j, const DeadlockEvent& event) {
  j = {{"certain", event.certain},
       {"members", event.members},
       {"summary", event.summary},
       {"detected_frame", event.detected_frame},
       {"edges", event.edges},
       {"text", event.text},
       {"client_pids", event.client_pids},
       {"cycle", event.cycle},
       {"engine_frame", event.engine_frame},
       {"ways_out", event.ways_out}};
}

void from_json(const json& j, DeadlockEvent& event) {
  read(j, "certain", event.certain);
  read(j, "members", event.members);
  read(j, "summary", event.summary);
  read(j, "detected_frame", event.detected_frame);
  read(j, "edges", event.edges);
  read(j, "text", event.text);
  read(j, "client_pids", event.client_pids);
  event.cycle = field(j, "cycle");
  event.engine_frame = field(j, "engine_frame");
  event.ways_out = field(j, "ways_out");
}

void to_json(json& j, const Hello& hello) {
  j = {{"protocol_version", hello.protocol_version},
       {"pid", hello.pid},
       {"rpc_address", hello.rpc_address ? json(*hello.rpc_address) : json(nullptr)}};
}

void from_json(const json& j, Hello& hello) {
  read(j, "protocol_version", hello.protocol_version);
  read(j, "pid", hello.pid);
  if (const auto it = j.find("rpc_address"); it != j.end() && it->is_string()) {
    hello.rpc_address = it->get<std::string>();
  }
}

void to_json(json& j, const EngineExit& exit) {
  j = {{"frames", exit.frames},
       {"engine_errors", exit.engine_errors},
       {"script_errors", exit.script_errors},
       {"first_error", exit.first_error}};
}

void from_json(const json& j, EngineExit& exit) {
  read(j, "frames", exit.frames);
  read(j, "engine_errors", exit.engine_errors);
  read(j, "script_errors", exit.script_errors);
  read(j, "first_error", exit.first_error);
}

}  // namespace understudy::protocol
