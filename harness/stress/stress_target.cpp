#include "harness/stress/stress_target.h"

#include <optional>

#include "harness/timeouts.h"

namespace understudy::harness {

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
  t.connect(control_socket);
  return t;
}

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
  t.connect(control_socket);
  return t;
}

// Both targets open their control socket once they listen for RPC, and say
// where in their hello (--port 0: only the target knows the port it got).
void StressTarget::connect(const std::filesystem::path& control_socket) {
  try {
    control_ = std::make_unique<EngineClient>(control_socket, kEngineStartTimeout,
                                              [this]() -> std::optional<std::string> {
                                                if (process_->running()) {
                                                  return std::nullopt;
                                                }
                                                return name_ + " " + process_->describe_exit();
                                              });
  } catch (const std::exception& e) {
    throw StressStepError(name_ + " did not open its control channel: " + e.what() + "; " +
                          log_hint());
  }
  const auto hello = ask([](EngineClient& c) { return c.hello(kEngineStartTimeout); });
  if (!hello.rpc_address) {
    throw StressStepError(name_ + " did not tell its RPC address (its hello has none); " +
                          log_hint());
  }
  rpc_ = *hello.rpc_address;
}

std::string StressTarget::log_hint() const {
  return "read " + process_->log_path().string() + " (" + process_->describe_exit() + ")";
}

void StressTarget::stop() {
  if (!process_) {
    return;  // moved from
  }
  if (control_ && control_->connected() && is_engine_) {
    try {
      control_->stop(kControlRequestTimeout);
    } catch (const std::exception&) {
      // stopped below by its pid
    }
    process_->wait_exit(kEngineExitTimeout);
  }
  control_.reset();
  process_->stop();
}

}  // namespace understudy::harness
