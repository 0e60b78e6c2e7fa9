#include "fake_engine/core/main_thread_queue.h"

#include <algorithm>

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

void MainThreadQueue::enqueue(Job job) {
  {
    MutexLock lock(mutex_);
    if (!closed_) {
      ++counters_.posted;
      jobs_.push_back(std::move(job));
      wakeup_.notify_one();
      return;
    }
    ++counters_.rejected;
  }
  job.reject();
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
  lock.wait_until(wakeup_, deadline,
                  [&]() REQUIRES(mutex_) { return woken_ || (wake_on_jobs && !jobs_.empty()); });
  woken_ = false;
  return !jobs_.empty();
}

void MainThreadQueue::wake() {
  MutexLock lock(mutex_);
  woken_ = true;
  wakeup_.notify_all();
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
