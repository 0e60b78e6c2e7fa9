// SIGTERM and SIGINT stop understudy-engine cleanly: exit code 0 within a
// deadline, with the "received ..., stopping" warning on its console, also
// right after a burst of SIGHUPs (domain reloads). The engine's handling of
// signals leaves the processes it starts able to take them.
#define BOOST_TEST_MODULE e2e_signals
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/engine_process.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::testing;

namespace {

// Margin for a loaded machine: a stop takes the Python shutdown's time.
constexpr std::chrono::milliseconds kStopDeadline{5000};

std::filesystem::path script(const std::string& name) {
  return std::filesystem::path(UNDERSTUDY_E2E_SCRIPTS_DIR) / name;
}

// The state letter of /proc/PID/stat ('S' sleeping, 'Z' ended but not yet
// reaped), or '-' once there is no such process.
char process_state(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) {
    return '-';
  }
  const auto after_name = line.rfind(") ");
  return after_name == std::string::npos ? '?' : line[after_name + 2];
}

// Kills a process the test did not start (a child of the engine) by its pid,
// at the latest when the test ends, whatever it failed on. Only while the
// engine lives: until it is reaped, the pid cannot name another process.
class KillAtExit {
 public:
  explicit KillAtExit(pid_t pid) : pid_(pid) {}
  ~KillAtExit() { kill_now(); }
  KillAtExit(const KillAtExit&) = delete;
  KillAtExit& operator=(const KillAtExit&) = delete;

  void kill_now() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      pid_ = -1;
    }
  }

 private:
  pid_t pid_;
};

void stops_cleanly_on(int signal, const std::string& name) {
  TempDir dir("understudy-e2e-signals");
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--no-rpc", "--tick-hz", "100", "--script", script("announces_frames.py").string()});
  // Before its signal watcher is up, a signal would simply kill the engine.
  BOOST_REQUIRE(engine.wait_for_stderr("engine ready at frame"));

  const auto sent = std::chrono::steady_clock::now();
  engine.send_signal(signal);
  BOOST_REQUIRE(engine.wait_for_exit(kStopDeadline));
  const auto waited_ms = milliseconds_since(sent);

  BOOST_TEST_MESSAGE("SIG" << name << " to exit: " << waited_ms << " ms");
  const auto& status = *engine.exit_status();
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST((status.exited && status.code == 0),
               "expected exit code 0, got " << status.describe());
    const auto warnings = engine.console_records_containing("received " + name + ", stopping");
    BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
    BOOST_TEST(warnings[0].severity == "warning");
    BOOST_TEST(warnings[0].thread == "signals");
    BOOST_TEST(engine.stderr_text().find("understudy-engine: stopped after") != std::string::npos);
    // The console file ends with how the run ended, after the records of the stop.
    const auto ended = engine.exit_event();
    BOOST_REQUIRE(ended.has_value());
    BOOST_TEST(ended->frames > 0u);
    BOOST_TEST(ended->engine_errors == 0u);
    // Reaped by its pid: not even a zombie is left.
    errno = 0;
    BOOST_TEST(::kill(engine.pid(), 0) == -1);
    BOOST_TEST(errno == ESRCH);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(sigterm_stops_the_engine_cleanly) {
  stops_cleanly_on(SIGTERM, "TERM");
}

BOOST_AUTO_TEST_CASE(sigint_stops_the_engine_cleanly) {
  stops_cleanly_on(SIGINT, "INT");
}

// The handler only flags the signal; the watcher thread does the rest. A
// burst of HUPs with a TERM at its end must neither lose the TERM nor stop
// the engine any other way than cleanly.
BOOST_AUTO_TEST_CASE(a_burst_of_hups_then_sigterm_stops_the_engine_cleanly) {
  TempDir dir("understudy-e2e-signals");
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--no-rpc", "--tick-hz", "100", "--script", script("announces_frames.py").string()});
  BOOST_REQUIRE(engine.wait_for_stderr("engine ready at frame"));

  constexpr int kHups = 50;
  for (int i = 0; i < kHups; ++i) {
    engine.send_signal(SIGHUP);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  engine.send_signal(SIGTERM);
  BOOST_REQUIRE(engine.wait_for_exit(kStopDeadline));

  const auto& status = *engine.exit_status();
  BOOST_TEST_CONTEXT(engine.diagnostics()) {
    BOOST_TEST((status.exited && status.code == 0),
               "expected exit code 0, got " << status.describe());
    const auto stops = engine.console_records_containing("received TERM, stopping");
    BOOST_REQUIRE_EQUAL(stops.size(), 1u);
    BOOST_TEST(stops[0].thread == "signals");
    // Signals of one kind that arrive before the watcher looks count once,
    // as the kernel's pending signals do; at least one HUP is seen.
    const auto hups = engine.console_records_containing("received HUP");
    BOOST_TEST_MESSAGE(kHups << " HUPs sent, " << hups.size() << " seen");
    BOOST_TEST(!hups.empty());
    BOOST_TEST(hups.size() <= static_cast<std::size_t>(kHups));
    for (const auto& hup : hups) {
      BOOST_TEST(hup.thread == "signals");
    }
  }
}

// Signals the engine handles stay unblocked: a process it starts (game code's
// subprocess) inherits the signal mask, and with them blocked it could not be
// stopped with SIGTERM.
BOOST_AUTO_TEST_CASE(a_process_the_engine_starts_can_be_stopped_with_sigterm) {
  TempDir dir("understudy-e2e-signals");
  EngineProcess engine(
      UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
      {"--no-rpc", "--tick-hz", "100", "--script", script("starts_a_child.py").string()});
  BOOST_REQUIRE(engine.wait_for_stderr("started child pid "));
  const auto started = engine.console_records_containing("started child pid ");
  BOOST_REQUIRE_EQUAL(started.size(), 1u);
  const pid_t child = std::stoi(started[0].text.substr(started[0].text.rfind(' ') + 1));
  KillAtExit kill_child(child);

  BOOST_REQUIRE_EQUAL(::kill(child, SIGTERM), 0);

  // The engine does not reap it, so a child that ended stays a zombie.
  BOOST_TEST(poll_until([child] { return process_state(child) == 'Z'; },
                        "the engine's child to end on SIGTERM",
                        [child] {
                          return std::string("state ") + process_state(child) +
                                 " (S: still running, the signal blocked)";
                        }),
             engine.diagnostics());
  kill_child.kill_now();
  engine.send_signal(SIGTERM);
  BOOST_REQUIRE(engine.wait_for_exit(kStopDeadline));
}
