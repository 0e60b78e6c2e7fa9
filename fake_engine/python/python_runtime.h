// PythonRuntime: the engine's Python side. Installs the `unreal_engine`
// module, runs engine-side scripts, and calls tickers and actor components
// once per frame on the main thread.
//
// The main thread holds the GIL only while it runs Python: every member that
// runs Python acquires the GIL itself and releases it on return.
#pragma once

#include <pybind11/pybind11.h>

#include <filesystem>
#include <memory>

#include "fake_engine/console/console.h"
#include "fake_engine/core/frame_loop.h"
#include "fake_engine/core/thread_identity.h"
#include "fake_engine/python/actor_components.h"
#include "fake_engine/python/ticker_registry.h"
#include "fake_engine/world/world.h"

namespace understudy {

// What Python objects of the `unreal_engine` module reach. They hold it
// weakly, so that an object kept past the engine's shutdown fails cleanly.
struct PythonEngineState {
  PythonEngineState(MainThreadAffinity& affinity, Console& console, World& world,
                    const FrameLoop& loop);

  MainThreadAffinity& affinity;
  Console& console;
  World& world;
  const FrameLoop& loop;
  TickerRegistry tickers;
  ActorComponents components;
};

class PythonRuntime {
 public:
  // REQUIRES: GIL held (the interpreter was just created on this thread).
  PythonRuntime(MainThreadAffinity& affinity, Console& console, World& world,
                FrameLoop& loop);
  // REQUIRES: GIL held.
  ~PythonRuntime();
  PythonRuntime(const PythonRuntime&) = delete;
  PythonRuntime& operator=(const PythonRuntime&) = delete;

  // Main thread. Runs the script as `python3 FILE` would (as __main__, its
  // folder first on sys.path). An exception is logged with its traceback.
  // Returns false if the script raised.
  bool run_script(const std::filesystem::path& script);

  // Main thread. Calls tickers, then actor components' tick.
  void tick(const FrameTick& tick);

  // Main thread. Cancels the asyncio hub's tasks and closes its loop, ends
  // the components' play ("Quit") and removes every ticker.
  void shutdown();

  std::size_t ticker_count() const;

 private:
  std::shared_ptr<PythonEngineState> state_;
};

// Installs `unreal_engine` and `unreal_engine.classes` in sys.modules, bound
// to `state`. REQUIRES: GIL held.
void install_unreal_engine_module(const std::shared_ptr<PythonEngineState>& state);

}  // namespace understudy
