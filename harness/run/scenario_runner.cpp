#include "harness/run/scenario_runner.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "common/child_process.h"
#include "common/deadline.h"
#include "common/mutex.h"
#include "common/percentile_summary.h"
#include "common/text_format.h"
#include "harness/control/engine_client.h"
#include "harness/faults/fault_matrix.h"
#include "harness/load/line_load.h"
#include "harness/run/client_stack_dump.h"
#include "harness/run/deadlock_explanation.h"
#include "harness/run/private_folder.h"
#include "harness/run/scenario_watchdog.h"
#include "harness/soak/connection_soak.h"
#include "harness/timeouts.h"
#include "redis/publisher_load.h"
#include "redis/redis_server.h"

namespace understudy::harness {
namespace {

// sockaddr_un's sun_path holds 108 bytes, the terminating NUL included.
constexpr std::size_t kMaxUnixSocketPath = 107;

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A loopback port nobody listens on now, for a server a scenario's engine
// script starts (UNDERSTUDY_SCENARIO_PORT). Taken below the kernel's
// ephemeral range (net.ipv4.ip_local_port_range): a port from that range is
// free only until an outgoing connection is given it as its own end, which
// happened between this pick and the script's bind ("address already in
// use"). If no such port binds, the system picks one.
int free_loopback_port() {
  boost::asio::io_context io;
  const auto loopback = boost::asio::ip::address_v4::loopback();
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  constexpr int kLowest = 10000;
  if (ephemeral_low > kLowest + 100) {
    std::random_device seed;
    std::uniform_int_distribution<int> pick(kLowest, ephemeral_low - 1);
    for (int attempt = 0; attempt < 50; ++attempt) {
      const auto port = static_cast<unsigned short>(pick(seed));
      boost::system::error_code error;
      boost::asio::ip::tcp::acceptor acceptor(io);
      acceptor.open(boost::asio::ip::tcp::v4(), error);
      if (!error) {
        acceptor.bind(boost::asio::ip::tcp::endpoint(loopback, port), error);
      }
      if (!error) {
        return port;
      }
    }
  }
  boost::asio::ip::tcp::acceptor acceptor(io, boost::asio::ip::tcp::endpoint(loopback, 0));
  return acceptor.local_endpoint().port();
}

// A step's expectation did not hold; the runner records it and stops.
// `explanation` (indented lines, may be empty) follows the one-line failure
// message in the terminal, as a deadlock's cycle, sides and ways out do.
struct StepFailure {
  reports::ExpectationResult result;
  reports::FailureKind kind;
  std::string explanation;
};

// True while `pid` is a child of this process (running, or exited and not yet
// reaped): a signal to it cannot reach a process that reused the number.
bool is_own_child(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto after_name = text.rfind(')');
  if (after_name == std::string::npos) {
    return false;
  }
  std::istringstream fields(text.substr(after_name + 1));
  std::string state;
  pid_t parent = 0;
  fields >> state >> parent;
  return parent == ::getpid();
}

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

// The scenario could not run (a process did not start, the engine vanished).
struct ScenarioError : std::runtime_error {
  explicit ScenarioError(const std::string& what,
                         reports::FailureKind failure_kind = reports::FailureKind::kHarnessError)
      : std::runtime_error(what), kind(failure_kind) {}
  reports::FailureKind kind;
};

class Run {
 public:
  Run(const Scenario& scenario, const RunSettings& settings)
      : scenario_(scenario), settings_(settings), started_(Clock::now()) {
    result_.name = scenario.name;
    result_.file = scenario.file.string();
    result_.tags = scenario.tags;
    result_.repeat_index = settings.repeat_index;
    result_.seed = settings.seed;
  }

  reports::ScenarioResult execute() {
    std::filesystem::create_directories(settings_.work_dir);
    // The timeout bounds the whole scenario, the step in flight included: at
    // the deadline the watchdog stops the engine, which ends every wait on it.
    ScenarioWatchdog watchdog(started_ + seconds_as_ms(scenario_.timeout_s),
                              [this] { on_deadline(); });
    watchdog_ = &watchdog;
    std::string during = "startup (the engine and the clients starting)";
    try {
      start_redis();
      start_engine();
      start_clients();
      for (const auto& step : scenario_.steps) {
        const auto step_text = "step '" + step.title + "' (" + step.where.text() + ")";
        // Checked first: past the deadline, `during` stays the step in flight then.
        if (now_s() > scenario_.timeout_s) {
          throw ScenarioError("the scenario ran longer than its timeout of " +
                                  text::fixed(scenario_.timeout_s, 1) + " s before " + step_text,
                              reports::FailureKind::kTimeout);
        }
        during = step_text;
        run_step(step);
      }
      result_.status = reports::Status::kPassed;
    } catch (const StepFailure& failure) {
      result_.expectations.push_back(failure.result);
      result_.status = reports::Status::kFailed;
      result_.failure_kind = failure.kind;
      result_.failure_message = failure.result.description + ": expected " +
                                failure.result.expected + ", saw " + failure.result.seen + " (" +
                                failure.result.where + ")";
      if (!failure.explanation.empty()) {
        result_.expectations.back().seen += "\n" + failure.explanation;
        result_.failure_message += "\n" + failure.explanation;
        result_.failure_message.pop_back();  // the explanation's last newline
      }
    } catch (const ScenarioError& e) {
      result_.status = reports::Status::kError;
      result_.failure_kind = e.kind;
      result_.failure_message = e.what();
    } catch (const std::exception& e) {
      result_.status = reports::Status::kError;
      result_.failure_kind = reports::FailureKind::kHarnessError;
      result_.failure_message = e.what();
    }
    watchdog.stop();
    watchdog_ = nullptr;
    if (result_.status != reports::Status::kPassed && !watchdog.expired()) {
      name_engine_death(during);
    }
    if (watchdog.expired()) {
      const double late =
          std::chrono::duration<double>(Clock::now() - watchdog.expired_at()).count();
      result_.metrics["scenario_timeout.deadline_to_end_s"] = late;
      result_.status = reports::Status::kError;
      result_.failure_kind = reports::FailureKind::kTimeout;
      result_.failure_message =
          "the scenario ran longer than its timeout of " + text::fixed(scenario_.timeout_s, 1) +
          " s, during " + during +
          "; at the deadline the harness stopped the engine with SIGKILL (" + engine_log_hint() +
          "), and the step ended " + text::fixed(late, 3) + " s later" +
          (result_.failure_message.empty() ? "" : ", seeing: " + result_.failure_message);
    }
    finish();
    classify_unexpected_deadlock();
    result_.duration_s = now_s();
    return result_;
  }

 private:
  double now_s() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }

  // On the watchdog's thread, at the scenario's deadline: every client dumps
  // its stacks into its log (what it was doing), and the engine is killed,
  // which closes the control channel and so ends whatever the scenario's
  // thread waits for. The report and the logs are written as for any failure.
  void on_deadline() {
    std::vector<pid_t> clients;
    {
      MutexLock lock(pids_mutex_);
      clients = client_pids_;
    }
    for (const pid_t pid : clients) {
      if (is_own_child(pid)) {
        ::kill(pid, SIGUSR1);
      }
    }
    if (const pid_t engine = engine_pid_.load(); engine > 0 && is_own_child(engine)) {
      ::kill(engine, SIGKILL);
    }
  }

  // A step that failed because the engine died (a crash, an OOM kill, a
  // kill from outside) says so first, with when and how: what the step saw
  // ("the engine closed the control channel", a client that lost its
  // connection) follows as the consequence it is.
  void name_engine_death(const std::string& during) {
    // The channel closes as the engine dies, a moment before it can be reaped.
    if (!engine_ || !control_ || control_->connected() || !engine_->wait_exit(kEngineReapTimeout)) {
      return;  // not started (its own error says so), or still alive
    }
    const auto closed = control_->closed_at();
    const double at = closed ? std::chrono::duration<double>(*closed - started_).count() : now_s();
    std::string tail = engine_->log_tail(5);
    while (!tail.empty() && tail.back() == '\n') {
      tail.pop_back();
    }
    result_.status = reports::Status::kError;
    result_.failure_kind = reports::FailureKind::kEngineError;
    result_.failure_message = "the engine " + engine_->describe_exit() +
                              " at t=" + text::fixed(at, 2) + " s, during " + during + " (" +
                              engine_log_hint() +
                              (tail.empty() ? ")" : ", which ends with:\n" + tail + "\n)") +
                              "; the scenario then saw: " + result_.failure_message;
  }

  std::string engine_log_hint() const {
    return engine_ ? "engine log: " + engine_->log_path().string() : "engine not started";
  }

  // --- processes ---

  void start_redis() {
    if (!scenario_.redis.enabled) {
      return;
    }
    if (settings_.redis_url) {
      redis_url_ = *settings_.redis_url;
      return;
    }
    redis::RedisServerOptions options;
    options.work_dir = settings_.work_dir / "redis";
    options.keep_work_dir = true;
    redis_ = std::make_unique<redis::RedisServer>(options);
    redis_url_ = redis_->url();
    timeline("process", "redis-server started", "redis", 0, "ok", {{"url", redis_url_}});
  }

  redis::RedisServer& private_redis(const Step& step) {
    if (!redis_) {
      throw ScenarioError("step '" + step.title + "' (" + step.where.text() +
                          ") needs the scenario's private redis-server (" +
                          (settings_.redis_url ? "--redis-url gives a shared one, which the "
                                                 "harness does not stop or restart"
                                               : "add [redis] enabled = true") +
                          ")");
    }
    return *redis_;
  }

  std::map<std::string, std::string> redis_env() const {
    if (redis_url_.empty()) {
      return {};
    }
    return {{"UNDERSTUDY_REDIS_URL", redis_url_}};
  }

