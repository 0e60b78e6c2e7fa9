// ChildProcess: one process this program started (the harness's engine and
// clients, a redis-server), with its own log file, in its own process group,
// stopped by its own pid.
//
// No child outlives its parent: each gets PR_SET_PDEATHSIG(SIGKILL) (it dies
// if the parent is killed), and every live child is listed so that the
// parent's SIGINT/SIGTERM handling can stop them all.
//
// Threads: a ChildProcess may be created on any thread, including one that
// ends long before the child should. The death signal is tied to the thread
// that forks, so every child is forked from one thread that lives as long as
// the process; a child lives until it is stopped, or its parent ends.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace understudy {

struct ProcessSpec {
  std::string name;                        // "engine", "client worker-3"
  std::vector<std::string> argv;           // argv[0] is the program path
  std::map<std::string, std::string> env;  // added to (or replacing in) the harness's environment
  std::filesystem::path log_path;          // stdout and stderr go here
  std::optional<std::filesystem::path> cwd;
};

class ChildProcess {
 public:
  // A process's SIGTERM handler gets this long (a client's closes its
  // connection, an engine's ends its frame loop) before SIGKILL.
  static constexpr std::chrono::milliseconds kStopGrace{3000};
  // SIGKILL ends a process at once; this bounds only the reaping (a process
  // in uninterruptible sleep on a loaded machine).
  static constexpr std::chrono::milliseconds kKilledReapTimeout{5000};

  // Starts the process. Throws std::runtime_error naming the program if it
  // cannot (the exec failure is reported through a pipe, not guessed).
  explicit ChildProcess(ProcessSpec spec);
  ~ChildProcess();  // stops it if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& name() const { return spec_.name; }
  const std::filesystem::path& log_path() const { return spec_.log_path; }

  bool running();  // reaps it if it has exited
  // Whether it is in the stopped state (SIGSTOP taken effect), from /proc/PID/stat.
  bool stopped();
  std::optional<int> exit_code();  // once exited: the code, or 128+signal
  std::string describe_exit();     // "exited with code 2", "killed by SIGKILL", "running"

  void send_signal(int signal);  // to the process group
  // Waits up to `timeout` for the process to exit; true if it did.
  bool wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after `grace`. Returns once the process is reaped
  // (or, should even SIGKILL not end it, after kKilledReapTimeout).
  void stop(std::chrono::milliseconds grace = kStopGrace);

  // The last `lines` lines of the log.
  std::string log_tail(std::size_t lines = 40) const;

  // Every child still running, stopped at once (for the harness's signal handling).
  static void kill_all_children();

 private:
  void reap(int status);

  ProcessSpec spec_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

std::string tail_of_file(const std::filesystem::path& path, std::size_t lines);

}  // namespace understudy
