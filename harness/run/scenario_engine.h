// ScenarioEngine: the engine a scenario runs against, started with the
// scenario's [engine] table: its process, its control channel, the private
// TMPDIR it shares with its clients, and the loopback port the scenario's
// own servers take (UNDERSTUDY_SCENARIO_PORT).
//
// Contract:
// - start() returns once the engine answers on its control channel, has run
//   its startup scripts and told its RPC address; otherwise it throws
//   ScenarioError (kind engine error when the engine itself did not start),
//   with the end of the engine's log when it exited.
// - kill_from_any_thread() is for the watchdog at the scenario's deadline:
//   it signals the engine only while it is still this process's child.
// - The rest is for the scenario's thread, after start() unless said.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "harness/control/engine_client.h"
#include "harness/control/engine_under_test.h"
#include "harness/run/private_folder.h"
#include "harness/run/scenario_runner.h"

namespace understudy::harness {

class ScenarioEngine {
 public:
  ScenarioEngine(const Scenario& scenario, const RunSettings& settings)
      : scenario_(scenario), settings_(settings) {}

  // `env` joins the engine's environment (UNDERSTUDY_REDIS_URL).
  void start(const std::map<std::string, std::string>& env);

  bool started() const { return engine_ != nullptr; }
  // Null until start() made them.
  ChildProcess* process() { return engine_ ? &engine_->process() : nullptr; }
  EngineClient* control_or_null() { return engine_ ? engine_->control_or_null() : nullptr; }
  // REQUIRES: started.
  EngineClient& control() { return engine_->control(); }
  ChildProcess& process_started() { return engine_->process(); }

  const std::string& rpc_address() const { return engine_->rpc_address(); }
  int scenario_port() const { return scenario_port_; }
  const std::filesystem::path& tmp_dir() const { return tmp_dir_; }
  // By id: the engine errors announced before the harness listened.
  const std::map<std::uint64_t, nlohmann::json>& startup_errors() const { return startup_errors_; }

  // "engine log: PATH", or "engine not started".
  std::string log_hint() const;

  void kill_from_any_thread();
  // The control socket's folder, if the engine never connected.
  void remove_control_folder() {
    if (engine_) {
      engine_->remove_control_folder();
    }
  }

 private:
  void make_tmp_dir();
  std::vector<std::string> engine_args() const;
  void wait_for_startup_scripts(EngineClient& control);
  std::map<std::string, std::string> pfu_engine_env() const;
  std::filesystem::path pfu_socket_path() const;
  void check_pfu_socket_fits() const;

  const Scenario& scenario_;
  const RunSettings& settings_;
  std::filesystem::path tmp_dir_;               // the engine's and its clients' TMPDIR
  std::optional<PrivateFolder> short_tmp_dir_;  // TMPDIR when the work folder's is too deep
  std::unique_ptr<EngineUnderTest> engine_;
  int scenario_port_ = 0;      // a free loopback port for the scenario's own servers
  std::atomic<pid_t> pid_{0};  // for the watchdog's thread
  std::map<std::uint64_t, nlohmann::json> startup_errors_;
};

}  // namespace understudy::harness
