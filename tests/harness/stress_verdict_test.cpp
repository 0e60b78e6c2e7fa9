// The verdict `understudy stress` leads with, from made-up steps: which
// target is better on each path and by how much, ties within the noise,
// the figure each loop mode is judged on, the frame-bound paths and the note
// that explains them, and how the terminal and stress.html show it.
#define BOOST_TEST_MODULE stress_verdict
#include "harness/stress/stress_verdict.h"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "reports/stress_writer.h"

using namespace understudy;
using namespace understudy::harness;
using reports::StressPathResult;
using reports::StressStep;
using reports::StressVerdict;

namespace {

StressPathResult path(const std::string& name, const std::string& mode, double per_second,
                      double p50_ms) {
  StressPathResult p;
  p.name = name;
  p.mode = mode;
  p.calls = p.ok = static_cast<std::uint64_t>(per_second * 5);
  p.per_second = per_second;
  p.p50_ms = p50_ms;
  return p;
}

StressStep step(const std::string& target, int clients, std::vector<StressPathResult> paths) {
  StressStep s;
  s.target = target;
  s.clients = clients;
  for (const auto& p : paths) {
    s.total_per_second += p.per_second;
  }
  s.paths = std::move(paths);
  return s;
}

const StressVerdict& verdict_for(const std::vector<StressVerdict>& verdicts, int clients,
                                 const std::string& path) {
  for (const auto& v : verdicts) {
    if (v.clients == clients && v.path == path) {
      return v;
    }
  }
  throw std::runtime_error("no verdict for " + path + " at " + std::to_string(clients));
}

std::vector<StressStep> sweep() {
  return {
      step("loopback TCP", 16, {path("ping-pong", "closed loop, 64 bytes", 40000, 0.05)}),
      step("plain RPyC", 16,
           {path("execute", "closed loop", 2000, 4.0), path("cheap", "closed loop", 3000, 2.5),
            path("sync", "open loop, 300/s", 300, 0.40)}),
      step("engine", 16,
           {path("execute", "closed loop", 1100, 7.0), path("cheap", "closed loop", 4500, 1.5),
            path("sync", "open loop, 300/s", 300, 8.9)}),
      step("engine", 64, {path("cheap", "closed loop", 5000, 6.0)}),  // no plain step: no verdict
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_path_is_judged_on_its_loop_s_figure) {
  const auto verdicts = stress_verdicts(sweep());
  BOOST_TEST(verdicts.size() == 4u);  // all paths, execute, cheap, sync at 16 clients

  const auto& all = verdict_for(verdicts, 16, "all paths");
  BOOST_TEST(all.figure == "calls/s");
  BOOST_TEST(all.better == "");  // 5900 against 5300: within 1.2x
  BOOST_TEST(all.factor == 5900.0 / 5300.0);

  const auto& execute = verdict_for(verdicts, 16, "execute");
  BOOST_TEST(execute.better == "plain RPyC");
  BOOST_TEST(execute.factor == 2000.0 / 1100.0);
  BOOST_TEST(!execute.frame_bound);

  const auto& cheap = verdict_for(verdicts, 16, "cheap");
  BOOST_TEST(cheap.better == "engine");
  BOOST_TEST(cheap.factor == 1.5);

  // Open loop: both were sent 300/s, so the latency decides.
  const auto& sync = verdict_for(verdicts, 16, "sync");
  BOOST_TEST(sync.figure == "p50");
  BOOST_TEST(sync.better == "plain RPyC");
  BOOST_TEST(sync.factor == 8.9 / 0.40);
  BOOST_TEST(sync.frame_bound);
}

BOOST_AUTO_TEST_CASE(a_side_that_completed_nothing_loses_without_a_factor) {
  auto steps = sweep();
  steps[2].paths[0].per_second = 0;  // the engine's execute calls all failed
  const auto& execute = verdict_for(stress_verdicts(steps), 16, "execute");
  BOOST_TEST(execute.better == "plain RPyC");
  BOOST_TEST(execute.factor == 0);
  BOOST_TEST(reports::verdict_outcome(execute) == "plain RPyC (the engine completed no call)");
}

BOOST_AUTO_TEST_CASE(the_notes_explain_ties_and_frames_at_the_engine_s_rate) {
  StressOptions options;
  options.tick_hz = 60;
  const auto verdicts = stress_verdicts(sweep());
  const auto notes = verdict_notes(options, verdicts);
  BOOST_TEST_REQUIRE(notes.size() == 2u);
  BOOST_TEST(notes[0].find("gap under 1.2x is no verdict") != std::string::npos, notes[0]);
  BOOST_TEST(notes[1].find("at 60 Hz (one every 17 ms)") != std::string::npos, notes[1]);

  std::vector<StressVerdict> client_paths_only;
  for (const auto& v : verdicts) {
    if (!v.frame_bound) {
      client_paths_only.push_back(v);
    }
  }
  BOOST_TEST(verdict_notes(options, client_paths_only).size() == 1u);
  BOOST_TEST(verdict_notes(options, {}).empty());
}

BOOST_AUTO_TEST_CASE(the_terminal_and_the_page_lead_with_rounded_figures) {
  reports::StressReport report;
  report.steps = sweep();
  report.verdicts = stress_verdicts(report.steps);
  report.verdict_notes = verdict_notes(StressOptions{}, report.verdicts);
  std::ostringstream out;
  print_verdicts(out, report);
  const auto text = out.str();
  BOOST_TEST(
      text.find("understudy stress: verdict, the engine against the plain RPyC server\n") == 0u,
      text);
  BOOST_TEST(text.find("execute      1.1k calls/s      2.0k calls/s      plain RPyC, 1.8x the "
                       "calls/s") != std::string::npos,
             text);
  BOOST_TEST(text.find("sync *       p50 8.9 ms        p50 400 us        plain RPyC, 22x faster") !=
                 std::string::npos,
             text);
  BOOST_TEST(text.find("5.9k calls/s      5.3k calls/s      neither") != std::string::npos, text);

  const auto html = reports::stress_to_html(report);
  const auto verdict = html.find("<h2>Verdict");
  BOOST_TEST_REQUIRE(verdict != std::string::npos);
  BOOST_TEST(html.find("<h2>") == verdict, "the verdict is not the first section");
  BOOST_TEST(html.find("<td>p50 8.9 ms</td>") != std::string::npos);
}

// A sweep goes by factors: on the throughput chart, 1, 10 and 100 clients
// stand equally far apart (a log-scaled client axis), and 2 nearer to 1.
BOOST_AUTO_TEST_CASE(the_throughput_chart_has_a_log_scaled_client_axis) {
  reports::StressReport report;
  for (const int clients : {1, 2, 10, 100}) {
    report.steps.push_back(step("engine", clients, {path("cheap", "closed loop", 1000, 1)}));
  }
  const auto html = reports::stress_to_html(report);
  BOOST_TEST_REQUIRE(html.find("throughput against client count (log scale)") != std::string::npos);
  std::map<int, double> tick_x;
  const std::regex tick(
      R"re(<text x="([0-9.]+)" y="[0-9.]+" text-anchor="middle">(\d+) clients<)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tick); it != std::sregex_iterator();
       ++it) {
    tick_x[std::stoi((*it)[2].str())] = std::stod((*it)[1].str());
  }
  BOOST_TEST_REQUIRE(tick_x.size() == 4u, html);
  const double decade = tick_x[10] - tick_x[1];
  BOOST_TEST(decade > 100);
  BOOST_TEST(std::abs((tick_x[100] - tick_x[10]) - decade) < 0.5);
  BOOST_TEST(std::abs((tick_x[2] - tick_x[1]) - decade * std::log10(2.0)) < 0.5);
}
