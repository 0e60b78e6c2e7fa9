// Deadlines for tests: common/deadline.h's waits as Boost.Test assertion
// results. Every wait in the suites goes through these (or through an API's
// own timed wait), so a test never hangs, and its failure says what it waited
// for and what it saw instead.
#pragma once

#include <boost/test/tools/assertion_result.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <string_view>

#include "common/deadline.h"

namespace understudy::testing {

inline constexpr std::chrono::milliseconds kDefaultTimeout = kDefaultPollTimeout;
inline constexpr std::chrono::milliseconds kPollInterval = kDefaultPollInterval;
// A whole engine run, from spawn to exit: its start, its scripts and Python's
// finalization, which under ASan on a loaded machine took over 5 s.
inline constexpr std::chrono::milliseconds kEngineRunTimeout{20000};

inline double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// understudy::poll_until for BOOST_TEST and BOOST_REQUIRE. On failure the
// message reads "timed out after 5000 ms waiting for <expected>; seen: <seen()>".
[[nodiscard]] inline boost::test_tools::assertion_result poll_until(
    const std::function<bool()>& done, std::string_view expected,
    const std::function<std::string()>& seen = {},
    std::chrono::milliseconds timeout = kDefaultTimeout) {
  const auto waited = understudy::poll_until(done, expected, seen, timeout);
  if (waited) {
    return true;
  }
  boost::test_tools::assertion_result result(false);
  result.message() << waited.message();
  return result;
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
