// Console: what a record carries, waiting for a record, listeners, and
// writers on several threads at once.
#define BOOST_TEST_MODULE console
#include "fake_engine/console/console.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "fake_engine/core/thread_identity.h"
#include "tests/support/deadline.h"

using namespace std::chrono_literals;
using namespace understudy;
using namespace understudy::testing;

namespace {

struct QuietConsole {
  QuietConsole() { name_current_thread("test-main"); }

  std::atomic<std::uint64_t> frame{0};
  Console console{[this] { return frame.load(); }, /*echo=*/false};
};

auto text_is(const std::string& text) {
  return [text](const ConsoleRecord& record) { return record.text == text; };
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(console, QuietConsole)

BOOST_AUTO_TEST_CASE(records_carry_frame_thread_severity_and_sequence) {
  frame = 3;
  console.log("hello");
  frame = 4;
  console.warning("careful");
  std::thread([&] {
    name_current_thread("rpc-conn-1");
    console.error("broken");
  }).join();

  const auto records = console.records();
  BOOST_REQUIRE_EQUAL(records.size(), 3u);
  BOOST_TEST(records[0].sequence == 1u);
  BOOST_TEST(records[0].frame == 3u);
  BOOST_TEST(records[0].thread == "test-main");
  BOOST_TEST((records[0].severity == Severity::kLog));
  BOOST_TEST(records[0].text == "hello");
  BOOST_TEST(records[1].sequence == 2u);
  BOOST_TEST(records[1].frame == 4u);
  BOOST_TEST((records[1].severity == Severity::kWarning));
  BOOST_TEST(records[2].sequence == 3u);
  BOOST_TEST(records[2].thread == "rpc-conn-1");
  BOOST_TEST((records[2].severity == Severity::kError));
  BOOST_TEST(records[0].seconds <= records[2].seconds);

  BOOST_TEST(console.count(Severity::kLog) == 1u);
  BOOST_TEST(console.count(Severity::kError) == 1u);
  BOOST_TEST(severity_name(Severity::kWarning) == "warning");
  BOOST_TEST(console.records(2).size() == 1u, "records after sequence 2");
  BOOST_TEST(console.records(2).front().text == "broken");
  BOOST_TEST(console.records(99).empty());
}

BOOST_AUTO_TEST_CASE(only_the_newest_records_are_kept_and_sequences_and_counts_go_on) {
  name_current_thread("test-main");
  Console small([] { return std::uint64_t{0}; }, /*echo=*/false, /*kept_records=*/3);
  for (int i = 1; i <= 5; ++i) {
    small.log("line " + std::to_string(i));
  }
  small.error("last");
  const auto kept = small.records();
  BOOST_REQUIRE_EQUAL(kept.size(), 3u);
  BOOST_TEST(kept.front().sequence == 4u);
  BOOST_TEST(kept.front().text == "line 4");
  BOOST_TEST(kept.back().sequence == 6u);
  BOOST_TEST(small.records(1).size() == 3u, "asking for dropped records gives the kept ones");
  BOOST_TEST(small.records(5).size() == 1u);
  BOOST_TEST(small.count(Severity::kLog) == 5u, "counts cover dropped records too");
  BOOST_TEST(small.count(Severity::kError) == 1u);
  const auto found = small.wait_for(
      [](const ConsoleRecord& r) { return r.text.starts_with("line"); }, 0ms, /*after=*/0);
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->text == "line 4", "the first kept match");
}

BOOST_AUTO_TEST_CASE(wait_for_returns_a_record_written_by_another_thread) {
  const auto started = std::chrono::steady_clock::now();
  std::thread writer([&] {
    console.log("not yet");
    console.log("ready");
  });
  const auto record = console.wait_for(text_is("ready"), 5000ms);
  writer.join();

  BOOST_REQUIRE_MESSAGE(record.has_value(), "no \"ready\" record within 5 s");
  BOOST_TEST(record->text == "ready");
  BOOST_TEST(record->sequence == 2u);
  BOOST_TEST(milliseconds_since(started) < 1000.0, "wait_for must return when the record arrives");
}

BOOST_AUTO_TEST_CASE(wait_for_times_out_with_nothing) {
  console.log("something else");
  const auto started = std::chrono::steady_clock::now();
  const auto record = console.wait_for(text_is("never written"), 50ms);
  const auto waited_ms = milliseconds_since(started);

  BOOST_TEST(!record.has_value());
  BOOST_TEST(waited_ms >= 50.0);
  BOOST_TEST(waited_ms < 1000.0);
}

BOOST_AUTO_TEST_CASE(wait_for_ignores_records_up_to_after) {
  console.log("tick");
  const auto seen = console.records().back().sequence;
  BOOST_TEST(!console.wait_for(text_is("tick"), 10ms, seen).has_value());
  console.log("tick");
  const auto next = console.wait_for(text_is("tick"), 1000ms, seen);
  BOOST_REQUIRE(next.has_value());
  BOOST_TEST(next->sequence == seen + 1);
}

BOOST_AUTO_TEST_CASE(listeners_get_each_record_on_the_writing_thread) {
  std::vector<std::pair<std::string, std::string>> heard;  // text, listener's thread
  std::mutex mutex;
  console.add_listener([&](const ConsoleRecord& record) {
    std::lock_guard lock(mutex);
    heard.emplace_back(record.text, current_thread_name());
  });
  console.log("from the test");
  std::thread([&] {
    name_current_thread("writer");
    console.warning("from the writer");
  }).join();

  BOOST_REQUIRE_EQUAL(heard.size(), 2u);
  BOOST_TEST(heard[0].first == "from the test");
  BOOST_TEST(heard[0].second == "test-main");
  BOOST_TEST(heard[1].first == "from the writer");
  BOOST_TEST(heard[1].second == "writer");
}

BOOST_AUTO_TEST_CASE(a_listener_may_read_the_console) {
  std::size_t records_seen = 0;
  console.add_listener([&](const ConsoleRecord&) { records_seen = console.records().size(); });
  console.log("one");
  BOOST_TEST(records_seen == 1u);
}

BOOST_AUTO_TEST_CASE(concurrent_writers_lose_nothing) {
  constexpr int kWriters = 4;
  constexpr int kRecordsEach = 2000;
  std::atomic<int> heard{0};
  console.add_listener([&](const ConsoleRecord&) { ++heard; });
  std::vector<std::future<void>> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(std::async(std::launch::async, [&, w] {
      name_current_thread("writer-" + std::to_string(w));
      for (int i = 0; i < kRecordsEach; ++i) {
        console.write(i % 2 == 0 ? Severity::kLog : Severity::kWarning, std::to_string(i));
      }
    }));
  }
  for (auto& writer : writers) {
    BOOST_REQUIRE(wait_ready(writer, "a writer to finish its 2000 records"));
  }

  const auto records = console.records();
  BOOST_REQUIRE_EQUAL(records.size(), static_cast<std::size_t>(kWriters * kRecordsEach));
  std::map<std::string, int> next_per_thread;
  for (std::size_t i = 0; i < records.size(); ++i) {
    BOOST_TEST(records[i].sequence == i + 1);
    // Each writer's records keep its own order.
    auto& expected = next_per_thread[records[i].thread];
    BOOST_TEST(records[i].text == std::to_string(expected), "from " << records[i].thread);
    ++expected;
  }
  BOOST_TEST(next_per_thread.size() == static_cast<std::size_t>(kWriters));
  BOOST_TEST(heard.load() == kWriters * kRecordsEach);
  BOOST_TEST(console.count(Severity::kWarning) ==
             static_cast<std::size_t>(kWriters * kRecordsEach / 2));
}

BOOST_AUTO_TEST_SUITE_END()
