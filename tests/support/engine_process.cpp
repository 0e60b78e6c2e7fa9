#include "tests/support/engine_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace understudy::testing {
namespace {

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> result;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    if (!overrides.contains(std::string(name))) {
      result.emplace_back(text);
    }
  }
  for (const auto& [name, value] : overrides) {
    result.push_back(name + "=" + value);
  }
  return result;
}

std::vector<char*> c_array(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) {
    result.push_back(s.data());
  }
  result.push_back(nullptr);
  return result;
}

void check(int error, const char* what) {
  if (error != 0) {
    throw std::system_error(error, std::generic_category(), what);
  }
}

}  // namespace

std::string ExitStatus::describe() const {
  if (exited) {
    return "exit code " + std::to_string(code);
  }
  return "killed by " + signal_name(signal) + (core_dumped ? " (core dumped)" : "");
}

EngineProcess::EngineProcess(const std::filesystem::path& executable,
                             const std::filesystem::path& work_dir,
                             const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env)
    : stderr_path_(work_dir / "engine.stderr.log"),
      console_path_(work_dir / "engine.console.jsonl") {
  std::vector<std::string> argv{executable.string(), "--console-file", console_path_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const auto& arg : argv) {
    command_line_ += (command_line_.empty() ? "" : " ") + arg;
  }
  auto envp = merged_environment(env);
  const auto stdout_path = (work_dir / "engine.stdout.log").string();
  const auto stderr_path = stderr_path_.string();
  const auto dir = work_dir.string();

  posix_spawn_file_actions_t actions;
  check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init");
  posix_spawnattr_t attributes;
  check(posix_spawnattr_init(&attributes), "posix_spawnattr_init");
  // The child must get default signal handling whatever the test runner
  // blocked or ignored: the signal tests depend on it.
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());

  const int error = posix_spawn(&pid_, argv.front().c_str(), &actions, &attributes,
                                c_array(argv).data(), c_array(envp).data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  check(error, ("posix_spawn " + command_line_).c_str());
}

EngineProcess::~EngineProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int raw = 0;
    while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
  }
}

void EngineProcess::send_signal(int signal) const {
  if (!status_ && ::kill(pid_, signal) != 0) {
    throw std::system_error(errno, std::generic_category(), "kill " + std::to_string(pid_));
  }
}

bool EngineProcess::try_reap() {
  if (status_) {
    return true;
  }
  int raw = 0;
  const pid_t reaped = ::waitpid(pid_, &raw, WNOHANG);
  if (reaped != pid_) {
    return false;
  }
  ExitStatus status;
  status.exited = WIFEXITED(raw);
  status.code = status.exited ? WEXITSTATUS(raw) : -1;
  status.signal = WIFSIGNALED(raw) ? WTERMSIG(raw) : 0;
  status.core_dumped = WIFSIGNALED(raw) && WCOREDUMP(raw);
  status_ = status;
  return true;
}

boost::test_tools::assertion_result EngineProcess::wait_for_exit(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // A pidfd becomes readable when the child exits: no polling of waitpid.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  while (!try_reap()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds::zero()) {
      break;
    }
    if (pidfd >= 0) {
      pollfd fd{pidfd, POLLIN, 0};
      ::poll(&fd, 1, static_cast<int>(left.count()));
    } else {
      std::this_thread::sleep_for(kPollInterval);
    }
  }
  if (pidfd >= 0) {
    ::close(pidfd);
  }
  if (status_) {
    return true;
  }
  boost::test_tools::assertion_result result(false);
  result.message() << "understudy-engine (pid " << pid_ << ") did not exit within "
                   << timeout.count() << " ms\n"
                   << diagnostics();
  return result;
}

boost::test_tools::assertion_result EngineProcess::wait_for_stderr(
    std::string_view text, std::chrono::milliseconds timeout) const {
  auto result = poll_until([&] { return stderr_text().find(text) != std::string::npos; },
                           "\"" + std::string(text) + "\" on the engine's stderr", {}, timeout);
  if (!result) {
    result.message() << "\n" << diagnostics();
  }
  return result;
}

std::string EngineProcess::stderr_text() const {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> EngineProcess::stderr_lines() const {
  std::vector<std::string> lines;
  std::istringstream in(stderr_text());
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

namespace {

// The console file's events in order; a line not yet ended (the engine is
// writing it) is left out.
std::vector<nlohmann::json> console_file_events(const std::filesystem::path& path) {
  std::vector<nlohmann::json> events;
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    events.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return events;
}

}  // namespace

std::vector<protocol::ConsoleEvent> EngineProcess::console_records() const {
  std::vector<protocol::ConsoleEvent> records;
  for (const auto& event : console_file_events(console_path_)) {
    if (event.at("event") == "console") {
      records.push_back(event.at("data").get<protocol::ConsoleEvent>());
    }
  }
  return records;
}

std::vector<protocol::ConsoleEvent> EngineProcess::console_records_containing(
    std::string_view text) const {
  std::vector<protocol::ConsoleEvent> result;
  for (auto& record : console_records()) {
    if (record.text.find(text) != std::string::npos) {
      result.push_back(std::move(record));
    }
  }
  return result;
}

std::optional<protocol::EngineExit> EngineProcess::exit_event() const {
  const auto events = console_file_events(console_path_);
  if (events.empty() || events.back().at("event") != "exit") {
    return std::nullopt;
  }
  return events.back().at("data").get<protocol::EngineExit>();
}

std::string EngineProcess::diagnostics(std::size_t tail_lines) const {
  const auto lines = stderr_lines();
  const auto first = lines.size() > tail_lines ? lines.size() - tail_lines : 0;
  std::string text = "command: " + command_line_ +
                     "\nstatus: " + (status_ ? status_->describe() : std::string("still running")) +
                     "\nstderr log: " + stderr_path_.string() + " (last " +
                     std::to_string(lines.size() - first) + " of " + std::to_string(lines.size()) +
                     " lines)\n";
  for (auto i = first; i < lines.size(); ++i) {
    text += "  | " + lines[i] + "\n";
  }
  return text;
}

}  // namespace understudy::testing
