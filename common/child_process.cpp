#include "common/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

#include "common/deadline.h"
#include "common/mutex.h"

extern char** environ;

namespace understudy {
namespace {

Mutex g_children_mutex;
std::set<pid_t> g_children GUARDED_BY(g_children_mutex);

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string::npos) {
      merged[text.substr(0, eq)] = text.substr(eq + 1);
    }
  }
  for (const auto& [key, value] : extra) {
    merged[key] = value;
  }
  std::vector<std::string> result;
  for (const auto& [key, value] : merged) {
    result.push_back(key + "=" + value);
  }
  return result;
}

// The one thread every child is forked from. PR_SET_PDEATHSIG fires when the
// *thread* that forked the child exits, not the process: a child forked from
// a short-lived thread (a redis-server restarted by a fault, a client started
// from a worker) would be killed with it. This thread is started on first use
// and never ends, so a child's death signal fires only when the harness
// itself goes. Its signals are blocked, so that no handler runs on it.
class ForkingThread {
 public:
  struct Forked {
    pid_t pid;
    int error;  // errno of a failed fork
  };

  static ForkingThread& instance() {
    // Never destroyed: the thread must outlive every static destructor that
    // may still stop a child.
    static ForkingThread* const forking = new ForkingThread();
    return *forking;
  }

  // Forks on this thread; `in_child` runs in the child (and must not return:
  // it execs or _exits). Blocks the caller until fork() has returned.
  Forked fork(const std::function<void()>& in_child) {
    std::packaged_task<Forked()> job([&in_child] {
      const pid_t pid = ::fork();
      if (pid == 0) {
        in_child();
        ::_exit(127);
      }
      return Forked{pid, pid < 0 ? errno : 0};
    });
    auto done = job.get_future();
    {
      MutexLock lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return done.get();
  }

 private:
  ForkingThread() {
    sigset_t all;
    sigfillset(&all);
    sigset_t previous;
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);  // inherited by the new thread
    std::thread([this] { serve(); }).detach();
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }

  [[noreturn]] void serve() {
    for (;;) {
      MutexLock lock(mutex_);
      lock.wait(wake_, [this]() REQUIRES(mutex_) { return !jobs_.empty(); });
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
    }
  }

  Mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<Forked()>> jobs_ GUARDED_BY(mutex_);
};
}  // namespace

ChildProcess::ChildProcess(ProcessSpec spec) : spec_(std::move(spec)) {
  if (spec_.argv.empty()) {
    throw std::invalid_argument("process '" + spec_.name + "' has no program");
  }
  std::vector<std::string> env = merged_environment(spec_.env);
  std::vector<char*> argv;
  for (auto& arg : spec_.argv) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  const int log_fd = ::open(spec_.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    throw std::runtime_error("cannot open log " + spec_.log_path.string() + " for '" + spec_.name +
                             "': " + std::strerror(errno));
  }
  int exec_error[2];
  if (::pipe2(exec_error, O_CLOEXEC) != 0) {
    ::close(log_fd);
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  const pid_t parent = ::getpid();
  const char* cwd = spec_.cwd ? spec_.cwd->c_str() : nullptr;
  const auto [pid, fork_errno] = ForkingThread::instance().fork([&] {
    // Child: only async-signal-safe calls from here to exec.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);  // the harness died before we set the death signal
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    if (cwd != nullptr && ::chdir(cwd) != 0) {
      const int e = errno;
      (void)!::write(exec_error[1], &e, sizeof e);
      ::_exit(127);
    }
    ::execve(argv[0], argv.data(), envp.data());
    const int e = errno;
    (void)!::write(exec_error[1], &e, sizeof e);
    ::_exit(127);
  });
  ::close(log_fd);
  ::close(exec_error[1]);
  if (pid < 0) {
    ::close(exec_error[0]);
    throw std::runtime_error("fork failed for '" + spec_.name + "': " + std::strerror(fork_errno));
  }
  int child_errno = 0;
  const auto got = ::read(exec_error[0], &child_errno, sizeof child_errno);
  ::close(exec_error[0]);
  if (got == static_cast<ssize_t>(sizeof child_errno)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw std::runtime_error("cannot start '" + spec_.name + "' (" + spec_.argv[0] +
                             "): " + std::strerror(child_errno));
  }
  pid_ = pid;
  MutexLock lock(g_children_mutex);
  g_children.insert(pid_);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) {
    stop(std::chrono::milliseconds(1000));
  }
}

void ChildProcess::reap(int status) {
  status_ = status;
  MutexLock lock(g_children_mutex);
  g_children.erase(pid_);
}

bool ChildProcess::running() {
  if (status_) {
    return false;
  }
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reap(status);
    return false;
  }
  return true;
}

bool ChildProcess::stopped() {
  if (!running()) {
    return false;
  }
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, the state
  // follows the last ')'.
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text;
  std::getline(stat, text);
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'T';
}

std::optional<int> ChildProcess::exit_code() {
  if (running() || !status_) {
    return std::nullopt;
  }
  if (WIFEXITED(*status_)) {
    return WEXITSTATUS(*status_);
  }
  return 128 + WTERMSIG(*status_);
}

std::string ChildProcess::describe_exit() {
  if (running()) {
    return "running";
  }
  if (WIFEXITED(*status_)) {
    return "exited with code " + std::to_string(WEXITSTATUS(*status_));
  }
  const char* name = sigabbrev_np(WTERMSIG(*status_));
  return std::string("killed by SIG") +
         (name != nullptr ? name : std::to_string(WTERMSIG(*status_)).c_str());
}

void ChildProcess::send_signal(int signal) {
  if (running()) {
    ::kill(-pid_, signal);
  }
}

bool ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  // waitpid has no timeout; poll it at a short interval within the deadline.
  constexpr std::chrono::milliseconds kReapInterval{5};
  return static_cast<bool>(poll_until([this] { return !running(); }, spec_.name + " to exit", {},
                                      timeout, kReapInterval));
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) {
    return;
  }
  send_signal(SIGTERM);
  if (!wait_exit(grace)) {
    send_signal(SIGKILL);
    wait_exit(kKilledReapTimeout);
  }
}

std::string ChildProcess::log_tail(std::size_t lines) const {
  return tail_of_file(spec_.log_path, lines);
}

void ChildProcess::kill_all_children() {
  MutexLock lock(g_children_mutex);
  for (const pid_t pid : g_children) {
    ::kill(-pid, SIGKILL);
  }
}

std::string tail_of_file(const std::filesystem::path& path, std::size_t lines) {
  std::ifstream in(path);
  if (!in) {
    return "(no log at " + path.string() + ")";
  }
  std::deque<std::string> kept;
  std::string line;
  while (std::getline(in, line)) {
    kept.push_back(line);
    if (kept.size() > lines) {
      kept.pop_front();
    }
  }
  std::string text;
  for (const auto& l : kept) {
    text += l + "\n";
  }
  return text;
}

}  // namespace understudy
