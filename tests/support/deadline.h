// Deadlines for tests. Every wait in the suites goes through these (or
// through an API's own timed wait), so a test never hangs, and its failure
// says what it waited for and what it saw instead.
#pragma once

#include <boost/test/tools/assertion_result.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <string_view>
#include <thread>

namespace understudy::testing {

// A healthy run waits milliseconds; the rest is margin for a loaded 2-core machine.
inline constexpr std::chrono::milliseconds kDefaultTimeout{5000};
// A whole engine run, from spawn to exit: its start, its scripts and Python's
// finalization, which under ASan on a loaded machine took over 5 s.
inline constexpr std::chrono::milliseconds kEngineRunTimeout{20000};
// How often poll_until re-checks its condition.
inline constexpr std::chrono::milliseconds kPollInterval{1};

inline double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Re-checks `done` until it holds or `timeout` passes. On failure the message
// reads "timed out after 5000 ms waiting for <expected>; seen: <seen()>".
[[nodiscard]] inline boost::test_tools::assertion_result poll_until(
    const std::function<bool()>& done, std::string_view expected,
    const std::function<std::string()>& seen = {},
    std::chrono::milliseconds timeout = kDefaultTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      boost::test_tools::assertion_result result(false);
      result.message() << "timed out after " << timeout.count() << " ms waiting for "
                       << std::string(expected);
      if (seen) {
        result.message() << "; seen: " << seen();
      }
      return result;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

// Waits on the future's (std::future or std::shared_future) own timed wait.
template <class Future>
[[nodiscard]] boost::test_tools::assertion_result wait_ready(
    const Future& future, std::string_view expected,
    std::chrono::milliseconds timeout = kDefaultTimeout) {
  if (future.wait_for(timeout) == std::future_status::ready) {
    return true;
  }
  boost::test_tools::assertion_result result(false);
  result.message() << "timed out after " << timeout.count() << " ms waiting for "
                   << std::string(expected) << "; the future is still not ready";
  return result;
}

}  // namespace understudy::testing
