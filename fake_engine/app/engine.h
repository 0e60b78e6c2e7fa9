// Engine: the stand-in engine's C++ core, wired together. The thread that
// constructs it is its main thread.
#pragma once

#include <cstdint>

#include "fake_engine/console/console.h"
#include "fake_engine/core/frame_loop.h"
#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/core/thread_identity.h"
#include "fake_engine/world/world.h"

namespace understudy {

struct EngineSettings {
  FrameLoopSettings loop;
  bool echo_console = true;  // print console records to stderr
};

class Engine {
 public:
  explicit Engine(const EngineSettings& settings);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  MainThreadAffinity& affinity() { return affinity_; }
  MainThreadQueue& queue() { return queue_; }
  FrameLoop& loop() { return loop_; }
  Console& console() { return console_; }
  World& world() { return world_; }

  // Main thread. Runs frames until stopped, then rejects new jobs and runs
  // those still queued. Returns the number of frames run.
  std::uint64_t run();

 private:
  MainThreadAffinity affinity_;
  MainThreadQueue queue_;
  FrameLoop loop_;
  Console console_;
  World world_;
};

}  // namespace understudy
