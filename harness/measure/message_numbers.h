// Numbers as the harness writes them into failure messages and summaries.
#pragma once

#include <chrono>
#include <string>

#include "reports/detail/text.h"

namespace understudy::harness {

// Three decimals unless asked: seconds to the millisecond.
inline std::string fixed(double value, int digits = 3) {
  return reports::detail::fixed(value, digits);
}

// A scenario's seconds as a deadline for the waits that take milliseconds.
inline std::chrono::milliseconds seconds_as_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

}  // namespace understudy::harness
