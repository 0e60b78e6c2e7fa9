// junit.xml: well-formed, valid against the Jenkins/Ant-style schema in
// junit.xsd, and read back with xmllint's XPath so that what a CI system
// would show (names, counts, failure messages, log tails) is checked through
// a real XML parser rather than by string matching.
#define BOOST_TEST_MODULE reports_junit_writer
#include "reports/junit_writer.h"

#include <boost/test/unit_test.hpp>
#include <chrono>

#include "reports/report_set.h"
#include "tests/reports/external_tool.h"
#include "tests/reports/report_files.h"
#include "tests/reports/sample_suite.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::reports;
using namespace understudy::testing;

namespace {

std::filesystem::path xmllint() {
  const auto path = find_program("xmllint");
  BOOST_TEST_REQUIRE(path.has_value(),
                     "xmllint is not installed: apt-get install -y libxml2-utils "
                     "(listed in tools/debian-packages.txt)");
  return *path;
}

// xmllint ends what --xpath printed with a newline of its own.
std::string without_final_newline(std::string text) {
  if (text.ends_with('\n')) {
    text.pop_back();
  }
  return text;
}

struct WrittenReports {
  TempDir dir{"reports-junit"};
  std::filesystem::path xml;

  WrittenReports() : xml(dir.path() / "junit.xml") { write_reports(sample_suite(), dir.path()); }

