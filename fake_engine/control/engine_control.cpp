#include "fake_engine/control/engine_control.h"

#include <pybind11/pybind11.h>

#include "fake_engine/python/client_calls.h"
#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;
using nlohmann::json;

namespace understudy::control {

json to_json(const ConsoleRecord& record) {
  return {{"sequence", record.sequence}, {"severity", severity_name(record.severity)},
          {"frame", record.frame},       {"thread", record.thread},
          {"seconds", record.seconds},   {"text", record.text}};
}

json to_json(const Actor& actor) {
  return {{"id", actor.id},
          {"class", actor.class_name},
          {"name", actor.name},
          {"label", actor.label},
          {"spawned_frame", actor.spawned_frame}};
}

json to_json(const WaitEdge& edge) {
  return {{"id", edge.id},
          {"waiter", edge.waiter},
          {"target", edge.target},
          {"what", edge.what},
          {"thread", edge.thread},
          {"since_frame", edge.since_frame},
          {"waited_seconds",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - edge.since).count()}};
}

json to_json(const FrameStatsSummary& s) {
  return {{"frames", s.frames},
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
          {"cpu_wait_total_ms", s.cpu_wait_total_ms}};
}

json to_json(const EngineError& error) {
  return {{"id", error.id},
          {"source", error.source},
          {"what", error.what},
          {"file", error.error.file},
          {"line", error.error.line},
          {"message", error.error.message},
          {"traceback", error.error.traceback},
          {"frame", error.frame}};
}

json engine_errors_json(const EngineErrors& errors) {
  json list = json::array();
  for (const auto& error : errors.all()) {
    list.push_back(to_json(error));
  }
  return {{"count", errors.count()}, {"errors", list}};
}

namespace {
// Posts a main-thread job for a request; if the engine is stopping and takes
// no more jobs, answers the request with that error instead of never.
template <class Job>
void post_for(MainThreadQueue& queue, const Request& request, const Responder& respond, Job job) {
  auto done = queue.post("control: " + request.op, std::move(job));
  if (done.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    try {
      done.get();
    } catch (const std::exception& e) {
      respond(encode_response_error(request.id, "EngineStopping", e.what()));
    }
  }
}
}  // namespace

