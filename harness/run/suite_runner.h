// SuiteRunner: finds scenario files, selects them (filter, tags, shard),
// runs them (repeated, in parallel) and reports progress as it goes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

#include "harness/run/scenario_runner.h"
#include "harness/scenario/scenario.h"
#include "reports/results.h"

namespace understudy::harness {

struct Selection {
  std::optional<std::regex> filter;  // on the scenario name
  std::vector<std::string> tags;     // any of them; empty: all but "slow"
  int shard_index = 0;               // 0-based
  int shard_count = 1;
};

struct SuiteOptions {
  Selection selection;
  int repeat = 1;
  int jobs = 1;
  std::uint64_t seed = 0;
  RunSettings run;             // work_dir is the suite's folder; each run gets a subfolder
  bool live_progress = false;  // rewrite one status line (a terminal without NO_COLOR)
};

// Every *.toml under the paths (files are taken as given), sorted.
std::vector<std::filesystem::path> find_scenario_files(
    const std::vector<std::filesystem::path>& paths);

// Parses all files; problems are collected (file:line: message) rather than
// stopping at the first.
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& files,
                                     std::vector<std::string>& problems);

// The scenarios this shard runs, in order. Shards partition the selection:
// the k-th selected scenario belongs to shard k mod N.
std::vector<Scenario> select(const std::vector<Scenario>& all, const Selection& selection);

reports::SuiteResult run_suite(const std::vector<Scenario>& scenarios, const SuiteOptions& options,
                               std::ostream& progress);

}  // namespace understudy::harness
