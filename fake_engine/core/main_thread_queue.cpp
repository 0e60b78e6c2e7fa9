#include "fake_engine/core/main_thread_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fake_engine/core/cpu_wait_clock.h"

namespace understudy {
namespace {
std::string milliseconds_text(Clock::duration d) {
  const auto ms = std::chrono::duration<double, std::milli>(d).count();
  return std::to_string(static_cast<long long>(ms)) + " ms";
}
}  // namespace

EngineStoppedError::EngineStoppedError(const std::string& job_name)
    : std::runtime_error("main-thread job '" + job_name +
                         "' was rejected: the engine is stopping") {}

JobTimeoutError::JobTimeoutError(const std::string& job_name, Clock::duration waited,
                                 std::size_t queue_depth)
    : std::runtime_error("main-thread job '" + job_name + "' did not finish within " +
                         milliseconds_text(waited) + " (" + std::to_string(queue_depth) +
                         " jobs queued; is the main thread blocked?)") {}

MainThreadQueue::MainThreadQueue(const MainThreadAffinity& affinity)
    : affinity_(affinity), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (wake_fd_ < 0) {
    throw std::runtime_error(std::string("MainThreadQueue: eventfd failed: ") +
                             std::strerror(errno));
  }
}

MainThreadQueue::~MainThreadQueue() {
  ::close(wake_fd_);
}

void MainThreadQueue::enqueue(Job job) {
  bool queued = false;
  bool signal_fd = false;
  {
    MutexLock lock(mutex_);
    if (!closed_) {
      ++counters_.posted;
      jobs_.push_back(std::move(job));
      wakeup_.notify_one();
      queued = true;
      signal_fd = fd_waiting_;
    } else {
      ++counters_.rejected;
    }
  }
  if (!queued) {
    job.reject();
  } else if (signal_fd) {
    signal_wake_fd();
  }
}

void MainThreadQueue::signal_wake_fd() const {
  const std::uint64_t one = 1;
  // Fails only when the counter is full, and then the descriptor is readable anyway.
  (void)!::write(wake_fd_, &one, sizeof one);
}

bool MainThreadQueue::begin_fd_wait() {
  affinity_.require("MainThreadQueue::begin_fd_wait");
  MutexLock lock(mutex_);
  fd_waiting_ = true;
  const bool no_wait = woken_ || !jobs_.empty();
  main_idle_.store(!no_wait);
  return no_wait;
}

bool MainThreadQueue::end_fd_wait() {
  affinity_.require("MainThreadQueue::end_fd_wait");
  note_main_left_idle();
  bool jobs = false;
  {
    MutexLock lock(mutex_);
    fd_waiting_ = false;
    woken_ = false;
    jobs = !jobs_.empty();
  }
  std::uint64_t count = 0;
  (void)!::read(wake_fd_, &count, sizeof count);  // EAGAIN when nothing signalled it
  return jobs;
}

DrainResult MainThreadQueue::drain(std::optional<Clock::duration> budget) {
  affinity_.require("MainThreadQueue::drain");
  const auto started = Clock::now();
  std::size_t limit = 0;
  {
    MutexLock lock(mutex_);
    limit = jobs_.size();
  }
  DrainResult result;
  while (result.jobs_run < limit) {
    if (budget && result.jobs_run > 0 && Clock::now() - started >= *budget) {
      break;
    }
    Job job;
    {
      MutexLock lock(mutex_);
      job = std::move(jobs_.front());
      jobs_.pop_front();
      const auto waited = Clock::now() - job.posted_at;
      ++counters_.run;
      counters_.total_queue_wait += waited;
      counters_.max_queue_wait = std::max(counters_.max_queue_wait, waited);
    }
    // The job catches its own exceptions and hands them to its future.
    job.run();
    ++result.jobs_run;
  }
  result.jobs_left = depth();
  return result;
}

bool MainThreadQueue::wait_until(Clock::time_point deadline, bool wake_on_jobs) {
  affinity_.require("MainThreadQueue::wait_until");
  MutexLock lock(mutex_);
  main_idle_.store(true);
  lock.wait_until(wakeup_, deadline,
                  [&]() REQUIRES(mutex_) { return woken_ || (wake_on_jobs && !jobs_.empty()); });
  note_main_left_idle();
  woken_ = false;
  return !jobs_.empty();
}

void MainThreadQueue::note_main_left_idle() {
  // The readings first: a reader that sees the main thread busy reads them.
  main_cpu_wait_at_left_idle_.store(main_cpu_wait().count());
  main_left_idle_at_.store(Clock::now().time_since_epoch().count());
  main_idle_.store(false);
}

const CpuWaitClock& MainThreadQueue::claim_main_cpu_wait_clock() {
  auto clock = std::make_unique<CpuWaitClock>();  // the calling thread's
  const CpuWaitClock& claimed = *clock;
  {
    MutexLock lock(mutex_);
    claimed_clocks_.push_back(std::move(clock));
  }
  main_cpu_wait_clock_.store(&claimed);
  return claimed;
}

Clock::duration MainThreadQueue::main_cpu_wait() const {
  const CpuWaitClock* clock = main_cpu_wait_clock_.load();
  const auto waited = clock != nullptr ? clock->total() : std::nullopt;
  return waited.value_or(Clock::duration::zero());
}

Clock::duration MainThreadQueue::main_thread_busy_for() const {
  if (main_idle_.load()) {
    return Clock::duration::zero();
  }
  const auto away = Clock::now() - Clock::time_point(Clock::duration(main_left_idle_at_.load()));
  const auto waited_for_cpu = main_cpu_wait() - Clock::duration(main_cpu_wait_at_left_idle_.load());
  return std::max(away - std::max(waited_for_cpu, Clock::duration::zero()),
                  Clock::duration::zero());
}

void MainThreadQueue::wake() {
  bool signal_fd = false;
  {
    MutexLock lock(mutex_);
    woken_ = true;
    wakeup_.notify_all();
    signal_fd = fd_waiting_;
  }
  if (signal_fd) {
    signal_wake_fd();
  }
}

void MainThreadQueue::close() {
  MutexLock lock(mutex_);
  closed_ = true;
}

std::size_t MainThreadQueue::depth() const {
  MutexLock lock(mutex_);
  return jobs_.size();
}

QueueCounters MainThreadQueue::counters() const {
  MutexLock lock(mutex_);
  return counters_;
}

}  // namespace understudy
