#include "fake_engine/python/engine_errors.h"

namespace understudy {

void EngineErrors::set_listener(Listener listener) {
  MutexLock lock(mutex_);
  listener_ = std::move(listener);
}

void EngineErrors::record(EngineError error) {
  Listener listener;
  {
    MutexLock lock(mutex_);
    error.id = ++recorded_;
    ++by_source_[error.source];
    kept_.push_back(error);
    if (kept_.size() > kKept) {
      kept_.pop_front();
    }
    listener = listener_;
  }
  if (listener) {
    listener(error);
  }
}

std::vector<EngineError> EngineErrors::all() const {
  MutexLock lock(mutex_);
  return {kept_.begin(), kept_.end()};
}

std::uint64_t EngineErrors::count() const {
  MutexLock lock(mutex_);
  return recorded_;
}

std::uint64_t EngineErrors::count(std::string_view source) const {
  MutexLock lock(mutex_);
  const auto found = by_source_.find(source);
  return found == by_source_.end() ? 0 : found->second;
}

void StartupLatch::open() {
  std::vector<std::function<void()>> waiting;
  {
    MutexLock lock(mutex_);
    open_ = true;
    waiting.swap(waiting_);
  }
  for (auto& callback : waiting) {
    callback();
  }
}

void StartupLatch::when_open(std::function<void()> callback) {
  {
    MutexLock lock(mutex_);
    if (!open_) {
      waiting_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

bool StartupLatch::is_open() const {
  MutexLock lock(mutex_);
  return open_;
}

}  // namespace understudy
