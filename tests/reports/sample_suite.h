// A realistic SuiteResult, as the harness would record it, for the report
// writer tests: a passed scenario and its repeat, a failed one with a
// three-party deadlock cycle, a timeline, latencies and log tails full of
// text that needs escaping, one that could not run and one skipped; two
// scenarios tagged slow were left out.
#pragma once

#include <string>

#include "reports/results.h"

namespace understudy::testing {

// Indexes into sample_suite().scenarios.
inline constexpr std::size_t kPassedScenario = 0;
inline constexpr std::size_t kRepeatedScenario = 1;
inline constexpr std::size_t kFailedScenario = 2;
inline constexpr std::size_t kErrorScenario = 3;
inline constexpr std::size_t kSkippedScenario = 4;

// Text in the failed scenario's engine log tail that each writer must carry
// through its own escaping: markup, a CDATA terminator, a control character
// XML forbids, and non-ASCII UTF-8.
inline constexpr std::string_view kTrickyLogLine =
    "payload <tag attr=\"x\"> & ]]> done \x01 Grüße, 東京 ✓";

reports::SuiteResult sample_suite();

}  // namespace understudy::testing
