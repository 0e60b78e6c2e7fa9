// WaitForGraph: a cycle is reported by the wait that closes it, a long wait
// once, and a waiter's many long waits on the same target once per
// threshold, the others counted in the pair's next report.
#define BOOST_TEST_MODULE wait_for_graph
#include "fake_engine/diagnostics/wait_for_graph.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using namespace understudy;

namespace {

constexpr auto kThreshold = 50ms;

// Time itself is the condition: a wait becomes long by lasting.
void outlast_threshold() {
  std::this_thread::sleep_for(kThreshold + 10ms);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_wait_that_closes_a_cycle_reports_it_in_order) {
  WaitForGraph graph;
  const auto first = graph.begin_wait("main", "client:a", "ping", "main", 1);
  BOOST_TEST(!first.deadlock.has_value());
  const auto second = graph.begin_wait("client:a", "main", "spawn", "rpc-conn-1", 2);
  BOOST_TEST_REQUIRE(second.deadlock.has_value());
  BOOST_TEST(second.deadlock->certain);
  BOOST_TEST(second.deadlock->summary() == "main -> client:a (ping) -> main (spawn)");
  // A cycle's waits are never reported again as long waits.
  outlast_threshold();
  BOOST_TEST(graph.take_long_waits(kThreshold, 3).empty());
}

BOOST_AUTO_TEST_CASE(a_long_wait_is_reported_once) {
  WaitForGraph graph;
  (void)graph.begin_wait("client:a", "main", "spawn", "rpc-conn-1", 1);
  BOOST_TEST(graph.take_long_waits(kThreshold, 1).empty());
  outlast_threshold();
  const auto reports = graph.take_long_waits(kThreshold, 5);
  BOOST_TEST_REQUIRE(reports.size() == 1u);
  BOOST_TEST(!reports[0].certain);
  BOOST_TEST(reports[0].also_waiting == 0u);
  BOOST_TEST(reports[0].not_reported == 0u);
  BOOST_TEST(graph.take_long_waits(kThreshold, 6).empty());
}

BOOST_AUTO_TEST_CASE(a_waiters_pipelined_long_waits_are_reported_once_a_threshold_and_counted) {
  WaitForGraph graph;
  const auto a1 = graph.begin_wait("client:a", "main", "label", "rpc-conn-1", 1);
  const auto a2 = graph.begin_wait("client:a", "main", "label", "rpc-conn-1", 1);
  (void)graph.begin_wait("client:b", "main", "execute", "rpc-conn-2", 1);
  outlast_threshold();
  // One report for each pair: a's first wait (its second in progress, and
  // only counted), and b's.
  const auto reports = graph.take_long_waits(kThreshold, 9);
  BOOST_TEST_REQUIRE(reports.size() == 2u);
  BOOST_TEST(reports[0].edges.front().id == a1.id);
  BOOST_TEST(reports[0].also_waiting == 1u);
  BOOST_TEST(reports[0].not_reported == 0u);
  BOOST_TEST(reports[1].edges.front().waiter == "client:b");
  graph.end_wait(a1.id);
  graph.end_wait(a2.id);
  // a's next long wait, a threshold after the report, is reported with the
  // count of the one that was not.
  const auto a3 = graph.begin_wait("client:a", "main", "label", "rpc-conn-1", 10);
  outlast_threshold();
  const auto later = graph.take_long_waits(kThreshold, 13);
  BOOST_TEST_REQUIRE(later.size() == 1u);
  BOOST_TEST(later[0].edges.front().id == a3.id);
  BOOST_TEST(later[0].also_waiting == 0u);
  BOOST_TEST(later[0].not_reported == 1u);
}

BOOST_AUTO_TEST_CASE(a_client_that_disconnects_leaves_no_count_behind) {
  WaitForGraph graph;
  (void)graph.begin_wait("client:a", "main", "label", "rpc-conn-1", 1);
  (void)graph.begin_wait("client:a", "main", "label", "rpc-conn-1", 1);
  outlast_threshold();
  BOOST_TEST(graph.take_long_waits(kThreshold, 5).size() == 1u);
  graph.forget_node("client:a");
  // A new client of the same name starts afresh: reported at once, no count.
  (void)graph.begin_wait("client:a", "main", "label", "rpc-conn-3", 6);
  outlast_threshold();
  const auto reports = graph.take_long_waits(kThreshold, 7);
  BOOST_TEST_REQUIRE(reports.size() == 1u);
  BOOST_TEST(reports[0].not_reported == 0u);
}
