// must-fail: a member GUARDED_BY(mutex_) is read without holding mutex_;
//   clang's -Wthread-safety must reject it
// expect-output: reading variable 'count_' requires holding mutex 'mutex_'
#include "common/mutex.h"

namespace understudy {

class Counter {
 public:
  void add() {
    MutexLock lock(mutex_);
    ++count_;
  }
  int count() const { return count_; }  // broken: no MutexLock

 private:
  mutable Mutex mutex_;
  int count_ GUARDED_BY(mutex_) = 0;
};

int read_unguarded() {
  Counter counter;
  counter.add();
  return counter.count();
}

}  // namespace understudy
