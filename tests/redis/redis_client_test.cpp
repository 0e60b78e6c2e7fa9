// RedisClient (hiredis on Asio) against a private redis-server per test:
// pub/sub order, server errors as values, deadlines on commands and connects,
// and reconnection that resubscribes.
#define BOOST_TEST_MODULE redis_client
#include "redis/redis_client.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "redis/redis_server.h"
#include "tests/redis/io_thread.h"
#include "tests/redis/test_client.h"
#include "tests/support/deadline.h"
#include "tests/support/describe.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::testing;
using understudy::redis::ConnectionEvent;
using understudy::redis::RedisServer;
using understudy::redis::RedisServerOptions;
using understudy::redis::Reply;
using understudy::redis::Status;
using Code = understudy::redis::Status::Code;
using Kind = understudy::redis::ConnectionEvent::Kind;

namespace {

// A server in the test's TempDir (kept, with its log, if the test fails).
struct ServerInDir {
  TempDir dir{"understudy-redis-client"};
  RedisServer server{[this] {
    RedisServerOptions options;
    options.work_dir = dir.path();
    return options;
  }()};

  std::string log() const { return "server log " + server.log_path().string(); }
};

// Fast reconnects, so that restart tests take milliseconds, not seconds.
TestClient::ClientOptions quick_options(int port) {
  auto options = TestClient::options_for(port);
  options.reconnect.initial_delay = 20ms;
  options.reconnect.max_delay = 100ms;
  return options;
}

class LoopbackSocket {
 public:
  LoopbackSocket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~LoopbackSocket() { ::close(fd_); }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;
  int fd() const { return fd_; }

  static sockaddr_in address(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    return address;
  }
  // Binds port 0 and returns the port the kernel chose.
  int bind_any() {
    auto a = address(0);
    socklen_t length = sizeof a;
    BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), length) == 0);
    BOOST_REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length) == 0);
    return ntohs(a.sin_port);
  }

 private:
  int fd_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_subscriber_receives_exactly_the_published_messages_in_order) {
  ServerInDir redis;
  IoThread loop;
  TestClient subscriber(loop, TestClient::options_for(redis.server.port()));
  TestClient publisher(loop, TestClient::options_for(redis.server.port()));
  BOOST_REQUIRE(subscriber.connect().is_ok());
  BOOST_REQUIRE(publisher.connect().is_ok());
  const Status subscribed = subscriber.subscribe({"events"});
  BOOST_REQUIRE_MESSAGE(subscribed.is_ok(), subscribed.to_string());

  std::vector<std::string> expected;
  for (int i = 1; i <= 500; ++i) {
    expected.push_back("message " + std::to_string(i));
    const auto receivers = publisher.publish("events", expected.back());
    BOOST_REQUIRE_MESSAGE(receivers.ok(), receivers.status().to_string());
    BOOST_REQUIRE_EQUAL(receivers.value(), 1);
  }
  // Anything after the marker would come after it: waiting for it shows
  // there was nothing extra in between.
  BOOST_REQUIRE(publisher.publish("events", "end").ok());
  expected.push_back("end");

  BOOST_REQUIRE(poll_until([&] { return subscriber.received_count() >= expected.size(); },
                           "501 messages on 'events'",
                           [&] { return std::to_string(subscriber.received_count()); }));
  BOOST_TEST(subscriber.payloads() == expected, boost::test_tools::per_element());
  for (const auto& message : subscriber.received()) {
    BOOST_TEST(message.channel == "events");
    BOOST_TEST(message.pattern.empty());
  }
}

BOOST_AUTO_TEST_CASE(a_pattern_subscriber_learns_the_channel_and_the_pattern) {
  ServerInDir redis;
  IoThread loop;
  TestClient subscriber(loop, TestClient::options_for(redis.server.port()));
  TestClient publisher(loop, TestClient::options_for(redis.server.port()));
  BOOST_REQUIRE(subscriber.connect().is_ok());
  BOOST_REQUIRE(publisher.connect().is_ok());
  BOOST_REQUIRE(subscriber.subscribe({"scene.*"}, /*patterns=*/true).is_ok());

  BOOST_REQUIRE(publisher.publish("other", "ignored").ok());
  BOOST_REQUIRE(publisher.publish("scene.loaded", "level1").ok());

  BOOST_REQUIRE(poll_until([&] { return subscriber.received_count() == 1; }, "one pmessage"));
  const auto message = subscriber.received().front();
  BOOST_TEST(message.channel == "scene.loaded");
  BOOST_TEST(message.pattern == "scene.*");
  BOOST_TEST(message.payload == "level1");
}

