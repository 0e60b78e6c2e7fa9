// The report CI systems render: JUnit XML as Jenkins, GitLab and the GitHub
// Actions test reporters read it (the Ant/Jenkins dialect).
//
// <testsuites> holds one <testsuite> per scenario file, in order of first
// appearance; each scenario run is a <testcase> with classname derived from
// its file ("scenarios/deadlock/ping.toml" -> "scenarios.deadlock.ping", which
// Jenkins shows as package "scenarios.deadlock", class "ping") and name the
// scenario's, with " [repeat N]" for repeats after the first. A failed
// scenario carries <failure> with every failed expectation (expected, seen,
// where) and every deadlock summary; one that could not run carries <error>;
// the process log tails go to <system-out>.
#pragma once

#include <filesystem>
#include <string>

#include "reports/results.h"

namespace understudy::reports {

std::string to_junit_xml(const SuiteResult& suite);

// Throws std::runtime_error naming `path` when it cannot be written.
void write_junit_xml(const SuiteResult& suite, const std::filesystem::path& path);

}  // namespace understudy::reports
