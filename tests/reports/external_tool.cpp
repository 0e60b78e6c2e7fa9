#include "tests/reports/external_tool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

extern char** environ;

namespace understudy::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void check(int error, const std::string& what) {
  if (error != 0) {
    throw std::system_error(error, std::generic_category(), what);
  }
}

// Waits until the child has exited, without reaping it: while it is an
// unreaped zombie its pid, and so its process group id, cannot be reused, so
// the group can still be killed safely afterwards. The pidfd becomes
// readable when the child exits.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  const auto exited = [pid] {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
  };
  bool done = false;
  while (!(done = exited())) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds::zero()) {
      break;
    }
    pollfd fd{pidfd, POLLIN, 0};
    ::poll(&fd, pidfd >= 0 ? 1 : 0, pidfd >= 0 ? static_cast<int>(left.count()) : 5);
  }
  if (pidfd >= 0) {
    ::close(pidfd);
  }
  return done;
}

}  // namespace

std::string ToolRun::describe() const {
  std::string text = command_line;
  if (timed_out) {
    text += " did not finish before its deadline and was killed";
  } else if (exited) {
    text += " exited with code " + std::to_string(exit_code);
  } else {
    text += " was killed by a signal";
  }
  if (!err.empty()) {
    text += "\nits stderr:\n" + err.substr(err.size() > 4000 ? err.size() - 4000 : 0);
  }
  if (!out.empty()) {
    text += "\nits stdout:\n" + out.substr(0, 4000);
  }
  return text;
}

std::optional<std::filesystem::path> find_program(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

ToolRun run_tool(const std::filesystem::path& program, const std::vector<std::string>& args,
                 const std::filesystem::path& work_dir, std::chrono::milliseconds timeout) {
  ToolRun run;
  std::vector<std::string> argv{program.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const auto& arg : argv) {
    run.command_line += (run.command_line.empty() ? "" : " ") + arg;
  }
  const auto stem = work_dir / program.filename();
  const auto out_path = stem.string() + ".stdout";
  const auto err_path = stem.string() + ".stderr";

  posix_spawn_file_actions_t actions;
  check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init");
  posix_spawnattr_t attributes;
  check(posix_spawnattr_init(&attributes), "posix_spawnattr_init");
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> c_argv;
  for (auto& arg : argv) {
    c_argv.push_back(arg.data());
  }
  c_argv.push_back(nullptr);
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, argv.front().c_str(), &actions, &attributes, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  check(error, "posix_spawn " + run.command_line);

  run.timed_out = !wait_for_exit(pid, timeout);
  ::kill(-pid, SIGKILL);  // the tool on timeout, and any helpers it left behind in its group
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  run.exited = !run.timed_out && WIFEXITED(raw);
  run.exit_code = run.exited ? WEXITSTATUS(raw) : -1;
  run.out = read_file(out_path);
  run.err = read_file(err_path);
  return run;
}

}  // namespace understudy::testing
