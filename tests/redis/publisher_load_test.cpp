// The harness's publisher load against a private redis-server and one
// subscriber: every message accounted for, exactly once and in per-publisher
// order when nothing goes wrong, and lost-and-why when the server restarts.
#define BOOST_TEST_MODULE redis_publisher_load
#include "redis/publisher_load.h"

#include <atomic>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <string>

#include "redis/redis_server.h"
#include "tests/redis/io_thread.h"
#include "tests/redis/test_client.h"
#include "tests/support/deadline.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::testing;
using understudy::redis::DeliveryLedger;
using understudy::redis::PublisherOptions;
using understudy::redis::PublishReport;
using understudy::redis::RedisServer;
using understudy::redis::RedisServerOptions;
using Kind = understudy::redis::ConnectionEvent::Kind;

namespace {

const std::string kChannel = "understudy.load";
// Published once the publishers are done: the subscriber has everything
// they sent once this arrives (one subscriber connection, server order).
const std::string kEndMarker = "end of load";

struct ServerInDir {
  TempDir dir{"understudy-redis-load"};
  RedisServer server{[this] {
    RedisServerOptions options;
    options.work_dir = dir.path();
    return options;
  }()};
};

// A subscriber that records load messages in a ledger and notices the marker.
class LedgerSubscriber {
 public:
  LedgerSubscriber(IoThread& loop, int port) : client_(loop, quick_reconnect(port)) {
    BOOST_REQUIRE(client_.connect().is_ok());
    BOOST_REQUIRE(client_
                      .subscribe({kChannel}, false,
                                 [this](const understudy::redis::Message& message) {
                                   if (message.payload == kEndMarker) {
                                     end_seen_ = true;
                                   } else {
                                     ledger_.record(message.payload);
                                   }
                                 })
                      .is_ok());
  }

  // Publishes the marker from a fresh connection and waits for it.
  [[nodiscard]] boost::test_tools::assertion_result drain(IoThread& loop, int port) {
    TestClient marker(loop, TestClient::options_for(port));
    if (!marker.connect().is_ok() || !marker.publish(kChannel, kEndMarker).ok()) {
      return {false};
    }
    return poll_until([this] { return end_seen_.load(); }, "the end marker",
                      [this] { return std::to_string(ledger_.total_received()) + " received"; });
  }

  static TestClient::ClientOptions quick_reconnect(int port) {
    auto options = TestClient::options_for(port);
    options.reconnect.initial_delay = 20ms;
    options.reconnect.max_delay = 100ms;
    return options;
  }

  const DeliveryLedger& ledger() const { return ledger_; }
  TestClient& client() { return client_; }

 private:
  DeliveryLedger ledger_;
  std::atomic<bool> end_seen_{false};
  TestClient client_;  // last: destroyed first, so no handler outlives the ledger
};

PublisherOptions load_on(int port) {
  PublisherOptions options;
  options.port = port;
  options.channel = kChannel;
  return options;
}

}  // namespace

BOOST_DATA_TEST_CASE(four_publishers_times_2000_messages_arrive_exactly_once_in_order,
                     boost::unit_test::data::make({1, 16}), max_in_flight) {
  ServerInDir redis;
  IoThread loop;
  LedgerSubscriber subscriber(loop, redis.server.port());
  auto options = load_on(redis.server.port());
  options.publishers = 4;
  options.count = 2000;
  options.max_in_flight = static_cast<std::size_t>(max_in_flight);

  const PublishReport report = understudy::redis::run_publishers(options);

  BOOST_TEST_MESSAGE("window " << max_in_flight << ": " << report.describe());
  BOOST_REQUIRE(subscriber.drain(loop, redis.server.port()));
  const auto account = understudy::redis::reconcile(report, subscriber.ledger());
  BOOST_TEST_CONTEXT(report.describe() << "\n" << account.describe()) {
    BOOST_REQUIRE_EQUAL(report.publishers.size(), 4u);
    for (const auto& publisher : report.publishers) {
      BOOST_TEST(publisher.connect_status.is_ok());
      BOOST_TEST(publisher.last_seq == 2000u);
      BOOST_TEST(publisher.acknowledged == 2000u);
      BOOST_TEST(publisher.unheard == 0u);
      BOOST_TEST(publisher.errors == 0u);
    }
    BOOST_TEST(account.exactly_once_in_order());
    BOOST_TEST(subscriber.ledger().total_received() == 8000u);
  }
}

