#include "fake_engine/app/signal_watcher.h"

#include <pthread.h>

#include <ctime>

#include "fake_engine/core/thread_identity.h"

namespace understudy {

SignalWatcher::SignalWatcher(std::initializer_list<int> signals) {
  sigemptyset(&signals_);
  for (const int s : signals) {
    sigaddset(&signals_, s);
  }
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

SignalWatcher::~SignalWatcher() {
  stop();
}

void SignalWatcher::start(std::function<void(int)> on_signal) {
  running_.store(true);
  watcher_ = std::thread([this, on_signal = std::move(on_signal)] {
    name_current_thread("signals");
    // Poll the running flag every 100 ms so that stop() needs no signal of its own.
    const timespec poll{0, 100'000'000};
    while (running_.load()) {
      const int received = sigtimedwait(&signals_, nullptr, &poll);
      if (received > 0) {
        on_signal(received);
      }
    }
  });
}

void SignalWatcher::stop() {
  running_.store(false);
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

}  // namespace understudy
