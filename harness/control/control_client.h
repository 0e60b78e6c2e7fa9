// ControlClient: the harness's end of an engine's control channel (the
// connection; EngineClient knows the ops it carries). Requests
// are answered by id (in any order); events (console records, deadlock
// reports) are kept in arrival order so that a scenario can wait for one.
// Every wait takes a deadline and fails with a message saying what did not
// arrive.
//
// A line from the engine that is not a control message (not JSON, nested
// too deep, neither an event nor an answer) breaks the protocol: it may have
// been the answer to any request then waiting, so each of those fails at
// once, naming the line, rather than waiting out its deadline as if the
// engine were stuck.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/mutex.h"

namespace understudy::harness {

struct ControlEvent {
  std::string kind;  // "console", "deadlock", ...
  nlohmann::json data;
  std::chrono::steady_clock::time_point received;
};

class ControlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The deadline passed with the channel still open: the answer may still come.
class ControlTimeout : public ControlError {
 public:
  using ControlError::ControlError;
};

class ControlClient {
 public:
  // Connects, retrying until `timeout` while the engine creates its socket.
  // `gone`, polled while connecting, says why to stop waiting early (the
  // engine process exited) or returns nullopt to keep trying.
  ControlClient(const std::filesystem::path& socket_path, std::chrono::milliseconds timeout,
                std::function<std::optional<std::string>()> gone = {});
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // Sends a request ({"op": ..., params}; the id is added) and waits for its
  // response up to `timeout`. Returns the whole response object
  // ({"ok": ..., "result" | "error": ...}). Throws ControlTimeout on timeout,
  // ControlError when the connection is gone or the engine sent a line that
  // is not a control message while the request waited.
  nlohmann::json request(nlohmann::json request, std::chrono::milliseconds timeout);

  // Sends a request and returns at once; `await_response(id, timeout)` later.
  std::int64_t send(nlohmann::json request);
  nlohmann::json await_response(std::int64_t id, std::chrono::milliseconds timeout);
  // The response to `id` if it has arrived (taken, as await_response does);
  // never waits. Throws ControlError when the connection is gone without it.
  std::optional<nlohmann::json> try_response(std::int64_t id);

  // The first event at index >= `from` that `match` accepts, waiting up to
  // `timeout`; nullopt on timeout. `index_out` receives its index.
  std::optional<ControlEvent> wait_event(const std::function<bool(const ControlEvent&)>& match,
                                         std::chrono::milliseconds timeout, std::size_t from = 0,
                                         std::size_t* index_out = nullptr);
  std::vector<ControlEvent> events() const;

  // Called on the reader thread for each event as it arrives (before it is
  // stored); must be quick and must not call back into this client.
  void set_event_hook(std::function<void(const ControlEvent&)> hook);
  std::size_t event_count() const;
  bool connected() const;
  // Lines from the engine that were not control messages, so far.
  std::size_t unreadable_lines() const;
  // When the reader saw the channel close (the engine's end going away is
  // seen at once: the moment an engine that died died, near enough).
  std::optional<std::chrono::steady_clock::time_point> closed_at() const;

 private:
  void read_loop();
  void take_line(std::string_view line) REQUIRES(mutex_);
  std::optional<nlohmann::json> take_response(std::int64_t id) REQUIRES(mutex_);

  boost::asio::io_context io_;
  boost::asio::local::stream_protocol::socket socket_;
  std::mutex write_mutex_;
  mutable Mutex mutex_;
  std::condition_variable changed_;
  std::map<std::int64_t, nlohmann::json> responses_ GUARDED_BY(mutex_);
  std::vector<ControlEvent> events_ GUARDED_BY(mutex_);
  bool closed_ GUARDED_BY(mutex_) = false;
  std::string close_reason_ GUARDED_BY(mutex_);
  std::chrono::steady_clock::time_point closed_at_ GUARDED_BY(mutex_);
  std::int64_t next_id_ GUARDED_BY(mutex_) = 1;
  // The last line that was not a control message, and the newest request id
  // sent before it came: requests up to that one may have lost their answer.
  std::size_t unreadable_lines_ GUARDED_BY(mutex_) = 0;
  std::string unreadable_ GUARDED_BY(mutex_);
  std::int64_t unreadable_up_to_id_ GUARDED_BY(mutex_) = 0;
  std::function<void(const ControlEvent&)> event_hook_ GUARDED_BY(mutex_);
  std::thread reader_;
};

}  // namespace understudy::harness
