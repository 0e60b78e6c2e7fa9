// Deadlines and polled waits, for production code and tests alike. Every
// blocking wait has a deadline, and a wait that runs out says what it waited
// for and what it saw instead (the models: Envoy's must-use waits, Redis's
// test suite's retry budgets).
//
// poll_until re-checks a condition that nothing signals (a file another
// process writes, a registry read over a socket, a process's /proc state).
// Where something can be waited on directly (a future, a condition variable,
// a socket with a timeout), wait on it instead.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace understudy {

// A scenario's or an option's seconds as a deadline for waits that take
// milliseconds (truncated: 0.0005 s is no wait at all).
inline std::chrono::milliseconds seconds_as_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

// A point in steady time that a wait must not pass, and the budget it was
// made from (for messages: "within 15000 ms").
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Deadline(std::chrono::milliseconds budget)
      : budget_(budget), at_(Clock::now() + budget) {}

  bool expired() const { return Clock::now() >= at_; }
  // Zero once expired.
  std::chrono::milliseconds remaining() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds(0);
  }
  std::chrono::milliseconds budget() const { return budget_; }
  Clock::time_point at() const { return at_; }

 private:
  std::chrono::milliseconds budget_;
  Clock::time_point at_;
};

// What a wait came to: true, or false with a message "timed out after 5000 ms
// waiting for <expected>; seen: <seen>" to put into a failure.
class [[nodiscard]] WaitResult {
 public:
  static WaitResult success() { return WaitResult(true, {}); }
  static WaitResult timed_out(std::string message) { return WaitResult(false, std::move(message)); }

  explicit operator bool() const { return ok_; }
  // Empty on success.
  const std::string& message() const { return message_; }

 private:
  WaitResult(bool ok, std::string message) : ok_(ok), message_(std::move(message)) {}

  bool ok_;
  std::string message_;
};

// A healthy run waits milliseconds; the rest is margin for a loaded 2-core machine.
inline constexpr std::chrono::milliseconds kDefaultPollTimeout{5000};
// How often poll_until re-checks its condition unless told: often enough that
// a test notices at once, for conditions that cost next to nothing to check.
inline constexpr std::chrono::milliseconds kDefaultPollInterval{1};

// Re-checks `done` every `interval` until it holds or `timeout` passes; `done`
// is checked at least once, and after the deadline once more before the wait
// gives up. `seen` (optional) describes what was there instead, for the
// message; it is called only on failure, after the last check.
[[nodiscard]] inline WaitResult poll_until(
    const std::function<bool()>& done, std::string_view expected,
    const std::function<std::string()>& seen = {},
    std::chrono::milliseconds timeout = kDefaultPollTimeout,
    std::chrono::milliseconds interval = kDefaultPollInterval) {
  const Deadline deadline(timeout);
  while (!done()) {
    if (deadline.expired()) {
      std::string message = "timed out after " + std::to_string(timeout.count()) +
                            " ms waiting for " + std::string(expected);
      if (seen) {
        message += "; seen: " + seen();
      }
      return WaitResult::timed_out(std::move(message));
    }
    std::this_thread::sleep_for(interval);
  }
  return WaitResult::success();
}

}  // namespace understudy
