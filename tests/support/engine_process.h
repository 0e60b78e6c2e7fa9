// EngineProcess: one understudy-engine child process, started for one test.
//
// The child runs in the test's own directory, with stdin from /dev/null, its
// stderr (the console echo) captured to engine.stderr.log there and stdout to
// engine.stdout.log. It is reaped by its pid; a child still running when its
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

#include "tests/support/deadline.h"

namespace understudy::testing {

struct ExitStatus {
  bool exited = false;  // by exit(); otherwise killed by `signal`
  int code = -1;
  int signal = 0;
  bool core_dumped = false;

  std::string describe() const;  // "exit code 2", "killed by SIGSEGV (core dumped)"
};

// One console record as the engine echoes it on stderr,
// "[    0.123 f6      main        ] log     text", with the lines of a
// multi-line text (a traceback) that follow it.
struct EchoedRecord {
  double seconds = 0;
  std::uint64_t frame = 0;
  std::string thread;
  std::string severity;  // "log", "warning", "error"
  std::string text;
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
  // The console records echoed on stderr; the engine's own lines
  // ("understudy-engine: ...") are not records.
  std::vector<EchoedRecord> console_records() const;
  // Those whose text contains `text`.
  std::vector<EchoedRecord> console_records_containing(std::string_view text) const;

  // "stderr log: <path>" and its last lines, for failure messages.
  std::string diagnostics(std::size_t tail_lines = 25) const;

 private:
  bool try_reap();  // true once the child has been reaped

  std::filesystem::path stderr_path_;
  std::string command_line_;
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace understudy::testing