BOOST_AUTO_TEST_CASE(replies_arrive_as_values) {
  ServerInDir redis;
  IoThread loop;
  TestClient client(loop, TestClient::options_for(redis.server.port()));
  BOOST_REQUIRE(client.connect().is_ok());

  const auto set = client.command({"SET", "key", std::string("a\0b", 3)});
  BOOST_REQUIRE(set.ok());
  BOOST_TEST((set.value().type == Reply::Type::kStatus && set.value().text == "OK"));
  const auto get = client.command({"GET", "key"});
  BOOST_REQUIRE(get.ok());
  BOOST_TEST(get.value().text == std::string("a\0b", 3), "binary-safe both ways");
  BOOST_TEST((client.command({"GET", "missing"}).value().type == Reply::Type::kNil));
  BOOST_TEST(client.command({"RPUSH", "list", "x", "y"}).value().integer == 2);
  const auto list = client.command({"LRANGE", "list", "0", "-1"});
  BOOST_REQUIRE(list.ok());
  BOOST_REQUIRE_EQUAL(list.value().elements.size(), 2u);
  BOOST_TEST(list.value().elements[1].text == "y");
}

BOOST_AUTO_TEST_CASE(the_servers_error_text_comes_back_as_a_value) {
  ServerInDir redis;
  IoThread loop;
  TestClient client(loop, TestClient::options_for(redis.server.port()));
  BOOST_REQUIRE(client.connect().is_ok());

  const auto unknown = client.command({"NOSUCHCOMMAND", "x"});
  BOOST_REQUIRE(!unknown.ok());
  BOOST_TEST((unknown.status().code() == Code::kServerError));
  BOOST_TEST(unknown.status().message().starts_with("ERR unknown command"),
             unknown.status().message());

  BOOST_REQUIRE(client.command({"SET", "text", "abc"}).ok());
  const auto not_a_number = client.command({"INCR", "text"});
  BOOST_TEST(not_a_number.status().message() == "ERR value is not an integer or out of range");

  // An error reply is an answer like any other: the connection carries on.
  BOOST_TEST(client.command({"PING"}).value().text == "PONG");
}

BOOST_AUTO_TEST_CASE(a_command_times_out_against_a_paused_server_and_the_late_reply_is_dropped) {
  ServerInDir redis;
  IoThread loop;
  auto options = TestClient::options_for(redis.server.port());
  options.command_timeout = 300ms;
  TestClient client(loop, options);
  BOOST_REQUIRE(client.connect().is_ok());

  redis.server.pause();
  const auto sent = std::chrono::steady_clock::now();
  const auto ping = client.command({"PING"});
  const double waited_ms = milliseconds_since(sent);
  redis.server.resume();

  BOOST_REQUIRE(!ping.ok());
  BOOST_TEST((ping.status().code() == Code::kTimeout), ping.status().to_string());
  BOOST_TEST(contains(ping.status().message(), "timed out after 300 ms"), ping.status().message());
  BOOST_TEST(contains(ping.status().message(), "PING"));
  BOOST_TEST(waited_ms >= 299.0);
  BOOST_TEST(waited_ms < 3000.0);

  // The PONG the resumed server now sends belongs to the timed-out PING, not
  // to this ECHO.
  const auto echo = client.command({"ECHO", "after the pause"});
  BOOST_REQUIRE_MESSAGE(echo.ok(), echo.status().to_string());
  BOOST_TEST(echo.value().text == "after the pause");
}

