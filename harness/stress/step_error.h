// StressStepError: what ends one step of a stress sweep (one target at one
// client count) early: a target that did not start, answer or stay up, or
// workers that did not connect or finish. run_stress records it for that
// step, marks the report failed and goes on with the next step, so its
// message must stand alone: what was expected, what was seen, which log to
// read.
#pragma once

#include <stdexcept>

namespace understudy::harness {

class StressStepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace understudy::harness
