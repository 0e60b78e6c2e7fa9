// Everything a suite run leaves for people and CI, in one directory:
//   junit.xml        for the CI system's test view
//   results.json     the whole model, for tools
//   report.html      for people; links the traces below
//   traces/<scenario>[-<repeat>].trace.json   one Chrome trace per scenario run
#pragma once

#include <filesystem>

#include "reports/results.h"

namespace understudy::reports {

// Creates `dir` (and traces/) as needed; existing report files are replaced.
// Throws std::runtime_error (or std::filesystem::filesystem_error) naming
// the file that could not be written.
void write_reports(const SuiteResult& suite, const std::filesystem::path& dir);

}  // namespace understudy::reports
