// The machine-readable report: the whole SuiteResult as JSON, for dashboards
// and for comparing runs. Field names are those of results.h; statuses are
// status_name() strings; each latency series also carries a "summary"
// (count, min, mean, p50, p90, p99, max in ms) so that consumers need not
// recompute percentiles. The top-level "format" names the layout version.
#pragma once

#include <filesystem>
#include <string>

#include "reports/results.h"

namespace understudy::reports {

// Pretty-printed, UTF-8. Text that is not valid UTF-8 has its bad bytes
// replaced by U+FFFD; control characters are kept (JSON escapes them).
std::string to_json(const SuiteResult& suite);

// Throws std::runtime_error naming `path` when it cannot be written.
void write_json(const SuiteResult& suite, const std::filesystem::path& path);

}  // namespace understudy::reports
