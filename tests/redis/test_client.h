// TestClient: a RedisClient living on an IoThread, with blocking calls for
// the test thread (each with a deadline) and a record of what it received:
// messages in arrival order and connection events.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "redis/redis_client.h"
#include "tests/redis/io_thread.h"

namespace understudy::testing {

class TestClient {
 public:
  using ClientOptions = redis::ClientOptions;
  using ConnectionEvent = redis::ConnectionEvent;

  TestClient(IoThread& loop, ClientOptions options) : loop_(loop) {
    client_ = loop_.run([&] {
      auto client = std::make_unique<redis::RedisClient>(loop_.io(), options);
      client->set_event_handler([this](const ConnectionEvent& event) {
        MutexLock lock(mutex_);
        events_.push_back(event);
      });
      return client;
    });
  }

  // The client belongs to the io thread: it is destroyed there.
  ~TestClient() {
    loop_.run([this] { client_.reset(); }, "destroying a client");
  }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  static ClientOptions options_for(int port) {
    ClientOptions options;
    options.port = port;
    return options;
  }

  redis::Status connect() {
    return loop_.await<redis::Status>([this](auto done) { client_->connect(std::move(done)); },
                                      "connect to " + client_->endpoint());
  }

  redis::Result<redis::Reply> command(std::vector<std::string> args) {
    const std::string what = "the reply to " + args.front();
    return loop_.await<redis::Result<redis::Reply>>(
        [this, args = std::move(args)](auto done) mutable {
          client_->command(std::move(args), std::move(done));
        },
        what);
  }

  redis::Result<long long> publish(const std::string& channel, const std::string& message) {
    return loop_.await<redis::Result<long long>>(
        [this, channel, message](auto done) {
          client_->publish(channel, message, std::move(done));
        },
        "the reply to PUBLISH " + channel);
  }

  // Messages go to received() (and to `also`, if given, on the io thread).
  redis::Status subscribe(std::vector<std::string> channels, bool patterns = false,
                          std::function<void(const redis::Message&)> also = {}) {
    return loop_.await<redis::Status>(
        [this, channels, patterns, also](auto done) {
          auto handler = [this, also](const redis::Message& message) {
            if (also) {
              also(message);
            }
            MutexLock lock(mutex_);
            received_.push_back(message);
          };
          if (patterns) {
            client_->psubscribe(channels, handler, std::move(done));
          } else {
            client_->subscribe(channels, handler, std::move(done));
          }
        },
        "the confirmation of (P)SUBSCRIBE");
  }

  // The client itself: only for code already running on the io thread.
  redis::RedisClient& raw() { return *client_; }

  // Runs `fn(client)` on the io thread.
  template <class Fn>
  auto with_client(Fn fn) {
    return loop_.run([this, fn = std::move(fn)]() mutable { return fn(*client_); });
  }

  std::vector<redis::Message> received() const {
    MutexLock lock(mutex_);
    return received_;
  }
  std::vector<std::string> payloads() const {
    MutexLock lock(mutex_);
    std::vector<std::string> payloads;
    for (const auto& message : received_) {
      payloads.push_back(message.payload);
    }
    return payloads;
  }
  std::size_t received_count() const {
    MutexLock lock(mutex_);
    return received_.size();
  }

  std::vector<ConnectionEvent> events() const {
    MutexLock lock(mutex_);
    return events_;
  }
  std::size_t count_events(ConnectionEvent::Kind kind) const {
    MutexLock lock(mutex_);
    std::size_t count = 0;
    for (const auto& event : events_) {
      count += event.kind == kind ? 1 : 0;
    }
    return count;
  }
  // "connected, disconnected: ..., reconnect attempt 1 in 20 ms, ..." for messages.
  std::string describe_events() const {
    MutexLock lock(mutex_);
    std::string text;
    for (const auto& event : events_) {
      text += (text.empty() ? "" : ", ") + redis::to_string(event);
    }
    return text.empty() ? "no events" : text;
  }

 private:
  IoThread& loop_;
  std::unique_ptr<redis::RedisClient> client_;
  mutable Mutex mutex_;
  std::vector<redis::Message> received_ GUARDED_BY(mutex_);
  std::vector<ConnectionEvent> events_ GUARDED_BY(mutex_);
};

}  // namespace understudy::testing
