// PythonRuntime: the engine's Python side. Installs the `unreal_engine`
// module, runs engine-side scripts, and calls tickers and actor components
// once per frame on the main thread.
//
// The main thread holds the GIL only while it runs Python: every member that
// runs Python acquires the GIL itself and releases it on return.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "fake_engine/console/console.h"
#include "fake_engine/core/frame_loop.h"
#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/core/thread_identity.h"
#include "fake_engine/diagnostics/wait_for_graph.h"
#include "fake_engine/python/actor_components.h"
#include "fake_engine/python/engine_errors.h"
#include "fake_engine/python/main_thread_calls.h"
#include "fake_engine/python/rpc_settings.h"
#include "fake_engine/python/ticker_registry.h"
#include "fake_engine/unreal/script_settings.h"
#include "fake_engine/world/world.h"

namespace understudy {

// The engine parts Python reaches.
struct EngineParts {
  MainThreadAffinity& affinity;
  MainThreadQueue& queue;
  Console& console;
  World& world;
  FrameLoop& loop;
  WaitForGraph& waits;
  World& unity_world;  // the UnityEngine binding's scene
};

// What Python objects of the `unreal_engine` module reach: the engine parts,
// and the Python side's own state. They hold it weakly, so that an object kept
// past the engine's shutdown fails cleanly.
struct PythonEngineState : EngineParts {
  PythonEngineState(const EngineParts& parts, RpcSettings rpc, ScriptSettings scripts = {});

  // Any thread. Writes "`what`:\n<traceback>" (`what` alone when there is no
  // traceback) as a console error record and
  // records an engine error from `source` (script, ticker, component, asyncio).
  void report_error(std::string source, std::string what, PythonErrorReport error);

  // Main thread, GIL held. A frame's Python objects: tickers, then components'
  // tick. Also UEP's engine_tick(delta). Throws std::runtime_error when called
  // from inside itself.
  void tick_python_objects(double delta_seconds);
  bool ticking_python_objects = false;

  const RpcSettings rpc;
  const ScriptSettings scripts;  // scripts paths, plugins, project folder
  EngineErrors errors;
  StartupLatch startup;  // opened once the startup scripts have run
  TickerRegistry tickers;
  ActorComponents components;
  pybind11::object frame_hook;  // understudy_engine's per-frame work (coroutines), or None
  // understudy_engine's idle wait on the connections the main thread reads
  // itself (FrameLoop's IdleWait), or None; has_idle_wait says which without
  // the GIL, and idle_wait_wanted whether it holds any connection now (the
  // main thread otherwise waits on its queue without taking the GIL).
  pybind11::object idle_wait;
  std::atomic<bool> has_idle_wait{false};
  std::atomic<bool> idle_wait_wanted{false};
  PythonJobBatch python_jobs;  // _understudy_engine.post_to_main_thread
  std::atomic<bool> reload_requested{false};
  // The unreal_engine binding's one Python object per engine object and per
  // type (UEP keeps one per UObject), and the editor's actor selection.
  std::unordered_map<ObjectId, pybind11::object> object_wrappers;
  std::unordered_map<const void*, pybind11::object> type_wrappers;
  std::vector<ObjectId> selected_actors;
  // Where events from Python (deadlock reports) go: the control channel.
  std::function<void(const std::string& kind, const std::string& json)> event_sink;
};

class PythonRuntime {
 public:
  // REQUIRES: GIL held (the interpreter was just created on this thread).
  // Starts __main__ afresh and puts the scripts paths first on sys.path.
  PythonRuntime(const EngineParts& parts, RpcSettings rpc, ScriptSettings scripts = {});
  // REQUIRES: GIL held.
  ~PythonRuntime();
  PythonRuntime(const PythonRuntime&) = delete;
  PythonRuntime& operator=(const PythonRuntime&) = delete;

  // Main thread. Imports understudy_engine and starts its RPyC server (when
  // enabled). Throws std::runtime_error with a one-line reason if it cannot
  // listen (e.g. another engine serves the port).
  void start_services();

  // Main thread. Runs the script as UnrealEnginePython runs it: in the shared
  // __main__, looked up as given or on the scripts paths, its folder first on
  // sys.path (fake_engine/unreal/script_execution.h). An exception is an
  // engine error (source "script"), logged with its traceback; SystemExit is
  // not. Returns false if the script raised or was not found.
  bool run_script(const std::filesystem::path& script);

  // The scripts run at start-up, queued as main-thread jobs now and run again
  // after every reload, after importing ue_site (each time, as an engine
  // start does). After the last one, startup() opens.
  void run_startup_scripts(MainThreadQueue& queue, std::vector<std::filesystem::path> scripts);

  // Any thread. Opened once the startup scripts have run (raised or not).
  StartupLatch& startup() { return state_->startup; }

  // Any thread. The engine errors so far; set their listener before
  // start_services().
  EngineErrors& errors() { return state_->errors; }

  // Any thread (async-signal-safe aside). The reload happens at the start of
  // the next frame, outside any main-thread job: a job may be serving the very
  // client whose connection the reload closes.
  void request_reload() { state_->reload_requested.store(true); }

  // Main thread. Calls tickers, then actor components' tick, then the
  // understudy_engine frame hook (engine coroutines).
  void tick(const FrameTick& tick);

  // Main thread. Stops the RPyC server (clients are told not to retry),
  // cancels the asyncio hub's tasks and closes its loop, ends the components'
  // play ("Quit") and removes every ticker.
  //
  // A reload (request_reload) is an engine restart for scripts: the same,
  // with retry invited, then the modules scripts imported are forgotten,
  // __main__ is emptied to a fresh one, ue_site is imported again and the
  // startup scripts run again.
  void shutdown();

  std::size_t ticker_count() const;

  // Before start_services(). Receives events raised in Python (kind, JSON text).
  void set_event_sink(std::function<void(const std::string&, const std::string&)> sink) {
    state_->event_sink = std::move(sink);
  }

 private:
  // Main thread, between frames: understudy_engine's idle wait, if it set one.
  std::optional<bool> idle_wait(Clock::time_point deadline);
  // REQUIRES: GIL held, main thread.
  void stop_python_state(bool invite_retry, EndPlayReason end_play_reason);
  void reload();

  std::shared_ptr<PythonEngineState> state_;
  std::vector<std::filesystem::path> startup_scripts_;
  std::set<std::string> modules_at_start_;  // sys.modules before any engine script ran
};

// Installs `unreal_engine` and `unreal_engine.classes` in sys.modules, bound
// to `state`. REQUIRES: GIL held.
void install_unreal_engine_module(const std::shared_ptr<PythonEngineState>& state);

// Installs `_unity_scene`, the C++ half of the UnityEngine binding
// (fake_engine/unity/), bound to `state`. REQUIRES: GIL held.
void install_unity_scene_module(const std::shared_ptr<PythonEngineState>& state);

// Installs `_understudy_engine`, the C++ half of the `understudy_engine`
// package (main-thread jobs, the wait-for graph, settings). REQUIRES: GIL held.
void install_understudy_engine_module(const std::shared_ptr<PythonEngineState>& state);

}  // namespace understudy
