#include "fake_engine/app/signal_watcher.h"

#include <semaphore.h>

#include <cerrno>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "fake_engine/core/thread_identity.h"

namespace understudy {
namespace {

// What the handler touches, and nothing else: process-wide, never destroyed,
// so that a signal arriving at any moment (even after the SignalWatcher is
// gone) finds them valid.
constexpr int kMaxSignal = 64;  // Linux's SIGRTMAX
std::atomic<bool> g_pending[kMaxSignal + 1];
static_assert(std::atomic<bool>::is_always_lock_free,
              "the handler may only use lock-free atomics (async-signal-safe)");
sem_t g_wakeup;
std::once_flag g_wakeup_made;
std::atomic<bool> g_watcher_exists{false};

void note_signal(int signal) {
  const int saved_errno = errno;  // sem_post may set it; the interrupted code must not see that
  if (signal > 0 && signal <= kMaxSignal) {
    g_pending[signal].store(true);
    sem_post(&g_wakeup);
  }
  errno = saved_errno;
}

void wait_for_wakeup() {
  while (sem_wait(&g_wakeup) != 0 && errno == EINTR) {
  }
}

}  // namespace

SignalWatcher::SignalWatcher(std::initializer_list<int> signals) : signals_(signals) {
  for (const int s : signals_) {
    if (s <= 0 || s > kMaxSignal) {
      throw std::invalid_argument("SignalWatcher: cannot watch signal " + std::to_string(s));
    }
  }
  std::call_once(g_wakeup_made, [] {
    if (sem_init(&g_wakeup, /*pshared=*/0, 0) != 0) {
      throw std::system_error(errno, std::generic_category(), "SignalWatcher: sem_init");
    }
  });
  if (g_watcher_exists.exchange(true)) {
    throw std::logic_error("SignalWatcher: only one may exist at a time");
  }
  struct sigaction action {};
  action.sa_handler = note_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (const int s : signals_) {
    if (sigaction(s, &action, nullptr) != 0) {  // SIGKILL, SIGSTOP
      g_watcher_exists.store(false);
      throw std::system_error(errno, std::generic_category(),
                              "SignalWatcher: cannot handle signal " + std::to_string(s));
    }
  }
}

SignalWatcher::~SignalWatcher() {
  stop();
  g_watcher_exists.store(false);
}

void SignalWatcher::start(std::function<void(int)> on_signal) {
  running_.store(true);
  watcher_ = std::thread([this, on_signal = std::move(on_signal)] {
    name_current_thread("signals");
    while (true) {
      wait_for_wakeup();
      if (!running_.load()) {
        return;
      }
      for (const int s : signals_) {
        if (g_pending[s].exchange(false)) {
          on_signal(s);
        }
      }
    }
  });
}

void SignalWatcher::stop() {
  if (!watcher_.joinable()) {
    return;
  }
  running_.store(false);
  sem_post(&g_wakeup);
  watcher_.join();
}

}  // namespace understudy
