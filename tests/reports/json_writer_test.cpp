// results.json: parsed back by an independent reader, every field of the
// model must be there with the value the harness recorded.
#define BOOST_TEST_MODULE reports_json_writer
#include "reports/json_writer.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "reports/report_set.h"
#include "tests/reports/report_files.h"
#include "tests/reports/sample_suite.h"
#include "tests/support/temp_dir.h"

using namespace understudy::reports;
using namespace understudy::testing;
using nlohmann::json;

namespace {

void check_scenario(const json& j, const ScenarioResult& s) {
  BOOST_TEST_CONTEXT("scenario " << s.name) {
    BOOST_TEST(j.at("name").get<std::string>() == s.name);
    BOOST_TEST(j.at("file").get<std::string>() == s.file);
    BOOST_TEST(j.at("tags").get<std::vector<std::string>>() == s.tags,
               boost::test_tools::per_element());
    BOOST_TEST(j.at("status").get<std::string>() == status_name(s.status));
    BOOST_TEST(j.at("duration_s").get<double>() == s.duration_s);
    BOOST_TEST(j.at("failure_message").get<std::string>() == s.failure_message);
    BOOST_TEST(j.at("failure_type").get<std::string>() ==
               failure_kind_name(reported_failure_kind(s)));
    BOOST_TEST(j.at("repeat_index").get<int>() == s.repeat_index);
    BOOST_TEST(j.at("seed").get<std::uint64_t>() == s.seed);

    BOOST_TEST_REQUIRE(j.at("expectations").size() == s.expectations.size());
    for (std::size_t i = 0; i < s.expectations.size(); ++i) {
      const auto& je = j["expectations"][i];
      const auto& e = s.expectations[i];
      BOOST_TEST(je.at("description").get<std::string>() == e.description);
      BOOST_TEST(je.at("passed").get<bool>() == e.passed);
      BOOST_TEST(je.at("expected").get<std::string>() == e.expected);
      BOOST_TEST(je.at("seen").get<std::string>() == e.seen);
      BOOST_TEST(je.at("where").get<std::string>() == e.where);
    }

    BOOST_TEST_REQUIRE(j.at("timeline").size() == s.timeline.size());
    for (std::size_t i = 0; i < s.timeline.size(); ++i) {
      const auto& jt = j["timeline"][i];
      const auto& t = s.timeline[i];
      BOOST_TEST(jt.at("kind").get<std::string>() == t.kind);
      BOOST_TEST(jt.at("name").get<std::string>() == t.name);
      BOOST_TEST(jt.at("track").get<std::string>() == t.track);
      BOOST_TEST(jt.at("start_s").get<double>() == t.start_s);
      BOOST_TEST(jt.at("duration_s").get<double>() == t.duration_s);
      BOOST_TEST(jt.at("outcome").get<std::string>() == t.outcome);
      BOOST_TEST((jt.at("args").get<std::map<std::string, std::string>>() == t.args));
    }

    BOOST_TEST_REQUIRE(j.at("deadlocks").size() == s.deadlocks.size());
    for (std::size_t i = 0; i < s.deadlocks.size(); ++i) {
      const auto& jd = j["deadlocks"][i];
      const auto& d = s.deadlocks[i];
      BOOST_TEST(jd.at("certain").get<bool>() == d.certain);
      BOOST_TEST(jd.at("members").get<std::vector<std::string>>() == d.members,
                 boost::test_tools::per_element());
      BOOST_TEST(jd.at("summary").get<std::string>() == d.summary);
      BOOST_TEST(jd.at("text").get<std::string>() == d.text);
      BOOST_TEST(jd.at("at_s").get<double>() == d.at_s);
      BOOST_TEST(jd.at("frame").get<std::uint64_t>() == d.frame);
    }

    BOOST_TEST_REQUIRE(j.at("latencies").size() == s.latencies.size());
    for (std::size_t i = 0; i < s.latencies.size(); ++i) {
      const auto& jl = j["latencies"][i];
      BOOST_TEST(jl.at("name").get<std::string>() == s.latencies[i].name);
      BOOST_TEST(jl.at("samples_ms").get<std::vector<double>>() == s.latencies[i].samples_ms,
                 boost::test_tools::per_element());
      BOOST_TEST(jl.at("summary").at("count").get<std::size_t>() ==
                 s.latencies[i].samples_ms.size());
    }

    BOOST_TEST_REQUIRE(j.at("logs").size() == s.logs.size());
    for (std::size_t i = 0; i < s.logs.size(); ++i) {
      BOOST_TEST(j["logs"][i].at("process").get<std::string>() == s.logs[i].process);
      BOOST_TEST(j["logs"][i].at("path").get<std::string>() == s.logs[i].path);
      BOOST_TEST(j["logs"][i].at("tail").get<std::string>() == s.logs[i].tail);
    }

    BOOST_TEST((j.at("metrics").get<std::map<std::string, double>>() == s.metrics));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(json_round_trips_the_whole_model) {
  const auto suite = sample_suite();
  TempDir dir("reports-json");
  write_reports(suite, dir.path());
  const auto text = read_file(dir.path() / "results.json");
  BOOST_TEST(text == to_json(suite));

  const json document = json::parse(text);  // throws, failing the test, when malformed
  BOOST_TEST(document.at("format").get<std::string>() == "understudy-results/1");
  BOOST_TEST(document.at("name").get<std::string>() == suite.name);
  BOOST_TEST(document.at("started_at").get<std::string>() == suite.started_at);
  BOOST_TEST(document.at("duration_s").get<double>() == suite.duration_s);
  BOOST_TEST(document.at("command_line").get<std::string>() == suite.command_line);
  BOOST_TEST(document.at("hostname").get<std::string>() == suite.hostname);
  BOOST_TEST(document.at("counts").at("passed").get<int>() == 2);
  BOOST_TEST(document.at("counts").at("failed").get<int>() == 1);
  BOOST_TEST(document.at("counts").at("error").get<int>() == 1);
  BOOST_TEST(document.at("counts").at("skipped").get<int>() == 1);
  BOOST_TEST(document.at("interrupted_by").get<std::string>() == "");
  BOOST_TEST_REQUIRE(document.at("excluded").size() == suite.excluded.size());
  const auto& excluded = document["excluded"][0];
  BOOST_TEST(excluded.at("reason").get<std::string>() == "tagged slow");
  BOOST_TEST(excluded.at("hint").get<std::string>() == "--tag slow runs them");
  BOOST_TEST(excluded.at("names").get<std::vector<std::string>>() == suite.excluded[0].names,
             boost::test_tools::per_element());
  BOOST_TEST(excluded.at("summary").get<std::string>() ==
             "2 scenarios tagged slow not run (--tag slow runs them): fault matrix long, ten "
             "minute soak");
  BOOST_TEST_REQUIRE(document.at("scenarios").size() == suite.scenarios.size());
  for (std::size_t i = 0; i < suite.scenarios.size(); ++i) {
    check_scenario(document["scenarios"][i], suite.scenarios[i]);
  }
}

BOOST_AUTO_TEST_CASE(failure_types_name_what_failed) {
  auto suite = sample_suite();
  suite.interrupted_by = "SIGINT";
  suite.scenarios[kFailedScenario].failure_kind = FailureKind::kExpectation;
  suite.scenarios[kErrorScenario].failure_kind = FailureKind::kInterrupted;
  const auto document = json::parse(to_json(suite));
  BOOST_TEST(document["interrupted_by"].get<std::string>() == "SIGINT");
  const auto type = [&](std::size_t i) {
    return document["scenarios"][i]["failure_type"].get<std::string>();
  };
  BOOST_TEST(type(kPassedScenario) == "");
  BOOST_TEST(type(kFailedScenario) == "ExpectationFailed");  // despite its deadlock cycle
  BOOST_TEST(type(kErrorScenario) == "Interrupted");
  BOOST_TEST(type(kSkippedScenario) == "");
}

BOOST_AUTO_TEST_CASE(tricky_text_survives_unchanged) {
  const auto document = json::parse(to_json(sample_suite()));
  const auto tail = document["scenarios"][kFailedScenario]["logs"][0]["tail"].get<std::string>();
  BOOST_TEST(tail.find(kTrickyLogLine) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(latency_summary_carries_percentiles) {
  SuiteResult suite;
  ScenarioResult scenario;
  scenario.latencies = {{"call", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, {"none", {}}};
  suite.scenarios = {scenario};
  const auto document = json::parse(to_json(suite));
  const auto& summary = document["scenarios"][0]["latencies"][0]["summary"];
  BOOST_TEST(summary.at("p50").get<double>() == 5.5);
  BOOST_TEST(summary.at("p90").get<double>() == 9.1, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(summary.at("max").get<double>() == 10.0);
  const auto& empty = document["scenarios"][0]["latencies"][1]["summary"];
  BOOST_TEST(empty.at("count").get<int>() == 0);
  BOOST_TEST(!empty.contains("p50"));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced_not_fatal) {
  SuiteResult suite;
  ScenarioResult scenario;
  scenario.name = "bad \xff byte";
  suite.scenarios = {scenario};
  const auto document = json::parse(to_json(suite));
  BOOST_TEST(document["scenarios"][0]["name"].get<std::string>() == "bad \uFFFD byte");
}
