// Engine: the stand-in engine's C++ core, wired together. The thread that
// constructs it is its main thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "fake_engine/console/console.h"
#include "fake_engine/core/frame_loop.h"
#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/core/thread_identity.h"
#include "fake_engine/diagnostics/wait_for_graph.h"
#include "fake_engine/objects/object_model.h"
#include "fake_engine/world/world.h"

namespace understudy {

struct EngineSettings {
  FrameLoopSettings loop;
  bool echo_console = true;  // print console records to stderr
  // The project's own classes, structs and enums (files or folders), loaded
  // after the engine's shipped schema.
  std::vector<std::filesystem::path> project_schemas;
  // The same for the Unity binding's model (its C# namespaces and classes),
  // loaded after fake_engine/schema/unity.
  std::vector<std::filesystem::path> unity_project_schemas;
};

class Engine {
 public:
  // Throws SchemaError if a schema cannot be loaded.
  explicit Engine(const EngineSettings& settings);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  MainThreadAffinity& affinity() { return affinity_; }
  MainThreadQueue& queue() { return queue_; }
  FrameLoop& loop() { return loop_; }
  Console& console() { return console_; }
  ObjectModel& model() { return model_; }
  World& world() { return world_; }
  // The Unity binding's model and scene: the same core on Unity's schema.
  ObjectModel& unity_model() { return unity_model_; }
  World& unity_world() { return unity_world_; }
  WaitForGraph& waits() { return waits_; }

  // Main thread. Runs frames until stopped. Returns the number of frames run.
  std::uint64_t run() { return loop_.run(); }

  // Main thread, after run() and after the Python side has shut down: rejects
  // new main-thread jobs and runs those still queued.
  void finish();

 private:
  MainThreadAffinity affinity_;
  MainThreadQueue queue_;
  FrameLoop loop_;
  Console console_;
  ObjectModel model_;
  World world_;
  ObjectModel unity_model_;
  World unity_world_;
  WaitForGraph waits_;
};

}  // namespace understudy
