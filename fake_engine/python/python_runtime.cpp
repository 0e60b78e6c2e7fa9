#include "fake_engine/python/python_runtime.h"

#include <algorithm>

#include "fake_engine/python/embedded_interpreter.h"
#include "fake_engine/unreal/script_execution.h"

namespace py = pybind11;

namespace understudy {

PythonEngineState::PythonEngineState(const EngineParts& parts, RpcSettings rpc_settings,
                                     ScriptSettings script_settings)
    : EngineParts(parts),
      rpc(std::move(rpc_settings)),
      scripts(std::move(script_settings)),
      tickers([this](const std::string& what, const PythonErrorReport& error) {
        report_error("ticker", what, error);
      }),
      components([this](const std::string& what, const PythonErrorReport& error) {
        report_error("component", what, error);
      }),
      frame_hook(pybind11::none()),
      idle_wait(pybind11::none()),
      python_jobs(parts.queue, parts.console) {}

void PythonEngineState::tick_python_objects(double delta_seconds) {
  if (ticking_python_objects) {
    throw std::runtime_error(
        "unreal_engine.engine_tick: called while the engine ticks (from a ticker or a "
        "component's tick): a frame cannot run inside itself");
  }
  ticking_python_objects = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{ticking_python_objects};
  tickers.tick(delta_seconds);
  components.tick(delta_seconds);
}

void PythonEngineState::report_error(std::string source, std::string what,
                                     PythonErrorReport error) {
  // Recorded before it is logged: a harness that saw the console line and
  // then asks for the engine errors must find this one among them.
  std::string line = error.traceback.empty() ? what : what + ":\n" + error.traceback;
  errors.record(
      EngineError{0, std::move(source), std::move(what), std::move(error), loop.current_frame()});
  console.error(line);
}

PythonRuntime::PythonRuntime(const EngineParts& parts, RpcSettings rpc, ScriptSettings scripts)
    : state_(std::make_shared<PythonEngineState>(parts, std::move(rpc), std::move(scripts))) {
  install_unreal_engine_module(state_);
  install_unity_scene_module(state_);
  install_understudy_engine_module(state_);
  py::module_::import("ue_console_streams").attr("install")();
  install_scripts_paths(state_->scripts);
  reset_main_module();
  World& world = parts.world;
  FrameLoop& loop = parts.loop;
  std::weak_ptr<PythonEngineState> weak = state_;
  world.add_listener([weak](ActorEvent event, const Actor& actor) {
    if (event != ActorEvent::kDestroyed) {
      return;
    }
    if (auto state = weak.lock()) {
      py::gil_scoped_acquire gil;
      state->components.end_play(actor.id, EndPlayReason::kDestroyed);
    }
  });
  loop.add_frame_task("python", [this](const FrameTick& frame) { tick(frame); });
  loop.set_idle_wait([this](Clock::time_point deadline) { return idle_wait(deadline); });
  for (const auto& item : py::module_::import("sys").attr("modules")) {
    modules_at_start_.insert(item.cast<std::string>());
  }
}

void PythonRuntime::start_services() {
  py::gil_scoped_acquire gil;
  try {
    py::module_::import("understudy_engine").attr("_start")();
  } catch (py::error_already_set& e) {
    if (e.matches(py::module_::import("understudy_engine").attr("ServerStartError"))) {
      throw std::runtime_error(py::str(e.value()).cast<std::string>());
    }
    throw std::runtime_error("understudy_engine failed to start:\n" + format_python_error(e));
  }
}

void PythonRuntime::run_startup_scripts(MainThreadQueue& queue,
                                        std::vector<std::filesystem::path> scripts) {
  startup_scripts_ = std::move(scripts);
  (void)queue.post("import ue_site", [state = state_] {
    py::gil_scoped_acquire gil;
    import_ue_site(*state);
  });
  for (const auto& script : startup_scripts_) {
    (void)queue.post("run script " + script.string(), [this, script] { run_script(script); });
  }
  // A job of its own, after the scripts' jobs: a script that posts jobs of
  // its own is not waited for, as the harness waits for the scripts alone.
  (void)queue.post("startup scripts done", [state = state_] { state->startup.open(); });
}

PythonRuntime::~PythonRuntime() {
  state_->loop.set_idle_wait(nullptr);
  // What scripts left in __main__ (ticker handles among it) goes while its
  // engine still exists.
  clear_main_module();
  state_->tickers.clear();
  state_->frame_hook = py::none();
  state_->has_idle_wait.store(false);
  state_->idle_wait = py::none();
  state_->object_wrappers.clear();
  state_->type_wrappers.clear();
  auto modules = py::module_::import("sys").attr("modules");
  for (const char* name : {"unreal_engine.classes", "unreal_engine.structs", "unreal_engine.enums",
                           "unreal_engine", "_understudy_engine"}) {
    modules.attr("pop")(name, py::none());
  }
}

bool PythonRuntime::run_script(const std::filesystem::path& script) {
  py::gil_scoped_acquire gil;
  const auto outcome = run_script_in_main(*state_, script);
  return outcome == ScriptOutcome::kRan || outcome == ScriptOutcome::kExited;
}

void PythonRuntime::tick(const FrameTick& frame) {
  py::gil_scoped_acquire gil;
  // After jobs that overran the frame (a synchronous call that timed out),
  // the reload waits a frame: the two together held the main thread past the
  // call timeout in the fault matrix.
  if (!frame.jobs_overran && state_->reload_requested.exchange(false)) {
    reload();
  }
  state_->tick_python_objects(frame.delta_seconds);
  if (!state_->frame_hook.is_none()) {
    try {
      state_->frame_hook(frame.delta_seconds);
    } catch (py::error_already_set& e) {
      state_->console.error("understudy_engine frame hook raised:\n" + format_python_error(e));
    }
  }
}

std::optional<bool> PythonRuntime::idle_wait(Clock::time_point deadline) {
  if (!state_->has_idle_wait.load() || !state_->idle_wait_wanted.load()) {
    return std::nullopt;  // without taking the GIL
  }
  py::gil_scoped_acquire gil;
  if (state_->idle_wait.is_none()) {
    return std::nullopt;
  }
  const double timeout_s =
      std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
  try {
    const py::object jobs = state_->idle_wait(timeout_s);
    if (jobs.is_none()) {
      return std::nullopt;
    }
    return jobs.cast<bool>();
  } catch (py::error_already_set& e) {
    // Not left to fail again at every idle moment: the main thread waits on
    // its jobs alone from now on, and the connections' readers read.
    state_->has_idle_wait.store(false);
    state_->idle_wait = py::none();
    state_->console.error(
        "understudy_engine's idle wait raised; the main thread no longer reads connections "
        "itself:\n" +
        format_python_error(e));
    return std::nullopt;
  }
}

void PythonRuntime::shutdown() {
  py::gil_scoped_acquire gil;
  stop_python_state(/*invite_retry=*/false, EndPlayReason::kQuit);
}

void PythonRuntime::stop_python_state(bool invite_retry, EndPlayReason end_play_reason) {
  const py::dict modules = py::module_::import("sys").attr("modules");
  auto call_if_loaded = [&](const char* module, const char* function, py::tuple args) {
    // A module of the same name but without the function (the tutorial's own
    // ue_asyncio.py beside a script has no shutdown()) is not ours to stop.
    if (!modules.contains(module) || !py::hasattr(modules[module], function)) {
      return;
    }
    try {
      modules[module].attr(function)(*args);
    } catch (py::error_already_set& e) {
      state_->console.error(std::string(module) + "." + function + " raised:\n" +
                            format_python_error(e));
    }
  };
  call_if_loaded("understudy_engine", "_stop", py::make_tuple(invite_retry));
  call_if_loaded("ue_asyncio", "shutdown", py::make_tuple());
  state_->components.end_play_all(end_play_reason);
  state_->tickers.clear();
}

void PythonRuntime::reload() {
  state_->console.warning("domain reload: stopping the rpc server and throwing away script state");
  stop_python_state(/*invite_retry=*/true, EndPlayReason::kEndPlayInEditor);
  // Forget the modules scripts imported from outside the standard library and
  // Debian's packages (theirs and ours, such as ue_asyncio), so that they are
  // imported afresh. Re-importing the standard library is not safe for its C
  // extensions, and real engines keep it loaded too.
  const py::dict modules = py::module_::import("sys").attr("modules");
  const auto sysconfig = py::module_::import("sysconfig");
  const std::string stdlib = py::str(sysconfig.attr("get_path")("stdlib"));
  std::vector<std::string> forget;
  for (const auto& [key, module] : modules) {
    const auto name = key.cast<std::string>();
    if (modules_at_start_.contains(name)) {
      continue;
    }
    const auto file = py::getattr(module, "__file__", py::none());
    const std::string path = file.is_none() ? std::string() : py::str(file).cast<std::string>();
    const bool system = path.empty() || path.starts_with(stdlib) ||
                        path.find("/dist-packages/") != std::string::npos ||
                        path.find("/site-packages/") != std::string::npos;
    if (!system) {
      forget.push_back(name);
    }
  }
  for (const auto& name : forget) {
    modules.attr("pop")(name, py::none());
  }
  state_->frame_hook = py::none();
  state_->has_idle_wait.store(false);
  state_->idle_wait = py::none();
  // A restarted engine's __main__ is a fresh one; ue_site is imported anew.
  reset_main_module();
  import_ue_site(*state_);
  try {
    py::module_::import("understudy_engine").attr("_start")();
  } catch (py::error_already_set& e) {
    state_->console.error("domain reload: the rpc server did not restart:\n" +
                          format_python_error(e));
  }
  {
    py::gil_scoped_release release;
    for (const auto& script : startup_scripts_) {
      run_script(script);
    }
  }
  state_->console.log("domain reload: done (" + std::to_string(forget.size()) +
                      " modules forgotten)");
}

std::size_t PythonRuntime::ticker_count() const {
  py::gil_scoped_acquire gil;
  return state_->tickers.size();
}

}  // namespace understudy
