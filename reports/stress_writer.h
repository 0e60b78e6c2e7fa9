// Writes a stress run's results: stress.json for tools (every figure, in
// milliseconds and calls per second) and stress.html for people (the
// comparison table against the baselines, throughput against client count,
// latency distributions per path, frames, memory, warnings), self-contained
// like the suite report.
#pragma once

#include <filesystem>
#include <string>

#include "reports/stress_results.h"

namespace understudy::reports {

std::string stress_to_json(const StressReport& report);
std::string stress_to_html(const StressReport& report);

// Writes stress.json and stress.html into `dir` (created if needed); throws
// std::runtime_error naming a file it cannot write.
void write_stress_reports(const StressReport& report, const std::filesystem::path& dir);

}  // namespace understudy::reports
