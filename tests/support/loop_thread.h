// LoopThread: a FrameLoop on a thread of its own, which becomes the engine's
// main thread. The test thread then plays a client that posts jobs and waits
// for them, as an RPyC connection thread does.
#pragma once

#include <boost/test/tools/assertion_result.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>

#include "fake_engine/core/frame_loop.h"
#include "tests/support/deadline.h"

namespace understudy::testing {

class LoopThread {
 public:
  explicit LoopThread(FrameLoopSettings settings);
  ~LoopThread();  // stops the loop and joins its thread
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  MainThreadAffinity& affinity() { return affinity_; }
  MainThreadQueue& queue() { return queue_; }
  FrameLoop& loop() { return loop_; }

  // Add frame tasks through loop() before this.
  void start(const std::string& thread_name = "main");

  // Waits until frame `number` has started.
  [[nodiscard]] boost::test_tools::assertion_result wait_for_frame(
      std::uint64_t number, std::chrono::milliseconds timeout = kDefaultTimeout) const;

  // Requests a stop, joins, and returns the frames run (rethrowing what
  // run() threw). Idempotent.
  std::uint64_t stop();

 private:
  MainThreadAffinity affinity_;
  MainThreadQueue queue_;
  FrameLoop loop_;
  std::future<std::uint64_t> frames_;
  std::uint64_t frames_run_ = 0;
  std::thread thread_;
};

}  // namespace understudy::testing
