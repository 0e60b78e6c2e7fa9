// StopSignals: SIGINT and SIGTERM for the command line, taken without a
// signal handler. The signals are blocked in every thread (so it must be made
// before any other thread starts; ChildProcess clears the mask in its
// children) and one thread takes them with sigwait, so that what it does on
// a signal need not be async-signal-safe.
//
// On the first signal it stops every child process at once (their steps then
// end), then either records the signal for the run to wind down (kWindDown:
// see signal()) or exits at once with 128 + signal (kExit). A second signal
// always exits at once.
#pragma once

#include <pthread.h>

#include <atomic>
#include <thread>

namespace understudy::cli {

class StopSignals {
 public:
  enum class Mode { kWindDown, kExit };

  explicit StopSignals(Mode mode);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // The signal taken, 0 until one is.
  const std::atomic<int>& signal() const { return signal_; }

 private:
  void watch();

  Mode mode_;
  std::atomic<int> signal_{0};
  std::atomic<bool> quitting_{false};
  std::thread watcher_;
};

}  // namespace understudy::cli
