#include "fake_engine/python/python_runtime.h"

#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;

namespace understudy {

PythonEngineState::PythonEngineState(MainThreadAffinity& affinity_, Console& console_,
                                     World& world_, const FrameLoop& loop_)
    : affinity(affinity_),
      console(console_),
      world(world_),
      loop(loop_),
      tickers([&c = console_](const std::string& message) { c.error(message); }),
      components([&c = console_](const std::string& message) { c.error(message); }) {}

PythonRuntime::PythonRuntime(MainThreadAffinity& affinity, Console& console, World& world,
                             FrameLoop& loop)
    : state_(std::make_shared<PythonEngineState>(affinity, console, world, loop)) {
  install_unreal_engine_module(state_);
  std::weak_ptr<PythonEngineState> weak = state_;
  world.add_listener([weak](ActorEvent event, const Actor& actor) {
    if (event != ActorEvent::kDestroyed) {
      return;
    }
    if (auto state = weak.lock()) {
      py::gil_scoped_acquire gil;
      state->components.end_play(actor.id, "Destroyed");
    }
  });
  loop.add_frame_task("python", [this](const FrameTick& frame) { tick(frame); });
}

PythonRuntime::~PythonRuntime() {
  state_->tickers.clear();
  py::module_::import("sys").attr("modules").attr("pop")("unreal_engine.classes", py::none());
  py::module_::import("sys").attr("modules").attr("pop")("unreal_engine", py::none());
}

bool PythonRuntime::run_script(const std::filesystem::path& script) {
  py::gil_scoped_acquire gil;
  const auto absolute = std::filesystem::absolute(script);
  try {
    auto sys_path = py::module_::import("sys").attr("path");
    const auto folder = py::str(absolute.parent_path().string());
    if (!sys_path.contains(folder)) {
      sys_path.attr("insert")(0, folder);
    }
    // exec rather than runpy, so that tracebacks start at the script's own frames.
    const auto builtins = py::module_::import("builtins");
    const auto source = builtins.attr("open")(absolute.string(), "rb").attr("read")();
    const auto code = builtins.attr("compile")(source, absolute.string(), "exec");
    py::dict globals;
    globals["__name__"] = "__main__";
    globals["__file__"] = absolute.string();
    globals["__builtins__"] = builtins;
    builtins.attr("exec")(code, globals);
    return true;
  } catch (py::error_already_set& e) {
    state_->console.error("script " + script.string() + " raised:\n" + format_python_error(e));
    return false;
  }
}

void PythonRuntime::tick(const FrameTick& frame) {
  py::gil_scoped_acquire gil;
  state_->tickers.tick(frame.delta_seconds);
  state_->components.tick(frame.delta_seconds);
}

void PythonRuntime::shutdown() {
  py::gil_scoped_acquire gil;
  const py::dict modules = py::module_::import("sys").attr("modules");
  if (modules.contains("ue_asyncio")) {
    try {
      modules["ue_asyncio"].attr("shutdown")();
    } catch (py::error_already_set& e) {
      state_->console.error("ue_asyncio.shutdown raised:\n" + format_python_error(e));
    }
  }
  state_->components.end_play_all("Quit");
  state_->tickers.clear();
}

std::size_t PythonRuntime::ticker_count() const {
  py::gil_scoped_acquire gil;
  return state_->tickers.size();
}

}  // namespace understudy
