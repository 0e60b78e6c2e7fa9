#include "redis/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

#include "common/child_process.h"

namespace understudy::redis {
namespace {

using Clock = std::chrono::steady_clock;

// How often readiness is re-checked, and the most one probe may take.
constexpr std::chrono::milliseconds kReadyPollInterval{10};
constexpr std::chrono::milliseconds kProbeTimeout{500};
// After SIGKILL, only a process stuck in the kernel takes longer than this.
constexpr std::chrono::milliseconds kKillDeadline{5000};

std::string errno_text(int error) {
  return std::strerror(error);
}

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

// The kernel's choice of a free port. Someone may take it before the server
// binds it; the caller retries on that clash, as server.tcl does.
int pick_free_port() {
  Socket socket;
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (socket.fd() < 0 || ::bind(socket.fd(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot find a free port on 127.0.0.1");
  }
  return ntohs(address.sin_port);
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) {
    return false;
  }
  pollfd entry{fd, events, 0};
  return ::poll(&entry, 1, static_cast<int>(left.count())) == 1;
}

// Whether `data` holds one whole RESP reply (the simple kinds and bulk
// strings: all that PING and INFO answer with).
bool complete_reply(const std::string& data) {
  const auto line_end = data.find("\r\n");
  if (line_end == std::string::npos) {
    return false;
  }
  if (data[0] != '$') {
    return true;
  }
  const long length = std::strtol(data.c_str() + 1, nullptr, 10);
  return length < 0 || data.size() >= line_end + 2 + static_cast<std::size_t>(length) + 2;
}

struct Probe {
  bool answered = false;
  std::string text;  // the raw reply, or why there was none
};

// One request and its reply over a fresh blocking-free connection, all
// before `deadline`. A plain socket, so that the fixture does not depend on
// the client it is used to test.
Probe exchange(int port, std::string_view request, Clock::time_point deadline) {
  Socket socket;
  if (socket.fd() < 0) {
    return {false, "socket: " + errno_text(errno)};
  }
  ::fcntl(socket.fd(), F_SETFL, O_NONBLOCK);
  const sockaddr_in address = loopback(port);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) {
      return {false, "connect: " + errno_text(errno)};
    }
    if (!wait_for(socket.fd(), POLLOUT, deadline)) {
      return {false, "connect: no answer in time"};
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      return {false, "connect: " + errno_text(error)};
    }
  }
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (errno != EAGAIN || !wait_for(socket.fd(), POLLOUT, deadline)) {
      return {false, "send: " + (n < 0 ? errno_text(errno) : std::string("timed out"))};
    }
  }
  std::string reply;
  char buffer[4096];
  while (reply.empty() || !complete_reply(reply)) {
    if (!wait_for(socket.fd(), POLLIN, deadline)) {
      return {false, reply.empty() ? "no reply in time" : "incomplete reply: " + reply};
    }
    const auto n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n == 0) {
      return {false, "connection closed before the reply"};
    }
    if (n < 0 && errno != EAGAIN) {
      return {false, "recv: " + errno_text(errno)};
    }
    if (n > 0) {
      reply.append(buffer, static_cast<std::size_t>(n));
    }
  }
  return {true, reply};
}

std::string quoted(const std::filesystem::path& path) {
  std::string text = "\"";
  for (const char c : path.string()) {
    if (c == '"' || c == '\\') {
      text += '\\';
    }
    text += c;
  }
  return text + "\"";
}

std::string printable(std::string text) {
  for (auto pos = text.find("\r\n"); pos != std::string::npos; pos = text.find("\r\n", pos)) {
    text.replace(pos, 2, "\\r\\n");
  }
  return text;
}

bool file_contains(const std::filesystem::path& path, std::string_view needle) {
  return tail_of_file(path, 200).find(needle) != std::string::npos;
}

}  // namespace

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) {
  if (options_.work_dir.empty()) {
    work_dir_ = owned_work_dir_.emplace("understudy-redis").path();
  } else {
    work_dir_ = std::filesystem::absolute(options_.work_dir);
    std::filesystem::create_directories(work_dir_);
  }
  try {
    const int attempts = options_.port != 0 ? 1 : std::max(1, options_.port_attempts);
    for (int attempt = 1;; ++attempt) {
      port_ = options_.port != 0 ? options_.port : pick_free_port();
      write_config();
      try {
        launch_and_wait_ready();
        return;
      } catch (const std::runtime_error&) {
        // Lost the race for the port to another process: pick another one.
        const bool clash =
            process_ && !process_->running() &&
            (file_contains(log_path(), "Address already in use") ||
             file_contains(work_dir_ / "redis-server.stdout.log", "Address already in use"));
        if (!clash || attempt >= attempts) {
          throw;
        }
        process_.reset();
      }
    }
  } catch (...) {
    // No destructor runs: stop the server here, and leave the work dir for
    // the log the message names.
    process_.reset();
    if (owned_work_dir_) {
      owned_work_dir_->keep();
    }
    throw;
  }
}

RedisServer::~RedisServer() {
  try {
    stop();
  } catch (...) {
    // process_'s own destructor makes the last SIGKILL attempt.
  }
  process_.reset();
  if (owned_work_dir_ && options_.keep_work_dir) {
    owned_work_dir_->keep();
  }
}

