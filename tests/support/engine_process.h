// EngineProcess: one understudy-engine child process, started for one test.
//
// The child runs in the test's own directory, with stdin from /dev/null, its
// stderr (the console echo) captured to engine.stderr.log there, stdout to
// engine.stdout.log, and its console file (--console-file, the records a test
// reads) at engine.console.jsonl. It is reaped by its pid; a child still running when its
// EngineProcess is destroyed is killed with SIGKILL first, so that no test
// leaves a process behind, whatever it fails on.
#pragma once

#include <sys/types.h>

#include <boost/test/tools/assertion_result.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.h"
#include "tests/support/deadline.h"

namespace understudy::testing {

struct ExitStatus {
  bool exited = false;  // by exit(); otherwise killed by `signal`
  int code = -1;
  int signal = 0;
  bool core_dumped = false;

  std::string describe() const;  // "exit code 2", "killed by SIGSEGV (core dumped)"
};

class EngineProcess {
 public:
  // `env` sets or replaces variables of the test's own environment.
  EngineProcess(const std::filesystem::path& executable, const std::filesystem::path& work_dir,
                const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {});
  ~EngineProcess();
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

  void send_signal(int signal) const;

  // Waits for the child to exit and reaps it. The failure message names the
  // deadline and carries diagnostics(). The default covers a whole run.
  [[nodiscard]] boost::test_tools::assertion_result wait_for_exit(
      std::chrono::milliseconds timeout = kEngineRunTimeout);
  // Set once wait_for_exit() succeeded.
  const std::optional<ExitStatus>& exit_status() const { return status_; }

  // Waits until the captured stderr contains `text`.
  [[nodiscard]] boost::test_tools::assertion_result wait_for_stderr(
      std::string_view text, std::chrono::milliseconds timeout = kDefaultTimeout) const;

  std::string stderr_text() const;
  std::vector<std::string> stderr_lines() const;
  // The console records so far, from the engine's console file (every
  // engine is started with --console-file): the echo on stderr, with the
  // engine's own lines among the records, is for people.
  std::vector<protocol::ConsoleEvent> console_records() const;
  // Those whose text contains `text`.
  std::vector<protocol::ConsoleEvent> console_records_containing(std::string_view text) const;
  // The console file's last event, once the engine has stopped by itself.
  std::optional<protocol::EngineExit> exit_event() const;
  const std::filesystem::path& console_path() const { return console_path_; }

  // "stderr log: <path>" and its last lines, for failure messages.
  std::string diagnostics(std::size_t tail_lines = 25) const;

 private:
  bool try_reap();  // true once the child has been reaped

  std::filesystem::path stderr_path_;
  std::filesystem::path console_path_;
  std::string command_line_;
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace understudy::testing
