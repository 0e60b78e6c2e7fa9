// Whether a pid is still this process's child, for the signals a run sends
// from another thread (the watchdog's, the control reader's).
#pragma once

#include <sys/types.h>

namespace understudy::harness {

// True while `pid` is a child of this process (running, or exited and not yet
// reaped): a signal to it cannot reach a process that reused the number.
bool is_own_child(pid_t pid);

}  // namespace understudy::harness
