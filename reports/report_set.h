// Everything a suite run leaves for people and CI, in one directory:
//   junit.xml        for the CI system's test view
//   results.json     the whole model, for tools
//   report.html      for people; links the traces below and the logs
//   traces/<scenario>[-<repeat>].trace.json   one Chrome trace per scenario run
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "reports/results.h"

namespace understudy::reports {

// Creates `dir` (and traces/) as needed; existing report files are replaced.
// Log paths inside `dir` are written relative to it (report_relative_path),
// so that the folder still works once CI's artifact of it is downloaded or
// it is moved. Throws std::runtime_error (or std::filesystem::filesystem_error)
// naming the file that could not be written.
void write_reports(const SuiteResult& suite, const std::filesystem::path& dir);

// `path` relative to the report folder `dir` (runs/x/engine.log) when it lies
// inside it; otherwise `path` unchanged, as a relative path out of the
// folder would break when the folder moves. Relative inputs are taken
// from the current directory.
std::string report_relative_path(const std::string& path, const std::filesystem::path& dir);

// Why reports cannot be written to `dir` ("Not a directory", "Permission
// denied", ...), or "" when they can: makes `dir` and each of `subfolders`
// if missing, then creates and removes a file in each, so that it holds for
// root too. For the command line to check before anything runs.
std::string report_dir_problem(const std::filesystem::path& dir,
                               const std::vector<std::string>& subfolders = {"traces"});

// Removes what an earlier run wrote to `dir` (junit.xml, results.json,
// report.html and traces/*.trace.json), and nothing else, so that a trace
// of a scenario that no longer runs is not shown as if it were this run's.
void remove_previous_reports(const std::filesystem::path& dir);

}  // namespace understudy::reports
