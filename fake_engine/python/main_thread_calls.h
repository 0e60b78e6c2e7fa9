// Running Python callables on the engine's main thread from other threads
// (RPyC connection threads), with the GIL released while waiting.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/mutex.h"
#include "fake_engine/console/console.h"
#include "fake_engine/core/main_thread_queue.h"

namespace understudy {

// Runs `fn()` on the main thread and returns its result or raises its
// exception: inline on the main thread, otherwise posted and waited for, up
// to `timeout_seconds` (nullopt: forever, as the original). A timeout raises
// Python's TimeoutError; the job still runs later.
// REQUIRES: GIL held (released while waiting).
pybind11::object run_python_on_main_thread(MainThreadQueue& queue, pybind11::object fn,
                                           std::string name, std::optional<double> timeout_seconds);

// Python jobs posted from other threads (a client's request that needs the
// main thread, the completion of an async call) run in batches: posting into
// an empty batch queues one main-thread job, which takes the GIL once and
// runs the Python jobs waiting by then. Under load this saves a GIL hand-off
// between threads per job, the costliest part of a main-thread request; a
// job posted alone costs what it did. A batch runs at most the jobs waiting
// when it starts, and for about a millisecond, then queues the next batch
// behind whatever else is queued, so frames, other jobs and the queue's own
// pacing of long jobs are not bypassed.
//
// Each job comes from a source (a client connection; 0: the engine itself),
// and the sources take turns, one job each, in the order they first had one
// waiting; a source's own jobs run in the order it posted them. A client
// that pipelines 40 requests for the main thread thus delays another
// client's request by one of its jobs, not 40: in the editors a
// connection's reader waits for its request's main-thread job before it
// reads the next one, so no client can queue ahead of everyone there.
class PythonJobBatch {
 public:
  PythonJobBatch(MainThreadQueue& queue, Console& console) : queue_(queue), console_(console) {}
  // REQUIRES: GIL held (drops the jobs that never ran).
  ~PythonJobBatch() = default;
  PythonJobBatch(const PythonJobBatch&) = delete;
  PythonJobBatch& operator=(const PythonJobBatch&) = delete;

  // Any thread. REQUIRES: GIL held. An exception `fn` raises is logged to the
  // console with its traceback.
  void post(pybind11::object fn, std::string name, std::uint64_t source = 0);

 private:
  struct Job {
    pybind11::object fn;  // touched only with the GIL held
    std::string name;
  };

  void schedule() REQUIRES(mutex_);
  // The next job in turn. REQUIRES: waiting_ > 0.
  Job take_next() REQUIRES(mutex_);
  void run_batch();

  MainThreadQueue& queue_;
  Console& console_;
  Mutex mutex_;
  std::unordered_map<std::uint64_t, std::deque<Job>> by_source_ GUARDED_BY(mutex_);
  // The sources with jobs waiting, in the order of their next turns.
  std::deque<std::uint64_t> turns_ GUARDED_BY(mutex_);
  std::size_t waiting_ GUARDED_BY(mutex_) = 0;
  bool scheduled_ GUARDED_BY(mutex_) = false;
};

}  // namespace understudy