void EngineControl::handle(const Request& request, Responder respond) {
  const auto id = request.id;
  const auto& op = request.op;
  if (op == "ping") {
    respond(encode_response_ok(id, {{"frame", engine_.loop().current_frame()}}));
  } else if (op == "startup") {
    // Answered once the startup scripts have run, with the engine errors so
    // far: those of the scripts may have been announced before anyone listened.
    runtime_.startup().when_open([this, id, respond] {
      json result = engine_errors_json(runtime_.errors());
      result["frame"] = engine_.loop().current_frame();
      respond(encode_response_ok(id, result));
    });
  } else if (op == "engine_errors") {
    respond(encode_response_ok(id, engine_errors_json(runtime_.errors())));
  } else if (op == "console") {
    const auto after = request.params.value("after", std::uint64_t{0});
    json records = json::array();
    for (const auto& record : engine_.console().records(after)) {
      records.push_back(to_json(record));
    }
    respond(encode_response_ok(id, records));
  } else if (op == "waits") {
    json edges = json::array();
    for (const auto& edge : engine_.waits().edges()) {
      edges.push_back(to_json(edge));
    }
    respond(encode_response_ok(id, edges));
  } else if (op == "frames") {
    // {"since": N}: only frames after frame N (those still in the stats window).
    json result = request.params.contains("since")
                      ? to_json(engine_.loop().stats().summary_since(
                            request.params.value("since", std::uint64_t{0})))
                      : to_json(engine_.loop().stats().summary());
    result["current_frame"] = engine_.loop().current_frame();
    result["queue_depth"] = engine_.queue().depth();
    respond(encode_response_ok(id, result));
  } else if (op == "world") {
    post_for(engine_.queue(), request, respond, [this, id, respond] {
      json actors = json::array();
      for (const auto& actor : engine_.world().actors()) {
        actors.push_back(to_json(actor));
      }
      respond(encode_response_ok(id, actors));
    });
  } else if (op == "registry") {
    run_python_op(request, respond, "handle_registry");
  } else if (op == "python") {
    const Request copy = request;
    post_for(engine_.queue(), request, respond,
             [this, copy, respond] { run_python_op(copy, respond, "handle_python"); });
  } else if (op == "call") {
    ClientCall call;
    call.client = request.params.value("client", std::string());
    call.service = request.params.value("service", std::string());
    call.args = request.params.value("args", json::array());
    const auto path = request.params.value("path", std::string("sync"));
    if (path != "sync" && path != "coroutine" && path != "async") {
      respond(encode_response_error(id, "BadRequest",
                                    "unknown call path '" + path + "' (sync, coroutine or async)"));
      return;
    }
    call.path = path == "sync"        ? CallPath::kSync
                : path == "coroutine" ? CallPath::kCoroutine
                                      : CallPath::kAsync;
    if (request.params.contains("timeout") && request.params["timeout"].is_number()) {
      call.timeout_seconds = request.params["timeout"].get<double>();
    }
    post_for(engine_.queue(), request, respond, [this, call, id, respond] {
      start_client_call(call, [this, call, id, respond](const CallOutcome& outcome) {
        json detail = {{"path", call_path_name(call.path)},
                       {"client", call.client},
                       {"service", call.service},
                       {"elapsed_s", outcome.elapsed_s},
                       {"started_frame", outcome.started_frame},
                       {"finished_frame", outcome.finished_frame}};
        detail["kind"] = outcome.kind;
        if (events_) {
          events_(encode_event("call", detail));
        }
        if (outcome.ok) {
          // A client's value comes through Python's json, which nests up to
          // 1,000 levels: the channel carries kMaxNestingDepth.
          std::string problem;
          if (!parse_json(outcome.value.dump(), problem)) {
            respond(encode_response_error(id, "BadAnswer",
                                          "the client's answer cannot be carried: " + problem));
            return;
          }
          detail["value"] = outcome.value;
          respond(encode_response_ok(id, detail));
          return;
        }
        detail["type"] = outcome.error_type;
        detail["message"] = outcome.message;
        json line = json::parse(encode_response_error(id, outcome.error_type, outcome.message));
        line["error"]["detail"] = detail;
        respond(line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
      });
    });
  } else if (op == "load_start") {
    CallLoadPlan plan;
    try {
      plan = CallLoadPlan::from_json(request.params);
    } catch (const std::invalid_argument& e) {
      respond(encode_response_error(id, "BadRequest", e.what()));
      return;
    }
    post_for(engine_.queue(), request, respond, [this, plan, id, respond] {
      try {
        load_.start(plan);
        respond(encode_response_ok(
            id, {{"load", "started"}, {"frame", engine_.loop().current_frame()}}));
      } catch (const std::exception& e) {
        respond(encode_response_error(id, "LoadError", e.what()));
      }
    });
  } else if (op == "load_stop") {
    post_for(engine_.queue(), request, respond,
             [this, id, respond] { respond(encode_response_ok(id, load_.stop())); });
  } else if (op == "reload") {
    runtime_.request_reload();
    respond(encode_response_ok(id, {{"reload", "requested"}}));
  } else if (op == "stop") {
    engine_.loop().request_stop();
    respond(encode_response_ok(id, {{"stop", "requested"}}));
  } else {
    respond(encode_response_error(id, "UnknownOp",
                                  "unknown op '" + op +
                                      "' (ping, startup, engine_errors, console, waits, frames, "
                                      "registry, world, python, call, load_start, load_stop, "
                                      "reload, stop)"));
  }
}

void EngineControl::run_python_op(const Request& request, Responder respond, const char* function) {
  const auto id = request.id;
  py::gil_scoped_acquire gil;
  try {
    auto answer = py::cpp_function([id, respond](bool ok, const std::string& payload) {
      std::string problem;
      const auto decoded = parse_json(payload, problem);
      if (!decoded) {
        // Never pass on what cannot be decoded: the line would not be JSON
        // either, and the request would look unanswered.
        respond(encode_response_error(
            id, "BadAnswer",
            "engine-side Python answered something the control channel cannot "
            "carry: " +
                problem));
        return;
      }
      const json& parsed = *decoded;
      if (ok) {
        respond(encode_response_ok(id, parsed));
        return;
      }
      std::string type = "Error";
      std::string message = payload;
      if (parsed.is_object()) {
        type = parsed.value("type", type);
        message = parsed.value("message", message);
      }
      json line = json::parse(encode_response_error(id, type, message));
      line["error"]["detail"] = parsed;
      respond(line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
    });
    const auto params = py::module_::import("json").attr("loads")(request.params.dump());
    py::module_::import("understudy_engine.control").attr(function)(params, answer);
  } catch (py::error_already_set& e) {
    respond(encode_response_error(id, "InternalError", format_python_error(e)));
  }
}

}  // namespace understudy::control
