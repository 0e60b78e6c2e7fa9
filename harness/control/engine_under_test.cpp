#include "harness/control/engine_under_test.h"

#include <utility>

#include "common/text_format.h"
#include "harness/timeouts.h"

namespace understudy::harness {

std::vector<std::string> EngineCommand::argv(const std::filesystem::path& control_socket) const {
  std::vector<std::string> argv = {binary.string()};
  if (rpc_on_port) {
    argv.insert(argv.end(), {"--port", "0"});
  }
  argv.insert(argv.end(),
              {"--control", control_socket.string(), "--tick-hz", text::fixed(tick_hz, 3)});
  if (faithful) {
    argv.push_back("--faithful");
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

EngineUnderTest::EngineUnderTest(EngineUnderTestOptions options) : options_(std::move(options)) {
  // Unix socket paths are limited to 107 bytes, and work folders can be
  // deep: the control socket lives in a short private folder of its own.
  try {
    control_dir_.emplace(std::filesystem::temp_directory_path(), "understudy-");
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(std::string("for the control socket: ") + error.what());
  }
  control_path_ = control_dir_->path() / "control.sock";
  process_ = std::make_unique<ChildProcess>(ProcessSpec{options_.process_name,
                                                        options_.command(control_path_),
                                                        options_.env, options_.log, std::nullopt});
}

void EngineUnderTest::wait_until_ready() {
  try {
    control_ = std::make_unique<EngineClient>(
        control_path_, kEngineStartTimeout, [this]() -> std::optional<std::string> {
          if (process_->running()) {
            return std::nullopt;
          }
          return options_.name + " " + process_->describe_exit();
        });
    control_dir_->remove();
    if (options_.once_connected) {
      options_.once_connected(*control_);
    }
    // An op the engine answers at its next frame, once it is connected.
    const auto hello = control_->hello(kControlRequestTimeout);
    if (!hello.rpc_address) {
      throw EngineStartError(options_.name +
                             " said it serves no RPC (its hello has no rpc_address)");
    }
    rpc_address_ = *hello.rpc_address;
  } catch (const std::exception& error) {
    throw EngineStartError(start_failure(error.what()));
  }
}

std::string EngineUnderTest::log_hint() const {
  return options_.process_name + " log: " + process_->log_path().string();
}

std::string EngineUnderTest::start_failure(const std::string& seen) {
  std::string said;
  if (!process_->running()) {
    said = "\n" + process_->log_tail(5);
    while (!said.empty() && said.back() == '\n') {
      said.pop_back();
    }
  }
  return options_.name + " did not start: " + seen + " (" + process_->describe_exit() + "; " +
         log_hint() + ")" + said;
}

}  // namespace understudy::harness
