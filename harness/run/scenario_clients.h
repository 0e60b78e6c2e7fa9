// ScenarioClients: the client processes of a scenario: those its [[clients]]
// tables start before step 1, and those steps start later (the fault matrix,
// the soak). Each has its own log in the run's work folder and gets the
// engine's RPC address, the run's TMPDIR, seed and scenario port.
//
// On a deadlock report naming some of them, each is asked for its stacks
// (SIGUSR1: understudy_client dumps every thread into its log), so that the
// report can show what the clients were doing: deadlock_clients() reads the
// dumps back.
//
// Contract:
// - start_all() returns once the engine has registered every client that
//   waits for it, or throws ScenarioError naming the client that exited
//   first (with the end of its log) or how many registered in time.
// - on_control_event() runs on the control reader's thread and
//   ask_for_stacks_from_any_thread() on the watchdog's: both signal only
//   processes that are still this process's children. The rest is for the
//   scenario's thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "common/mutex.h"
#include "harness/run/deadlock_explanation.h"
#include "harness/run/scenario_engine.h"
#include "harness/run/scenario_record.h"
#include "harness/run/scenario_redis.h"

namespace understudy::harness {

class ScenarioClients {
 public:
  ScenarioClients(const Scenario& scenario, const RunSettings& settings, ScenarioEngine& engine,
                  const ScenarioRedis& redis, ScenarioRecord& record)
      : scenario_(scenario), settings_(settings), engine_(engine), redis_(redis), record_(record) {}

  // The [[clients]] tables' processes. REQUIRES: the engine started.
  void start_all();

  // A client process of the run: stopped and its log reported at the end.
  // `kind` pfu: a plain Python for Unity script, which finds the engine
  // as unity_client.connect() does (TMPDIR) and has PfU's site-packages,
  // not understudy_client, on its path, as a client Unity spawns has.
  ChildProcess& start(const std::string& name, const std::filesystem::path& script,
                      const std::vector<std::string>& args, const std::string& kind = "understudy");

  // The newest client called `name`, as the engine picks; ScenarioError
  // naming the step when the scenario started none.
  ChildProcess& named(const Step& step, const std::string& name);
  // How the newest client called `name` ended, for a call that saw it
  // disconnect; nothing when there is no such client.
  std::optional<std::string> how_newest_ended(const std::string& name);

  void on_control_event(const ControlEvent& event);
  void ask_for_stacks_from_any_thread();
  // The clients of a deadlock report (the `nth` report naming each), with the
  // stack dump each wrote on SIGUSR1, waiting up to `wait` for the dumps.
  std::vector<DeadlockClient> deadlock_clients(const nlohmann::json& report,
                                               std::chrono::milliseconds wait,
                                               const std::map<pid_t, std::size_t>& nth = {});

  void stop_all();
  // Their logs into the result: every one after a failure, else those that
  // crashed and the first two.
  void add_logs(reports::ScenarioResult& result, bool failed);
  std::size_t count() const { return processes_.size(); }

 private:
  std::filesystem::path script_of(const ClientSpec& client) const;
  std::map<std::string, std::string> auth_env() const;

  const Scenario& scenario_;
  const RunSettings& settings_;
  ScenarioEngine& engine_;
  const ScenarioRedis& redis_;
  ScenarioRecord& record_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
  std::vector<std::string> names_;
  Mutex pids_mutex_;  // steps start clients while the event hook reads
  std::vector<pid_t> pids_ GUARDED_BY(pids_mutex_);
  std::vector<std::filesystem::path> logs_ GUARDED_BY(pids_mutex_);
  std::vector<bool> dumps_stacks_ GUARDED_BY(pids_mutex_);
  // Per client pid, the size of its log when each deadlock report asked it
  // for its stacks.
  std::map<pid_t, std::vector<std::uintmax_t>> dump_offsets_ GUARDED_BY(pids_mutex_);
};

}  // namespace understudy::harness
