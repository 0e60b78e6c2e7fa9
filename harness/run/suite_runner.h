// SuiteRunner: finds scenario files, selects them (filter, tags, shard),
// runs them (repeated, in parallel) and reports progress as it goes.
#pragma once

#include <atomic>
#include <chrono>
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
  std::string filter_text;           // the regex as given, for messages
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
  // Set (to the signal's number) by a signal handler when the run is to
  // stop: no further scenario starts, and run_suite returns once the
  // scenarios in flight have ended or `stop_grace` has passed, whichever is
  // first. The handler stops the child processes, which ends most steps at
  // once; a scenario still in a step after the grace is reported as
  // interrupted and left to the process's exit.
  const std::atomic<int>* stop_signal = nullptr;
  std::chrono::milliseconds stop_grace{3000};
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

// What select() leaves out, grouped by why: tagged slow (the default
// selection), without the --tag asked for, not matching --filter, in other
// shards. Each scenario is counted once, under the first reason that applies.
std::vector<reports::ExcludedScenarios> excluded(const std::vector<Scenario>& all,
                                                 const Selection& selection);

// "SIGINT", "SIGTERM", or "signal N".
std::string signal_name(int signal);

// Runs every scenario (x repeat). When options.stop_signal is set during the
// run, the scenarios that ended after it are errors "interrupted by SIGINT"
// and those that never started are skipped with the same words, and
// SuiteResult::interrupted_by names the signal.
reports::SuiteResult run_suite(const std::vector<Scenario>& scenarios, const SuiteOptions& options,
                               std::ostream& progress);

}  // namespace understudy::harness
