// write_reports: the layout of the report directory that CI collects.
#define BOOST_TEST_MODULE reports_report_set
#include "reports/report_set.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "reports/chrome_trace_writer.h"
#include "tests/reports/report_files.h"
#include "tests/reports/sample_suite.h"
#include "tests/support/temp_dir.h"

using namespace understudy::reports;
using namespace understudy::testing;

BOOST_AUTO_TEST_CASE(writes_every_report_into_a_new_directory) {
  TempDir dir("reports-set");
  const auto out = dir.path() / "nested" / "reports";
  const auto suite = sample_suite();
  write_reports(suite, out);
  for (const char* name : {"junit.xml", "results.json", "report.html"}) {
    BOOST_TEST(std::filesystem::file_size(out / name) > 0u, name);
  }
  std::size_t traces = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out / "traces")) {
    BOOST_TEST(entry.path().string().ends_with(".trace.json"), entry.path());
    ++traces;
  }
  BOOST_TEST(traces == suite.scenarios.size());
  for (const auto& name : trace_file_names(suite)) {
    BOOST_TEST(std::filesystem::exists(out / "traces" / name), name);
  }
  // Nothing half-written is left behind.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    BOOST_TEST(!entry.path().string().ends_with(".partial"), entry.path());
  }
}

BOOST_AUTO_TEST_CASE(rewriting_replaces_the_previous_reports) {
  TempDir dir("reports-set-again");
  auto suite = sample_suite();
  write_reports(suite, dir.path());
  suite.name = "second run";
  write_reports(suite, dir.path());
  BOOST_TEST(read_file(dir.path() / "results.json").find("\"second run\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unwritable_directory_names_the_path) {
  TempDir dir("reports-set-blocked");
  const auto blocker = dir.write_file("not-a-dir", "x");
  BOOST_CHECK_EXCEPTION(write_reports(sample_suite(), blocker / "reports"), std::exception,
                        [&](const std::exception& e) {
                          return std::string(e.what()).find("not-a-dir") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(empty_suite_still_writes_valid_reports) {
  TempDir dir("reports-set-empty");
  write_reports(SuiteResult{}, dir.path());
  BOOST_TEST(std::filesystem::exists(dir.path() / "report.html"));
  BOOST_TEST(read_file(dir.path() / "junit.xml").find("tests=\"0\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(previous_reports_are_removed_and_nothing_else) {
  TempDir dir("reports-set-previous");
  write_reports(sample_suite(), dir.path());
  const auto stale = dir.write_file("traces/a_scenario_that_no_longer_runs.trace.json", "{}");
  const auto notes = dir.write_file("traces/notes.txt", "mine");
  const auto other = dir.write_file("summary.md", "mine too");
  remove_previous_reports(dir.path());
  for (const char* name : {"junit.xml", "results.json", "report.html"}) {
    BOOST_TEST(!std::filesystem::exists(dir.path() / name), name);
  }
  BOOST_TEST(!std::filesystem::exists(stale));
  for (const auto& name : trace_file_names(sample_suite())) {
    BOOST_TEST(!std::filesystem::exists(dir.path() / "traces" / name), name);
  }
  BOOST_TEST(read_file(notes) == "mine");
  BOOST_TEST(read_file(other) == "mine too");
  remove_previous_reports(dir.path() / "never-written");  // nothing there: nothing to do
}

BOOST_AUTO_TEST_CASE(report_dir_problems_are_named_before_anything_is_written) {
  TempDir dir("reports-set-problems");
  BOOST_TEST(report_dir_problem(dir.path() / "new" / "reports") == "");
  BOOST_TEST(std::filesystem::is_directory(dir.path() / "new" / "reports" / "traces"));
  const auto blocker = dir.write_file("not-a-dir", "x");
  BOOST_TEST(report_dir_problem(blocker) == "it exists and is not a folder");
  BOOST_TEST(report_dir_problem(blocker / "reports") == "Not a directory");
  const auto reports = dir.path() / "reports";
  std::filesystem::create_directories(reports);
  dir.write_file("reports/traces", "x");
  BOOST_TEST(report_dir_problem(reports) ==
             (reports / "traces").string() + ": it exists and is not a folder");
  BOOST_TEST(report_dir_problem(reports, {}) == "");
  // Nothing of the probe is left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(reports)) {
    ++entries;
  }
  BOOST_TEST(entries == 1u);
}

namespace {

std::string percent_decoded(const std::string& href) {
  std::string out;
  for (std::size_t i = 0; i < href.size(); ++i) {
    if (href[i] == '%' && i + 2 < href.size()) {
      out += static_cast<char>(std::stoi(href.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += href[i];
    }
  }
  return out;
}

// Every match of `pattern`'s first group in `text`.
std::vector<std::string> captures(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    found.push_back((*it)[1].str());
  }
  return found;
}

}  // namespace

// What CI uploads is the report folder, logs included: once downloaded (or
// moved), each log link of report.html and each log path of junit.xml must
// still lead to the log, relative to the report.
BOOST_AUTO_TEST_CASE(log_paths_still_resolve_once_the_folder_moves) {
  TempDir dir("reports-set-moved");
  const auto written = dir.path() / "ci-workspace" / "understudy-reports";
  auto suite = sample_suite();
  std::size_t logs = 0;
  for (auto& scenario : suite.scenarios) {
    for (auto& log : scenario.logs) {
      const auto file = written / "runs" / (scenario.name + " #1") / (log.process + ".log");
      std::filesystem::create_directories(file.parent_path());
      std::ofstream(file) << log.tail;
      log.path = file.string();
      ++logs;
    }
  }
  BOOST_TEST_REQUIRE(logs > 2u);
  const auto outside = dir.write_file("elsewhere/redis.log", "not in the report folder");
  suite.scenarios.back().logs.push_back({"redis-server", outside.string(), ""});
  write_reports(suite, written);

  const auto downloaded = dir.path() / "downloads" / "artifact";
  std::filesystem::create_directories(downloaded.parent_path());
  std::filesystem::rename(written, downloaded);

  const auto html = read_file(downloaded / "report.html");
  auto links = captures(html, R"re(<div class="head"><b>[^<]*</b> <a href="([^"]*)")re");
  BOOST_TEST(links.size() == logs + 1);
  const auto junit = read_file(downloaded / "junit.xml");
  const auto named = captures(junit, R"(\n===== [^\n]* \(([^\n]*)\) =====\n)");
  BOOST_TEST(named.size() == logs + 1);
  for (const auto& href : links) {
    const auto path = percent_decoded(href);
    if (path == outside.string()) {
      continue;  // outside the folder: kept as it was, absolute
    }
    BOOST_TEST(std::filesystem::path(path).is_relative(), path);
    BOOST_TEST(std::filesystem::is_regular_file(downloaded / path), href);
  }
  for (const auto& path : named) {
    if (path != outside.string()) {
      BOOST_TEST(std::filesystem::is_regular_file(downloaded / path), path);
    }
  }
  BOOST_TEST(std::count(links.begin(), links.end(), outside.string()) == 1);
}
