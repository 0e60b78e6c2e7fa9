// SIGTERM and SIGINT stop understudy-engine cleanly: exit code 0 within a
// deadline, with the "received ..., stopping" warning on its console.
#define BOOST_TEST_MODULE e2e_signals
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>

#include "tests/support/engine_process.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::testing;

namespace {

// The signal watcher polls every 100 ms; the rest is the Python shutdown.
constexpr std::chrono::milliseconds kStopDeadline{5000};

void stops_cleanly_on(int signal, const std::string& name) {
  TempDir dir("understudy-e2e-signals");
  const auto script = std::filesystem::path(UNDERSTUDY_E2E_SCRIPTS_DIR) / "announces_frames.py";
  EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(),
                       {"--no-rpc", "--tick-hz", "100", "--script", script.string()});
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
