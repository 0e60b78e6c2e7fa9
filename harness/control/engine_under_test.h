// EngineUnderTest: an engine the harness starts to test it (a scenario's,
// a stress step's), or a stand-in that answers the same control ops (the
// stress run's plain RPyC baseline server): its child process, the private
// folder of its control socket, the wait for it to start, and then its
// EngineClient and the RPC address its hello told.
//
// Contract:
// - The constructor spawns the process (its output goes to options.log) and
//   returns at once, so that a watchdog can know its pid while it starts.
//   It throws std::runtime_error when it cannot make the socket's folder or
//   spawn the process.
// - wait_until_ready() returns once the control channel is open (within
//   kEngineStartTimeout, harness/timeouts.h), options.once_connected has run
//   and the hello told an RPC address (kControlRequestTimeout); otherwise it
//   throws EngineStartError with start_failure()'s message. Call it once,
//   before control() and rpc_address().
// - The control socket's folder is removed as soon as the channel is open
//   (the socket is not needed past that), so that not even a SIGKILL of the
//   harness leaves it behind.
// - Destroying it closes the channel and stops the process by its pid
//   (ChildProcess) if it is still running. Not thread-safe: the thread that
//   started it alone uses it (its EngineClient is thread-safe).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "harness/control/engine_client.h"
#include "harness/run/private_folder.h"

namespace understudy::harness {

// The engine binary's own command line: the flags every engine under test
// gets, then the caller's.
struct EngineCommand {
  std::filesystem::path binary;
  double tick_hz = 60;
  // --port 0: RPC on a loopback port the engine picks and tells in its hello.
  // Off for an engine serving PfU's Unix socket instead.
  bool rpc_on_port = true;
  bool faithful = false;          // --faithful
  std::vector<std::string> args;  // after the flags above

  std::vector<std::string> argv(const std::filesystem::path& control_socket) const;
};

struct EngineUnderTestOptions {
  std::string name = "the engine";      // who, in messages
  std::string process_name = "engine";  // its ChildProcess's name: "engine log: PATH"
  // The command line, given the control socket's path to pass with --control.
  std::function<std::vector<std::string>(const std::filesystem::path& control_socket)> command;
  std::map<std::string, std::string> env;
  std::filesystem::path log;
  // Runs once the channel is open, before the hello: a scenario waits for
  // its startup scripts here. What it throws fails the start.
  std::function<void(EngineClient&)> once_connected;
};

// The engine did not start; what() is EngineUnderTest::start_failure()'s.
class EngineStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class EngineUnderTest {
 public:
  explicit EngineUnderTest(EngineUnderTestOptions options);

  void wait_until_ready();

  ChildProcess& process() { return *process_; }
  EngineClient& control() { return *control_; }
  // Null until the channel opened (a start that failed before).
  EngineClient* control_or_null() { return control_.get(); }
  const std::string& rpc_address() const { return rpc_address_; }

  // "engine log: PATH"
  std::string log_hint() const;
  // "<name> did not start: <seen> (<how it exited, or running>; <log hint>)",
  // then the last lines of its log when it exited (a schema or script it
  // refused is the reason more often than not).
  std::string start_failure(const std::string& seen);

  // Removes the socket's folder now, if the channel never opened.
  void remove_control_folder() { control_dir_.reset(); }

 private:
  EngineUnderTestOptions options_;
  std::optional<PrivateFolder> control_dir_;  // until the control client is connected
  std::filesystem::path control_path_;
  std::unique_ptr<ChildProcess> process_;
  std::unique_ptr<EngineClient> control_;
  std::string rpc_address_;
};

}  // namespace understudy::harness
