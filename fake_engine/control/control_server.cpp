#include "fake_engine/control/control_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>

#include "fake_engine/core/thread_identity.h"

namespace understudy::control {

namespace asio = boost::asio;
using stream_protocol = asio::local::stream_protocol;
using protocol::encode_event;
using protocol::encode_response_error;
using protocol::kMaxLineBytes;
using protocol::parse_request;

namespace {

std::string file_kind(mode_t mode) {
  if (S_ISREG(mode)) {
    return "a regular file";
  }
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISLNK(mode)) {
    return "a symbolic link";
  }
  if (S_ISFIFO(mode)) {
    return "a named pipe";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  return "a file of an unknown kind";
}

// True if a process accepts connections on the Unix socket at `path`: a
// socket file outlives the engine that made it, and only such a stale one may
// be replaced. Never blocks (a full backlog counts as someone listening).
bool someone_listens(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  const bool connected =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0 ||
      errno == EAGAIN || errno == EINPROGRESS;
  ::close(fd);
  return connected;
}

// Makes room for the socket at `path`: nothing there, or a stale socket,
// which is removed. Anything else is refused, links never followed.
void clear_socket_path(const std::filesystem::path& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) {
    if (errno == ENOENT) {
      return;
    }
    throw std::runtime_error("cannot use " + path.string() +
                             " for the control socket: " + std::strerror(errno));
  }
  if (!S_ISSOCK(status.st_mode)) {
    throw std::runtime_error("cannot use " + path.string() + " for the control socket: it is " +
                             file_kind(status.st_mode) +
                             ", not a socket, and the engine replaces only a socket an engine "
                             "left there (remove it, or choose another --control path)");
  }
  if (someone_listens(path)) {
    throw std::runtime_error("cannot use " + path.string() +
                             " for the control socket: another process listens on it (another "
                             "engine?); choose another --control path");
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw std::runtime_error("cannot remove the stale control socket " + path.string() + ": " +
                             std::strerror(errno));
  }
}

}  // namespace

// One connection. Its socket, inbox and outbox are touched only on the
// control thread (the socket's executor).
class ControlSession : public std::enable_shared_from_this<ControlSession> {
 public:
  ControlSession(ControlServer& server, stream_protocol::socket socket, std::string name)
      : server_(server), socket_(std::move(socket)), name_(std::move(name)) {}

  void start() { read_line(); }

  // Any thread. `event` lines may be dropped when this connection falls
  // behind; answers never are.
  void send(std::string line, bool event = false) {
    asio::post(socket_.get_executor(),
               [self = shared_from_this(), line = std::move(line), event]() mutable {
                 self->queue(std::move(line), event ? Kind::kEvent : Kind::kReply);
               });
  }

