// MainThreadQueue: work posted by any thread, run by the engine's main thread.
//
// This is how Unity's out-of-process API turns client requests into engine
// calls: the connection thread posts a job and waits for its result. The main
// thread drains the queue at the start of every frame and, unless the engine is
// in faithful mode, also whenever a job arrives while it is idle between
// frames (see FrameLoop), so a job's latency does not depend on the frame rate.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "common/mutex.h"
#include "fake_engine/core/thread_identity.h"

namespace understudy {

using Clock = std::chrono::steady_clock;

class CpuWaitClock;

// A job was posted after the engine began stopping; it will never run.
class EngineStoppedError : public std::runtime_error {
 public:
  explicit EngineStoppedError(const std::string& job_name);
};

// A caller stopped waiting for a main-thread job. The job itself is not
// cancelled: like an expired RPyC request, it still runs later.
class JobTimeoutError : public std::runtime_error {
 public:
  JobTimeoutError(const std::string& job_name, Clock::duration waited, std::size_t queue_depth);
};

struct DrainResult {
  std::size_t jobs_run = 0;
  std::size_t jobs_left = 0;  // still queued (budget ran out, or posted during the drain)
};

struct QueueCounters {
  std::uint64_t posted = 0;
  std::uint64_t run = 0;
  std::uint64_t rejected = 0;          // posted after close()
  Clock::duration total_queue_wait{};  // posted -> started, summed over run jobs
  Clock::duration max_queue_wait{};
};

// Thread-safety: every member may be called from any thread except where a
// comment says "main thread only".
class MainThreadQueue {
 public:
  explicit MainThreadQueue(const MainThreadAffinity& affinity);
  ~MainThreadQueue();
  MainThreadQueue(const MainThreadQueue&) = delete;
  MainThreadQueue& operator=(const MainThreadQueue&) = delete;

  // Queues `fn` to run on the main thread. The future carries its result or
  // exception; EngineStoppedError if the queue is already closed. `name` says
  // what the job does ("World.actor_spawn") for diagnostics.
  template <class F>
  std::future<std::invoke_result_t<F&>> post(std::string name, F&& fn);

  // Runs `fn` on the main thread and returns its result: inline when already
  // on it, otherwise posted and waited for up to `timeout` (nullopt: forever,
  // as in the original). Throws JobTimeoutError when the wait expires.
  template <class F>
  std::invoke_result_t<F&> call(std::string name, F&& fn,
                                std::optional<Clock::duration> timeout = std::nullopt);

  // Main thread only. Runs the jobs that were queued when the drain began, in
  // posting order, stopping early once `budget` is used (at least one job runs).
  DrainResult drain(std::optional<Clock::duration> budget = std::nullopt);

  // Main thread only. Blocks until a job is queued, wake() is called or
  // `deadline` passes. With `wake_on_jobs` false only wake() or the deadline
  // end the wait (faithful mode sleeps between frames). Returns true if jobs
  // are queued.
  bool wait_until(Clock::time_point deadline, bool wake_on_jobs = true);

  // Ends the current or next wait_until early.
  void wake();

  // Main thread only. An idle wait on descriptors as well as on jobs (the
  // RPC connections the main thread reads itself): between begin_fd_wait()
  // and end_fd_wait(), a job queued or a wake() makes wake_fd() readable.
  // begin_fd_wait() returns true when there is nothing to wait for (jobs
  // queued, or woken since the last wait); end_fd_wait() returns whether
  // jobs are queued, and ends a wake() as wait_until's end does.
  int wake_fd() const { return wake_fd_; }
  bool begin_fd_wait();
  bool end_fd_wait();

  // Rejects every later post with EngineStoppedError. Jobs already queued
  // still run on the next drain.
  void close();

  std::size_t depth() const;
  QueueCounters counters() const;

  // Any thread. How long the main thread has been away from its idle wait
  // (wait_until, or between begin_fd_wait and end_fd_wait), less the time it
  // spent waiting for a CPU meanwhile: zero while it waits there, since the
  // start before its first wait. What the engine held it with (a job, a
  // frame, a call to a peer), not what an overloaded machine did: the RPC
  // readers take their connections back for the first only, as giving them
  // back for the second costs CPU the machine does not have.
  Clock::duration main_thread_busy_for() const;

  // Main thread only (the frame loop, as it starts): a clock of the calling
  // thread's wait for a CPU, which main_thread_busy_for() leaves out from
  // now on. It lives as long as the queue, as other threads read it.
  const CpuWaitClock& claim_main_cpu_wait_clock();

 private:
  struct Job {
    std::string name;
    Clock::time_point posted_at;
    std::function<void()> run;
    std::function<void()> reject;
  };

  void enqueue(Job job);
  void signal_wake_fd() const;
  void note_main_left_idle();  // main thread, at the end of either idle wait
  Clock::duration main_cpu_wait() const;

  const MainThreadAffinity& affinity_;
  mutable Mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<Job> jobs_ GUARDED_BY(mutex_);
  bool closed_ GUARDED_BY(mutex_) = false;
  bool woken_ GUARDED_BY(mutex_) = false;
  bool fd_waiting_ GUARDED_BY(mutex_) = false;  // between begin_fd_wait() and end_fd_wait()
  int wake_fd_ = -1;                            // an eventfd
  std::atomic<bool> main_idle_{false};
  std::atomic<Clock::rep> main_left_idle_at_{0};  // steady_clock ticks
  // The main thread's wait for a CPU (read from any thread), and its reading
  // when the main thread left idle. Every clock claimed is kept.
  std::atomic<const CpuWaitClock*> main_cpu_wait_clock_{nullptr};
  std::vector<std::unique_ptr<CpuWaitClock>> claimed_clocks_ GUARDED_BY(mutex_);
  std::atomic<Clock::rep> main_cpu_wait_at_left_idle_{0};
  QueueCounters counters_ GUARDED_BY(mutex_);
};

template <class F>
std::future<std::invoke_result_t<F&>> MainThreadQueue::post(std::string name, F&& fn) {
  using Result = std::invoke_result_t<F&>;
  // std::function needs a copyable target; share the callable and the promise.
  auto callable = std::make_shared<std::decay_t<F>>(std::forward<F>(fn));
  auto promise = std::make_shared<std::promise<Result>>();
  std::future<Result> future = promise->get_future();
  auto run = [callable, promise] {
    try {
      if constexpr (std::is_void_v<Result>) {
        (*callable)();
        promise->set_value();
      } else {
        promise->set_value((*callable)());
      }
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  };
  auto reject = [promise, name] {
    promise->set_exception(std::make_exception_ptr(EngineStoppedError(name)));
  };
  enqueue(Job{std::move(name), Clock::now(), std::move(run), std::move(reject)});
  return future;
}

template <class F>
std::invoke_result_t<F&> MainThreadQueue::call(std::string name, F&& fn,
                                               std::optional<Clock::duration> timeout) {
  if (affinity_.is_main_thread()) {
    return fn();
  }
  const auto started = Clock::now();
  auto future = post(name, std::forward<F>(fn));
  if (timeout && future.wait_for(*timeout) != std::future_status::ready) {
    throw JobTimeoutError(name, Clock::now() - started, depth());
  }
  return future.get();
}

}  // namespace understudy
