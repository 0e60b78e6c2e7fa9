// Writes a stress run's results: stress.json for tools (every figure, in
// milliseconds and calls per second) and stress.html for people (the
// verdict first, then the comparison table against the baselines, throughput against client count,
// latency distributions per path, frames, memory, warnings), self-contained
// like the suite report.
#pragma once

#include <filesystem>
#include <string>

#include "reports/stress_results.h"

namespace understudy::reports {

std::string stress_to_json(const StressReport& report);
std::string stress_to_html(const StressReport& report);

// A verdict's figure as the terminal and stress.html show it, to two
// significant figures: "6.5k calls/s", "p50 1.2 ms".
std::string verdict_figure(const StressVerdict& verdict, double value);
// Its outcome: "plain RPyC, 1.3x the calls/s", "engine, 2.0x faster",
// "neither" (a gap within the noise), "engine (plain RPyC completed no call)".
std::string verdict_outcome(const StressVerdict& verdict);

// Writes stress.json and stress.html into `dir` (created if needed); throws
// std::runtime_error naming a file it cannot write.
void write_stress_reports(const StressReport& report, const std::filesystem::path& dir);

}  // namespace understudy::reports
