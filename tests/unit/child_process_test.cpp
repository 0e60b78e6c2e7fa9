// ChildProcess (common/child_process): a child lives until it is stopped, whichever
// thread started it, and is stopped by its own pid.
#define BOOST_TEST_MODULE child_process
#include "common/child_process.h"

#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "tests/support/deadline.h"
#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using understudy::ChildProcess;
using understudy::ProcessSpec;
using understudy::testing::TempDir;

namespace {

ProcessSpec sleeper(const TempDir& dir, const std::string& name) {
  return {.name = name,
          .argv = {"/bin/sleep", "30"},
          .env = {},
          .log_path = dir.path() / (name + ".log"),
          .cwd = std::nullopt};
}

}  // namespace

// PR_SET_PDEATHSIG fires when the thread that forked the child exits: a
// child started from a short-lived thread used to be killed with it.
BOOST_AUTO_TEST_CASE(a_child_started_from_a_thread_that_ends_keeps_running) {
  TempDir dir("understudy-child-process");
  std::unique_ptr<ChildProcess> child;
  std::thread([&] { child = std::make_unique<ChildProcess>(sleeper(dir, "sleeper")); }).join();

  const bool exited = child->wait_exit(1000ms);
  BOOST_TEST(!exited, "the child started from an ended thread "
                          << child->describe_exit() << " within 1 s; it should run until stopped");
  child->stop(1000ms);
  BOOST_TEST(child->exit_code().value_or(-1) == 128 + SIGTERM);
}

BOOST_AUTO_TEST_CASE(children_started_from_many_threads_at_once_all_run) {
  TempDir dir("understudy-child-process");
  std::vector<std::unique_ptr<ChildProcess>> children(8);
  std::vector<std::thread> starters;
  for (std::size_t i = 0; i < children.size(); ++i) {
    starters.emplace_back([&, i] {
      children[i] = std::make_unique<ChildProcess>(sleeper(dir, "s" + std::to_string(i)));
    });
  }
  for (auto& t : starters) {
    t.join();
  }
  // Every starter thread has ended; a death signal tied to one would have fired.
  const bool exited = children.front()->wait_exit(300ms);
  BOOST_TEST(!exited, children.front()->name() << " " << children.front()->describe_exit());
  for (auto& child : children) {
    BOOST_TEST(child->running(), child->name() << " " << child->describe_exit());
  }
}

BOOST_AUTO_TEST_CASE(a_program_that_cannot_be_started_is_named) {
  TempDir dir("understudy-child-process");
  ProcessSpec spec = sleeper(dir, "missing");
  spec.argv = {(dir.path() / "no-such-program").string()};
  try {
    ChildProcess child(spec);
    BOOST_FAIL("a missing program started");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("cannot start 'missing'") != std::string::npos, e.what());
  }
}

// The fault matrix's evidence that a pause took effect.
BOOST_AUTO_TEST_CASE(stopped_tells_a_sigstopped_child_from_a_running_one) {
  TempDir dir("understudy-child-process");
  ChildProcess child(sleeper(dir, "paused"));
  BOOST_TEST(!child.stopped());
  child.send_signal(SIGSTOP);
  BOOST_TEST(understudy::testing::poll_until([&] { return child.stopped(); },
                                             "the child in the stopped state after SIGSTOP"));
  child.send_signal(SIGCONT);
  BOOST_TEST(understudy::testing::poll_until([&] { return !child.stopped(); },
                                             "the child running again after SIGCONT"));
  child.stop(1000ms);
  BOOST_TEST(!child.stopped(), "an exited child is not stopped");
}