BOOST_AUTO_TEST_CASE(a_rate_paces_each_publisher) {
  ServerInDir redis;
  IoThread loop;
  LedgerSubscriber subscriber(loop, redis.server.port());
  auto options = load_on(redis.server.port());
  options.publishers = 2;
  options.rate_per_publisher = 200;  // one every 5 ms
  options.duration = 500ms;

  const PublishReport report = understudy::redis::run_publishers(options);

  BOOST_TEST_CONTEXT(report.describe()) {
    const double elapsed_ms = std::chrono::duration<double, std::milli>(report.elapsed).count();
    BOOST_TEST(elapsed_ms >= 490.0);
    BOOST_TEST(elapsed_ms < 3000.0);
    for (const auto& publisher : report.publishers) {
      // Messages are due at 0, 5, ..., 495 ms: never more than 100; fewer
      // only if the machine stalls for a while.
      BOOST_TEST(publisher.last_seq <= 100u);
      BOOST_TEST(publisher.last_seq >= 50u);
      BOOST_TEST(publisher.errors == 0u);
    }
  }
  BOOST_REQUIRE(subscriber.drain(loop, redis.server.port()));
  BOOST_TEST(understudy::redis::reconcile(report, subscriber.ledger()).exactly_once_in_order());
}

BOOST_AUTO_TEST_CASE(messages_sent_across_a_restart_are_each_delivered_or_lost_with_a_reason) {
  ServerInDir redis;
  IoThread loop;
  LedgerSubscriber subscriber(loop, redis.server.port());
  auto options = load_on(redis.server.port());
  options.publishers = 2;
  options.rate_per_publisher = 400;
  options.duration = 2500ms;
  options.client.command_timeout = 500ms;
  options.client.reconnect.initial_delay = 20ms;
  options.client.reconnect.max_delay = 100ms;

  auto load =
      std::async(std::launch::async, [&] { return understudy::redis::run_publishers(options); });
  BOOST_REQUIRE(poll_until([&] { return subscriber.ledger().total_received() >= 200; },
                           "200 messages before the restart"));
  redis.server.restart();
  const auto received_at_restart = subscriber.ledger().total_received();
  BOOST_REQUIRE(wait_ready(load, "the publishers to finish", 8000ms));
  const PublishReport report = load.get();
  BOOST_REQUIRE(subscriber.drain(loop, redis.server.port()));

  const auto account = understudy::redis::reconcile(report, subscriber.ledger());
  BOOST_TEST_MESSAGE(report.describe() << "\n" << account.describe());
  BOOST_TEST_CONTEXT(report.describe() << "\n"
                                       << account.describe() << "\nsubscriber: "
                                       << subscriber.client().describe_events()) {
    BOOST_TEST(subscriber.client().count_events(Kind::kResubscribed) == 1u);
    BOOST_TEST(account.foreign == 0u);
    std::uint64_t lost_while_down = 0;
    for (const auto& a : account.publishers) {
      BOOST_TEST(a.sent == a.delivered + a.lost());
      BOOST_TEST(a.lost_in_transit == 0u, "taken for a subscriber, never delivered");
      BOOST_TEST(a.duplicates == 0u);
      BOOST_TEST(a.out_of_order == 0u);
      BOOST_TEST(a.never_sent == 0u);
      lost_while_down += a.lost_not_published + a.lost_no_subscriber;
    }
    BOOST_TEST(lost_while_down > 0u, "nothing was published while the server was down");
    BOOST_TEST(subscriber.ledger().total_received() > received_at_restart + 100,
               "messages did not flow again after the restart");
  }
}
