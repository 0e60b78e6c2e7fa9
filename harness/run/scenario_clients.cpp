#include "harness/run/scenario_clients.h"

#include <signal.h>

#include <cctype>

#include "common/deadline.h"
#include "harness/run/own_child.h"
#include "harness/run/python_paths.h"
#include "harness/run/run_failures.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

// How a client process ended, for a call that saw it disconnect.
std::string how_it_ended(const std::string& name, ChildProcess& client) {
  const std::string process =
      "client process '" + name + "' (pid " + std::to_string(client.pid()) + ")";
  if (!client.wait_exit(kDisconnectedClientExitTimeout)) {
    return process + " is still running: it closed its connection";
  }
  auto exit = client.describe_exit();  // "exited with code 3", "killed by SIGKILL"
  if (const std::string code = "exited with code "; exit.starts_with(code)) {
    exit = "exited with status " + exit.substr(code.size());
  }
  return process + " " + exit;
}

std::string file_name_part(const std::string& name) {
  std::string out;
  for (char c : name) {
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_') ? c : '_';
  }
  return out;
}

}  // namespace

// An engine that requires a token (--auth-token-file among its args) gets
// clients that send it: understudy_client reads the file this names. A
// token file set in the harness's own environment reaches both already.
std::map<std::string, std::string> ScenarioClients::auth_env() const {
  const auto& args = scenario_.engine.args;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--auth-token-file") {
      return {{"UNDERSTUDY_AUTH_TOKEN_FILE", std::filesystem::absolute(args[i + 1]).string()}};
    }
  }
  return {};
}

// A client's script, with {pfu_package} made PfU's package folder; the
// parser left such a path to the run, which checks it is there.
std::filesystem::path ScenarioClients::script_of(const ClientSpec& client) const {
  const auto text = client.script.string();
  if (!text.starts_with(kPfuPackagePlaceholder)) {
    return client.script;
  }
  if (!settings_.pfu_package) {
    throw ScenarioError(client.where.text() + ": script " + text +
                        " names {pfu_package}, but no PfU package was given (--pfu-package)");
  }
  const auto script = settings_.pfu_package->string() + text.substr(kPfuPackagePlaceholder.size());
  if (!std::filesystem::is_regular_file(script)) {
    throw ScenarioError(client.where.text() + ": script " + text + " not found (looked at " +
                        script + ")");
  }
  return script;
}

void ScenarioClients::start_all() {
  std::map<std::string, int> expected;  // name -> registrations to wait for
  for (const auto& client : scenario_.clients) {
    const auto script = script_of(client);
    for (int i = 0; i < client.count; ++i) {
      const auto name = client.name(i);
      start(name, script, client.args, client.kind);
      if (client.wait_registered) {
        ++expected[name];
      }
    }
  }
  if (expected.empty()) {
    return;
  }
  auto& control = engine_.control();
  auto& engine = engine_.process_started();
  // Ready when the engine has registered every client (it logs each one).
  const auto deadline =
      std::chrono::steady_clock::now() +
      kScenarioClientsRegisterTimeout.for_count(static_cast<long long>(processes_.size()));
  std::map<std::string, int> seen;
  std::size_t next = 0;
  while (seen != expected) {
    std::size_t index = 0;
    auto event = control.wait_event(
        [](const ControlEvent& e) {
          return e.kind == "console" &&
                 e.data.value("text", std::string()).starts_with("client '") &&
                 e.data.value("text", std::string()).find("' connected from") != std::string::npos;
        },
        std::chrono::milliseconds(100), next, &index);
    if (event) {
      next = index + 1;
      const auto text = event->data.value("text", std::string());
      const auto name = text.substr(8, text.find("' connected from") - 8);
      if (expected.contains(name) && seen[name] < expected[name]) {
        ++seen[name];
      }
      continue;
    }
    if (!control.connected()) {
      throw ScenarioError("the engine closed its control channel while the clients registered (" +
                          engine.describe_exit() + "; " + engine_.log_hint() + ")");
    }
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      if (!processes_[i]->running()) {
        throw ScenarioError("client process '" + names_[i] + "' " + processes_[i]->describe_exit() +
                            " before it registered; its log (" +
                            processes_[i]->log_path().string() + ") ends with:\n" +
                            processes_[i]->log_tail(20));
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      int registered = 0;
      int wanted = 0;
      for (const auto& [name, count] : expected) {
        wanted += count;
        registered += seen[name];
      }
      throw ScenarioError("only " + std::to_string(registered) + " of " + std::to_string(wanted) +
                          " clients registered with the engine in time (" + engine_.log_hint() +
                          ")");
    }
  }
  record_.timeline("process", std::to_string(processes_.size()) + " clients registered", "harness",
                   0, "ok");
}

