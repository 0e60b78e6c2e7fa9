// The report people read: one self-contained HTML file (inline CSS, JS and
// SVG, no fonts, images or scripts from anywhere else, and a Content Security
// Policy that forbids fetching any), so that it can be archived as a CI
// artifact and opened years later, offline.
//
// It shows a summary table of all scenarios, then per scenario (open by
// default when it failed or errored): the failure, the expectations with
// expected / seen / where, the deadlock cycles, the timeline as SVG lanes per
// track with each cycle drawn as arrows between its members' lanes at the
// time it was detected, a latency histogram per series with p50 / p90 / p99 /
// max marked, the metrics and the process log tails.
#pragma once

#include <filesystem>
#include <string>

#include "reports/results.h"

namespace understudy::reports {

struct HtmlOptions {
  // The directory, relative to the HTML file, holding the Chrome traces named
  // by trace_file_names(); each scenario then links its trace. Empty: the
  // report names no trace files, as none were written beside it.
  std::string trace_dir;
};

std::string to_html(const SuiteResult& suite, const HtmlOptions& options = {});

// Throws std::runtime_error naming `path` when it cannot be written.
void write_html(const SuiteResult& suite, const std::filesystem::path& path,
                const HtmlOptions& options = {});

}  // namespace understudy::reports
