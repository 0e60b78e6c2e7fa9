#include "harness/cli/stop_signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "common/child_process.h"
#include "harness/run/private_folder.h"

namespace understudy::cli {
namespace {

sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

[[noreturn]] void exit_now(int signal) {
  ChildProcess::kill_all_children();
  harness::PrivateFolder::remove_all_live();
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(128 + signal);
}

}  // namespace

StopSignals::StopSignals(Mode mode) : mode_(mode) {
  const sigset_t set = stop_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread([this] { watch(); });
}

StopSignals::~StopSignals() {
  quitting_ = true;
  pthread_kill(watcher_.native_handle(), SIGTERM);
  watcher_.join();
}

void StopSignals::watch() {
  const sigset_t set = stop_set();
  for (;;) {
    int taken = 0;
    if (sigwait(&set, &taken) != 0) {
      continue;
    }
    if (quitting_) {
      return;
    }
    if (mode_ == Mode::kExit || signal_.load() != 0) {
      exit_now(taken);
    }
    signal_ = taken;
    ChildProcess::kill_all_children();
  }
}

}  // namespace understudy::cli