BOOST_AUTO_TEST_CASE(connecting_to_a_port_with_nothing_listening_fails_fast_and_says_why) {
  int port = 0;
  {
    LoopbackSocket probe;
    port = probe.bind_any();  // free a moment ago, and nobody listens on it
  }
  IoThread loop;
  TestClient client(loop, TestClient::options_for(port));

  const auto started = std::chrono::steady_clock::now();
  const Status status = client.connect();

  BOOST_TEST(milliseconds_since(started) < 1000.0);
  BOOST_TEST((status.code() == Code::kConnectionFailed), status.to_string());
  BOOST_TEST(contains(status.message(), "127.0.0.1:" + std::to_string(port)), status.message());
  BOOST_TEST(contains(status.message(), "Connection refused"), status.message());
  BOOST_TEST((client.command({"PING"}).status().code() == Code::kNotConnected));
}

BOOST_AUTO_TEST_CASE(connecting_to_a_listener_that_never_accepts_times_out) {
  // Backlog 0 and its queue already full: the kernel drops further SYNs, so
  // connect(2) neither succeeds nor fails on its own.
  LoopbackSocket listener;
  const int port = listener.bind_any();
  BOOST_REQUIRE(::listen(listener.fd(), 0) == 0);
  std::vector<std::unique_ptr<LoopbackSocket>> queued;
  for (int i = 0; i < 3; ++i) {
    queued.push_back(std::make_unique<LoopbackSocket>());
    auto address = LoopbackSocket::address(port);
    ::fcntl(queued.back()->fd(), F_SETFL, O_NONBLOCK);
    (void)!::connect(queued.back()->fd(), reinterpret_cast<sockaddr*>(&address), sizeof address);
  }
  IoThread loop;
  auto options = TestClient::options_for(port);
  options.connect_timeout = 300ms;
  TestClient client(loop, options);

  const auto started = std::chrono::steady_clock::now();
  const Status status = client.connect();
  const double waited_ms = milliseconds_since(started);

  BOOST_TEST((status.code() == Code::kTimeout), status.to_string());
  BOOST_TEST(contains(status.message(), "timed out after 300 ms connecting to 127.0.0.1:"),
             status.message());
  BOOST_TEST(waited_ms >= 299.0);
  BOOST_TEST(waited_ms < 3000.0);
}

BOOST_AUTO_TEST_CASE(a_subscribed_connection_refuses_other_commands) {
  ServerInDir redis;
  IoThread loop;
  TestClient client(loop, TestClient::options_for(redis.server.port()));
  BOOST_REQUIRE(client.connect().is_ok());
  BOOST_REQUIRE(client.subscribe({"events"}).is_ok());

  const auto publish = client.publish("events", "from the subscriber");
  BOOST_TEST((publish.status().code() == Code::kInvalidState), publish.status().to_string());
  BOOST_TEST(contains(publish.status().message(), "subscriber mode"));
}

BOOST_AUTO_TEST_CASE(after_a_restart_the_subscriber_resubscribes_and_messages_flow_again) {
  ServerInDir redis;
  IoThread loop;
  TestClient subscriber(loop, quick_options(redis.server.port()));
  TestClient publisher(loop, quick_options(redis.server.port()));
  BOOST_REQUIRE(subscriber.connect().is_ok());
  BOOST_REQUIRE(publisher.connect().is_ok());
  BOOST_REQUIRE(subscriber.subscribe({"events"}).is_ok());
  BOOST_REQUIRE(publisher.publish("events", "before").ok());
  BOOST_REQUIRE(poll_until([&] { return subscriber.received_count() == 1; }, "'before'"));

  redis.server.restart();

  BOOST_TEST_CONTEXT(redis.log()) {
    BOOST_REQUIRE(poll_until([&] { return subscriber.count_events(Kind::kResubscribed) == 1; },
                             "the subscriber to resubscribe",
                             [&] { return subscriber.describe_events(); }));
    BOOST_REQUIRE(poll_until(
        [&] { return publisher.with_client([](auto& client) { return client.connected(); }); },
        "the publisher to reconnect", [&] { return publisher.describe_events(); }));
    const auto receivers = publisher.publish("events", "after");
    BOOST_REQUIRE_MESSAGE(receivers.ok(), receivers.status().to_string());
    BOOST_TEST(receivers.value() == 1);
    BOOST_REQUIRE(poll_until([&] { return subscriber.received_count() == 2; }, "'after'",
                             [&] { return describe(subscriber.payloads()); }));
    BOOST_TEST(subscriber.payloads() == (std::vector<std::string>{"before", "after"}),
               boost::test_tools::per_element());

    // The event trail a scenario log would show.
    const auto events = subscriber.events();
    BOOST_REQUIRE(events.size() >= 4u);
    BOOST_TEST((events[0].kind == Kind::kConnected && events[0].attempt == 0));
    BOOST_TEST((events[1].kind == Kind::kDisconnected));
    BOOST_TEST((events[1].status.code() == Code::kDisconnected));
    BOOST_TEST((events.back().kind == Kind::kResubscribed && events.back().status.is_ok()));
  }
}

