// ControlServer: the engine's end of the control channel. Listens on a Unix
// socket, reads JSON-line requests on its own thread (Boost.Asio) and hands
// them to a ControlHandler; writes responses and broadcast events in order
// per connection. It never waits for the main thread: a handler that needs it
// posts a job and answers later through its Responder.
#pragma once

#include <boost/asio.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "fake_engine/control/control_protocol.h"

namespace understudy::control {

// Sends one encoded line (from encode_response_* or encode_event) to the
// connection that made the request. Any thread; a no-op once it has closed.
using Responder = std::function<void(std::string line)>;

class ControlHandler {
 public:
  virtual ~ControlHandler() = default;
  // Called on the control thread. Must not block; answer through `respond`,
  // now or later, exactly once.
  virtual void handle(const Request& request, Responder respond) = 0;
};

class ControlSession;

class ControlServer {
 public:
  ControlServer(std::filesystem::path socket_path, ControlHandler& handler);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds the socket (mode 0600) and starts the control thread. Throws
  // std::runtime_error naming the path if it cannot listen.
  void start();
  // Closes every connection and joins the control thread.
  void stop();

  // Any thread. Sends an event line to every connection.
  void broadcast(std::string line);

  const std::filesystem::path& socket_path() const { return socket_path_; }

 private:
  friend class ControlSession;
  void accept();
  void forget(const std::shared_ptr<ControlSession>& session);

  std::filesystem::path socket_path_;
  ControlHandler& handler_;
  boost::asio::io_context io_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::thread thread_;
  std::mutex sessions_mutex_;
  std::set<std::shared_ptr<ControlSession>> sessions_;  // REQUIRES: sessions_mutex_ held
};

}  // namespace understudy::control