  // An engine that requires a token (--auth-token-file among its args) gets
  // clients that send it: understudy_client reads the file this names. A
  // token file set in the harness's own environment reaches both already.
  std::map<std::string, std::string> auth_env() const {
    const auto& args = scenario_.engine.args;
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == "--auth-token-file") {
        return {{"UNDERSTUDY_AUTH_TOKEN_FILE", std::filesystem::absolute(args[i + 1]).string()}};
      }
    }
    return {};
  }

  void start_engine() {
    const auto& e = scenario_.engine;
    // Unix socket paths are limited to 107 bytes, and work folders can be
    // deep: the control socket lives in a short private folder of its own.
    // It is removed as soon as the harness is connected (the socket is not
    // needed past that), so that not even a SIGKILL leaves it behind.
    try {
      control_dir_.emplace(std::filesystem::temp_directory_path(), "understudy-");
    } catch (const std::runtime_error& error) {
      throw ScenarioError(std::string("for the control socket: ") + error.what());
    }
    control_path_ = control_dir_->path() / "control.sock";
    // The engine's own TMPDIR, which its clients get too: PfU's socket path
    // (and anything else either puts in TMPDIR) stays private to this run,
    // so parallel scenarios do not collide. It is part of the run's work
    // folder, not of the system's temp folder, so that a harness killed
    // with SIGKILL leaves nothing behind there.
    tmp_dir_ = std::filesystem::absolute(settings_.work_dir / "tmp");
    std::error_code made;
    std::filesystem::create_directories(tmp_dir_, made);
    if (made) {
      throw ScenarioError("cannot create the engine's TMPDIR " + tmp_dir_.string() + ": " +
                          made.message());
    }
    std::filesystem::permissions(tmp_dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, made);
    if (e.socket == "pfu" && pfu_socket_path().string().size() > kMaxUnixSocketPath) {
      // PfU's socket must fit a Unix socket path: a deep work folder gets a
      // short private TMPDIR instead, removed with the run.
      try {
        short_tmp_dir_.emplace(std::filesystem::temp_directory_path(), "understudy-tmp-");
      } catch (const std::runtime_error& error) {
        throw ScenarioError(std::string("for PfU's socket: ") + error.what());
      }
      tmp_dir_ = short_tmp_dir_->path();
    }
    std::vector<std::string> argv = {settings_.engine_binary.string(),
                                     "--control",
                                     control_path_.string(),
                                     "--tick-hz",
                                     text::fixed(e.tick_hz, 3),
                                     "--call-timeout",
                                     text::fixed(e.call_timeout, 3),
                                     "--on-deadlock",
                                     e.on_deadlock};
    if (e.socket == "pfu") {
      // PfU 2.x's own socket, $TMPDIR/com.unity.scripting.python-$USER.socket,
      // where an unchanged unity_client.connect() looks: TMPDIR must leave
      // room for it within a Unix socket path's 107 bytes.
      check_pfu_socket_fits();
    } else {
      argv.insert(argv.begin() + 1, {"--port", "0"});
    }
    if (e.faithful) {
      argv.push_back("--faithful");
    }
    for (const auto& script : e.scripts) {
      argv.push_back("--script");
      argv.push_back(script.string());
    }
    for (const auto& schema : e.unity_schemas) {
      argv.push_back("--unity-schema");
      argv.push_back(schema.string());
    }
    for (const auto& schema : e.schemas) {
      argv.push_back("--schema");
      argv.push_back(schema.string());
    }
    argv.insert(argv.end(), e.args.begin(), e.args.end());
    scenario_port_ = free_loopback_port();
    ProcessSpec spec{"engine",
                     argv,
                     {{"PYTHONPATH", python_path()},
                      {"TMPDIR", tmp_dir_.string()},
                      {"UNDERSTUDY_SCENARIO_PORT", std::to_string(scenario_port_)}},
                     settings_.work_dir / "engine.log",
                     std::nullopt};
    spec.env.merge(redis_env());
    spec.env.merge(pfu_engine_env());
    engine_ = std::make_unique<ChildProcess>(spec);
    engine_pid_ = engine_->pid();
    try {
      control_ = std::make_unique<EngineClient>(control_path_, kEngineStartTimeout,
                                                [this]() -> std::optional<std::string> {
                                                  if (engine_->running()) {
                                                    return std::nullopt;
                                                  }
                                                  return "the engine " + engine_->describe_exit();
                                                });
      control_dir_->remove();
      wait_for_startup_scripts();
      const auto hello = control_->hello(kControlRequestTimeout);
      if (!hello.rpc_address) {
        throw ScenarioError("the engine said it serves no RPC (its hello has no rpc_address)");
      }
      rpc_address_ = *hello.rpc_address;
    } catch (const std::exception& error) {
      // What the engine said last (a schema or script it refused) is the
      // reason more often than not: show it here, not only in its log.
      std::string said;
      if (!engine_->running()) {
        said = "\n" + engine_->log_tail(5);
        while (!said.empty() && said.back() == '\n') {
          said.pop_back();
        }
      }
      throw ScenarioError(std::string("the engine did not start: ") + error.what() + " (" +
                              engine_->describe_exit() + "; " + engine_log_hint() + ")" + said,
                          reports::FailureKind::kEngineError);
    }
    timeline("process", "engine started", "harness", 0, "ok", {{"rpc", rpc_address_}});
    control_->set_event_hook([this](const ControlEvent& event) { on_event(event); });
  }

  // Step 1 starts only after every startup script has run: the engine
  // answers `startup` then, with the engine errors so far (a script's may
  // have been announced before the harness listened).
  void wait_for_startup_scripts() {
    const auto& scripts = scenario_.engine.scripts;
    json answer;
    try {
      answer = control_->startup(kEngineCodeTimeout);
    } catch (const EngineRefusal& e) {
      throw ScenarioError(
          std::string("the engine did not say when its startup scripts were done: ") + e.what());
    } catch (const ControlError& e) {
      std::string names;
      for (const auto& script : scripts) {
        names += (names.empty() ? "" : ", ") + script.filename().string();
      }
      throw ScenarioError("the engine's startup scripts (" + (names.empty() ? "none" : names) +
                          ") did not finish within " + seconds_text(kEngineCodeTimeout) + ": " +
                          e.what() + " (" + engine_log_hint() + ")");
    }
    for (const auto& error : answer.value("errors", json::array())) {
      startup_engine_errors_[error.value("id", std::uint64_t{0})] = error;
    }
  }

  // On the control reader thread. A deadlock report names the client
  // processes in the cycle: ask each (ours only) for its stack now, while it
  // is still stuck; understudy_client dumps every thread on SIGUSR1 into its
  // log, after the offset recorded here (one per report naming it, in order).
  void on_event(const ControlEvent& event) {
    if (event.kind != "deadlock" || !event.data.contains("client_pids")) {
      return;
    }
    MutexLock lock(pids_mutex_);
    for (const auto& [node, pid] : event.data["client_pids"].items()) {
      for (std::size_t i = 0; i < client_pids_.size(); ++i) {
        // A plain PfU script has no SIGUSR1 handler: the signal would kill it.
        if (pid.is_number_integer() && pid.get<pid_t>() == client_pids_[i] &&
            client_dumps_stacks_[i]) {
          std::error_code missing;
          const auto size = std::filesystem::file_size(client_logs_[i], missing);
          dump_offsets_[client_pids_[i]].push_back(missing ? 0 : size);
          ::kill(client_pids_[i], SIGUSR1);
        }
      }
    }
  }

  // The clients of a deadlock report (the `nth` report naming each), with the
  // stack dump each wrote on SIGUSR1, waiting up to `wait` for the dumps.
  std::vector<DeadlockClient> deadlock_clients(const json& report, milliseconds wait,
                                               const std::map<pid_t, std::size_t>& nth = {}) {
    std::vector<DeadlockClient> found;
    const Deadline deadline(wait);
    const json pids = report.value("client_pids", json::object());
    for (const auto& [node, pid] : pids.items()) {
      if (!pid.is_number_integer()) {
        continue;
      }
      DeadlockClient client{node, pid.get<pid_t>(), {}, {}};
      std::optional<std::uintmax_t> offset;
      {
        MutexLock lock(pids_mutex_);
        for (std::size_t i = 0; i < client_pids_.size(); ++i) {
          if (client_pids_[i] == client.pid) {
            client.log = client_logs_[i];
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

  // `first` (understudy_client's folder unless given), then the harness's
  // own PYTHONPATH.
  std::string python_path(const std::filesystem::path& first = {}) const {
    std::string path = (first.empty() ? settings_.client_pylib : first).string();
    if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing) {
      path += ":" + std::string(existing);
    }
    return path;
  }

  // The engine finds PfU's package as Unity does its own: PythonRunner.
  // SpawnClient puts its site-packages first on a client's path.
  std::map<std::string, std::string> pfu_engine_env() const {
    if (!settings_.pfu_package) {
      return {};
    }
    return {{"UNDERSTUDY_PFU_SITE_PACKAGES", pfu_site_packages().string()},
            {"UNDERSTUDY_CLIENT_PYTHON", settings_.python.string()}};
  }

  std::filesystem::path pfu_site_packages() const {
    return *settings_.pfu_package / "Python~" / "site-packages";
  }

  // Where PfU's unity_client.connect() looks: tempfile.gettempdir(), which
  // is TMPDIR, and getpass.getuser(), which reads these variables first.
  std::filesystem::path pfu_socket_path() const {
    std::string user;
    for (const char* name : {"LOGNAME", "USER", "LNAME", "USERNAME"}) {
      if (const char* value = std::getenv(name); value != nullptr && *value) {
        user = value;
        break;
      }
    }
    if (user.empty()) {
      const passwd* entry = ::getpwuid(::getuid());
      user = entry != nullptr ? entry->pw_name : std::to_string(::getuid());
    }
    return tmp_dir_ / ("com.unity.scripting.python-" + user + ".socket");
  }

  void check_pfu_socket_fits() const {
    const auto socket = pfu_socket_path();
    if (socket.string().size() > kMaxUnixSocketPath) {
      throw ScenarioError("[engine] socket = \"pfu\": PfU's socket " + socket.string() + " is " +
                          std::to_string(socket.string().size()) +
                          " bytes, over the 107 a Unix socket path may have: set a shorter "
                          "TMPDIR for the harness");
    }
  }

  // A client's script, with {pfu_package} made PfU's package folder; the
  // parser left such a path to the run, which checks it is there.
  std::filesystem::path client_script(const ClientSpec& client) const {
    const auto text = client.script.string();
    if (!text.starts_with(kPfuPackagePlaceholder)) {
      return client.script;
    }
    if (!settings_.pfu_package) {
      throw ScenarioError(client.where.text() + ": script " + text +
                          " names {pfu_package}, but no PfU package was given (--pfu-package)");
    }
    const auto script =
        settings_.pfu_package->string() + text.substr(kPfuPackagePlaceholder.size());
    if (!std::filesystem::is_regular_file(script)) {
      throw ScenarioError(client.where.text() + ": script " + text + " not found (looked at " +
                          script + ")");
    }
    return script;
  }

  void start_clients() {
    std::map<std::string, int> expected;  // name -> registrations to wait for
    for (const auto& client : scenario_.clients) {
      const auto script = client_script(client);
      for (int i = 0; i < client.count; ++i) {
        const auto name = client.name(i);
        start_client_process(name, script, client.args, client.kind);
        if (client.wait_registered) {
          ++expected[name];
        }
      }
    }
    if (expected.empty()) {
      return;
    }
    // Ready when the engine has registered every client (it logs each one).
    const auto deadline = Clock::now() + kScenarioClientsRegisterTimeout.for_count(
                                             static_cast<long long>(clients_.size()));
    std::map<std::string, int> seen;
    std::size_t next = 0;
    while (seen != expected) {
      std::size_t index = 0;
      auto event = control_->wait_event(
          [](const ControlEvent& e) {
            return e.kind == "console" &&
                   e.data.value("text", std::string()).starts_with("client '") &&
                   e.data.value("text", std::string()).find("' connected from") !=
                       std::string::npos;
          },
          milliseconds(100), next, &index);
      if (event) {
        next = index + 1;
        const auto text = event->data.value("text", std::string());
        const auto name = text.substr(8, text.find("' connected from") - 8);
        if (expected.contains(name) && seen[name] < expected[name]) {
          ++seen[name];
        }
        continue;
      }
      if (!control_->connected()) {
        throw ScenarioError("the engine closed its control channel while the clients registered (" +
                            engine_->describe_exit() + "; " + engine_log_hint() + ")");
      }
      for (std::size_t i = 0; i < clients_.size(); ++i) {
        if (!clients_[i]->running()) {
          throw ScenarioError("client process '" + client_names_[i] + "' " +
                              clients_[i]->describe_exit() + " before it registered; its log (" +
                              clients_[i]->log_path().string() + ") ends with:\n" +
                              clients_[i]->log_tail(20));
        }
      }
      if (Clock::now() >= deadline) {
        int registered = 0;
        int wanted = 0;
        for (const auto& [name, count] : expected) {
          wanted += count;
          registered += seen[name];
        }
        throw ScenarioError("only " + std::to_string(registered) + " of " + std::to_string(wanted) +
                            " clients registered with the engine in time (" + engine_log_hint() +
                            ")");
      }
    }
    timeline("process", std::to_string(clients_.size()) + " clients registered", "harness", 0,
             "ok");
  }

  // A client process of the run: stopped and its log reported at the end.
  // `kind` pfu: a plain Python for Unity script, which finds the engine
  // as unity_client.connect() does (TMPDIR) and has PfU's site-packages,
  // not understudy_client, on its path, as a client Unity spawns has.
  ChildProcess& start_client_process(const std::string& name, const std::filesystem::path& script,
                                     const std::vector<std::string>& args,
                                     const std::string& kind = "understudy") {
    std::vector<std::string> argv = {settings_.python.string(), script.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const bool pfu = kind == "pfu";
    if (pfu && !settings_.pfu_package) {
      throw ScenarioError("client '" + name +
                          "' is a PfU script (kind = \"pfu\"), but no PfU package was given "
                          "(--pfu-package)");
    }
    ProcessSpec spec{
        "client " + name,
        argv,
        {{"UNDERSTUDY_RPC", rpc_address_},
         {"UNDERSTUDY_CLIENT_NAME", name},
         {"UNDERSTUDY_SEED", std::to_string(settings_.seed)},
         {"UNDERSTUDY_SCENARIO_PORT", std::to_string(scenario_port_)},
         {"PYTHONPATH", python_path(pfu ? pfu_site_packages() : std::filesystem::path())},
         {"TMPDIR", tmp_dir_.string()},
         {"PYTHONUNBUFFERED", "1"}},
        settings_.work_dir /
            ("client-" + sanitize(name) + "-" + std::to_string(clients_.size()) + ".log"),
        std::nullopt};
    spec.env.merge(redis_env());
    spec.env.merge(auth_env());
    clients_.push_back(std::make_unique<ChildProcess>(spec));
    client_names_.push_back(name);
    MutexLock lock(pids_mutex_);
    client_pids_.push_back(clients_.back()->pid());
    client_logs_.push_back(clients_.back()->log_path());
    client_dumps_stacks_.push_back(!pfu);
    return *clients_.back();
  }

  static std::string sanitize(const std::string& name) {
    std::string out;
    for (char c : name) {
      out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_') ? c : '_';
    }
    return out;
  }

  ChildProcess& client_named(const Step& step, const std::string& name) {
    for (std::size_t i = clients_.size(); i-- > 0;) {  // newest first, as the engine picks
      if (client_names_[i] == name) {
        return *clients_[i];
      }
    }
    throw ScenarioError("step '" + step.title + "' (" + step.where.text() + ") names client '" +
                        name + "', which the scenario does not start");
  }

  void finish() {
    if (publisher_thread_.joinable()) {
      publisher_thread_.join();  // bounded: the publishers have their count and timeouts
    }
    if (main_thread_stuck_) {
      // The main thread may still wait for a deadlocked client (with
      // --on-deadlock report, for the whole call timeout): a client that is
      // gone ends the call at once, and the engine then stops when asked.
      for (auto& client : clients_) {
        client->stop(kClientStopGrace);
      }
    }
    if (control_ && control_->connected()) {
      try {
        const json frames = control_->frames(kEndOfRunRequestTimeout);
        for (const auto& [key, value] : frames.items()) {
          result_.metrics["engine." + key] = value.get<double>();
        }
        control_->stop(kEndOfRunRequestTimeout);
      } catch (const std::exception&) {
        // The engine is stuck or gone: it is stopped by signal below.
      }
    }
    collect_events();
    bool engine_clean = true;
    std::string engine_exit;
    if (engine_) {
      if (!engine_->wait_exit(kEngineExitTimeout)) {
        engine_->stop();
        engine_clean = false;
        engine_exit = "did not stop within " + seconds_text(kEngineExitTimeout) +
                      " of being asked; stopped by signal";
      }
    }
    // After the exit, so that errors raised while the engine stopped count too.
    const auto errors = engine_errors_after_exit();
    if (engine_clean && engine_ && engine_->exit_code() != 0 &&
        !(engine_->exit_code() == 1 && raised_in_a_script(errors))) {
      engine_clean = false;  // exit 1 after a script raised is python3's, judged below
      engine_exit = engine_->describe_exit();
    }
    judge_engine_errors(errors);
    for (auto& client : clients_) {
      client->stop(kClientStopGrace);
    }
    control_dir_.reset();
    if (!engine_clean && result_.status == reports::Status::kPassed) {
      result_.status = reports::Status::kError;
      result_.failure_kind = reports::FailureKind::kEngineError;
      const auto closed = control_ ? control_->closed_at() : std::nullopt;
      result_.failure_message =
          "the engine " + engine_exit +
          (closed ? " at t=" +
                        text::fixed(std::chrono::duration<double>(*closed - started_).count(), 2) +
                        " s"
                  : std::string()) +
          ", after the last step (" + engine_log_hint() + ")";
    }
    const bool failed = result_.status != reports::Status::kPassed;
    if (engine_) {
      result_.logs.push_back(
          {"engine", engine_->log_path().string(), engine_->log_tail(failed ? 60 : 15)});
    }
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      const bool crashed = clients_[i]->exit_code().value_or(0) != 0 &&
                           clients_[i]->exit_code().value_or(0) != 128 + SIGTERM;
      if (failed || crashed || i < 2) {
        result_.logs.push_back({"client " + client_names_[i], clients_[i]->log_path().string(),
                                clients_[i]->log_tail(failed ? 30 : 10)});
      }
    }
    if (redis_) {
      result_.logs.push_back(
          {"redis-server", redis_->log_path().string(), redis_->log_tail(failed ? 30 : 5)});
      redis_.reset();
    }
    if (!result_.fault_schedule.empty()) {
      result_.logs.push_back({"fault schedule (seed " + std::to_string(settings_.seed) + ")",
                              (settings_.work_dir / "fault-matrix" / "schedule.txt").string(),
                              result_.fault_schedule});
    }
    result_.metrics["clients"] = static_cast<double>(clients_.size());
  }

  // A scenario that failed after a certain deadlock cycle it did not expect
  // (no expect_deadlock step, no step expecting the outcome deadlock) failed
  // because of that cycle, whatever the step that noticed saw.
  void classify_unexpected_deadlock() {
    if (result_.status == reports::Status::kPassed ||
        result_.failure_kind == reports::FailureKind::kEngineError) {
      return;
    }
    const bool certain = std::any_of(result_.deadlocks.begin(), result_.deadlocks.end(),
                                     [](const auto& cycle) { return cycle.certain; });
    const bool expected =
        std::any_of(scenario_.steps.begin(), scenario_.steps.end(), [](const Step& step) {
          return (step.action == "expect_deadlock" && !step.params.value("absent", false)) ||
                 step.expect.outcome == "deadlock";
        });
    if (certain && !expected) {
      result_.failure_kind = reports::FailureKind::kDeadlock;
    }
  }

  // Every engine error the engine announced, in its order: the startup
  // answer's and the engine_error events. The control connection closes
  // after the engine's last event; the wait for that is bounded, as the
  // engine has exited.
  std::vector<json> engine_errors_after_exit() {
    if (control_) {
      // Past the deadline, the events read so far are all there are.
      (void)poll_until([&] { return !control_->connected(); },
                       "the control connection to close after the engine's exit", {},
                       kControlCloseTimeout, kLocalPollInterval);
    }
    std::map<std::uint64_t, json> by_id = startup_engine_errors_;
    if (control_) {
      for (const auto& event : control_->events()) {
        if (event.kind == "engine_error") {
          by_id[event.data.value("id", std::uint64_t{0})] = event.data;
        }
      }
    }
    std::vector<json> errors;
    for (auto& [id, error] : by_id) {
      errors.push_back(std::move(error));
    }
    return errors;
  }

  static bool raised_in_a_script(const std::vector<json>& errors) {
    return std::any_of(errors.begin(), errors.end(), [](const json& error) {
      return error.value("source", std::string()) == "script";
    });
  }

  // "script error at scripts/x.py:3: ValueError: boom", then the traceback.
  static std::string describe_engine_error(const json& error) {
    const auto file = error.value("file", std::string());
    std::string text = error.value("source", std::string("engine")) + " error";
    if (!file.empty()) {
      text += " at " + file + ":" + std::to_string(error.value("line", 0));
    }
    text += ": " + error.value("message", std::string()) + "\n      " +
            error.value("what", std::string());
    auto traceback = error.value("traceback", std::string());
    for (std::size_t at = traceback.find('\n'); at != std::string::npos;
         at = traceback.find('\n', at + 1)) {
      traceback.insert(at + 1, "      ");
    }
    if (!traceback.empty()) {
      text += "\n      " + traceback;
    }
    return text;
  }

  // An engine error fails the scenario unless [engine] expect_errors has a
  // text it contains; an expected text that no error contains fails it too.
  void judge_engine_errors(const std::vector<json>& errors) {
    const auto& expected = scenario_.engine.expect_errors;
    std::vector<bool> occurred(expected.size(), false);
    std::vector<std::string> problems;
    for (const auto& error : errors) {
      const auto text = error.value("what", std::string()) + "\n" +
                        error.value("message", std::string()) + "\n" +
                        error.value("traceback", std::string());
      bool declared = false;
      for (std::size_t i = 0; i < expected.size(); ++i) {
        if (text.find(expected[i]) != std::string::npos) {
          occurred[i] = declared = true;
        }
      }
      if (!declared) {
        problems.push_back("unexpected " + describe_engine_error(error));
      }
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (!occurred[i]) {
        problems.push_back("expected an engine error containing '" + expected[i] +
                           "', none occurred");
      }
    }
    const std::string wanted =
        expected.empty() ? "no engine error"
                         : std::to_string(expected.size()) + " expected engine error text(s)";
    if (problems.empty()) {
      if (!errors.empty()) {
        pass_engine_errors(wanted,
                           std::to_string(errors.size()) + " engine error(s), all expected");
      }
      return;
    }
    std::string seen;
    for (const auto& problem : problems) {
      seen += "\n    " + problem;
    }
    const std::string where = scenario_.file.string() + " [engine]; " + engine_log_hint();
    result_.expectations.push_back({"engine errors", false, wanted, seen, where});
    const std::string message = "engine errors: expected " + wanted +
                                " (declare expected ones "
                                "in [engine] expect_errors), saw:" +
                                seen + "\n    (" + where + ")";
    if (result_.status == reports::Status::kPassed) {
      result_.status = reports::Status::kFailed;
      result_.failure_kind = reports::FailureKind::kEngineError;
      result_.failure_message = message;
    } else {
      result_.failure_message += "\n    " + message;
    }
  }

  void pass_engine_errors(const std::string& expected, const std::string& seen) {
    result_.expectations.push_back(
        {"engine errors", true, expected, seen, scenario_.file.string()});
  }

  // Turns deadlock and error console events into timeline entries and cycles.
  void collect_events() {
    if (!control_) {
      return;
    }
    std::map<pid_t, std::size_t> reports_naming;  // per client pid, the reports so far
    for (const auto& event : control_->events()) {
      const double at = std::chrono::duration<double>(event.received - started_).count();
      if (event.kind == "deadlock") {
        reports::DeadlockCycle cycle;
        cycle.certain = event.data.value("certain", false);
        cycle.summary = event.data.value("summary", std::string());
        cycle.text = event.data.value("text", std::string());
        cycle.frame = event.data.value("detected_frame", std::uint64_t{0});
        cycle.at_s = at;
        for (const auto& member : event.data.value("members", json::array())) {
          cycle.members.push_back(member.get<std::string>());
        }
        for (const auto& client : deadlock_clients(event.data, milliseconds(0), reports_naming)) {
          ++reports_naming[client.pid];
          cycle.text += "\n  client stack of " + client.node + " (pid " +
                        std::to_string(client.pid) + ", from its log " + client.log.string() +
                        "), your code first:\n" +
                        (client.dump.empty() ? std::string("    (no stack dump in the log; is the "
                                                           "client built on understudy_client?)\n")
                                             : client.dump.render("    "));
        }
        result_.deadlocks.push_back(cycle);
        result_.timeline.push_back({"deadlock", cycle.summary, "main", at, 0, "", {}});
        for (const auto& edge : event.data.value("edges", json::array())) {
          const double waited = edge.value("waited_seconds", 0.0);
          result_.timeline.push_back({"wait",
                                      edge.value("waiter", std::string()) + " waits for " +
                                          edge.value("target", std::string()) + " (" +
                                          edge.value("what", std::string()) + ")",
                                      edge.value("waiter", std::string()),
                                      at - waited,
                                      waited,
                                      "",
                                      {}});
        }
      } else if (event.kind == "console" && event.data.value("severity", "") == "error") {
        auto text = event.data.value("text", std::string());
        result_.timeline.push_back(
            {"console", text.substr(0, text.find('\n')), "console", at, 0, "error", {}});
      }
    }
  }

  void timeline(std::string kind, std::string name, std::string track, double duration,
                std::string outcome, std::map<std::string, std::string> args = {}) {
    result_.timeline.push_back({std::move(kind), std::move(name), std::move(track),
                                now_s() - duration, duration, std::move(outcome), std::move(args)});
  }

  // --- steps ---

  void run_step(const Step& step) {
    const double begun = now_s();
    const auto& a = step.action;
    if (a == "call") {
      // `count` repeats the call (each checked), e.g. to gather latency samples.
      const int count = step.params.value("count", 1);
      for (int i = 0; i < count; ++i) {
        const auto events_from = control_->event_count();
        const auto call = call_request(step);
        check_call(step, call, control_->send_call(call), now_s(), events_from);
      }
    } else if (a == "start_call") {
      const auto events_from = control_->event_count();
      const auto call = call_request(step);
      pending_calls_[step.params.value("label", step.title)] = {control_->send_call(call), begun,
                                                                call, events_from};
    } else if (a == "await_call") {
      const auto label = step.params.value("label", std::string());
      const auto it = pending_calls_.find(label);
      if (it == pending_calls_.end()) {
        throw ScenarioError("await_call at " + step.where.text() + " names call '" + label +
                            "', which no start_call started");
      }
      check_call(step, it->second.call, it->second.id, it->second.begun, it->second.events_from);
      pending_calls_.erase(it);
    } else if (a == "python") {
      const auto code = with_placeholders(step.params.get<std::string>());
      // The code runs on the main thread: a cycle through it and a client
      // is one its own calls closed.
      auto run = [&] {
        const auto events_from = control_->event_count();
        return python_result(
            await_engine(step, control_->send_python(code), kEngineCodeTimeout, events_from,
                         [](const json& edge) {
                           return edge.value("target", std::string()).starts_with("client:");
                         }));
      };
      auto response = run();
      // With expect.within_s the code is re-run until its value is the one
      // expected (state that settles: messages still arriving, ...);
      // check_outcome then judges the last answer.
      if (step.expect.within_s && step.expect.value) {
        bool first = true;  // the answer above is the first check's
        (void)poll_until(
            [&] {
              if (!std::exchange(first, false)) {
                response = run();
              }
              return response.ok() && response.value == *step.expect.value;
            },
            "the python step's value", {}, seconds_as_ms(*step.expect.within_s),
            kControlPollInterval);
      }
      check_outcome(step, response, now_s() - begun);
    } else if (a == "wait") {
      if (!watchdog_->sleep_for(seconds_as_ms(step.params.get<double>()))) {
        throw ScenarioError("the wait was cut short by the scenario's timeout");
      }
    } else if (a == "reload") {
      const auto before = control_->event_count();
      control_->reload(kControlRequestTimeout);
      auto done = control_->wait_event(
          [](const ControlEvent& e) {
            return e.kind == "console" &&
                   e.data.value("text", std::string()).starts_with("domain reload: done");
          },
          kDomainReloadTimeout, before);
      if (!done) {
        fail(step, "domain reload finishes",
             "no 'domain reload: done' record within " + seconds_text(kDomainReloadTimeout));
      }
      timeline("fault", "domain reload", "main", now_s() - begun, "ok");
    } else if (a == "stop_redis") {
      private_redis(step).stop();
      timeline("fault", "redis-server stopped", "redis", now_s() - begun, "ok");
    } else if (a == "start_redis") {
      private_redis(step).start();
      timeline("fault", "redis-server started again", "redis", now_s() - begun, "ok");
    } else if (a == "restart_redis") {
      auto& server = private_redis(step);
      server.stop();
      const double down = step.params.is_object() ? step.params.value("down_s", 0.0) : 0.0;
      std::this_thread::sleep_for(seconds_as_ms(down));
      server.start();
      timeline("fault", "redis-server restarted", "redis", now_s() - begun, "ok");
    } else if (a == "kill_client" || a == "pause_client" || a == "resume_client") {
      auto& client = client_named(step, step.params.value("name", std::string()));
      int signal = a == "pause_client" ? SIGSTOP : a == "resume_client" ? SIGCONT : SIGKILL;
      if (a == "kill_client" && step.params.value("signal", std::string("KILL")) == "TERM") {
        signal = SIGTERM;
      }
      client.send_signal(signal);
      if (a == "kill_client") {
        client.wait_exit(kClientExitTimeout);
      }
      timeline("fault", step.title, "client:" + step.params.value("name", std::string()), 0, "ok");
    } else if (a == "expect_console") {
      expect_console(step);
    } else if (a == "expect_deadlock") {
      expect_deadlock(step);
    } else if (a == "expect_actors") {
      expect_count(step, "world");
    } else if (a == "expect_registry") {
      expect_count(step, "registry");
    } else if (a == "expect_latency") {
      expect_latency(step);
    } else if (a == "line_load") {
      line_load(step);
    } else if (a == "expect_lines_spawned") {
      expect_lines_spawned(step);
    } else if (a == "publish_load") {
      publish_load(step);
    } else if (a == "expect_delivery") {
      expect_delivery(step);
    } else if (a == "fault_matrix") {
      fault_matrix(step);
    } else if (a == "connection_soak") {
      connection_soak(step);
    }
    timeline("step", step.title, "harness", now_s() - begun, "ok", {{"where", step.where.text()}});
  }

  static protocol::CallRequest call_request(const Step& step) {
    protocol::CallRequest call;
    call.client = step.params.value("client", std::string());
    call.service = step.params.value("service", std::string());
    call.args = step.params.value("args", json::array());
    call.path = step.params.value("path", protocol::CallPath::kSync);
    if (step.params.contains("timeout")) {
      call.timeout_s = step.params["timeout"].get<double>();
    }
    return call;
  }

  // Engine-side code may name files beside the scenario as {scenario_dir}/...,
  // and files of PfU's package as {pfu_package}/...
  std::string with_placeholders(std::string code) const {
    code = replaced(std::move(code), "{scenario_dir}",
                    std::filesystem::absolute(scenario_.file).parent_path().string());
    if (settings_.pfu_package) {
      code = replaced(std::move(code), kPfuPackagePlaceholder, settings_.pfu_package->string());
    } else if (code.find(kPfuPackagePlaceholder) != std::string::npos) {
      throw ScenarioError(
          "the code names {pfu_package}, but no PfU package was given "
          "(--pfu-package)");
    }
    return code;
  }

  static std::string replaced(std::string text, std::string_view key, const std::string& value) {
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
      text.replace(pos, key.size(), value);
      pos += value.size();
    }
    return text;
  }

  void check_call(const Step& step, const protocol::CallRequest& call, std::int64_t id,
                  double begun, std::size_t events_from) {
    const double limit = call.timeout_s.value_or(scenario_.engine.call_timeout) + 15.0;
    const auto& client = call.client;
    const auto& service = call.service;
    // The main thread's wait for this call: main -> client:NAME#N (service).
    const auto result = call_result(
        await_engine(step, id, seconds_as_ms(limit), events_from, [&](const json& edge) {
          const auto target = edge.value("target", std::string());
          return target.starts_with("client:" + client + "#") &&
                 edge.value("what", std::string()) == service;
        }));
    // An answer without timings (a refused call) took what the harness saw.
    const bool timed = result.finished_frame > 0 || result.elapsed_s > 0;
    const double elapsed = timed ? result.elapsed_s : now_s() - begun;
    const auto path = std::string(protocol::call_path_name(call.path));
    latency(path + " call", elapsed * 1000.0);
    result_.timeline.push_back({"call",
                                path + " call " + client + "." + service,
                                call.path == protocol::CallPath::kSync ? "main" : "harness",
                                now_s() - elapsed,
                                elapsed,
                                std::string(protocol::call_outcome_name(result.kind)),
                                {{"frames", std::to_string(static_cast<std::int64_t>(
                                                result.finished_frame - result.started_frame))}}});
    // A client that went away mid-call, unexpectedly: say how its process ended.
    std::string message;
    if (result.kind == protocol::CallOutcomeKind::kDisconnected &&
        step.expect.outcome.value_or("ok") != "disconnected") {
      for (std::size_t i = clients_.size(); i-- > 0;) {  // newest first, as the engine picks
        if (client_names_[i] == client) {
          message = result.message + "; " + how_it_ended(client, *clients_[i]);
          break;
        }
      }
    }
    check_outcome(step, result, elapsed, message);
  }

  // Waits up to `limit` for the engine's answer to request `id`. Unless the
  // step expects a timeout or a deadlock, a certain deadlock reported after
  // event `events_from` fails the step at once, whatever --on-deadlock says
  // (with "report" the engine's call still times out as the original's
  // does; the step just does not wait for it), when one of the cycle's edges
  // out of the main thread is one `main_waits` accepts.
  json await_engine(const Step& step, std::int64_t id, milliseconds limit, std::size_t events_from,
                    const std::function<bool(const json&)>& main_waits) {
    const auto wanted = step.expect.outcome.value_or("ok");
    const bool expects_stall = wanted == "timeout" || wanted == "deadlock";
    auto closes_cycle = [&](const ControlEvent& e) {
      if (e.kind != "deadlock" || !e.data.value("certain", false)) {
        return false;
      }
      for (const auto& edge : e.data.value("edges", json::array())) {
        if (edge.value("waiter", std::string()) == "main" && main_waits(edge)) {
          return true;
        }
      }
      return false;
    };
    const auto deadline = Clock::now() + limit;
    while (true) {
      if (!expects_stall) {
        if (auto cycle = control_->wait_event(closes_cycle, milliseconds(0), events_from)) {
          deadlock_failure(step, *cycle);
        }
      }
      try {
        // Short slices, so that a cycle fails the step within a frame or two.
        auto response = control_->await_response(id, milliseconds(10));
        if (!expects_stall && !response.value("ok", false) &&
            call_result(response).kind == protocol::CallOutcomeKind::kDeadlock) {
          // fail-fast: the report came just before the answer.
          if (auto cycle =
                  control_->wait_event(closes_cycle, kDeadlockReportTimeout, events_from)) {
            deadlock_failure(step, *cycle);
          }
        }
        return response;
      } catch (const ControlError& e) {
        // A timeout of one slice waits on; a channel that closed or a line
        // that was no answer fails the step at once.
        const bool waiting = dynamic_cast<const ControlTimeout*>(&e) != nullptr;
        if (!waiting || !control_->connected() || Clock::now() >= deadline) {
          fail(step,
               "the engine's answer within " +
                   text::fixed(std::chrono::duration<double>(limit).count(), 1) + " s",
               e.what(), reports::FailureKind::kTimeout);
        }
      }
    }
  }

  // The step fails on a deadlock its engine call closed: the cycle in one
  // line, then each client's frame in the user's code (from its stack dump),
  // the engine-side frame and the ways out; the full report, with both
  // sides' stacks, goes into the scenario's result with the others.
  [[noreturn]] void deadlock_failure(const Step& step, const ControlEvent& report) {
    main_thread_stuck_ = true;
    const std::string where = "step '" + step.title + "' (" + step.where.text() + ")";
    const auto explanation =
        explain_deadlock(report.data, deadlock_clients(report.data, kStackDumpTimeout), where);
    // The cycle formed when its newest wait began.
    double newest_wait_s = 1e9;
    std::uint64_t formed_frame = 0;
    for (const auto& edge : report.data.value("edges", json::array())) {
      newest_wait_s = std::min(newest_wait_s, edge.value("waited_seconds", 0.0));
      formed_frame = std::max(formed_frame, edge.value("since_frame", std::uint64_t{0}));
    }
    const auto detected_frame = report.data.value("detected_frame", std::uint64_t{0});
    const double cycle_to_failure =
        std::chrono::duration<double>(Clock::now() - report.received).count() + newest_wait_s;
    result_.metrics["deadlock.cycle_to_failed_step_s"] = cycle_to_failure;
    const bool fail_fast = scenario_.engine.on_deadlock == "fail-fast";
    const std::string seen =
        "a deadlock: " + explanation.cycle + " (reported at frame " +
        std::to_string(detected_frame) + ", " + std::to_string(detected_frame - formed_frame) +
        " frames after the cycle formed; the step failed " + text::fixed(cycle_to_failure, 3) +
        " s after it formed, " +
        (fail_fast ? "as the engine failed the call"
                   : "not waiting for the call's timeout, which the engine still waits out") +
        ")";
    throw StepFailure{{step.title, false, "outcome " + step.expect.outcome.value_or("ok"), seen,
                       step.where.text() + "; " + engine_log_hint()},
                      reports::FailureKind::kDeadlock,
                      explanation.text("    ")};
  }

  void check_outcome(const Step& step, const protocol::CallResult& result, double elapsed,
                     std::string message = {}) {
    const auto& expect = step.expect;
    const auto outcome = std::string(protocol::call_outcome_name(result.kind));
    if (message.empty() && !result.ok()) {
      message = result.message;
    }
    const std::string wanted = expect.outcome.value_or("ok");
    if (outcome != wanted) {
      fail(step, "outcome " + wanted,
           "outcome " + outcome + (message.empty() ? "" : ": " + message),
           outcome == "timeout"    ? reports::FailureKind::kTimeout
           : outcome == "deadlock" ? reports::FailureKind::kDeadlock
                                   : reports::FailureKind::kExpectation);
    }
    if (expect.min_s && elapsed < *expect.min_s) {
      fail(step, "it to take at least " + text::fixed(*expect.min_s, 3) + " s",
           "it took " + text::fixed(elapsed, 3) + " s");
    }
    if (expect.max_s && elapsed > *expect.max_s) {
      fail(step, "it to take at most " + text::fixed(*expect.max_s, 3) + " s",
           "it took " + text::fixed(elapsed, 3) + " s");
    }
    if (expect.message_contains && message.find(*expect.message_contains) == std::string::npos) {
      fail(step, "an error message containing '" + *expect.message_contains + "'",
           "'" + message + "'");
    }
    if (expect.value) {
      const json value = result.ok() ? result.value : json();
      if (value != *expect.value) {
        fail(step, "value " + expect.value->dump(), "value " + value.dump());
      }
    }
    pass(step, "outcome " + wanted,
         "outcome " + outcome + " after " + text::fixed(elapsed, 3) + " s");
  }

  // expect_console {contains, severity, timeout, absent, min_count}: waits
  // until at least min_count (default 1) matching records were written since
  // the scenario started; with absent, checks that none was.
  void expect_console(const Step& step) {
    const auto contains = step.params.value("contains", std::string());
    const auto severity = step.params.value("severity", std::string());
    const bool absent = step.params.value("absent", false);
    const int min_count = step.params.value("min_count", 1);
    const double timeout = step.params.value("timeout", absent ? 0.0 : 5.0);
    auto match = [&](const ControlEvent& e) {
      return e.kind == "console" &&
             (severity.empty() || e.data.value("severity", std::string()) == severity) &&
             e.data.value("text", std::string()).find(contains) != std::string::npos;
    };
    const auto deadline = Clock::now() + seconds_as_ms(timeout);
    int count = 0;
    std::size_t from = 0;
    std::optional<ControlEvent> first;
    while (count < (absent ? 1 : min_count)) {
      std::size_t index = 0;
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      auto found = control_->wait_event(match, std::max(left, milliseconds(0)), from, &index);
      if (!found) {
        break;
      }
      first = first ? first : found;
      ++count;
      from = index + 1;
    }
    const std::string what = (severity.empty() ? "console record" : "console " + severity) +
                             " containing '" + contains + "'";
    if (absent && first) {
      fail(step, "no " + what,
           "\"" + first->data.value("text", std::string()).substr(0, 300) + "\"");
    }
    if (!absent && count < min_count) {
      fail(step,
           std::to_string(min_count) + " x " + what + " within " + text::fixed(timeout, 1) + " s",
           std::to_string(count) + " among " + std::to_string(control_->event_count()) + " events");
    }
    pass(step, absent ? "no " + what : std::to_string(min_count) + " x " + what,
         std::to_string(count) +
             (first ? ": " + first->data.value("text", std::string()).substr(0, 200) : ""));
  }

  void expect_deadlock(const Step& step) {
    const bool absent = step.params.value("absent", false);
    const double timeout = step.params.value("timeout", absent ? 0.0 : 5.0);
    auto found = control_->wait_event([](const ControlEvent& e) { return e.kind == "deadlock"; },
                                      seconds_as_ms(timeout));
    if (absent) {
      if (found) {
        fail(step, "no deadlock report", found->data.value("summary", std::string()));
      }
      pass(step, "no deadlock report", "none");
      return;
    }
    if (!found) {
      fail(step, "a deadlock report within " + text::fixed(timeout, 1) + " s", "none");
    }
    const auto& report = found->data;
    const auto members = report.value("members", json::array());
    for (const auto& wanted : step.params.value("members", json::array())) {
      bool hit = false;
      for (const auto& member : members) {
        hit = hit || member.get<std::string>().starts_with(wanted.get<std::string>());
      }
      if (!hit) {
        fail(step, "a deadlock cycle with member " + wanted.get<std::string>(),
             "members " + members.dump());
      }
    }
    if (step.params.contains("certain") &&
        report.value("certain", false) != step.params["certain"].get<bool>()) {
      fail(step,
           std::string("a ") + (step.params["certain"].get<bool>() ? "certain" : "potential") +
               " deadlock",
           report.value("summary", std::string()));
    }
    if (step.params.contains("within_frames")) {
      std::uint64_t formed = 0;
      for (const auto& edge : report.value("edges", json::array())) {
        formed = std::max(formed, edge.value("since_frame", std::uint64_t{0}));
      }
      const auto detected = report.value("detected_frame", std::uint64_t{0});
      const auto limit = step.params["within_frames"].get<std::uint64_t>();
      if (detected > formed + limit) {
        fail(step, "the report within " + std::to_string(limit) + " frames of the cycle forming",
             "cycle formed at frame " + std::to_string(formed) + ", reported at frame " +
                 std::to_string(detected));
      }
    }
    pass(step, "deadlock " + step.params.value("members", json::array()).dump(),
         report.value("summary", std::string()));
  }

  // line_load {connections, lines, rate, concurrency, prefix}: Asio clients
  // send lines to the scenario port (the engine's spawn server). Every line
  // sent is recorded; a connection that fails is a failed step.
  void line_load(const Step& step) {
    LineLoadOptions options;
    options.port = scenario_port_;
    options.connections = step.params.value("connections", 1);
    options.lines_per_connection = step.params.value("lines", 10);
    options.lines_per_second = step.params.value("rate", 0.0);
    options.concurrency = step.params.value("concurrency", 256);
    options.prefix = step.params.value("prefix", std::string("line"));
    const auto report = run_line_load(options);
    // The exact labels the spawn server must turn into actors (the sender's
    // line format), for expect_lines_spawned.
    for (int c = 0; c < options.connections; ++c) {
      for (int n = 0; n < options.lines_per_connection; ++n) {
        lines_sent_.insert(options.prefix + "-" + std::to_string(c) + "-" + std::to_string(n));
      }
    }
    result_.metrics["line_load.lines_sent"] += static_cast<double>(report.lines_sent);
    result_.metrics["line_load.connections"] += static_cast<double>(report.connections_opened);
    result_.metrics["line_load.seconds"] += report.seconds;
    if (report.seconds > 0 && report.lines_sent > 0) {
      result_.metrics["line_load.lines_per_second"] =
          static_cast<double>(report.lines_sent) / report.seconds;
    }
    timeline("load", step.title, "harness", report.seconds,
             report.connections_failed ? "error" : "ok",
             {{"lines_sent", std::to_string(report.lines_sent)}});
    const auto wanted =
        static_cast<std::int64_t>(options.connections) * options.lines_per_connection;
    if (report.connections_failed > 0 || report.lines_sent != wanted) {
      std::string errors;
      for (const auto& e : report.errors) {
        errors += "; " + e;
      }
      fail(step,
           std::to_string(options.connections) + " connections sending " + std::to_string(wanted) +
               " lines",
           std::to_string(report.connections_failed) + " connections failed, " +
               std::to_string(report.lines_sent) + " lines sent" + errors);
    }
    // lines = 0 asks for connections that send nothing (a churn); that is
    // still work. No connection at all is none.
    if (options.connections <= 0 || report.connections_opened == 0) {
      fail(step, "connections to the spawn server",
           std::to_string(report.connections_opened) + " connections opened of " +
               std::to_string(options.connections) + ", " + std::to_string(report.lines_sent) +
               " lines sent");
    }
    pass(step, std::to_string(wanted) + " lines sent",
         std::to_string(report.lines_sent) + " lines over " +
             std::to_string(report.connections_opened) + " connections in " +
             text::fixed(report.seconds, 3) + " s");
  }

  // expect_lines_spawned {timeout}: every line the line_load steps sent is
  // the label of exactly one actor; missing and duplicated labels are named.
  void expect_lines_spawned(const Step& step) {
    if (lines_sent_.empty()) {
      fail(step, "lines sent by line_load steps before it, each exactly one actor",
           "no line sent: 0 lines to look for");
    }
    const double timeout = step.params.value("timeout", 20.0);
    std::vector<std::string> missing;
    std::vector<std::string> doubled;
    // Judged below, from the last look at the world.
    (void)poll_until(
        [&] {
          std::map<std::string, int> labels;
          for (const auto& actor :
               control_->world(std::max(seconds_as_ms(timeout), kControlRequestTimeout))) {
            if (lines_sent_.contains(actor.label)) {
              ++labels[actor.label];
            }
          }
          missing.clear();
          doubled.clear();
          for (const auto& line : lines_sent_) {
            const auto it = labels.find(line);
            if (it == labels.end()) {
              missing.push_back(line);
            } else if (it->second > 1) {
              doubled.push_back(line + " x" + std::to_string(it->second));
            }
          }
          return missing.empty() && doubled.empty();
        },
        "every line sent as exactly one actor", {}, seconds_as_ms(timeout),
        kLargeControlPollInterval);
    auto first = [](const std::vector<std::string>& names) {
      std::string text;
      for (std::size_t i = 0; i < names.size() && i < 10; ++i) {
        text += (i ? ", " : "") + names[i];
      }
      return text + (names.size() > 10 ? ", ..." : "");
    };
    if (!missing.empty() || !doubled.empty()) {
      fail(step, std::to_string(lines_sent_.size()) + " lines, each exactly one actor",
           std::to_string(missing.size()) + " lines without an actor (" + first(missing) + "), " +
               std::to_string(doubled.size()) + " with several (" + first(doubled) + ")");
    }
    pass(step, std::to_string(lines_sent_.size()) + " lines, each exactly one actor",
         "all " + std::to_string(lines_sent_.size()) + " labels present once");
  }

  // publish_load {publishers, count, rate, channel, in_flight, background}:
  // hiredis publishers (redis/publisher_load.h) send "pub=<i> seq=<n>"
  // messages to the scenario's Redis; with background = true the step
  // returns at once and expect_delivery waits for the publishers.
  void publish_load(const Step& step) {
    redis::PublisherOptions options;
    const auto [host, port] = redis_address(step);
    options.host = host;
    options.port = port;
    options.client.host = host;
    options.client.port = port;
    options.channel = step.params.value("channel", std::string("understudy"));
    options.publishers = step.params.value("publishers", 1);
    options.count = step.params.value("count", std::uint64_t{100});
    options.rate_per_publisher = step.params.value("rate", 0.0);
    options.max_in_flight = step.params.value("in_flight", std::size_t{1});
    if (publisher_thread_.joinable()) {
      throw ScenarioError("publish_load at " + step.where.text() +
                          " starts while another background publish_load still runs");
    }
    auto run = [this, options, title = step.title] {
      const auto started = now_s();
      auto report = redis::run_publishers(options);
      MutexLock lock(publish_mutex_);
      publish_report_ = std::move(report);
      publish_seconds_ = now_s() - started;
    };
    if (step.params.value("background", false)) {
      publisher_thread_ = std::thread(run);
      return;
    }
    run();
    record_publish_metrics(step);
    MutexLock lock(publish_mutex_);
    if (publish_report_->sent() == 0) {
      fail(step, "publishers to send messages", "sent 0: " + publish_report_->describe());
    }
  }

  void record_publish_metrics(const Step& step) {
    MutexLock lock(publish_mutex_);
    if (!publish_report_) {
      return;
    }
    result_.metrics["publish.sent"] = static_cast<double>(publish_report_->sent());
    result_.metrics["publish.acknowledged"] = static_cast<double>(publish_report_->acknowledged());
    result_.metrics["publish.errors"] = static_cast<double>(publish_report_->errors());
    result_.metrics["publish.seconds"] = publish_seconds_;
    timeline("load", step.title, "redis", publish_seconds_, "ok",
             {{"sent", std::to_string(publish_report_->sent())}});
  }

  std::pair<std::string, int> redis_address(const Step& step) const {
    if (redis_url_.empty()) {
      throw ScenarioError("step '" + step.title + "' (" + step.where.text() +
                          ") needs Redis: add [redis] enabled = true");
    }
    // redis://HOST:PORT
    const auto rest = redis_url_.substr(redis_url_.find("://") + 3);
    const auto colon = rest.rfind(':');
    return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
  }

  // expect_delivery {timeout, exactly_once}: reconciles what the publishers
  // sent with what the engine's subscriber received (subscriber_accounting):
  // every message is delivered or lost for a named reason. With exactly_once
  // (default) all must be delivered once, in order; otherwise losses are
  // allowed only where pub/sub loses by design (not published, nobody
  // subscribed), never in transit, and never duplicated or reordered.
  void expect_delivery(const Step& step) {
    if (publisher_thread_.joinable()) {
      publisher_thread_.join();
      record_publish_metrics(step);
    }
    std::optional<redis::PublishReport> sent;
    {
      MutexLock lock(publish_mutex_);
      sent = publish_report_;
    }
    if (!sent) {
      throw ScenarioError("expect_delivery at " + step.where.text() +
                          " has no publish_load before it");
    }
    if (sent->sent() == 0) {
      fail(step, "publishers to send messages", "sent 0, delivered 0: " + sent->describe());
    }
    const bool exactly_once = step.params.value("exactly_once", true);
    const double timeout = step.params.value("timeout", 10.0);
    redis::DeliveryAccount account;
    // Judged below, from the last accounting.
    (void)poll_until(
        [&] {
          json received;
          try {
            received = control_->python(
                "import subscriber_accounting as a\n{k: v for k, v in a.received.items()}",
                kEngineCodeTimeout);
          } catch (const EngineRefusal& e) {
            throw ScenarioError(std::string("the engine's subscriber_accounting cannot be read: ") +
                                e.what());
          }
          redis::DeliveryLedger ledger;
          for (const auto& [publisher, seqs] : received.items()) {
            for (const auto& seq : seqs) {
              ledger.record(
                  redis::format_load_message(std::stoi(publisher), seq.get<std::uint64_t>(), ""));
            }
          }
          account = redis::reconcile(*sent, ledger);
          bool settled = account.exactly_once_in_order();
          if (!exactly_once) {
            settled = true;
            for (const auto& p : account.publishers) {
              settled = settled && p.lost_in_transit == 0;
            }
          }
          return settled;
        },
        "every message accounted for", {}, seconds_as_ms(timeout), kLargeControlPollInterval);
    std::uint64_t lost_not_published = 0;
    std::uint64_t lost_no_subscriber = 0;
    std::uint64_t delivered = 0;
    for (const auto& p : account.publishers) {
      delivered += p.delivered;
    }
    // Losses by design are allowed, but not a run where nothing got through.
    if (delivered == 0) {
      fail(step, "the engine's subscriber to receive messages",
           "sent " + std::to_string(sent->sent()) + ", delivered 0: " + account.describe());
    }
    for (const auto& p : account.publishers) {
      lost_not_published += p.lost_not_published;
      lost_no_subscriber += p.lost_no_subscriber;
      if (p.duplicates > 0 || p.out_of_order > 0 || p.never_sent > 0 || p.lost_in_transit > 0 ||
          (exactly_once && !p.exactly_once_in_order())) {
        fail(step,
             exactly_once ? "every message delivered exactly once, in order"
                          : "no message lost in transit, duplicated or reordered",
             account.describe());
      }
    }
    result_.metrics["delivery.lost_not_published"] = static_cast<double>(lost_not_published);
    result_.metrics["delivery.lost_no_subscriber"] = static_cast<double>(lost_no_subscriber);
    pass(step,
         exactly_once ? "exactly once, in order" : "losses only where pub/sub loses by design",
         account.describe());
  }

  // fault_matrix {duration, faults, clients, kinds, ...}: the faults planned
  // from the run's seed, under load, then the invariants (harness/faults/).
  void fault_matrix(const Step& step) {
    const auto& p = step.params;
    FaultMatrixOptions options;
    options.spec.duration_s = p.value("duration", options.spec.duration_s);
    options.spec.faults = p.value("faults", options.spec.faults);
    options.spec.clients = p.value("clients", options.spec.clients);
    if (p.contains("kinds")) {
      options.spec.kinds.clear();
      for (const auto& kind : p["kinds"]) {
        options.spec.kinds.push_back(fault_kind_from_name(kind.get<std::string>()));
      }
    }
    options.spec.hold_s = p.value("hold_s", options.spec.hold_s);
    options.spec.pause_max_s = p.value("pause_max_s", options.spec.pause_max_s);
    options.spec.restart_after_s = p.value("restart_after_s", options.spec.restart_after_s);
    options.spec.redis_down_max_s = p.value("redis_down_max_s", options.spec.redis_down_max_s);
    options.client_name = p.value("client_name", options.client_name);
    options.client_script = p.value("script", std::string());
    options.load_interval_s = p.value("load_interval_s", options.load_interval_s);
    options.max_load_in_flight = p.value("max_in_flight", options.max_load_in_flight);
    options.settle_s = p.value("settle_s", options.settle_s);
    const bool wants_redis = std::find(options.spec.kinds.begin(), options.spec.kinds.end(),
                                       FaultKind::kRestartRedis) != options.spec.kinds.end();
    FaultMatrixHost host{*control_,
                         [this](const std::string& name, const std::filesystem::path& script,
                                const std::vector<std::string>& args) -> ChildProcess& {
                           return start_client_process(name, script, args);
                         },
                         nullptr,
                         scenario_.engine.call_timeout,
                         scenario_.engine.tick_hz,
                         [this] { return now_s(); },
                         settings_.work_dir,
                         engine_log_hint()};
    if (wants_redis) {
      host.redis = &private_redis(step);
    }
    const double begun = now_s();
    FaultMatrix matrix(host, options, settings_.seed);
    result_.fault_schedule = matrix.schedule_text();
    auto outcome = matrix.run();
    result_.timeline.insert(result_.timeline.end(), outcome.timeline.begin(),
                            outcome.timeline.end());
    for (const auto& [key, value] : outcome.metrics) {
      result_.metrics[key] = value;
    }
    timeline("fault", "fault matrix", "harness", now_s() - begun, "ok");
    if (!outcome.broken.empty()) {
      std::string seen;
      for (const auto& b : outcome.broken) {
        seen += (seen.empty() ? "" : "; ") + b;
      }
      fail(step,
           "every invariant to hold after the fault schedule (replay it with --seed " +
               std::to_string(settings_.seed) + ")",
           seen);
    }
    std::string held;
    for (const auto& c : outcome.checked) {
      held += (held.empty() ? "" : "; ") + c;
    }
    pass(step, "every invariant holds after " + std::to_string(outcome.schedule.size()) + " faults",
         held);
  }

  // connection_soak {processes, cycles, warmup_cycles, rounds | duration, rss_mib, ...}:
  // connect/call/disconnect rounds; after each, the engine's fds and threads
  // back at the baseline and its RSS within rss_mib of it (harness/soak/).
  void connection_soak(const Step& step) {
    const auto& p = step.params;
    ConnectionSoakOptions options;
    options.script = p.value("script", std::string());
    options.processes = p.value("processes", options.processes);
    options.cycles = p.value("cycles", options.cycles);
    options.warmup_cycles = p.value("warmup_cycles", options.warmup_cycles);
    options.rounds = p.value("rounds", options.rounds);
    options.duration_s = p.value("duration", options.duration_s);
    options.rss_mib = p.value("rss_mib", options.rss_mib);
    options.settle_s = p.value("settle_s", options.settle_s);
    options.calls = p.value("calls", options.calls);
    ConnectionSoakHost host{*control_,
                            engine_->pid(),
                            [this](const std::string& name, const std::filesystem::path& script,
                                   const std::vector<std::string>& args) -> ChildProcess& {
                              return start_client_process(name, script, args);
                            },
                            [this] { return now_s(); },
                            scenario_.engine.call_timeout,
                            engine_log_hint()};
    auto outcome = ConnectionSoak(host, options).run();
    result_.timeline.insert(result_.timeline.end(), outcome.timeline.begin(),
                            outcome.timeline.end());
    for (const auto& [key, value] : outcome.metrics) {
      result_.metrics[key] = value;
    }
    if (!outcome.broken.empty()) {
      fail(step, "the engine's resources back at the baseline after every round",
           outcome.broken.front() + (outcome.summary.empty() ? "" : "; " + outcome.summary));
    }
    pass(step,
         "fds and threads exactly at the baseline, RSS within " + text::fixed(options.rss_mib, 1) +
             " MiB, after every round",
         outcome.summary);
  }

  // expect_latency {series, min_count, p50_min_ms, p50_max_ms, p99_max_ms, max_ms}: bounds
  // on the samples a series gathered so far ("sync call", "async call", ...).
  void expect_latency(const Step& step) {
    const auto name = step.params.value("series", std::string("sync call"));
    std::vector<double> samples;
    for (const auto& series : result_.latencies) {
      if (series.name == name) {
        samples = series.samples_ms;
      }
    }
    const auto min_count = step.params.value("min_count", std::size_t{1});
    if (samples.empty() || samples.size() < min_count) {
      fail(step,
           "at least " + std::to_string(std::max<std::size_t>(min_count, 1)) + " samples of '" +
               name + "'",
           std::to_string(samples.size()) + " samples");
    }
    // The same percentiles the reports show (common/percentile_summary.h), so that
    // a failed bound and the HTML report never disagree.
    const auto summary = summarize(samples);
    const std::string seen = "p50 " + text::fixed(summary.p50, 3) + " ms, p99 " +
                             text::fixed(summary.p99, 3) + " ms, max " +
                             text::fixed(summary.max, 3) + " ms over " +
                             std::to_string(summary.count) + " samples";
    for (const auto& [key, value] :
         {std::pair{"p50_max_ms", summary.p50}, std::pair{"p99_max_ms", summary.p99},
          std::pair{"max_ms", summary.max}}) {
      if (step.params.contains(key) && value > step.params[key].get<double>()) {
        fail(step, std::string(key) + " " + text::fixed(step.params[key].get<double>(), 3), seen);
      }
    }
    // A lower bound shows a cost the original has (a poll interval, a frame).
    if (step.params.contains("p50_min_ms") &&
        summary.p50 < step.params["p50_min_ms"].get<double>()) {
      fail(step, "p50 at least " + text::fixed(step.params["p50_min_ms"].get<double>(), 3) + " ms",
           seen);
    }
    pass(step, "latency of '" + name + "' within bounds", seen);
  }

  // expect_actors and expect_registry: poll until the count matches or the deadline.
  void expect_count(const Step& step, const std::string& op) {
    const auto wanted = step.params.value("count", 1);
    const double timeout = step.params.value("timeout", 5.0);
    int seen = -1;
    std::string detail;
    // Judged below, from the last answer.
    (void)poll_until(
        [&] {
          const auto ask_timeout = std::max(seconds_as_ms(timeout), kControlRequestTimeout);
          seen = 0;
          detail.clear();
          if (op == "world") {
            const auto label = step.params.value("label", std::string());
            const auto prefix = step.params.value("label_prefix", std::string());
            const auto cls = step.params.value("class", std::string());
            std::map<std::string, int> labels;
            const auto actors = asked(op, [&] { return control_->world(ask_timeout); });
            for (const auto& actor : actors) {
              if ((label.empty() || actor.label == label) &&
                  (prefix.empty() || actor.label.starts_with(prefix)) &&
                  (cls.empty() || actor.class_name == cls)) {
                ++seen;
                ++labels[actor.label];
              }
            }
            detail = std::to_string(actors.size()) + " actors in the world";
            if (step.params.value("unique", false)) {
              for (const auto& [text, n] : labels) {
                if (n > 1) {
                  fail(step, "each matching label exactly once",
                       "'" + text + "' " + std::to_string(n) + " times (" + detail + ")");
                }
              }
            }
          } else {
            const auto name = step.params.value("name", std::string());
            const auto registry = asked(op, [&] { return control_->registry(ask_timeout); });
            seen = registry.contains(name) ? registry.at(name) : 0;
            detail = "registry " + json(registry).dump();
          }
          return seen == wanted;
        },
        "the count", {}, seconds_as_ms(timeout), kControlPollInterval);
    const std::string what = op == "world" ? "actors" : "connections";
    if (seen != wanted) {
      fail(step, std::to_string(wanted) + " " + what + " within " + text::fixed(timeout, 1) + " s",
           std::to_string(seen) + " (" + detail + ")");
    }
    pass(step, std::to_string(wanted) + " " + what, std::to_string(seen));
  }

  // What an engine query answered; a refusal is the scenario's error.
  template <class Query>
  static auto asked(const std::string& op, Query query) -> decltype(query()) {
    try {
      return query();
    } catch (const EngineRefusal& e) {
      throw ScenarioError("engine query '" + op + "' failed: " + e.what());
    }
  }

  [[noreturn]] void fail(const Step& step, const std::string& expected, const std::string& seen,
                         reports::FailureKind kind = reports::FailureKind::kExpectation) {
    throw StepFailure{
        {step.title, false, expected, seen, step.where.text() + "; " + engine_log_hint()},
        kind,
        {}};
  }

  void pass(const Step& step, const std::string& expected, const std::string& seen) {
    result_.expectations.push_back({step.title, true, expected, seen, step.where.text()});
  }

  void latency(const std::string& series, double value_ms) {
    for (auto& s : result_.latencies) {
      if (s.name == series) {
        s.samples_ms.push_back(value_ms);
        return;
      }
    }
    result_.latencies.push_back({series, {value_ms}});
  }

  const Scenario& scenario_;
  const RunSettings& settings_;
  const Clock::time_point started_;
  reports::ScenarioResult result_;
  std::optional<PrivateFolder> control_dir_;    // until the control client is connected
  std::filesystem::path tmp_dir_;               // the engine's and its clients' TMPDIR
  std::optional<PrivateFolder> short_tmp_dir_;  // TMPDIR when the work folder's is too deep
  std::filesystem::path control_path_;
  std::unique_ptr<ChildProcess> engine_;
  std::unique_ptr<EngineClient> control_;
  std::string rpc_address_;
  std::unique_ptr<redis::RedisServer> redis_;
  std::set<std::string> lines_sent_;  // every line the line_load steps sent
  std::thread publisher_thread_;      // a background publish_load
  Mutex publish_mutex_;
  std::optional<redis::PublishReport> publish_report_ GUARDED_BY(publish_mutex_);
  double publish_seconds_ GUARDED_BY(publish_mutex_) = 0;
  std::string redis_url_;
  int scenario_port_ = 0;  // a free loopback port for the scenario's own servers
  std::vector<std::unique_ptr<ChildProcess>> clients_;
  std::vector<std::string> client_names_;
  Mutex pids_mutex_;  // steps start clients while the event hook reads
  std::vector<pid_t> client_pids_ GUARDED_BY(pids_mutex_);
  std::vector<std::filesystem::path> client_logs_ GUARDED_BY(pids_mutex_);
  std::vector<bool> client_dumps_stacks_ GUARDED_BY(pids_mutex_);
  // Per client pid, the size of its log when each deadlock report asked it
  // for its stacks.
  std::map<pid_t, std::vector<std::uintmax_t>> dump_offsets_ GUARDED_BY(pids_mutex_);
  std::atomic<pid_t> engine_pid_{0};      // for the watchdog's thread
  ScenarioWatchdog* watchdog_ = nullptr;  // while execute() runs
  // A step failed on a deadlock while the engine's main thread may still be
  // in the call: finish() stops the clients first, which ends the call.
  bool main_thread_stuck_ = false;
  // By id: those announced before the harness listened; the rest are events.
  std::map<std::uint64_t, json> startup_engine_errors_;
  struct PendingCall {
    std::int64_t id;
    double begun;
    protocol::CallRequest call;
    std::size_t events_from;  // the control events before the call was sent
  };
  std::map<std::string, PendingCall> pending_calls_;
};

}  // namespace

reports::ScenarioResult run_scenario(const Scenario& scenario, const RunSettings& settings) {
  return Run(scenario, settings).execute();
}

}  // namespace understudy::harness
