// CpuWaitClock: how long one thread has waited for a CPU while it was ready
// to run (Linux's per-thread schedstat "run_delay").
//
// A frame that starts late because the engine held its main thread and one
// that starts late because the machine gave the main thread no CPU look the
// same from the frame clock. The fault matrix's bound on how long the main
// thread is held is about the first; on an overloaded machine the second
// would break it for no fault of the engine's. This tells them apart.
#pragma once

#include <optional>

#include "fake_engine/core/main_thread_queue.h"

namespace understudy {

class CpuWaitClock {
 public:
  // Measures the calling thread. Without /proc/thread-self/schedstat (not
  // Linux, or a kernel without schedstats) every reading is nullopt.
  CpuWaitClock();
  ~CpuWaitClock();
  CpuWaitClock(const CpuWaitClock&) = delete;
  CpuWaitClock& operator=(const CpuWaitClock&) = delete;

  // The thread's total wait for a CPU since it started. Any thread may read.
  std::optional<Clock::duration> total() const;

 private:
  int fd_ = -1;
};

}  // namespace understudy
