// The Chrome traces: the trace-event JSON that Perfetto and chrome://tracing
// load, with a thread per track, slices for timed events, instants for the
// rest, and the deadlock cycle marked and linked across its members.
#define BOOST_TEST_MODULE reports_chrome_trace_writer
#include "reports/chrome_trace_writer.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "reports/report_set.h"
#include "tests/reports/report_files.h"
#include "tests/reports/sample_suite.h"
#include "tests/support/temp_dir.h"

using namespace understudy::reports;
using namespace understudy::testing;
using nlohmann::json;

namespace {

std::vector<json> events_where(const json& trace, const std::function<bool(const json&)>& match) {
  std::vector<json> found;
  for (const auto& event : trace.at("traceEvents")) {
    if (match(event)) {
      found.push_back(event);
    }
  }
  return found;
}

struct FailedTrace {
  SuiteResult suite = sample_suite();
  const ScenarioResult& scenario = suite.scenarios[kFailedScenario];
  TempDir dir{"reports-trace"};
  json trace;
  std::map<std::string, int> tid_of;  // from the thread_name metadata

  FailedTrace() {
    write_reports(suite, dir.path());
    const auto name = trace_file_names(suite)[kFailedScenario];
    trace = json::parse(read_file(dir.path() / "traces" / name));
    for (const auto& event : events_where(
             trace, [](const json& e) { return e["ph"] == "M" && e["name"] == "thread_name"; })) {
      tid_of[event["args"]["name"].get<std::string>()] = event["tid"].get<int>();
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(trace_file_names_are_safe_and_unique) {
  const auto names = trace_file_names(sample_suite());
  BOOST_TEST(names[kPassedScenario] == "sync_call_round_trip.trace.json");
  BOOST_TEST(names[kRepeatedScenario] == "sync_call_round_trip-1.trace.json");
  BOOST_TEST(names[kFailedScenario] == "deadlock_main_-_worker_ping_pong.trace.json");

  SuiteResult clash;
  ScenarioResult a;
  a.name = "a/b";
  ScenarioResult b;
  b.name = "a b";
  ScenarioResult hidden;
  hidden.name = "../..";
  clash.scenarios = {a, b, hidden};
  const auto clash_names = trace_file_names(clash);
  BOOST_TEST(clash_names[0] == "a_b.trace.json");
  BOOST_TEST(clash_names[1] == "a_b~2.trace.json");
  BOOST_TEST(clash_names[2] == "scenario.trace.json");
}

BOOST_AUTO_TEST_CASE(every_scenario_gets_a_trace_with_its_own_pid) {
  const auto suite = sample_suite();
  TempDir dir("reports-trace-all");
  write_reports(suite, dir.path());
  std::set<int> pids;
  for (const auto& name : trace_file_names(suite)) {
    const auto trace = json::parse(read_file(dir.path() / "traces" / name));
    BOOST_TEST(trace.at("displayTimeUnit") == "ms");
    for (const auto& event : trace.at("traceEvents")) {
      pids.insert(event.at("pid").get<int>());
    }
  }
  BOOST_TEST(pids.size() == suite.scenarios.size());
}

BOOST_AUTO_TEST_CASE(one_named_thread_per_track) {
  FailedTrace t;
  const std::set<std::string> expected = {"harness", "main", "client:worker-0", "client:worker-1",
                                          "redis"};
  std::set<std::string> named;
  std::set<int> tids;
  for (const auto& [track, tid] : t.tid_of) {
    named.insert(track);
    tids.insert(tid);
  }
  BOOST_TEST(named == expected, boost::test_tools::per_element());
  BOOST_TEST(tids.size() == expected.size());
  const auto process = events_where(
      t.trace, [](const json& e) { return e["ph"] == "M" && e["name"] == "process_name"; });
  BOOST_TEST_REQUIRE(process.size() == 1u);
  BOOST_TEST(process[0]["args"]["name"].get<std::string>() == t.scenario.name);
}

BOOST_AUTO_TEST_CASE(timed_events_are_complete_slices_in_microseconds) {
  FailedTrace t;
  const auto slices = events_where(t.trace, [](const json& e) { return e["ph"] == "X"; });
  std::size_t timed = 0;
  for (const auto& event : t.scenario.timeline) {
    if (event.duration_s <= 0) {
      continue;
    }
    ++timed;
    BOOST_TEST_CONTEXT("event " << event.name) {
      const auto it = std::find_if(slices.begin(), slices.end(),
                                   [&](const json& e) { return e["name"] == event.name; });
      BOOST_TEST_REQUIRE((it != slices.end()));
      BOOST_TEST((*it)["ts"].get<double>() == event.start_s * 1e6,
                 boost::test_tools::tolerance(1e-6));
      BOOST_TEST((*it)["dur"].get<double>() == event.duration_s * 1e6,
                 boost::test_tools::tolerance(1e-6));
      BOOST_TEST((*it)["tid"].get<int>() == t.tid_of.at(event.track));
      BOOST_TEST((*it)["cat"].get<std::string>() == event.kind);
      BOOST_TEST((*it)["args"].value("outcome", "") == event.outcome);
      for (const auto& [key, value] : event.args) {
        BOOST_TEST((*it)["args"][key].get<std::string>() == value);
      }
    }
  }
  BOOST_TEST(slices.size() == timed);
}

BOOST_AUTO_TEST_CASE(instants_are_thread_scoped) {
  FailedTrace t;
  const auto instant = events_where(t.trace, [](const json& e) {
    return e["ph"] == "i" && e["name"] == "redis: connection dropped (injected)";
  });
  BOOST_TEST_REQUIRE(instant.size() == 1u);
  BOOST_TEST(instant[0]["s"] == "t");
  BOOST_TEST(instant[0]["ts"].get<double>() == 3.1e6, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(instant[0]["tid"].get<int>() == t.tid_of.at("redis"));
}

BOOST_AUTO_TEST_CASE(deadlock_is_an_instant_with_its_summary_and_linked_members) {
  FailedTrace t;
  const auto& cycle = t.scenario.deadlocks[0];
  const auto marks = events_where(t.trace, [](const json& e) {
    return e["ph"] == "i" && e["cat"] == "deadlock" && e["s"] == "p";
  });
  BOOST_TEST_REQUIRE(marks.size() == 1u);
  BOOST_TEST(marks[0]["args"]["summary"].get<std::string>() == cycle.summary);
  BOOST_TEST(marks[0]["args"]["members"].get<std::vector<std::string>>() == cycle.members,
             boost::test_tools::per_element());
  BOOST_TEST(marks[0]["args"]["frame"].get<std::uint64_t>() == cycle.frame);
  BOOST_TEST(marks[0]["ts"].get<double>() == 2.5e6, boost::test_tools::tolerance(1e-6));

  const auto member_marks = events_where(t.trace, [](const json& e) {
    return e["ph"] == "i" && e["name"].get<std::string>().starts_with("in deadlock cycle");
  });
  BOOST_TEST(member_marks.size() == cycle.members.size());
  std::set<int> member_tids;
  for (const auto& mark : member_marks) {
    member_tids.insert(mark["tid"].get<int>());
  }
  BOOST_TEST((member_tids == std::set<int>{t.tid_of.at("main"), t.tid_of.at("client:worker-0"),
                                           t.tid_of.at("client:worker-1")}));

  // main -> worker-0 -> worker-1 -> back to main, one flow id.
  const auto flow = events_where(
      t.trace, [](const json& e) { return e["ph"] == "s" || e["ph"] == "t" || e["ph"] == "f"; });
  BOOST_TEST_REQUIRE(flow.size() == 4u);
  std::string phases;
  for (const auto& step : flow) {
    phases += step["ph"].get<std::string>();
    BOOST_TEST(step["id"] == flow[0]["id"]);
  }
  BOOST_TEST(phases == "sttf");
  BOOST_TEST(flow[0]["tid"].get<int>() == t.tid_of.at("main"));
  BOOST_TEST(flow[1]["tid"].get<int>() == t.tid_of.at("client:worker-0"));
  BOOST_TEST(flow[2]["tid"].get<int>() == t.tid_of.at("client:worker-1"));
  BOOST_TEST(flow[3]["tid"].get<int>() == t.tid_of.at("main"));
}
