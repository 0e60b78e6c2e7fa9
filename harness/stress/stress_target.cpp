#include "harness/stress/stress_target.h"

#include <fstream>
#include <optional>
#include <thread>

#include "harness/stress/step_error.h"
#include "harness/timeouts.h"

namespace understudy::harness {

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

const milliseconds kTargetStartTimeout{15000};

}  // namespace

StressTarget StressTarget::start_engine(const StressOptions& o,
                                        const std::filesystem::path& log_dir,
                                        const std::filesystem::path& control_socket) {
  std::vector<std::string> argv = {
      o.engine_binary.string(), "--port", "0", "--control", control_socket.string(), "--tick-hz",
      std::to_string(o.tick_hz)};
  if (o.faithful) {
    argv.push_back("--faithful");
  }
  argv.insert(argv.end(), o.engine_args.begin(), o.engine_args.end());
  ProcessSpec spec{"engine",
                   std::move(argv),
                   {{"PYTHONPATH", child_python_path(o)}},
                   log_dir / "engine.log",
                   std::nullopt};
  StressTarget t("the engine", true, std::make_unique<ChildProcess>(std::move(spec)));
  try {
    t.control_ = std::make_unique<ControlClient>(control_socket, kTargetStartTimeout);
  } catch (const std::exception& e) {
    throw StressStepError(std::string("the engine did not open its control channel: ") + e.what() +
                          "; " + t.log_hint());
  }
  // --port 0: only the engine knows the port it got.
  const auto address =
      t.request({{"op", "python"}, {"code", "__import__('understudy_engine').rpc_server.address"}},
                kTargetStartTimeout);
  if (!address.is_string()) {
    throw StressStepError("the engine did not tell its RPC address (got " + address.dump() + "); " +
                          t.log_hint());
  }
  t.rpc_ = address.get<std::string>();
  return t;
}

// The plain server prints {"plain": "listening", "rpc": ...} when it listens.
StressTarget StressTarget::start_plain(const StressOptions& o, const std::filesystem::path& log_dir,
                                       const std::filesystem::path& control_socket,
                                       const std::filesystem::path& collector_socket) {
  ProcessSpec spec{"plain RPyC server",
                   {o.python.string(), "-m", "understudy_stress.plain_server", "--control",
                    control_socket.string(), "--collector", collector_socket.string()},
                   {{"PYTHONPATH", child_python_path(o)}, {"PYTHONUNBUFFERED", "1"}},
                   log_dir / "plain-server.log",
                   std::nullopt};
  StressTarget t("the plain RPyC server", false, std::make_unique<ChildProcess>(std::move(spec)));
  const auto deadline = std::chrono::steady_clock::now() + kTargetStartTimeout;
  while (t.rpc_.empty()) {
    std::ifstream log(t.process_->log_path());
    for (std::string line; std::getline(log, line);) {
      const auto value = json::parse(line, nullptr, false);
      if (value.is_object() && value.value("plain", "") == "listening") {
        t.rpc_ = value.value("rpc", "");
      }
    }
    if (t.rpc_.empty()) {
      if (!t.process_->running() || std::chrono::steady_clock::now() > deadline) {
        throw StressStepError("the plain RPyC server did not say it was listening within " +
                              std::to_string(kTargetStartTimeout.count() / 1000) + " s; " +
                              t.log_hint());
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
  try {
    t.control_ = std::make_unique<ControlClient>(control_socket, kTargetStartTimeout);
  } catch (const std::exception& e) {
    throw StressStepError(std::string("the plain server's control socket did not open: ") +
                          e.what() + "; " + t.log_hint());
  }
  return t;
}

std::string StressTarget::log_hint() const {
  return "read " + process_->log_path().string() + " (" + process_->describe_exit() + ")";
}

json StressTarget::request(json body, milliseconds timeout) {
  json answer;
  try {
    answer = control_->request(std::move(body), timeout);
  } catch (const std::exception& e) {
    throw StressStepError(name_ + " did not answer the control channel: " + e.what() + "; " +
                          log_hint());
  }
  if (!answer.value("ok", false)) {
    throw StressStepError(name_ + " refused a control request: " + answer.dump() + "; " +
                          log_hint());
  }
  return answer["result"];
}

void StressTarget::stop() {
  if (!process_) {
    return;  // moved from
  }
  if (control_ && control_->connected() && is_engine_) {
    try {
      control_->request({{"op", "stop"}}, kControlRequestTimeout);
    } catch (const std::exception&) {
      // stopped below by its pid
    }
    process_->wait_exit(kEngineExitTimeout);
  }
  control_.reset();
  process_->stop();
}

}  // namespace understudy::harness