  void close() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
  }

 private:
  enum class Kind { kReply, kEvent, kDropMarker };
  struct Outgoing {
    std::string line;  // a kDropMarker's is made when it is written
    Kind kind = Kind::kReply;
    std::uint64_t dropped = 0;  // events a kDropMarker stands for
  };

  void read_line() {
    asio::async_read_until(
        socket_, asio::dynamic_buffer(inbox_, kMaxLineBytes), '\n',
        [self = shared_from_this()](boost::system::error_code error, std::size_t length) {
          if (error) {
            self->end(error == asio::error::not_found
                          ? "it sent a line longer than " + std::to_string(kMaxLineBytes) + " bytes"
                          : std::string());
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

  void queue(std::string line, Kind kind) {
    if (closed_) {
      return;
    }
    (kind == Kind::kEvent ? event_bytes_ : reply_bytes_) += line.size();
    outbox_.push_back({std::move(line), kind});
    if (reply_bytes_ - front_reply_bytes() > kMaxQueuedReplyBytes) {
      end("it left more than " + std::to_string(kMaxQueuedReplyBytes) + " bytes of answers unread");
      return;
    }
    while (event_bytes_ > kMaxQueuedEventBytes && drop_oldest_event()) {
    }
    if (outbox_.size() == 1) {
      write_next();
    }
  }

  std::size_t front_reply_bytes() const {
    return outbox_.front().kind == Kind::kReply ? outbox_.front().line.size() : 0;
  }

  // Drops the oldest event not being written; a marker stands in its place
  // (one marker per run of dropped events). False if there is none to drop.
  bool drop_oldest_event() {
    for (std::size_t i = 1; i < outbox_.size(); ++i) {
      if (outbox_[i].kind != Kind::kEvent) {
        continue;
      }
      event_bytes_ -= outbox_[i].line.size();
      if (dropped_ == 0) {
        server_.warn("control connection " + name_ + " reads too slowly: more than " +
                     std::to_string(kMaxQueuedEventBytes) +
                     " bytes of events wait for it; dropping the oldest (it is told how many)");
      }
      ++dropped_;
      if (i > 1 && outbox_[i - 1].kind == Kind::kDropMarker) {
        ++outbox_[i - 1].dropped;
        outbox_.erase(outbox_.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        outbox_[i] = {std::string(), Kind::kDropMarker, 1};
      }
      return true;
    }
    return false;
  }

  void write_next() {
    auto& next = outbox_.front();
    if (next.kind == Kind::kDropMarker) {
      next.line = encode_event("events_dropped",
                               {{"count", next.dropped}, {"limit_bytes", kMaxQueuedEventBytes}});
    }
    asio::async_write(socket_, asio::buffer(next.line),
                      [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                        if (error) {
                          self->end(std::string());
                          return;
                        }
                        self->pop_front();
                        if (!self->outbox_.empty()) {
                          self->write_next();
                        }
                      });
  }

  void pop_front() {
    const auto& front = outbox_.front();
    if (front.kind == Kind::kEvent) {
      event_bytes_ -= front.line.size();
    } else if (front.kind == Kind::kReply) {
      reply_bytes_ -= front.line.size();
    }
    outbox_.pop_front();
  }

  // Ends the connection once; `reason` (why the engine closed it) is warned
  // about, as is any event it was not sent.
  void end(const std::string& reason) {
    if (closed_) {
      return;
    }
    closed_ = true;
    if (!reason.empty()) {
      server_.warn("closing control connection " + name_ + ": " + reason);
    }
    if (dropped_ > 0) {
      server_.warn("control connection " + name_ + " ended; " + std::to_string(dropped_) +
                   " events were dropped because it read too slowly");
    }
    // The outbox stays until the session goes: a write may still hold its
    // front, and ends with the socket closed.
    boost::system::error_code ignored;
    socket_.close(ignored);
    server_.forget(shared_from_this());
  }

  ControlServer& server_;
  stream_protocol::socket socket_;
  const std::string name_;  // "3 (pid 123 uid 1000)", for warnings
  std::string inbox_;
  std::deque<Outgoing> outbox_;  // the front is being written
  std::size_t event_bytes_ = 0;  // lines of kEvent in outbox_
  std::size_t reply_bytes_ = 0;  // lines of kReply in outbox_
  std::uint64_t dropped_ = 0;    // events dropped in all
  bool closed_ = false;
};

ControlServer::ControlServer(std::filesystem::path socket_path, ControlHandler& handler,
                             ControlWarning warn)
    : socket_path_(std::move(socket_path)),
      handler_(handler),
      warn_(std::move(warn)),
      acceptor_(io_) {}

ControlServer::~ControlServer() {
  stop();
}

void ControlServer::start() {
  clear_socket_path(socket_path_);
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
  struct stat made {};
  if (::lstat(socket_path_.c_str(), &made) == 0) {
    socket_device_ = made.st_dev;
    socket_inode_ = made.st_ino;
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
    std::string peer;
    if (admit(socket, peer)) {
      auto session = std::make_shared<ControlSession>(
          *this, std::move(socket), std::to_string(++connections_) + " (" + peer + ")");
      {
        MutexLock lock(sessions_mutex_);
        sessions_.insert(session);
      }
      session->start();
    }
    accept();
  });
}

bool ControlServer::admit(stream_protocol::socket& socket, std::string& peer) {
  ucred credentials{};
  socklen_t size = sizeof(credentials);
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) {
    warn(std::string("closing a control connection: its peer's credentials are unknown (") +
         std::strerror(errno) + ")");
    return false;
  }
  peer = "pid " + std::to_string(credentials.pid) + " uid " + std::to_string(credentials.uid);
  // The mode of the socket file is the first defence; this one holds when
  // the file or its folder was made reachable by others after all.
  if (credentials.uid != ::geteuid()) {
    warn("closing control connection from unix socket peer " + peer + ": uid " +
         std::to_string(credentials.uid) + " is not the engine's user (uid " +
         std::to_string(::geteuid()) + ")");
    return false;  // the socket closes as it goes out of scope
  }
  return true;
}

void ControlServer::forget(const std::shared_ptr<ControlSession>& session) {
  MutexLock lock(sessions_mutex_);
  sessions_.erase(session);
}

void ControlServer::warn(std::string text) const {
  if (warn_) {
    warn_(std::move(text));
  }
}

void ControlServer::broadcast(std::string line) {
  MutexLock lock(sessions_mutex_);
  for (const auto& session : sessions_) {
    session->send(line, /*event=*/true);
  }
}

void ControlServer::stop() {
  if (!thread_.joinable()) {
    return;
  }
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    MutexLock lock(sessions_mutex_);
    for (const auto& session : sessions_) {
      session->close();
    }
  });
  // With the acceptor and the sockets closed, every pending operation ends
  // and run() returns.
  thread_.join();
  // Only the socket this engine made: another may have replaced it since.
  struct stat now {};
  if (::lstat(socket_path_.c_str(), &now) == 0 && S_ISSOCK(now.st_mode) &&
      now.st_dev == socket_device_ && now.st_ino == socket_inode_) {
    ::unlink(socket_path_.c_str());
  }
}

}  // namespace understudy::control
