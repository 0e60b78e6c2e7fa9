// One scenario's timeline as a Chrome trace (the JSON trace-event format),
// to open in Perfetto or chrome://tracing: the scenario is a process, each
// track a thread; timed events are complete ("X") slices, the rest instants;
// a deadlock is a process-wide instant carrying its summary, with a marker on
// each member's track and flow arrows from member to member around the cycle.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "reports/results.h"

namespace understudy::reports {

// `pid` lets the traces of several scenarios be merged into one view without
// their tracks colliding; report_set numbers them 1..N in suite order.
std::string to_chrome_trace(const ScenarioResult& scenario, int pid = 1);

// File names for the suite's traces, in suite order: the scenario name made
// safe for any file system ([A-Za-z0-9._-], at most 100 characters), then
// "-<repeat>" for repeats after the first, then "~2", "~3", ... should two
// names still collide, and ".trace.json".
std::vector<std::string> trace_file_names(const SuiteResult& suite);

// Throws std::runtime_error naming `path` when it cannot be written.
void write_chrome_trace(const ScenarioResult& scenario, const std::filesystem::path& path,
                        int pid = 1);

}  // namespace understudy::reports
