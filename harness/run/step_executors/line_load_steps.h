// LineLoadSteps: line_load (Asio clients send lines to the scenario port,
// where the engine's spawn server listens) and expect_lines_spawned (every
// line sent became exactly one actor). It remembers every line the
// line_load steps sent, for expect_lines_spawned.
//
// Contract: each method returns when the step passed and throws StepFailure
// when it failed. Scenario thread.
#pragma once

#include <set>
#include <string>

#include "harness/run/step_executors/step_context.h"

namespace understudy::harness {

class LineLoadSteps {
 public:
  explicit LineLoadSteps(StepContext& run) : run_(run) {}

  // line_load {connections, lines, rate, concurrency, prefix}: every line
  // sent is recorded; a connection that fails is a failed step.
  void line_load(const Step& step);
  // expect_lines_spawned {timeout}: every line the line_load steps sent is
  // the label of exactly one actor; missing and duplicated labels are named.
  void expect_lines_spawned(const Step& step);

 private:
  StepContext& run_;
  std::set<std::string> lines_sent_;
};

}  // namespace understudy::harness
