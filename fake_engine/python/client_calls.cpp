#include "fake_engine/python/client_calls.h"

#include <pybind11/pybind11.h>

#include <stdexcept>

#include "fake_engine/python/embedded_interpreter.h"
#include "protocol/codec.h"

namespace py = pybind11;
using nlohmann::json;

namespace understudy {

CallOutcome call_outcome_from_json(bool ok, const json& detail) {
  CallOutcome outcome;
  outcome.ok = ok;
  if (!detail.is_object()) {
    outcome.kind = ok ? "ok" : "error";
    outcome.message = detail.dump();
    return outcome;
  }
  outcome.kind = ok ? "ok" : detail.value("kind", std::string("error"));
  outcome.error_type = detail.value("type", std::string());
  outcome.message = detail.value("message", std::string());
  outcome.value = detail.value("value", json());
  outcome.elapsed_s = detail.value("elapsed_s", 0.0);
  outcome.started_frame = detail.value("started_frame", std::uint64_t{0});
  outcome.finished_frame = detail.value("finished_frame", std::uint64_t{0});
  return outcome;
}

void start_client_call(const ClientCall& call, std::function<void(const CallOutcome&)> done) {
  py::gil_scoped_acquire gil;
  json params = {{"client", call.client},
                 {"service", call.service},
                 {"args", call.args},
                 {"path", call_path_name(call.path)}};
  if (call.timeout_seconds) {
    params["timeout"] = *call.timeout_seconds;
  }
  auto respond = py::cpp_function([done](bool ok, const std::string& payload) {
    // The client's value, as deep as Python's json wrote it: parsed with the
    // control channel's bound, so that what the harness is sent is what it
    // reads, and nothing recurses on a value nested thousands deep.
    std::string problem;
    auto detail = protocol::parse_json(payload, problem);
    if (!detail) {
      CallOutcome outcome;
      outcome.kind = "error";
      outcome.error_type = "UnsendableValue";
      outcome.message = "the call's outcome cannot go to the harness: " + problem;
      done(outcome);
      return;
    }
    done(call_outcome_from_json(ok, *detail));
  });
  try {
    py::module_::import("understudy_engine.control")
        .attr("handle_call")(py::module_::import("json").attr("loads")(params.dump()), respond);
  } catch (py::error_already_set& e) {
    throw std::runtime_error("understudy_engine could not start the call: " +
                             format_python_error(e));
  }
}

CallOutcome call_service_on_client(const ClientCall& call) {
  ClientCall sync = call;
  sync.path = CallPath::kSync;
  CallOutcome outcome;
  bool finished = false;
  start_client_call(sync, [&](const CallOutcome& o) {
    outcome = o;
    finished = true;
  });
  if (!finished) {
    throw std::logic_error("the synchronous path returned before its call ended");
  }
  return outcome;
}

}  // namespace understudy
