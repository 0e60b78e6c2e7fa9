#include "fake_engine/python/main_thread_calls.h"

#include <memory>

#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;

namespace understudy {
namespace {

// A Python object that may be destroyed on a thread without the GIL (jobs are
// destroyed by the queue after they run): it takes the GIL to drop its reference.
class GilSafeObject {
 public:
  explicit GilSafeObject(py::object object) : object_(std::move(object)) {}
  GilSafeObject(const GilSafeObject&) = delete;
  GilSafeObject& operator=(const GilSafeObject&) = delete;
  ~GilSafeObject() {
    if (object_ && Py_IsInitialized() != 0) {
      py::gil_scoped_acquire gil;
      object_ = py::object();
    } else {
      (void)object_.release();  // interpreter gone: nothing left to free
    }
  }
  const py::object& get() const { return object_; }
  void set(py::object object) { object_ = std::move(object); }

 private:
  py::object object_;
};

}  // namespace

py::object run_python_on_main_thread(MainThreadQueue& queue, py::object fn, std::string name,
                                     std::optional<double> timeout_seconds) {
  auto callable = std::make_shared<GilSafeObject>(std::move(fn));
  auto result = std::make_shared<GilSafeObject>(py::object());
  auto job = [callable, result] {
    py::gil_scoped_acquire gil;
    result->set(callable->get()());  // a Python exception travels as error_already_set
  };
  std::optional<Clock::duration> timeout;
  if (timeout_seconds) {
    timeout = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(*timeout_seconds));
  }
  try {
    py::gil_scoped_release release;
    queue.call(name, job, timeout);
  } catch (const JobTimeoutError& e) {
    PyErr_SetString(PyExc_TimeoutError, e.what());
    throw py::error_already_set();
  } catch (const EngineStoppedError& e) {
    throw std::runtime_error(e.what());
  }
  return result->get();
}

void PythonJobBatch::post(py::object fn, std::string name, std::uint64_t source) {
  MutexLock lock(mutex_);
  auto& jobs = by_source_[source];
  if (jobs.empty()) {
    turns_.push_back(source);
  }
  jobs.push_back(Job{std::move(fn), std::move(name)});
  ++waiting_;
  if (!scheduled_) {
    schedule();
  }
}

void PythonJobBatch::schedule() {
  scheduled_ = true;
  // If the engine takes no more jobs (it is stopping), the batch never runs
  // and its jobs are dropped with it, as queued jobs are.
  (void)queue_.post("python jobs", [this] { run_batch(); });
}

PythonJobBatch::Job PythonJobBatch::take_next() {
  const std::uint64_t source = turns_.front();
  turns_.pop_front();
  auto found = by_source_.find(source);
  Job job = std::move(found->second.front());
  found->second.pop_front();
  if (found->second.empty()) {
    by_source_.erase(found);  // a closed connection leaves nothing behind
  } else {
    turns_.push_back(source);  // its next job waits for everyone else's turn
  }
  --waiting_;
  return job;
}

void PythonJobBatch::run_batch() {
  // Short jobs share one GIL hold; once a batch has run this long, the rest
  // go back in the queue as a batch of their own, so that a job that blocks
  // (a synchronous call to a client) is paced by the queue like any job.
  constexpr auto kBatchTime = std::chrono::milliseconds(1);
  py::gil_scoped_acquire gil;
  const auto started = Clock::now();
  std::size_t left = 0;
  {
    MutexLock lock(mutex_);
    left = waiting_;
  }
  for (; left > 0 && Clock::now() - started < kBatchTime; --left) {
    Job job;
    {
      MutexLock lock(mutex_);
      if (waiting_ == 0) {
        break;
      }
      job = take_next();
    }
    try {
      job.fn();
    } catch (py::error_already_set& e) {
      console_.error("main-thread job '" + job.name + "' raised:\n" + format_python_error(e));
    }
  }
  MutexLock lock(mutex_);
  scheduled_ = false;
  if (waiting_ > 0) {
    schedule();
  }
}

}  // namespace understudy
