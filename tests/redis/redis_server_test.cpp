// The RedisServer fixture: a private redis-server on a free loopback port,
// with the config it promises, restarted on the same port, stopped by its
// own pid, and failing with messages that point at its log.
#define BOOST_TEST_MODULE redis_server
#include "redis/redis_server.h"

#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/deadline.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::testing;
using understudy::redis::RedisServer;
using understudy::redis::RedisServerOptions;

namespace {

bool pid_exists(pid_t pid) {
  return pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH);
}

// One command over blocking hiredis, independent of the client under test
// elsewhere. The reply as text: "PONG", "(nil)", "a b c" for arrays, or
// "error: ..." when there is no reply.
std::string ask(int port, const std::vector<std::string>& args) {
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port, timeval{2, 0});
  if (context == nullptr || context->err != 0) {
    std::string error = context != nullptr ? context->errstr : "cannot allocate";
    redisFree(context);
    return "error: " + error;
  }
  redisSetTimeout(context, timeval{2, 0});
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.c_str());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(args.size()), argv.data(), lengths.data()));
  std::string text;
  if (reply == nullptr) {
    text = std::string("error: ") + context->errstr;
  } else if (reply->type == REDIS_REPLY_ARRAY) {
    for (std::size_t i = 0; i < reply->elements; ++i) {
      text += (i == 0 ? "" : " ") + std::string(reply->element[i]->str, reply->element[i]->len);
    }
  } else if (reply->type == REDIS_REPLY_NIL) {
    text = "(nil)";
  } else if (reply->type == REDIS_REPLY_INTEGER) {
    text = std::to_string(reply->integer);
  } else {
    text = std::string(reply->str, reply->len);
  }
  freeReplyObject(reply);
  redisFree(context);
  return text;
}

// Holds a loopback port so that a server cannot bind it.
class PortSquatter {
 public:
  explicit PortSquatter(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    BOOST_REQUIRE_MESSAGE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                              ::listen(fd_, 1) == 0,
                          "cannot hold port " << port << ": " << std::strerror(errno));
  }
  ~PortSquatter() { ::close(fd_); }
  PortSquatter(const PortSquatter&) = delete;
  PortSquatter& operator=(const PortSquatter&) = delete;

 private:
  int fd_;
};

RedisServerOptions in(const TempDir& dir) {
  RedisServerOptions options;
  options.work_dir = dir.path();
  return options;
}

}  // namespace

BOOST_AUTO_TEST_CASE(starts_on_a_free_loopback_port_with_the_private_config) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  BOOST_TEST_CONTEXT("log " << server.log_path() << ":\n" << server.log_tail()) {
    BOOST_TEST(server.running());
    BOOST_TEST(pid_exists(server.pid()));
    BOOST_TEST(server.port() > 0);
    BOOST_TEST(server.url() == "redis://127.0.0.1:" + std::to_string(server.port()));
    BOOST_TEST(ask(server.port(), {"PING"}) == "PONG");
    // What the server runs with, not just what the file says.
    BOOST_TEST(ask(server.port(), {"CONFIG", "GET", "bind"}) == "bind 127.0.0.1");
    BOOST_TEST(ask(server.port(), {"CONFIG", "GET", "protected-mode"}) == "protected-mode yes");
    BOOST_TEST(ask(server.port(), {"CONFIG", "GET", "save"}) == "save ");
    BOOST_TEST(ask(server.port(), {"CONFIG", "GET", "appendonly"}) == "appendonly no");
    BOOST_TEST(ask(server.port(), {"CONFIG", "GET", "logfile"}) ==
               "logfile " + server.log_path().string());
    BOOST_TEST(server.log_path().parent_path() == dir.path());
    BOOST_TEST(std::filesystem::file_size(server.log_path()) > 0u);
  }
}

BOOST_AUTO_TEST_CASE(two_servers_get_their_own_ports_and_directories) {
  RedisServer first;
  RedisServer second;
  BOOST_TEST(first.port() != second.port());
  BOOST_TEST(first.work_dir() != second.work_dir());
  BOOST_TEST(ask(first.port(), {"SET", "owner", "first"}) == "OK");
  BOOST_TEST(ask(second.port(), {"GET", "owner"}) == "(nil)");
}

BOOST_AUTO_TEST_CASE(restart_keeps_the_port_and_replaces_the_process) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  const int port = server.port();
  const pid_t old_pid = server.pid();
  BOOST_TEST(ask(port, {"SET", "k", "v"}) == "OK");

  server.restart();

  BOOST_TEST_CONTEXT("log " << server.log_path() << ":\n" << server.log_tail()) {
    BOOST_TEST(server.port() == port);
    BOOST_TEST(server.pid() != old_pid);
    BOOST_TEST(!pid_exists(old_pid), "the old pid " << old_pid << " still exists");
    BOOST_TEST(ask(port, {"PING"}) == "PONG");
    BOOST_TEST(ask(port, {"GET", "k"}) == "(nil)", "save \"\": nothing survives a restart");
  }
}

