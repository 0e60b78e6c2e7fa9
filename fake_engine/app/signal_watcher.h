// SignalWatcher: turns SIGINT and SIGTERM into a clean stop request.
//
// The signals are blocked in the constructing thread (and so in every thread
// started after it, Python's included) and received synchronously by one
// watcher thread with sigtimedwait, so the handler may take locks and log.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <initializer_list>
#include <thread>

namespace understudy {

class SignalWatcher {
 public:
  // Construct before any other thread starts.
  explicit SignalWatcher(std::initializer_list<int> signals);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // Calls `on_signal` on the watcher thread for each signal received.
  void start(std::function<void(int signal)> on_signal);
  void stop();

 private:
  sigset_t signals_{};
  std::atomic<bool> running_{false};
  std::thread watcher_;
};

}  // namespace understudy
