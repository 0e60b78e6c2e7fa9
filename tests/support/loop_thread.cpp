#include "tests/support/loop_thread.h"

namespace understudy::testing {

LoopThread::LoopThread(FrameLoopSettings settings)
    : queue_(affinity_), loop_(queue_, affinity_, settings) {}

LoopThread::~LoopThread() {
  if (thread_.joinable()) {
    loop_.request_stop();
    thread_.join();
  }
}

void LoopThread::start(const std::string& thread_name) {
  std::packaged_task<std::uint64_t()> run([this, thread_name] {
    name_current_thread(thread_name);
    return loop_.run();
  });
  frames_ = run.get_future();
  thread_ = std::thread(std::move(run));
}

boost::test_tools::assertion_result LoopThread::wait_for_frame(
    std::uint64_t number, std::chrono::milliseconds timeout) const {
  return poll_until([&] { return loop_.current_frame() >= number; },
                    "frame " + std::to_string(number) + " to start",
                    [&] { return "the loop is at frame " + std::to_string(loop_.current_frame()); },
                    timeout);
}

std::uint64_t LoopThread::stop() {
  if (thread_.joinable()) {
    loop_.request_stop();
    thread_.join();
    frames_run_ = frames_.get();
  }
  return frames_run_;
}

}  // namespace understudy::testing
