// RedisServer: a private redis-server for one test or scenario, started the
// way Redis's own test suite starts one (tests/support/server.tcl): its own
// work directory and config file, a free port on 127.0.0.1 (a clash with
// another process retries on a new port), ready once it answers PING, and
// stopped by its own pid.
//
// Contract:
// - Config: bind 127.0.0.1, protected-mode yes, save "" and appendonly no (no
//   persistence: a restart starts empty), the log file in the work dir.
// - Errors: every failure throws std::runtime_error naming what was expected,
//   what was seen, the log path and the log's tail.
// - Nothing survives: the destructor stops the server (and removes the work
//   dir it created unless told to keep it). The server is a
//   ChildProcess, so it also dies if the harness does.
// - Threads: not thread-safe; use one instance from one thread at a time.
//   It may be created or restarted from any thread, a short-lived one too:
//   the server lives until it is stopped (ChildProcess forks every
//   child from one thread that never ends).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/temp_dir.h"

namespace understudy {
class ChildProcess;
}

namespace understudy::redis {

struct RedisServerOptions {
  std::filesystem::path executable = "/usr/bin/redis-server";
  // Where config, log and stdout go. Empty: a fresh directory under $TMPDIR
  // ("understudy-redis-XXXXXX"), removed by the destructor unless
  // keep_work_dir. A given directory is created if missing and never removed.
  std::filesystem::path work_dir;
  bool keep_work_dir = false;
  std::string name = "redis-server";  // in messages and the ChildProcess name
  // Fixed port; 0 picks a free one (bind port 0, then retry on a clash).
  int port = 0;
  int port_attempts = 5;
  std::chrono::milliseconds ready_timeout{5000};  // start to PING answered
  std::chrono::milliseconds stop_grace{3000};     // SIGTERM to SIGKILL
  // Appended to the config file as "key value" lines (after ours, so they win).
  std::vector<std::pair<std::string, std::string>> extra_config;
};

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});  // starts it; throws
  ~RedisServer();                                         // stops it; never throws
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  std::string url() const;  // "redis://127.0.0.1:PORT"
  // The running server's pid, -1 once stopped (so that nobody signals a
  // recycled pid).
  pid_t pid() const;
  const std::filesystem::path& work_dir() const { return work_dir_; }
  std::filesystem::path config_path() const { return work_dir_ / "redis.conf"; }
  std::filesystem::path log_path() const { return work_dir_ / "redis.log"; }
  // The last lines of the server's log file (and of its stdout/stderr, which
  // holds what it printed before it opened the log, e.g. config errors).
  std::string log_tail(std::size_t lines = 30) const;

  bool running();
  // Whether the server answers PING with PONG within `timeout` (on its port,
  // whoever runs it); otherwise `seen` says what happened instead.
  bool answers_ping(std::chrono::milliseconds timeout, std::string* seen) const;

  // SIGTERM to its own pid (with SIGCONT, so that a paused server handles
  // it), SIGKILL after stop_grace, then reaps it. Throws if it still will not
  // die; a no-op if not running.
  void stop();
  // Starts it again on the same port (ready before ready_timeout). Throws if
  // it is running, or if the port has been taken meanwhile.
  void start();
  // stop() then start(): for fault scenarios, same port, same work dir.
  void restart();

  // SIGSTOP / SIGCONT: the server keeps its sockets but stops answering.
  void pause();
  void resume();

 private:
  void write_config() const;
  void launch_and_wait_ready();
  [[noreturn]] void fail(const std::string& what) const;

  RedisServerOptions options_;
  std::filesystem::path work_dir_;
  std::optional<TempDir> owned_work_dir_;  // when no work_dir was given
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace understudy::redis
