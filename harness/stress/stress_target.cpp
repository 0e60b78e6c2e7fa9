#include "harness/stress/stress_target.h"

#include <optional>
#include <utility>

#include "harness/timeouts.h"

namespace understudy::harness {

StressTarget StressTarget::start_engine(const StressOptions& o,
                                        const std::filesystem::path& log_dir) {
  const EngineCommand command{o.engine_binary, o.tick_hz, true, o.faithful, o.engine_args};
  EngineUnderTestOptions options;
  options.command = [command](const std::filesystem::path& socket) { return command.argv(socket); };
  options.env = {{"PYTHONPATH", child_python_path(o)}};
  options.log = log_dir / "engine.log";
  return StressTarget(true, std::move(options));
}

StressTarget StressTarget::start_plain(const StressOptions& o, const std::filesystem::path& log_dir,
                                       const std::filesystem::path& collector_socket) {
  EngineUnderTestOptions options;
  options.name = "the plain RPyC server";
  options.process_name = "plain RPyC server";
  options.command = [python = o.python.string(),
                     collector = collector_socket.string()](const std::filesystem::path& socket) {
    return std::vector<std::string>{
        python,        "-m",     "understudy_stress.plain_server", "--control", socket.string(),
        "--collector", collector};
  };
  options.env = {{"PYTHONPATH", child_python_path(o)}, {"PYTHONUNBUFFERED", "1"}};
  options.log = log_dir / "plain-server.log";
  return StressTarget(false, std::move(options));
}

// Both targets open their control socket once they listen for RPC, and say
// where in their hello (--port 0: only the target knows the port it got).
StressTarget::StressTarget(bool is_engine, EngineUnderTestOptions options)
    : name_(options.name), is_engine_(is_engine) {
  try {
    target_ = std::make_unique<EngineUnderTest>(std::move(options));
    target_->wait_until_ready();
  } catch (const std::exception& e) {
    throw StressStepError(e.what());
  }
}

std::string StressTarget::log_hint() const {
  return "read " + target_->process().log_path().string() + " (" +
         target_->process().describe_exit() + ")";
}

void StressTarget::stop() {
  if (!target_) {
    return;  // moved from
  }
  auto* control = target_->control_or_null();
  if (control && control->connected() && is_engine_) {
    try {
      control->stop(kControlRequestTimeout);
    } catch (const std::exception&) {
      // stopped below by its pid
    }
    target_->process().wait_exit(kEngineExitTimeout);
  }
  target_->process().stop();
}

}  // namespace understudy::harness
