// SignalWatcher: turns signals (for the engine: SIGINT and SIGTERM, a clean
// stop; SIGHUP, a domain reload) into calls on a thread of its own.
//
// The signal handler does only async-signal-safe work: it sets the signal's
// lock-free std::atomic<bool> flag and posts a semaphore (sem_post is on
// POSIX's list of async-signal-safe functions). The watcher thread waits on
// the semaphore and calls `on_signal` for each flag it finds set, so
// `on_signal` may take locks and log. As with the kernel's own pending
// signals, several of one kind that arrive before the watcher looks are
// delivered once.
//
// A handler, not sigwait on signals blocked in every thread: a blocked mask
// is inherited by every process the engine starts (Python's subprocess
// keeps it), and such a child could not be stopped with SIGTERM or
// interrupted with SIGINT. The handler is installed with SA_RESTART, and
// reset to the default in children at exec.
//
// Signals received before start() are delivered once it starts; after
// stop() they are taken and ignored (the engine is stopping already), for
// the rest of the process's life.
#pragma once

#include <atomic>
#include <functional>
#include <initializer_list>
#include <thread>
#include <vector>

namespace understudy {

class SignalWatcher {
 public:
  // Installs the handler for `signals`. At most one SignalWatcher at a time.
  explicit SignalWatcher(std::initializer_list<int> signals);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // Calls `on_signal` on the watcher thread for each signal received.
  void start(std::function<void(int signal)> on_signal);
  // Returns once the watcher thread has ended; a call to `on_signal` under
  // way finishes first.
  void stop();

 private:
  std::vector<int> signals_;
  std::atomic<bool> running_{false};
  std::thread watcher_;
};

}  // namespace understudy
