// must-fail: a function declared REQUIRES(mutex_) is called without holding
//   mutex_; clang's -Wthread-safety must reject it
// expect-output: calling function 'grow' requires holding mutex 'mutex_' exclusively
#include <vector>

#include "common/mutex.h"

namespace understudy {

class Jobs {
 public:
  void post(int job) {
    grow();  // broken: the caller does not hold mutex_
    MutexLock lock(mutex_);
    jobs_.push_back(job);
  }

 private:
  void grow() REQUIRES(mutex_) { jobs_.reserve(jobs_.size() * 2 + 1); }

  Mutex mutex_;
  std::vector<int> jobs_ GUARDED_BY(mutex_);
};

void post_one() {
  Jobs jobs;
  jobs.post(1);
}

}  // namespace understudy