  // The string value of an XPath expression, evaluated by xmllint.
  std::string xpath(const std::string& expression) const {
    const auto run = run_tool(xmllint(), {"--xpath", expression, xml.string()}, dir.path(), 10s);
    BOOST_TEST_REQUIRE(run.succeeded(), run.describe());
    return without_final_newline(run.out);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(junit_xml_is_valid_against_the_schema) {
  WrittenReports reports;
  const auto run = run_tool(
      xmllint(), {"--noout", "--nonet", "--schema", UNDERSTUDY_JUNIT_XSD, reports.xml.string()},
      reports.dir.path(), 10s);
  BOOST_TEST(run.succeeded(), run.describe() << "\nthe file: " << reports.xml);
  BOOST_TEST(run.err.find("validates") != std::string::npos, run.describe());
}

BOOST_AUTO_TEST_CASE(suites_per_file_and_counts) {
  WrittenReports reports;
  BOOST_TEST(reports.xpath("string(/testsuites/@tests)") == "5");
  BOOST_TEST(reports.xpath("string(/testsuites/@failures)") == "1");
  BOOST_TEST(reports.xpath("string(/testsuites/@errors)") == "1");
  BOOST_TEST(reports.xpath("string(/testsuites/@skipped)") == "1");
  BOOST_TEST(reports.xpath("string(/testsuites/@timestamp)") == "2024-05-17T09:30:12Z");
  BOOST_TEST(reports.xpath("count(//testsuite)") == "4");
  BOOST_TEST(reports.xpath("string(//testsuite[@name='scenarios/basics/sync_call.toml']/@tests)") ==
             "2");
  BOOST_TEST(reports.xpath("count(//testcase)") == "5");
}

BOOST_AUTO_TEST_CASE(testcases_name_scenarios_and_repeats) {
  WrittenReports reports;
  BOOST_TEST(reports.xpath("string(//testcase[1]/@name)") == "sync call round trip");
  BOOST_TEST(reports.xpath("string(//testcase[1]/@classname)") == "scenarios.basics.sync_call");
  BOOST_TEST(reports.xpath("string(//testsuite[1]/testcase[2]/@name)") ==
             "sync call round trip [repeat 1]");
  BOOST_TEST(reports.xpath("string(//testcase[1]/@time)") == "1.420");
}

BOOST_AUTO_TEST_CASE(failure_carries_message_and_failed_expectations) {
  WrittenReports reports;
  const auto suite = sample_suite();
  const auto& failed = suite.scenarios[kFailedScenario];
  BOOST_TEST(reports.xpath("string(//testcase[failure]/@name)") == failed.name);
  BOOST_TEST(reports.xpath("string(//failure/@message)") == failed.failure_message);
  BOOST_TEST(reports.xpath("string(//failure/@type)") == "Deadlock");
  const auto body = reports.xpath("string(//failure)");
  for (const auto& expectation : failed.expectations) {
    if (!expectation.passed) {
      BOOST_TEST(body.find(expectation.description) != std::string::npos, body);
      BOOST_TEST(body.find(expectation.expected) != std::string::npos, body);
      BOOST_TEST(body.find(expectation.seen) != std::string::npos, body);
      BOOST_TEST(body.find(expectation.where) != std::string::npos, body);
    }
  }
  BOOST_TEST(body.find("engine starts within 2 s") == std::string::npos,
             "passed expectations are not failures");
  BOOST_TEST(body.find(failed.deadlocks[0].summary) != std::string::npos, body);
}

BOOST_AUTO_TEST_CASE(error_and_skipped_are_reported_as_such) {
  WrittenReports reports;
  const auto suite = sample_suite();
  BOOST_TEST(reports.xpath("string(//testcase[error]/@name)") ==
             suite.scenarios[kErrorScenario].name);
  BOOST_TEST(reports.xpath("string(//error/@message)") ==
             suite.scenarios[kErrorScenario].failure_message);
  BOOST_TEST(reports.xpath("string(//testcase[skipped]/@name)") ==
             suite.scenarios[kSkippedScenario].name);
  BOOST_TEST(reports.xpath("count(//testcase[failure or error or skipped])") == "3");
}

namespace {

// The type attribute of the one failure or error in a suite of `scenario`.
std::string failure_type_of(const ScenarioResult& scenario) {
  SuiteResult suite;
  suite.scenarios = {scenario};
  TempDir dir("reports-junit-type");
  write_junit_xml(suite, dir.path() / "junit.xml");
  const auto run = run_tool(
      xmllint(),
      {"--xpath", "string((//failure|//error)/@type)", (dir.path() / "junit.xml").string()},
      dir.path(), 10s);
  BOOST_TEST_REQUIRE(run.succeeded(), run.describe());
  return without_final_newline(run.out);
}

}  // namespace

BOOST_AUTO_TEST_CASE(failure_types_follow_what_failed_not_whether_a_deadlock_was_seen) {
  auto scenario = sample_suite().scenarios[kFailedScenario];
  BOOST_TEST_REQUIRE(!scenario.deadlocks.empty());
  scenario.failure_kind = FailureKind::kExpectation;  // the deadlock was expected
  BOOST_TEST(failure_type_of(scenario) == "ExpectationFailed");
  scenario.failure_kind = FailureKind::kTimeout;
  BOOST_TEST(failure_type_of(scenario) == "Timeout");
  scenario.failure_kind = FailureKind::kDeadlock;
  BOOST_TEST(failure_type_of(scenario) == "Deadlock");
  scenario.failure_kind = FailureKind::kNone;  // a runner that did not say
  BOOST_TEST(failure_type_of(scenario) == "ExpectationFailed");

  scenario.status = Status::kError;
  scenario.failure_kind = FailureKind::kEngineError;
  BOOST_TEST(failure_type_of(scenario) == "EngineError");
  scenario.failure_kind = FailureKind::kHarnessError;
  BOOST_TEST(failure_type_of(scenario) == "HarnessError");
  scenario.failure_kind = FailureKind::kInterrupted;
  BOOST_TEST(failure_type_of(scenario) == "Interrupted");
  scenario.failure_kind = FailureKind::kNone;
  BOOST_TEST(failure_type_of(scenario) == "HarnessError");
}

BOOST_AUTO_TEST_CASE(excluded_scenarios_and_an_interruption_are_suite_properties) {
  auto suite = sample_suite();
  suite.interrupted_by = "SIGTERM";
  TempDir dir("reports-junit-properties");
  write_junit_xml(suite, dir.path() / "junit.xml");
  const auto property = [&](const std::string& name) {
    const auto run = run_tool(
        xmllint(),
        {"--xpath", "string(//testsuite[1]/properties/property[@name='" + name + "']/@value)",
         (dir.path() / "junit.xml").string()},
        dir.path(), 10s);
    BOOST_TEST_REQUIRE(run.succeeded(), run.describe());
    return without_final_newline(run.out);
  };
  BOOST_TEST(property("excluded") ==
             "2 scenarios tagged slow not run (--tag slow runs them): fault matrix long, ten "
             "minute soak");
  BOOST_TEST(property("interrupted_by") == "SIGTERM");
  const auto valid = run_tool(
      xmllint(),
      {"--noout", "--nonet", "--schema", UNDERSTUDY_JUNIT_XSD, (dir.path() / "junit.xml").string()},
      dir.path(), 10s);
  BOOST_TEST(valid.succeeded(), valid.describe());
}

BOOST_AUTO_TEST_CASE(log_tails_survive_escaping_in_system_out) {
  WrittenReports reports;
  const auto out = reports.xpath("string(//testcase[failure]/system-out)");
  // XML 1.0 cannot carry \x01 at all; everything else arrives unchanged.
  std::string expected(kTrickyLogLine);
  expected.replace(expected.find('\x01'), 1, "\u2401");
  BOOST_TEST(out.find(expected) != std::string::npos, out);
  BOOST_TEST(out.find("logs/ping_pong/engine.log") != std::string::npos);
  BOOST_TEST(out.find("ConnectionResetError: peer closed <socket>") != std::string::npos);
  BOOST_TEST(read_file(reports.xml).find('\x01') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(multi_line_messages_keep_their_lines_in_attributes) {
  SuiteResult suite;
  ScenarioResult scenario;
  scenario.name = "n";
  scenario.file = "f.toml";
  scenario.status = Status::kFailed;
  scenario.failure_message = "first line\nsecond\tline";
  suite.scenarios = {scenario};
  suite.started_at = "not a timestamp";
  TempDir dir("reports-junit-lines");
  write_junit_xml(suite, dir.path() / "junit.xml");
  const auto message = run_tool(
      xmllint(), {"--xpath", "string(//failure/@message)", (dir.path() / "junit.xml").string()},
      dir.path(), 10s);
  BOOST_TEST(without_final_newline(message.out) == scenario.failure_message);
  const auto valid = run_tool(
      xmllint(),
      {"--noout", "--nonet", "--schema", UNDERSTUDY_JUNIT_XSD, (dir.path() / "junit.xml").string()},
      dir.path(), 10s);
  BOOST_TEST(valid.succeeded(), valid.describe());
}
