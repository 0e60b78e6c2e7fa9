// Mutex and MutexLock: std::mutex and a scoped lock on it, annotated for
// clang's thread-safety analysis (common/thread_annotations.h), so that a
// member declared GUARDED_BY(mutex_) is checked in the clang build. They add
// nothing at run time: Mutex is a std::mutex, MutexLock a std::unique_lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "common/thread_annotations.h"

namespace understudy {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mutex_.lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mutex_;
};

// Holds `mutex` from construction to destruction (or unlock()). The waits
// let go of it while they block and hold it again when they return, which is
// how the analysis sees them too: held throughout. A predicate reading
// guarded members says so: `[&]() REQUIRES(mutex_) { return !jobs_.empty(); }`.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) ACQUIRE(mutex) : lock_(mutex.mutex_) {}
  ~MutexLock() RELEASE() = default;
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  // Lets go of the lock before the end of the scope, and takes it again;
  // the destructor lets go of it only if it is held.
  void unlock() RELEASE() { lock_.unlock(); }
  void lock() ACQUIRE() { lock_.lock(); }

  template <typename Predicate>
  void wait(std::condition_variable& cv, Predicate until) {
    cv.wait(lock_, std::move(until));
  }
  template <typename Rep, typename Period, typename Predicate>
  bool wait_for(std::condition_variable& cv, std::chrono::duration<Rep, Period> timeout,
                Predicate until) {
    return cv.wait_for(lock_, timeout, std::move(until));
  }
  template <typename TimePointClock, typename Duration, typename Predicate>
  bool wait_until(std::condition_variable& cv,
                  std::chrono::time_point<TimePointClock, Duration> deadline, Predicate until) {
    return cv.wait_until(lock_, deadline, std::move(until));
  }
  template <typename Rep, typename Period>
  std::cv_status wait_for(std::condition_variable& cv, std::chrono::duration<Rep, Period> timeout) {
    return cv.wait_for(lock_, timeout);
  }
  template <typename TimePointClock, typename Duration>
  std::cv_status wait_until(std::condition_variable& cv,
                            std::chrono::time_point<TimePointClock, Duration> deadline) {
    return cv.wait_until(lock_, deadline);
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace understudy
