// RedisClient: one connection to a Redis server, on hiredis 0.14 driven by a
// Boost.Asio io_context (see asio_hiredis_adapter.h). Commands, PUBLISH,
// SUBSCRIBE/PSUBSCRIBE with a message handler, a deadline on every connect and
// command, and reconnection with capped exponential backoff that restores the
// subscriptions.
//
// Contract:
// - Threads: a RedisClient belongs to its io_context's thread. Call every
//   member, the destructor included, on the thread running `io` (from a
//   handler), or while no thread runs `io`. Run `io` on one thread only.
// - Callbacks: every callback runs on that thread, from a handler posted to
//   `io`, never from inside the call that started the operation, so a
//   callback may call the client again (or destroy it).
// - Completion: every connect/command/subscribe callback runs exactly once,
//   even if the client is closed or destroyed first (then with kClosed).
//   Message handlers and the event handler stop being called after close()
//   or destruction.
// - Errors are Status values (status.h). A server error reply arrives as
//   kServerError carrying the server's text, e.g. "ERR unknown command ...".
// - Timeouts: a command whose reply has not arrived within command_timeout
//   completes with kTimeout; the connection stays open and the late reply is
//   discarded (replies are matched in order, so later commands are unaffected).
// - Subscriber mode: once subscribed, the connection carries only (P)SUBSCRIBE
//   (as Redis requires); other commands complete with kInvalidState. Use a
//   second client to publish.
// - Lifetime: `io` must outlive the client.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "redis/status.h"

namespace understudy::redis {

// A reply other than an error (errors are Status values).
struct Reply {
  enum class Type { kString, kArray, kInteger, kNil, kStatus };
  Type type = Type::kNil;
  std::string text;  // kString and kStatus ("OK", "PONG")
  long long integer = 0;
  std::vector<Reply> elements;  // kArray
};

// A message from a subscription. `pattern` is empty unless it came through
// psubscribe().
struct Message {
  std::string channel;
  std::string pattern;
  std::string payload;
};

// Re-establishing a connection that was lost. connect() itself makes one
// attempt; this applies once a connection has been established.
struct ReconnectPolicy {
  bool enabled = true;
  // Delay before attempt n (1-based): initial_delay * multiplier^(n-1),
  // capped at max_delay. No jitter: fault scenarios must replay the same way.
  std::chrono::milliseconds initial_delay{50};
  std::chrono::milliseconds max_delay{2000};
  double multiplier = 2.0;
  int max_attempts = 0;  // 0: keep trying until close()

  std::chrono::milliseconds delay_before(int attempt) const;
};

struct ClientOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};  // also bounds (p)subscribe confirmations
  ReconnectPolicy reconnect;
};

// What happened to the connection, for logs and for tests that wait until a
// subscriber is back.
struct ConnectionEvent {
  enum class Kind {
    kConnected,           // attempt == 0 for connect(), n for the n-th reconnect attempt
    kDisconnected,        // status says why
    kReconnectScheduled,  // attempt n will start after `delay`
    kReconnectFailed,     // attempt n failed with `status`
    kResubscribed,        // every subscription is confirmed again after a reconnect
    kGaveUp,              // max_attempts reached; the client stays disconnected
  };
  Kind kind;
  Status status;
  int attempt = 0;
  std::chrono::milliseconds delay{0};
};

std::string to_string(const ConnectionEvent& event);

class RedisClient {
 public:
  using StatusCallback = std::function<void(Status)>;
  using ReplyCallback = std::function<void(Result<Reply>)>;
  using IntegerCallback = std::function<void(Result<long long>)>;
  using MessageHandler = std::function<void(const Message&)>;
  using EventHandler = std::function<void(const ConnectionEvent&)>;

  RedisClient(boost::asio::io_context& io, ClientOptions options);
  ~RedisClient();  // close()
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One attempt, bounded by connect_timeout: ok, kConnectionFailed (with the
  // OS's reason), kTimeout, or kInvalidState if already connected/connecting.
  void connect(StatusCallback done);

  // Any command as its arguments, binary-safe: {"SET", "key", "value"}.
  void command(std::vector<std::string> args, ReplyCallback done);
  // The number of subscribers that received the message.
  void publish(std::string channel, std::string message, IntegerCallback done);

  // `on_message` receives every message on `channels` (or matching
  // `patterns`) in the order the server sent them. `done` runs once the
  // server confirmed every one, or with kTimeout/kDisconnected/... The
  // subscriptions are kept (and re-made after each reconnect) from this call
  // on, even if `done` reports a failure; only a kNotConnected failure means
  // nothing was recorded.
  void subscribe(std::vector<std::string> channels, MessageHandler on_message, StatusCallback done);
  void psubscribe(std::vector<std::string> patterns, MessageHandler on_message,
                  StatusCallback done);

  // Replaces the handler; called on the io thread for every ConnectionEvent.
  void set_event_handler(EventHandler handler);

  // Drops the connection, completes everything pending with kClosed, stops
  // reconnecting. Idempotent; the client cannot be reconnected afterwards.
  void close();

  bool connected() const;
  // "127.0.0.1:6379", for messages.
  std::string endpoint() const;
  const ClientOptions& options() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared only with weak_ptrs in queued handlers
};

}  // namespace understudy::redis