std::string RedisServer::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_);
}

pid_t RedisServer::pid() const {
  return process_ ? process_->pid() : -1;
}

bool RedisServer::running() {
  return process_ && process_->running();
}

bool RedisServer::answers_ping(std::chrono::milliseconds timeout, std::string* seen) const {
  const Probe ping = exchange(port_, "*1\r\n$4\r\nPING\r\n", Clock::now() + timeout);
  const bool pong = ping.answered && ping.text == "+PONG\r\n";
  if (!pong && seen != nullptr) {
    *seen = ping.answered ? "reply " + printable(ping.text) : ping.text;
  }
  return pong;
}

std::string RedisServer::log_tail(std::size_t lines) const {
  std::string text = tail_of_file(log_path(), lines);
  const auto stdout_log = work_dir_ / "redis-server.stdout.log";
  std::error_code ignored;
  if (std::filesystem::file_size(stdout_log, ignored) > 0) {
    text +=
        "--- stdout/stderr (" + stdout_log.string() + ") ---\n" + tail_of_file(stdout_log, lines);
  }
  return text;
}

void RedisServer::write_config() const {
  std::ofstream config(config_path(), std::ios::trunc);
  config << "# Written by understudy::redis::RedisServer for one test or scenario.\n"
         << "bind 127.0.0.1\n"
         << "protected-mode yes\n"
         << "port " << port_ << "\n"
         << "daemonize no\n"
         << "dir " << quoted(work_dir_) << "\n"
         << "logfile " << quoted(log_path()) << "\n"
         << "loglevel notice\n"
         << "save \"\"\n"
         << "appendonly no\n";
  for (const auto& [key, value] : options_.extra_config) {
    config << key << " " << value << "\n";
  }
  if (!config.flush()) {
    throw std::runtime_error("cannot write " + config_path().string());
  }
}

void RedisServer::launch_and_wait_ready() {
  process_ = std::make_unique<ChildProcess>(ProcessSpec{
      .name = options_.name,
      .argv = {options_.executable.string(), config_path().string()},
      .env = {},
      .log_path = work_dir_ / "redis-server.stdout.log",
      .cwd = work_dir_,
  });
  const std::string expected = "PING on 127.0.0.1:" + std::to_string(port_) +
                               " answered with +PONG by pid " + std::to_string(process_->pid());
  const auto started = Clock::now();
  const auto deadline = started + options_.ready_timeout;
  std::string seen = "no attempt yet";
  for (;;) {
    if (!process_->running()) {
      fail("expected " + expected + "; seen: the server " + process_->describe_exit() +
           " before it was ready");
    }
    const auto probe_deadline = std::min(deadline, Clock::now() + kProbeTimeout);
    const Probe ping = exchange(port_, "*1\r\n$4\r\nPING\r\n", probe_deadline);
    if (ping.answered && ping.text == "+PONG\r\n") {
      // Our PONG, not that of a stranger who got the port first while our
      // server is failing to bind it.
      const Probe info = exchange(port_, "*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n", probe_deadline);
      const std::string own_pid = "process_id:" + std::to_string(process_->pid()) + "\r\n";
      if (info.answered && info.text.find(own_pid) != std::string::npos) {
        return;
      }
      seen = "PONG, but INFO server did not name pid " + std::to_string(process_->pid()) + " (" +
             (info.answered ? "another process answers" : info.text) + ")";
    } else {
      seen = ping.answered ? "reply " + printable(ping.text) : ping.text;
    }
    if (Clock::now() >= deadline) {
      fail("expected " + expected + " within " + std::to_string(options_.ready_timeout.count()) +
           " ms; seen: " + seen + " (process still running)");
    }
    std::this_thread::sleep_for(kReadyPollInterval);
  }
}

void RedisServer::stop() {
  if (!process_) {
    return;
  }
  if (process_->running()) {
    process_->send_signal(SIGTERM);
    process_->send_signal(SIGCONT);  // a paused server only acts on SIGTERM once resumed
    if (!process_->wait_exit(options_.stop_grace)) {
      process_->send_signal(SIGKILL);
      if (!process_->wait_exit(kKillDeadline)) {
        fail("expected pid " + std::to_string(process_->pid()) + " to exit after SIGKILL within " +
             std::to_string(kKillDeadline.count()) + " ms; seen: still running");
      }
    }
  }
  process_.reset();
}

void RedisServer::start() {
  if (running()) {
    fail("expected a stopped server to start; seen: pid " + std::to_string(pid()) +
         " still running");
  }
  process_.reset();
  write_config();
  launch_and_wait_ready();
}

void RedisServer::restart() {
  stop();
  start();
}

void RedisServer::pause() {
  if (!running()) {
    fail("expected a running server to pause; seen: not running");
  }
  process_->send_signal(SIGSTOP);
}

void RedisServer::resume() {
  if (!running()) {
    fail("expected a running server to resume; seen: not running");
  }
  process_->send_signal(SIGCONT);
}

void RedisServer::fail(const std::string& what) const {
  throw std::runtime_error(options_.name + " on 127.0.0.1:" + std::to_string(port_) + ": " + what +
                           "\nconfig: " + config_path().string() + "\nlog: " + log_path().string() +
                           "\n" + log_tail());
}

}  // namespace understudy::redis
