#include "harness/run/scenario_engine.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <fstream>
#include <random>
#include <vector>

#include "common/text_format.h"
#include "harness/run/own_child.h"
#include "harness/run/python_paths.h"
#include "harness/run/run_failures.h"
#include "harness/timeouts.h"

namespace understudy::harness {
namespace {

// sockaddr_un's sun_path holds 108 bytes, the terminating NUL included.
constexpr std::size_t kMaxUnixSocketPath = 107;

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

}  // namespace

std::string ScenarioEngine::log_hint() const {
  return engine_ ? engine_->log_hint() : "engine not started";
}

void ScenarioEngine::kill_from_any_thread() {
  if (const pid_t engine = pid_.load(); engine > 0 && is_own_child(engine)) {
    ::kill(engine, SIGKILL);
  }
}

// The engine's own TMPDIR, which its clients get too: PfU's socket path
// (and anything else either puts in TMPDIR) stays private to this run,
// so parallel scenarios do not collide. It is part of the run's work
// folder, not of the system's temp folder, so that a harness killed
// with SIGKILL leaves nothing behind there.
void ScenarioEngine::make_tmp_dir() {
  tmp_dir_ = std::filesystem::absolute(settings_.work_dir / "tmp");
  std::error_code made;
  std::filesystem::create_directories(tmp_dir_, made);
  if (made) {
    throw ScenarioError("cannot create the engine's TMPDIR " + tmp_dir_.string() + ": " +
                        made.message());
  }
  std::filesystem::permissions(tmp_dir_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, made);
  if (scenario_.engine.socket == "pfu" && pfu_socket_path().string().size() > kMaxUnixSocketPath) {
    // PfU's socket must fit a Unix socket path: a deep work folder gets a
    // short private TMPDIR instead, removed with the run.
    try {
      short_tmp_dir_.emplace(std::filesystem::temp_directory_path(), "understudy-tmp-");
    } catch (const std::runtime_error& error) {
      throw ScenarioError(std::string("for PfU's socket: ") + error.what());
    }
    tmp_dir_ = short_tmp_dir_->path();
  }
}

// After the flags every engine under test gets (EngineCommand).
std::vector<std::string> ScenarioEngine::engine_args() const {
  const auto& e = scenario_.engine;
  std::vector<std::string> args = {"--call-timeout", text::fixed(e.call_timeout, 3),
                                   "--on-deadlock", e.on_deadlock};
  for (const auto& script : e.scripts) {
    args.push_back("--script");
    args.push_back(script.string());
  }
  for (const auto& schema : e.unity_schemas) {
    args.push_back("--unity-schema");
    args.push_back(schema.string());
  }
  for (const auto& schema : e.schemas) {
    args.push_back("--schema");
    args.push_back(schema.string());
  }
  args.insert(args.end(), e.args.begin(), e.args.end());
  return args;
}

void ScenarioEngine::start(const std::map<std::string, std::string>& env) {
  const auto& e = scenario_.engine;
  make_tmp_dir();
  EngineCommand command{settings_.engine_binary, e.tick_hz, true, e.faithful, engine_args()};
  if (e.socket == "pfu") {
    // PfU 2.x's own socket, $TMPDIR/com.unity.scripting.python-$USER.socket,
    // where an unchanged unity_client.connect() looks: TMPDIR must leave
    // room for it within a Unix socket path's 107 bytes.
    check_pfu_socket_fits();
    command.rpc_on_port = false;
  }
  scenario_port_ = free_loopback_port();
  EngineUnderTestOptions options;
  options.command = [command](const std::filesystem::path& socket) { return command.argv(socket); };
  options.env = {{"PYTHONPATH", python_path(settings_)},
                 {"TMPDIR", tmp_dir_.string()},
                 {"UNDERSTUDY_SCENARIO_PORT", std::to_string(scenario_port_)}};
  auto engine_env = env;
  options.env.merge(engine_env);
  options.env.merge(pfu_engine_env());
  options.log = settings_.work_dir / "engine.log";
  options.once_connected = [this](EngineClient& control) { wait_for_startup_scripts(control); };
  try {
    engine_ = std::make_unique<EngineUnderTest>(std::move(options));
  } catch (const std::runtime_error& error) {
    throw ScenarioError(error.what());
  }
  pid_ = engine_->process().pid();
  try {
    engine_->wait_until_ready();
  } catch (const EngineStartError& error) {
    throw ScenarioError(error.what(), reports::FailureKind::kEngineError);
  }
}

// Step 1 starts only after every startup script has run: the engine
// answers `startup` then, with the engine errors so far (a script's may
// have been announced before the harness listened).
void ScenarioEngine::wait_for_startup_scripts(EngineClient& control) {
  const auto& scripts = scenario_.engine.scripts;
  nlohmann::json answer;
  try {
    answer = control.startup(kEngineCodeTimeout);
  } catch (const EngineRefusal& e) {
    throw ScenarioError(std::string("the engine did not say when its startup scripts were done: ") +
                        e.what());
  } catch (const ControlError& e) {
    std::string names;
    for (const auto& script : scripts) {
      names += (names.empty() ? "" : ", ") + script.filename().string();
    }
    throw ScenarioError("the engine's startup scripts (" + (names.empty() ? "none" : names) +
                        ") did not finish within " + seconds_text(kEngineCodeTimeout) + ": " +
                        e.what() + " (" + log_hint() + ")");
  }
  for (const auto& error : answer.value("errors", nlohmann::json::array())) {
    startup_errors_[error.value("id", std::uint64_t{0})] = error;
  }
}

// The engine finds PfU's package as Unity does its own: PythonRunner.
// SpawnClient puts its site-packages first on a client's path.
std::map<std::string, std::string> ScenarioEngine::pfu_engine_env() const {
  if (!settings_.pfu_package) {
    return {};
  }
  return {{"UNDERSTUDY_PFU_SITE_PACKAGES", pfu_site_packages(settings_).string()},
          {"UNDERSTUDY_CLIENT_PYTHON", settings_.python.string()}};
}

// Where PfU's unity_client.connect() looks: tempfile.gettempdir(), which
// is TMPDIR, and getpass.getuser(), which reads these variables first.
std::filesystem::path ScenarioEngine::pfu_socket_path() const {
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

void ScenarioEngine::check_pfu_socket_fits() const {
  const auto socket = pfu_socket_path();
  if (socket.string().size() > kMaxUnixSocketPath) {
    throw ScenarioError("[engine] socket = \"pfu\": PfU's socket " + socket.string() + " is " +
                        std::to_string(socket.string().size()) +
                        " bytes, over the 107 a Unix socket path may have: set a shorter "
                        "TMPDIR for the harness");
  }
}

}  // namespace understudy::harness
