// write_reports: the layout of the report directory that CI collects.
#define BOOST_TEST_MODULE reports_report_set
#include "reports/report_set.h"

#include <boost/test/unit_test.hpp>

#include "reports/chrome_trace_writer.h"
#include "tests/reports/report_files.h"
#include "tests/reports/sample_suite.h"
#include "tests/support/temp_dir.h"

using namespace understudy;
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
