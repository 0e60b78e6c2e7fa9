#include "fake_engine/control/engine_control.h"

#include <pybind11/pybind11.h>
#include <unistd.h>

#include <stdexcept>

#include "fake_engine/python/client_calls.h"
#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;
using nlohmann::json;

namespace understudy::control {

using protocol::encode_response_error;
using protocol::encode_response_ok;
using protocol::parse_json;
using protocol::Request;

protocol::ConsoleEvent console_event(const ConsoleRecord& record) {
  return {record.sequence, std::string(severity_name(record.severity)),
          record.frame,    record.thread,
          record.seconds,  record.text};
}

protocol::ActorInfo actor_info(const Actor& actor) {
  return {actor.id, actor.class_name, actor.name, actor.label, actor.spawned_frame};
}

protocol::WaitEdgeInfo wait_edge_info(const WaitEdge& edge) {
  return {edge.id,
          edge.waiter,
          edge.target,
          edge.what,
          edge.thread,
          edge.since_frame,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - edge.since).count()};
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
  } else if (op == "hello") {
    // Answered once the RPC server listens: it starts before the startup
    // scripts' jobs run, and they run before any request's.
    runtime_.startup().when_open([this, id, respond] {
      try {
        respond(encode_response_ok(id, hello()));
      } catch (const std::exception& e) {
        respond(encode_response_error(id, "InternalError", e.what()));
      }
    });
  } else if (op == "console") {
    const auto after = request.params.value("after", std::uint64_t{0});
    json records = json::array();
    for (const auto& record : engine_.console().records(after)) {
      records.push_back(console_event(record));
    }
    respond(encode_response_ok(id, records));
  } else if (op == "waits") {
    json edges = json::array();
    for (const auto& edge : engine_.waits().edges()) {
      edges.push_back(wait_edge_info(edge));
    }
    respond(encode_response_ok(id, edges));
  } else if (op == "frames") {
    // {"since": N}: only frames after frame N (those still in the stats window).
    protocol::FramesSummary summary{
        request.params.contains("since")
            ? engine_.loop().stats().summary_since(request.params.value("since", std::uint64_t{0}))
            : engine_.loop().stats().summary()};
    summary.current_frame = engine_.loop().current_frame();
    summary.queue_depth = engine_.queue().depth();
    respond(encode_response_ok(id, summary));
  } else if (op == "world") {
    post_for(engine_.queue(), request, respond, [this, id, respond] {
      json actors = json::array();
      for (const auto& actor : engine_.world().actors()) {
        actors.push_back(actor_info(actor));
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
    call(request, respond);
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
                                      "' (ping, hello, startup, engine_errors, console, waits, "
                                      "frames, registry, world, python, call, load_start, "
                                      "load_stop, reload, stop)"));
  }
}

namespace {
// ok decides: a failed call whose kind the protocol does not name is an "error".
protocol::CallOutcomeKind kind_of(const CallOutcome& outcome) {
  if (outcome.ok) {
    return protocol::CallOutcomeKind::kOk;
  }
  const auto kind = protocol::call_outcome_from_name(outcome.kind);
  return kind == protocol::CallOutcomeKind::kOk ? protocol::CallOutcomeKind::kError : kind;
}
}  // namespace

void EngineControl::call(const Request& request, const Responder& respond) {
  const auto id = request.id;
  protocol::CallRequest asked;
  try {
    asked = request.params.get<protocol::CallRequest>();
  } catch (const std::invalid_argument& e) {  // an unknown path
    respond(encode_response_error(id, "BadRequest", e.what()));
    return;
  } catch (const json::exception& e) {
    respond(encode_response_error(id, "BadRequest", std::string("a call's field: ") + e.what()));
    return;
  }
  ClientCall call{asked.client, asked.service, asked.args, asked.path, asked.timeout_s};
  post_for(engine_.queue(), request, respond, [this, call, id, respond] {
    start_client_call(call, [this, call, id, respond](const CallOutcome& outcome) {
      protocol::CallResult result{
          call.path,          call.client,           call.service,           kind_of(outcome),
          outcome.elapsed_s,  outcome.started_frame, outcome.finished_frame, outcome.value,
          outcome.error_type, outcome.message};
      if (events_) {
        events_(protocol::encode_event("call", protocol::call_event_data(result)));
      }
      if (result.ok()) {
        // A client's value comes through Python's json, which nests up to
        // 1,000 levels: the channel carries kMaxNestingDepth.
        std::string problem;
        if (!parse_json(outcome.value.dump(), problem)) {
          respond(encode_response_error(id, "BadAnswer",
                                        "the client's answer cannot be carried: " + problem));
          return;
        }
        respond(encode_response_ok(id, result));
        return;
      }
      respond(encode_response_error(id, result.error_type, result.message, result));
    });
  });
}

protocol::Hello EngineControl::hello() const {
  protocol::Hello hello;
  hello.pid = ::getpid();
  // The RPC server is engine-side Python's; its address changes on a reload.
  py::gil_scoped_acquire gil;
  try {
    const py::object address =
        py::module_::import("understudy_engine.control").attr("rpc_address")();
    if (!address.is_none()) {
      hello.rpc_address = address.cast<std::string>();
    }
  } catch (py::error_already_set& e) {
    throw std::runtime_error("understudy_engine did not say its RPC address: " +
                             format_python_error(e));
  }
  return hello;
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
      respond(encode_response_error(id, type, message, parsed));
    });
    const auto params = py::module_::import("json").attr("loads")(request.params.dump());
    py::module_::import("understudy_engine.control").attr(function)(params, answer);
  } catch (py::error_already_set& e) {
    respond(encode_response_error(id, "InternalError", format_python_error(e)));
  }
}

}  // namespace understudy::control