ChildProcess& ScenarioClients::start(const std::string& name, const std::filesystem::path& script,
                                     const std::vector<std::string>& args,
                                     const std::string& kind) {
  std::vector<std::string> argv = {settings_.python.string(), script.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const bool pfu = kind == "pfu";
  if (pfu && !settings_.pfu_package) {
    throw ScenarioError("client '" + name +
                        "' is a PfU script (kind = \"pfu\"), but no PfU package was given "
                        "(--pfu-package)");
  }
  ProcessSpec spec{"client " + name,
                   argv,
                   {{"UNDERSTUDY_RPC", engine_.rpc_address()},
                    {"UNDERSTUDY_CLIENT_NAME", name},
                    {"UNDERSTUDY_SEED", std::to_string(settings_.seed)},
                    {"UNDERSTUDY_SCENARIO_PORT", std::to_string(engine_.scenario_port())},
                    {"PYTHONPATH", python_path(settings_, pfu ? pfu_site_packages(settings_)
                                                              : std::filesystem::path())},
                    {"TMPDIR", engine_.tmp_dir().string()},
                    {"PYTHONUNBUFFERED", "1"}},
                   settings_.work_dir / ("client-" + file_name_part(name) + "-" +
                                         std::to_string(processes_.size()) + ".log"),
                   std::nullopt};
  spec.env.merge(redis_.env());
  spec.env.merge(auth_env());
  processes_.push_back(std::make_unique<ChildProcess>(spec));
  names_.push_back(name);
  MutexLock lock(pids_mutex_);
  pids_.push_back(processes_.back()->pid());
  logs_.push_back(processes_.back()->log_path());
  dumps_stacks_.push_back(!pfu);
  return *processes_.back();
}

ChildProcess& ScenarioClients::named(const Step& step, const std::string& name) {
  for (std::size_t i = processes_.size(); i-- > 0;) {  // newest first, as the engine picks
    if (names_[i] == name) {
      return *processes_[i];
    }
  }
  throw ScenarioError("step '" + step.title + "' (" + step.where.text() + ") names client '" +
                      name + "', which the scenario does not start");
}

std::optional<std::string> ScenarioClients::how_newest_ended(const std::string& name) {
  for (std::size_t i = processes_.size(); i-- > 0;) {  // newest first, as the engine picks
    if (names_[i] == name) {
      return how_it_ended(name, *processes_[i]);
    }
  }
  return std::nullopt;
}

// A deadlock report names the client processes in the cycle: ask each (ours
// only) for its stack now, while it is still stuck; understudy_client dumps
// every thread on SIGUSR1 into its log, after the offset recorded here (one
// per report naming it, in order).
void ScenarioClients::on_control_event(const ControlEvent& event) {
  if (event.kind != "deadlock" || !event.data.contains("client_pids")) {
    return;
  }
  MutexLock lock(pids_mutex_);
  for (const auto& [node, pid] : event.data["client_pids"].items()) {
    for (std::size_t i = 0; i < pids_.size(); ++i) {
      // A plain PfU script has no SIGUSR1 handler: the signal would kill it.
      if (pid.is_number_integer() && pid.get<pid_t>() == pids_[i] && dumps_stacks_[i]) {
        std::error_code missing;
        const auto size = std::filesystem::file_size(logs_[i], missing);
        dump_offsets_[pids_[i]].push_back(missing ? 0 : size);
        ::kill(pids_[i], SIGUSR1);
      }
    }
  }
}

void ScenarioClients::ask_for_stacks_from_any_thread() {
  std::vector<pid_t> clients;
  {
    MutexLock lock(pids_mutex_);
    clients = pids_;
  }
  for (const pid_t pid : clients) {
    if (is_own_child(pid)) {
      ::kill(pid, SIGUSR1);
    }
  }
}

std::vector<DeadlockClient> ScenarioClients::deadlock_clients(
    const nlohmann::json& report, std::chrono::milliseconds wait,
    const std::map<pid_t, std::size_t>& nth) {
  std::vector<DeadlockClient> found;
  const Deadline deadline(wait);
  const nlohmann::json pids = report.value("client_pids", nlohmann::json::object());
  for (const auto& [node, pid] : pids.items()) {
    if (!pid.is_number_integer()) {
      continue;
    }
    DeadlockClient client{node, pid.get<pid_t>(), {}, {}};
    std::optional<std::uintmax_t> offset;
    {
      MutexLock lock(pids_mutex_);
      for (std::size_t i = 0; i < pids_.size(); ++i) {
        if (pids_[i] == client.pid) {
          client.log = logs_[i];
        }
      }
      const auto& offsets = dump_offsets_[client.pid];
      const auto index = nth.contains(client.pid) ? nth.at(client.pid) : offsets.size() - 1;
      if (index < offsets.size()) {
        offset = offsets[index];
      }
    }
    if (client.log.empty() || !offset) {
      continue;  // not a process of this scenario: nobody asked it for its stack
    }
    // A dump that is not there in time is left empty: the explanation
    // then says the client's stack is unknown.
    (void)poll_until(
        [&] {
          client.dump = ClientStackDump::read(client.log, *offset);
          return !client.dump.empty();
        },
        "a stack dump in " + client.log.string(), {}, deadline.remaining(), kLocalPollInterval);
    found.push_back(std::move(client));
  }
  return found;
}

void ScenarioClients::stop_all() {
  for (auto& client : processes_) {
    client->stop(kClientStopGrace);
  }
}

void ScenarioClients::add_logs(reports::ScenarioResult& result, bool failed) {
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    const bool crashed = processes_[i]->exit_code().value_or(0) != 0 &&
                         processes_[i]->exit_code().value_or(0) != 128 + SIGTERM;
    if (failed || crashed || i < 2) {
      result.logs.push_back({"client " + names_[i], processes_[i]->log_path().string(),
                             processes_[i]->log_tail(failed ? 30 : 10)});
    }
  }
}

}  // namespace understudy::harness
