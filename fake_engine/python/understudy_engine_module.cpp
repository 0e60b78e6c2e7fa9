// `_understudy_engine`: the C++ half of the engine-side `understudy_engine`
// package. The RPyC server (Python, as in Unity) uses it to run requests on
// the main thread and to record who waits on whom.
#include <pybind11/stl.h>

#include "fake_engine/python/gil_held_socket_io.h"
#include "fake_engine/python/main_thread_calls.h"
#include "fake_engine/python/python_runtime.h"

namespace py = pybind11;

namespace understudy {
namespace {

using WeakState = std::weak_ptr<PythonEngineState>;

std::shared_ptr<PythonEngineState> engine_of(const WeakState& weak) {
  auto state = weak.lock();
  if (!state) {
    throw std::runtime_error("the engine has stopped");
  }
  return state;
}

const char* policy_name(DeadlockPolicy policy) {
  switch (policy) {
    case DeadlockPolicy::kReport:
      return "report";
    case DeadlockPolicy::kFailFast:
      return "fail-fast";
    case DeadlockPolicy::kWait:
      return "wait";
  }
  return "report";
}

py::dict edge_dict(const WaitEdge& edge) {
  py::dict d;
  d["id"] = edge.id;
  d["waiter"] = edge.waiter;
  d["target"] = edge.target;
  d["what"] = edge.what;
  d["thread"] = edge.thread;
  d["since_frame"] = edge.since_frame;
  d["waited_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - edge.since).count();
  return d;
}

py::dict report_dict(const DeadlockReport& report) {
  py::dict d;
  d["certain"] = report.certain;
  d["members"] = report.members();
  d["summary"] = report.summary();
  d["detected_frame"] = report.detected_frame;
  d["also_waiting"] = report.also_waiting;
  d["not_reported"] = report.not_reported;
  py::list edges;
  for (const auto& edge : report.edges) {
    edges.append(edge_dict(edge));
  }
  d["edges"] = edges;
  return d;
}

py::dict settings_dict(const RpcSettings& rpc) {
  py::dict d;
  d["enabled"] = rpc.enabled;
  d["tcp"] = rpc.tcp;
  d["host"] = rpc.host;
  d["port"] = rpc.port;
  d["socket"] = rpc.socket ? py::cast(*rpc.socket) : py::none();
  d["allow_remote"] = rpc.allow_remote;
  d["call_timeout"] = rpc.call_timeout_seconds;
  d["on_deadlock"] = policy_name(rpc.on_deadlock);
  d["long_wait"] = rpc.long_wait_seconds;
  // None, "pfu" or "rpyc5": truthy whenever the engine is faithful.
  d["faithful"] = rpc.faithful == FaithfulMode::kPfu     ? py::cast("pfu")
                  : rpc.faithful == FaithfulMode::kRpyc5 ? py::cast("rpyc5")
                                                         : py::none();
  d["allow_public_attrs"] = rpc.allow_public_attrs;
  d["allow_setattr"] = rpc.allow_setattr;
  d["allow_pickle"] = rpc.allow_pickle;
  d["max_frame_bytes"] = rpc.max_frame_bytes;
  d["frame_deadline"] = rpc.frame_deadline_seconds;
  d["max_buffered_bytes"] = rpc.max_buffered_bytes;
  d["max_message_objects"] = rpc.max_message_objects;
  d["max_message_depth"] = rpc.max_message_depth;
  d["max_connections"] = rpc.max_connections ? py::cast(*rpc.max_connections) : py::none();
  d["auth_token_file"] = rpc.auth_token_file ? py::cast(*rpc.auth_token_file) : py::none();
  return d;
}

}  // namespace

void install_understudy_engine_module(const std::shared_ptr<PythonEngineState>& state) {
  static py::module_::module_def module_definition;
  py::module_ m = py::module_::create_extension_module(
      "_understudy_engine", "C++ half of the understudy_engine package.", &module_definition);
  const WeakState weak = state;

  m.attr("settings") = settings_dict(state->rpc);

  m.def(
      "run_on_main_thread",
      [weak](py::object fn, std::string name, std::optional<double> timeout) {
        return run_python_on_main_thread(engine_of(weak)->queue, std::move(fn), std::move(name),
                                         timeout);
      },
      py::arg("fn"), py::arg("name") = "job", py::arg("timeout") = py::none(),
      "Runs fn() on the main thread and returns its result (inline there). The GIL is "
      "released while waiting. TimeoutError after `timeout` seconds.");
  m.def(
      "post_to_main_thread",
      [weak](py::object fn, std::string name, std::uint64_t source) {
        engine_of(weak)->python_jobs.post(std::move(fn), std::move(name), source);
      },
      py::arg("fn"), py::arg("name") = "job", py::arg("source") = 0,
      "Queues fn() for the main thread; returns at once. Sources (a connection's id(); 0: the "
      "engine) take turns, one job each.");
  m.def("drain_main_thread_queue", [weak] {
    auto s = engine_of(weak);
    s->affinity.require("_understudy_engine.drain_main_thread_queue");
    py::gil_scoped_release release;
    return s->queue.drain().jobs_run;
  });
  m.def("send_holding_gil", &send_holding_gil, py::arg("fd"), py::arg("data"),
        "Sends what the socket takes now, keeping the GIL; returns the bytes sent.");
  m.def("recv_holding_gil", &recv_holding_gil, py::arg("fd"), py::arg("count"),
        "Up to count bytes already arrived, keeping the GIL; b'' at the end, None if none.");
  m.def(
      "set_idle_wait",
      [weak](py::object wait) {
        auto s = engine_of(weak);
        s->affinity.require("_understudy_engine.set_idle_wait");
        s->idle_wait = std::move(wait);
        s->has_idle_wait.store(!s->idle_wait.is_none());
      },
      py::arg("wait"),
      "Main thread. wait(timeout_s) replaces the main thread's idle wait between frames: it "
      "returns None when it has nothing to wait on, else whether jobs are queued (see "
      "begin_idle_wait). None removes it.");
  m.def(
      "want_idle_wait", [weak](bool wanted) { engine_of(weak)->idle_wait_wanted.store(wanted); },
      py::arg("wanted"),
      "Any thread. Whether the idle wait has anything to wait on (without it, the main thread "
      "waits on its jobs alone and does not take the GIL to ask).");
  m.def(
      "begin_idle_wait",
      [weak] {
        auto s = engine_of(weak);
        return s->queue.begin_fd_wait();
      },
      "Main thread. From now until end_idle_wait(), a job or wake_main_thread() makes "
      "main_thread_wake_fd() readable. True when there is no need to wait.");
  m.def(
      "end_idle_wait", [weak] { return engine_of(weak)->queue.end_fd_wait(); },
      "Main thread. Ends begin_idle_wait(); returns whether jobs are queued.");
  m.def(
      "main_thread_wake_fd", [weak] { return engine_of(weak)->queue.wake_fd(); },
      "The descriptor begin_idle_wait() makes readable.");
  m.def(
      "main_thread_busy_for",
      [weak] {
        return std::chrono::duration<double>(engine_of(weak)->queue.main_thread_busy_for()).count();
      },
      "Any thread. Seconds since the main thread left its idle wait between frames, less the "
      "time it waited for a CPU meanwhile; 0 while it waits there.");
  m.def(
      "wake_main_thread", [weak] { engine_of(weak)->queue.wake(); },
      "Any thread. Ends the main thread's idle wait, so that it looks again at what to do.");
  m.def("is_main_thread", [weak] { return engine_of(weak)->affinity.is_main_thread(); });
  m.def("frame_number", [weak] { return engine_of(weak)->loop.current_frame(); });
  m.def("request_stop", [weak] { engine_of(weak)->loop.request_stop(); });
  m.def(
      "emit_event",
      [weak](const std::string& kind, const std::string& json_text) {
        auto s = engine_of(weak);
        if (s->event_sink) {
          s->event_sink(kind, json_text);
        }
      },
      py::arg("kind"), py::arg("json_text"));
  m.def(
      "report_error",
      [weak](std::string source, std::string what, py::object exception) {
        auto s = engine_of(weak);
        auto error = exception.is_none()
                         ? PythonErrorReport{what.substr(0, what.find('\n')), "", "", 0}
                         : describe_python_exception(exception);
        s->report_error(std::move(source), std::move(what), std::move(error));
      },
      py::arg("source"), py::arg("what"), py::arg("exception") = py::none(),
      "Reports an engine error (source: asyncio, ...): a console error record of `what` and the "
      "exception's traceback, counted, and announced to the harness. Any thread.");
  m.def("request_reload", [weak] { engine_of(weak)->reload_requested.store(true); });

  m.def(
      "wait_begin",
      [weak](std::string waiter, std::string target, std::string what,
             std::string thread) -> py::tuple {
        auto s = engine_of(weak);
        auto begun = s->waits.begin_wait(std::move(waiter), std::move(target), std::move(what),
                                         std::move(thread), s->loop.current_frame());
        return py::make_tuple(begun.id, begun.deadlock ? py::object(report_dict(*begun.deadlock))
                                                       : py::object(py::none()));
      },
      py::arg("waiter"), py::arg("target"), py::arg("what"), py::arg("thread"),
      "Records a wait by `thread`; returns (id, deadlock report or None).");
  m.def("wait_end", [weak](std::uint64_t id) { engine_of(weak)->waits.end_wait(id); });
  m.def("forget_wait_node",
        [weak](const std::string& node) { engine_of(weak)->waits.forget_node(node); });
  m.def("wait_edges", [weak] {
    py::list edges;
    for (const auto& edge : engine_of(weak)->waits.edges()) {
      edges.append(edge_dict(edge));
    }
    return edges;
  });
  m.def(
      "take_long_waits",
      [weak](double threshold_seconds) {
        auto s = engine_of(weak);
        py::list reports;
        const auto threshold = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(threshold_seconds));
        for (const auto& report : s->waits.take_long_waits(threshold, s->loop.current_frame())) {
          reports.append(report_dict(report));
        }
        return reports;
      },
      py::arg("threshold_seconds"));

  m.def(
      "set_frame_hook",
      [weak](py::object hook) {
        auto s = engine_of(weak);
        s->affinity.require("_understudy_engine.set_frame_hook");
        s->frame_hook = std::move(hook);
      },
      py::arg("hook"));

  py::module_::import("sys").attr("modules")["_understudy_engine"] = m;
}

}  // namespace understudy
