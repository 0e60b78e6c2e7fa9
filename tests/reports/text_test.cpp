// The escaping and formatting every report writer relies on: what survives
// into XML and HTML, CDATA splitting, numbers, percentiles and the mapping of
// deadlock cycle members to timeline tracks.
#define BOOST_TEST_MODULE reports_text
#include "reports/detail/text.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "common/percentile_summary.h"
#include "reports/detail/tracks.h"

using namespace understudy::reports;
using namespace understudy::reports::detail;
using understudy::summarize;

BOOST_AUTO_TEST_CASE(sanitize_keeps_valid_utf8_and_whitespace) {
  const std::string text = "Grüße, 東京 ✓ 😀\ttab\nline\r\n";
  BOOST_TEST(sanitize_text(text) == text);
}

BOOST_AUTO_TEST_CASE(sanitize_shows_forbidden_controls_as_control_pictures) {
  BOOST_TEST(sanitize_text("a\x01"
                           "b") == "a\u2401b");
  BOOST_TEST(sanitize_text(std::string("nul\0end", 7)) == "nul\u2400end");
  BOOST_TEST(sanitize_text("esc\x1b[31m") == "esc\u241b[31m");
}

BOOST_AUTO_TEST_CASE(sanitize_replaces_malformed_utf8) {
  BOOST_TEST(sanitize_text("bad \xff byte") == "bad \uFFFD byte");
  BOOST_TEST(sanitize_text("cut \xe6\x9d") == "cut \uFFFD\uFFFD");            // truncated sequence
  BOOST_TEST(sanitize_text("overlong \xc0\xaf") == "overlong \uFFFD\uFFFD");  // '/' in 2 bytes
  BOOST_TEST(sanitize_text("surrogate \xed\xa0\x80") == "surrogate \uFFFD\uFFFD\uFFFD");
  BOOST_TEST(sanitize_text("nonchar \xef\xbf\xbe") == "nonchar \uFFFD");  // U+FFFE
}

BOOST_AUTO_TEST_CASE(escape_xml_escapes_markup_and_keeps_attribute_whitespace) {
  BOOST_TEST(escape_xml("<a href=\"x\">&'</a>") ==
             "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  BOOST_TEST(escape_xml("one\ntwo\tthree", true) == "one&#10;two&#9;three");
  BOOST_TEST(escape_xml("one\ntwo", false) == "one\ntwo");
  BOOST_TEST(escape_xml("cr\r\n") == "cr&#13;\n");
}

BOOST_AUTO_TEST_CASE(uri_path_encodes_what_would_cut_a_link_short) {
  BOOST_TEST(uri_path("runs/sync_call-1/engine.log") == "runs/sync_call-1/engine.log");
  BOOST_TEST(uri_path("runs/a b#2?/x%.log") == "runs/a%20b%232%3F/x%25.log");
  BOOST_TEST(uri_path("\xc3\xa9") == "%C3%A9");
}

BOOST_AUTO_TEST_CASE(significant_keeps_only_the_figures_asked_for) {
  BOOST_TEST(significant(6543) == "6.5k");
  BOOST_TEST(significant(123456) == "120k");
  BOOST_TEST(significant(1234567) == "1.2M");
  BOOST_TEST(significant(9996) == "10k");
  BOOST_TEST(significant(999999) == "1.0M");
  BOOST_TEST(significant(512) == "510");
  BOOST_TEST(significant(9.96) == "10");
  BOOST_TEST(significant(1.26) == "1.3");
  BOOST_TEST(significant(0.0614) == "0.061");
  BOOST_TEST(significant(-2.04) == "-2.0");
  BOOST_TEST(significant(0) == "0");
  BOOST_TEST(significant(6543, 3) == "6.54k");
  BOOST_TEST(significant_ms(0.0123) == "12 us");
  BOOST_TEST(significant_ms(0.9996) == "1.0 ms");
  BOOST_TEST(significant_ms(16.67) == "17 ms");
  BOOST_TEST(significant_ms(2345) == "2.3 s");
  BOOST_TEST(significant_ms(0) == "0 ms");
}

BOOST_AUTO_TEST_CASE(cdata_splits_terminators) {
  BOOST_TEST(cdata("plain") == "<![CDATA[plain]]>");
  BOOST_TEST(cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>");
  BOOST_TEST(cdata("]]>]]>") == "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
  BOOST_TEST(cdata("x\x02") == "<![CDATA[x\u2402]]>");
}

BOOST_AUTO_TEST_CASE(numbers_and_durations_read_well) {
  BOOST_TEST(number(12) == "12");
  BOOST_TEST(number(3.5) == "3.5");
  BOOST_TEST(number(4.7) == "4.7");
  BOOST_TEST(number(0.00421) == "0.0042");
  BOOST_TEST(number(1234.56) == "1234.6");
  BOOST_TEST(number(-0.0) == "0");
  BOOST_TEST(fixed(-0.0001, 3) == "0.000");
  BOOST_TEST(duration(0.84) == "840 ms");
  BOOST_TEST(duration(0.0042) == "4.2 ms");
  BOOST_TEST(duration(2.314) == "2.31 s");
  BOOST_TEST(duration(185) == "3 min 05 s");
}

BOOST_AUTO_TEST_CASE(percentiles_interpolate_between_ranks) {
  const auto summary = summarize({5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
  BOOST_TEST(summary.count == 10u);
  BOOST_TEST(summary.min == 1.0);
  BOOST_TEST(summary.max == 10.0);
  BOOST_TEST(summary.mean == 5.5);
  BOOST_TEST(summary.p50 == 5.5);
  BOOST_TEST(summary.p90 == 9.1, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(summary.p99 == 9.91, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(summarize({}).count == 0u);
  BOOST_TEST(summarize({4.0}).p99 == 4.0);
}

BOOST_AUTO_TEST_CASE(cycle_members_map_to_their_tracks) {
  const std::vector<std::string> tracks = {"main", "client:worker-0", "client:worker-10",
                                           "harness"};
  BOOST_TEST(track_of_member("main", tracks) == "main");
  BOOST_TEST(track_of_member("client:worker-0#3", tracks) == "client:worker-0");
  BOOST_TEST(track_of_member("client:worker-10#1", tracks) == "client:worker-10");
  BOOST_TEST(track_of_member("client:worker-0 (ping)", tracks) == "client:worker-0");
  BOOST_TEST(track_of_member("client:other#2", tracks) == "client:other");
}

BOOST_AUTO_TEST_CASE(members_without_events_get_their_own_lane) {
  ScenarioResult scenario;
  scenario.timeline = {{"call", "c", "main", 0, 1, "", {}}};
  DeadlockCycle cycle;
  cycle.members = {"main", "client:quiet#1"};
  scenario.deadlocks = {cycle};
  BOOST_TEST(timeline_tracks(scenario) == (std::vector<std::string>{"main", "client:quiet"}),
             boost::test_tools::per_element());
}
