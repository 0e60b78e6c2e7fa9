#include "fake_engine/control/control_server.h"

#include <sys/stat.h>

#include <deque>
#include <iostream>

#include "fake_engine/core/thread_identity.h"

namespace understudy::control {

namespace asio = boost::asio;
using stream_protocol = asio::local::stream_protocol;

class ControlSession : public std::enable_shared_from_this<ControlSession> {
 public:
  ControlSession(ControlServer& server, stream_protocol::socket socket)
      : server_(server), socket_(std::move(socket)) {}

  void start() { read_line(); }

  // Any thread.
  void send(std::string line) {
    asio::post(socket_.get_executor(),
               [self = shared_from_this(), line = std::move(line)]() mutable {
                 self->outbox_.push_back(std::move(line));
                 if (self->outbox_.size() == 1) {
                   self->write_next();
                 }
               });
  }

  void close() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
  }

 private:
  void read_line() {
    asio::async_read_until(
        socket_, asio::dynamic_buffer(inbox_, kMaxLineBytes), '\n',
        [self = shared_from_this()](boost::system::error_code error, std::size_t length) {
          if (error) {
            self->server_.forget(self);
            return;
          }
          std::string line = self->inbox_.substr(0, length - 1);
          self->inbox_.erase(0, length);
          self->dispatch(line);
          self->read_line();
        });
  }

  void dispatch(const std::string& line) {
    if (line.empty()) {
      return;
    }
    std::string problem;
    auto request = parse_request(line, problem);
    if (!request) {
      send(encode_response_error(std::nullopt, "BadRequest", problem));
      return;
    }
    std::weak_ptr<ControlSession> weak = shared_from_this();
    auto respond = [weak](std::string reply) {
      if (auto session = weak.lock()) {
        session->send(std::move(reply));
      }
    };
    try {
      server_.handler_.handle(*request, respond);
    } catch (const std::exception& e) {
      send(encode_response_error(request->id, "InternalError", e.what()));
    }
  }

  void write_next() {
    asio::async_write(socket_, asio::buffer(outbox_.front()),
                      [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                        if (error) {
                          self->outbox_.clear();
                          return;
                        }
                        self->outbox_.pop_front();
                        if (!self->outbox_.empty()) {
                          self->write_next();
                        }
                      });
  }

  ControlServer& server_;
  stream_protocol::socket socket_;
  std::string inbox_;
  std::deque<std::string> outbox_;  // touched only on the socket's executor
};

ControlServer::ControlServer(std::filesystem::path socket_path, ControlHandler& handler)
    : socket_path_(std::move(socket_path)), handler_(handler), acceptor_(io_) {}

ControlServer::~ControlServer() {
  stop();
}

void ControlServer::start() {
  std::error_code ignored;
  std::filesystem::remove(socket_path_, ignored);
  boost::system::error_code error;
  const mode_t old_mask = ::umask(0177);
  acceptor_.open(stream_protocol(), error);
  if (!error) {
    acceptor_.bind(stream_protocol::endpoint(socket_path_.string()), error);
  }
  ::umask(old_mask);
  if (!error) {
    acceptor_.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    throw std::runtime_error("cannot listen for control connections on " + socket_path_.string() +
                             ": " + error.message());
  }
  accept();
  thread_ = std::thread([this] {
    name_current_thread("control");
    io_.run();
  });
}

void ControlServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, stream_protocol::socket socket) {
    if (error) {
      return;  // closed by stop()
    }
    auto session = std::make_shared<ControlSession>(*this, std::move(socket));
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_.insert(session);
    }
    session->start();
    accept();
  });
}

void ControlServer::forget(const std::shared_ptr<ControlSession>& session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(session);
}

void ControlServer::broadcast(std::string line) {
  std::lock_guard lock(sessions_mutex_);
  for (const auto& session : sessions_) {
    session->send(line);
  }
}

void ControlServer::stop() {
  if (!thread_.joinable()) {
    return;
  }
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::lock_guard lock(sessions_mutex_);
    for (const auto& session : sessions_) {
      session->close();
    }
  });
  // With the acceptor and the sockets closed, every pending operation ends
  // and run() returns.
  thread_.join();
  std::error_code ignored;
  std::filesystem::remove(socket_path_, ignored);
}

}  // namespace understudy::control
