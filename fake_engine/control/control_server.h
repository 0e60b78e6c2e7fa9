// ControlServer: the engine's end of the control channel. Listens on a Unix
// socket, reads JSON-line requests on its own thread (Boost.Asio) and hands
// them to a ControlHandler; writes responses and broadcast events in order
// per connection. It never waits for the main thread: a handler that needs it
// posts a job and answers later through its Responder.
//
// Who may connect: the socket is mode 0600 and only a peer of the engine's
// own uid (SO_PEERCRED) is served; anyone else is refused with a warning, as
// a request runs code as the engine's user. What a peer may cost: what waits
// to be written to one connection is bounded (kMaxQueuedEventBytes,
// kMaxQueuedReplyBytes), whether or not it reads.
#pragma once

#include <sys/types.h>

#include <boost/asio.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "protocol/codec.h"

namespace understudy::control {

// Sends one encoded line (from encode_response_* or encode_event) to the
// connection that made the request. Any thread; a no-op once it has closed.
using Responder = std::function<void(std::string line)>;

class ControlHandler {
 public:
  virtual ~ControlHandler() = default;
  // Called on the control thread. Must not block; answer through `respond`,
  // now or later, exactly once.
  virtual void handle(const protocol::Request& request, Responder respond) = 0;
};

// Events (console records, ...) waiting to be written to one connection,
// beyond which the oldest are dropped and an "events_dropped" event says how
// many. Events are a stream that a reader can be told it missed part of, and
// the connection stays useful for its requests (a harness paused in a
// debugger for a minute catches up); closing it would lose its answers too.
inline constexpr std::size_t kMaxQueuedEventBytes = 8 * 1024 * 1024;
// Answers waiting to be written to one connection (beyond the one being
// written). An answer cannot be dropped (its request would never be
// answered), so a peer that keeps asking without reading is disconnected,
// with a warning naming it.
inline constexpr std::size_t kMaxQueuedReplyBytes = 64 * 1024 * 1024;

// Where the control server's warnings go (the engine's console): a refused
// peer, a connection that fell behind. Called on the control thread.
using ControlWarning = std::function<void(std::string text)>;

class ControlSession;

class ControlServer {
 public:
  ControlServer(std::filesystem::path socket_path, ControlHandler& handler,
                ControlWarning warn = {});
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds the socket (mode 0600) and starts the control thread. A socket
  // left at the path by an engine that is gone is replaced; anything else
  // there (a file, a directory, a symbolic link, a socket someone listens on)
  // is left alone, and start() throws std::runtime_error naming the path and
  // what is there, as it does if it cannot listen.
  void start();
  // Closes every connection, joins the control thread and removes the socket
  // file if it is still the one start() made.
  void stop();

  // Any thread. Sends an event line to every connection.
  void broadcast(std::string line);

  const std::filesystem::path& socket_path() const { return socket_path_; }

 private:
  friend class ControlSession;
  void accept();
  // Describes the peer ("pid N uid U") in `peer`; false, with a warning, if
  // it is not to be served.
  bool admit(boost::asio::local::stream_protocol::socket& socket, std::string& peer);
  void forget(const std::shared_ptr<ControlSession>& session);
  void warn(std::string text) const;

  std::filesystem::path socket_path_;
  ControlHandler& handler_;
  ControlWarning warn_;
  dev_t socket_device_ = 0;  // the socket file start() made
  ino_t socket_inode_ = 0;
  std::uint64_t connections_ = 0;  // touched only on the control thread
  boost::asio::io_context io_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::thread thread_;
  Mutex sessions_mutex_;
  std::set<std::shared_ptr<ControlSession>> sessions_ GUARDED_BY(sessions_mutex_);
};

}  // namespace understudy::control