// The fault matrix restarts Redis from a thread of its own that ends right
// after. The child's parent-death signal is tied to the thread that forked
// it, so a server forked there died with the thread (0.06 s later) and the
// rest of the run went on without Redis.
BOOST_AUTO_TEST_CASE(a_server_restarted_from_a_thread_that_ends_keeps_answering) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  const int port = server.port();
  std::thread([&server] { server.restart(); }).join();
  const pid_t pid = server.pid();

  // Not a wait for something to arrive: the server must still be there
  // throughout the second after its thread ended.
  const auto until = std::chrono::steady_clock::now() + 1s;
  std::string seen = "PONG";
  while (std::chrono::steady_clock::now() < until && seen == "PONG") {
    seen = pid_exists(pid) ? ask(port, {"PING"}) : "pid " + std::to_string(pid) + " gone";
    std::this_thread::sleep_for(50ms);
  }
  BOOST_TEST_CONTEXT("log " << server.log_path() << ":\n" << server.log_tail()) {
    BOOST_TEST(seen == "PONG", "the restarted server (pid "
                                   << pid << ") answered PING for 1 s "
                                   << "after its thread ended; seen: " << seen);
    BOOST_TEST(server.running());
  }
}

// The fault matrix's evidence that a restart took Redis down and brought it back.
BOOST_AUTO_TEST_CASE(answers_ping_says_whether_the_port_answers_and_why_not) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  std::string seen = "untouched";
  BOOST_TEST(server.answers_ping(2s, &seen));
  BOOST_TEST(seen == "untouched", "a PONG leaves `seen` alone");

  server.stop();
  BOOST_TEST(!server.answers_ping(2s, &seen));
  BOOST_TEST(seen.find("Connection refused") != std::string::npos, seen);

  server.start();
  BOOST_TEST(server.answers_ping(2s, &seen), seen);
}

BOOST_AUTO_TEST_CASE(stop_ends_it_by_its_pid_and_start_brings_it_back) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  const pid_t pid = server.pid();
  const int port = server.port();

  server.stop();

  BOOST_TEST(!server.running());
  BOOST_TEST(server.pid() == -1);
  BOOST_TEST(!pid_exists(pid), "pid " << pid << " still exists after stop()");
  BOOST_TEST(ask(port, {"PING"}).starts_with("error: "));
  server.stop();  // a no-op now

  server.start();
  BOOST_TEST(server.port() == port);
  BOOST_TEST(ask(port, {"PING"}) == "PONG");
}

BOOST_AUTO_TEST_CASE(a_paused_server_still_stops_promptly) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  const pid_t pid = server.pid();
  server.pause();

  const auto started = std::chrono::steady_clock::now();
  server.stop();

  // SIGTERM with SIGCONT: no need to wait out the SIGKILL grace (3 s).
  BOOST_TEST(milliseconds_since(started) < 2000.0);
  BOOST_TEST(!pid_exists(pid));
}

BOOST_AUTO_TEST_CASE(the_destructor_leaves_nothing_behind) {
  pid_t pid = -1;
  std::filesystem::path work_dir;
  {
    RedisServer server;
    pid = server.pid();
    work_dir = server.work_dir();
    BOOST_REQUIRE(pid_exists(pid));
  }
  BOOST_TEST(!pid_exists(pid), "pid " << pid << " survived the fixture");
  BOOST_TEST(!std::filesystem::exists(work_dir), work_dir << " was not removed");
}

BOOST_AUTO_TEST_CASE(a_server_that_cannot_start_says_why_and_where_its_log_is) {
  TempDir dir("understudy-redis-server");
  auto options = in(dir);
  options.extra_config = {{"no-such-directive", "yes"}};
  try {
    RedisServer server(options);
    BOOST_FAIL("a config error did not stop the fixture");
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    BOOST_TEST_CONTEXT(message) {
      BOOST_TEST(message.find("answered with +PONG") != std::string::npos);  // expected
      BOOST_TEST(message.find("exited with code 1") != std::string::npos);   // seen
      BOOST_TEST(message.find((dir.path() / "redis.log").string()) != std::string::npos);
      BOOST_TEST(message.find("FATAL CONFIG FILE ERROR") != std::string::npos);  // the tail
    }
  }
}

BOOST_AUTO_TEST_CASE(a_taken_port_is_reported_not_retried_when_the_port_is_fixed) {
  TempDir dir("understudy-redis-server");
  int port = 0;
  {
    RedisServer probe;  // a port that was free a moment ago
    port = probe.port();
  }
  PortSquatter squatter(port);
  auto options = in(dir);
  options.port = port;
  try {
    RedisServer server(options);
    BOOST_FAIL("the server started on a port someone else holds");
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    BOOST_TEST_CONTEXT(message) {
      BOOST_TEST(message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
      BOOST_TEST(message.find("Address already in use") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_restart_whose_port_was_taken_meanwhile_fails_clearly) {
  TempDir dir("understudy-redis-server");
  RedisServer server(in(dir));
  const int port = server.port();
  server.stop();
  PortSquatter squatter(port);
  try {
    server.start();
    BOOST_FAIL("start() succeeded on a port someone else holds");
  } catch (const std::runtime_error& error) {
    BOOST_TEST(std::string(error.what()).find("Address already in use") != std::string::npos,
               error.what());
  }
  BOOST_TEST(!server.running());
}