BOOST_AUTO_TEST_CASE(reconnect_delays_grow_exponentially_up_to_the_cap) {
  ServerInDir redis;
  IoThread loop;
  TestClient client(loop, quick_options(redis.server.port()));  // 20 ms doubling, 100 ms cap
  BOOST_REQUIRE(client.connect().is_ok());

  redis.server.stop();
  BOOST_REQUIRE(poll_until([&] { return client.count_events(Kind::kReconnectScheduled) >= 6; },
                           "six reconnect attempts", [&] { return client.describe_events(); }));
  std::vector<long long> delays;
  for (const auto& event : client.events()) {
    if (event.kind == Kind::kReconnectScheduled && delays.size() < 6) {
      delays.push_back(event.delay.count());
    }
  }
  BOOST_TEST(delays == (std::vector<long long>{20, 40, 80, 100, 100, 100}),
             boost::test_tools::per_element());

  redis.server.start();
  BOOST_REQUIRE(poll_until(
      [&] { return client.with_client([](auto& c) { return c.connected(); }); },
      "the reconnect once the server is back", [&] { return client.describe_events(); }));
  BOOST_TEST(client.command({"PING"}).value().text == "PONG");
}

BOOST_AUTO_TEST_CASE(the_client_gives_up_after_max_attempts) {
  ServerInDir redis;
  IoThread loop;
  auto options = quick_options(redis.server.port());
  options.reconnect.max_attempts = 2;
  TestClient client(loop, options);
  BOOST_REQUIRE(client.connect().is_ok());

  redis.server.stop();

  BOOST_REQUIRE(poll_until([&] { return client.count_events(Kind::kGaveUp) == 1; },
                           "the client to give up", [&] { return client.describe_events(); }));
  BOOST_TEST(client.count_events(Kind::kReconnectFailed) == 2u);
  const auto ping = client.command({"PING"});
  BOOST_TEST((ping.status().code() == Code::kNotConnected));
  BOOST_TEST(contains(ping.status().message(), "gave up"), ping.status().message());
}

BOOST_AUTO_TEST_CASE(close_completes_what_is_pending_with_closed) {
  ServerInDir redis;
  IoThread loop;
  TestClient client(loop, TestClient::options_for(redis.server.port()));
  BOOST_REQUIRE(client.connect().is_ok());
  redis.server.pause();  // the PING stays unanswered

  const auto ping = loop.await<understudy::redis::Result<Reply>>(
      [&](auto done) {
        client.raw().command({"PING"}, std::move(done));
        client.raw().close();
      },
      "the PING's callback after close()");
  redis.server.resume();

  BOOST_TEST((ping.status().code() == Code::kClosed), ping.status().to_string());
  BOOST_TEST(contains(ping.status().message(), "closed before the reply to PING"));
}

BOOST_AUTO_TEST_CASE(callbacks_never_run_inside_the_call_that_started_them) {
  IoThread loop;
  TestClient client(loop, TestClient::options_for(1));  // never connected

  const bool ran_inline = loop.await<bool>(
      [&](auto done) {
        auto returned = std::make_shared<bool>(false);
        client.raw().command({"PING"}, [returned, done](auto) { done(!*returned); });
        *returned = true;
      },
      "the failed PING's callback");

  BOOST_TEST(!ran_inline, "an immediate failure must still be delivered through the io_context");
}
