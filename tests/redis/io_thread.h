// IoThread: an io_context run by a thread of its own, the thread the Redis
// clients of a test belong to (see redis/redis_client.h). The test thread only
// posts work to it and waits, always with a deadline, as in Envoy's fake
// upstreams.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>

#include "tests/support/deadline.h"

namespace understudy::testing {

class IoThread {
 public:
  IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& io() { return io_; }

  // Runs `fn` on the io thread and returns its result (or rethrows). Throws
  // std::runtime_error if it has not run within `timeout`.
  template <class Fn>
  auto run(Fn fn, std::string_view what = "a job on the io thread",
           std::chrono::milliseconds timeout = kDefaultTimeout) {
    using R = std::invoke_result_t<Fn&>;
    auto promise = std::make_shared<std::promise<R>>();
    auto future = promise->get_future();
    boost::asio::post(io_, [promise, fn = std::move(fn)]() mutable {
      try {
        if constexpr (std::is_void_v<R>) {
          fn();
          promise->set_value();
        } else {
          promise->set_value(fn());
        }
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    wait(future, what, timeout);
    return future.get();
  }

  // Starts an asynchronous operation on the io thread, `start(done)`, and
  // returns the value it completes with. Throws std::runtime_error naming
  // `what` if it does not complete within `timeout`.
  template <class T>
  T await(std::function<void(std::function<void(T)>)> start, std::string_view what,
          std::chrono::milliseconds timeout = kDefaultTimeout) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    boost::asio::post(io_, [promise, start = std::move(start)] {
      start([promise](T value) { promise->set_value(std::move(value)); });
    });
    wait(future, what, timeout);
    return future.get();
  }

 private:
  template <class Future>
  static void wait(const Future& future, std::string_view what, std::chrono::milliseconds timeout) {
    if (future.wait_for(timeout) != std::future_status::ready) {
      throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                               " ms waiting for " + std::string(what));
    }
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace understudy::testing
