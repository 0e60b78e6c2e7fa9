#include "harness/stress/worker_fleet.h"

#include <algorithm>

#include "harness/stress/step_error.h"
#include "harness/timeouts.h"

namespace understudy::harness {

using std::chrono::milliseconds;

namespace {

// With --spawn fork, one launcher forks at most this many workers; a larger
// fleet gets more launchers, which fork side by side.
constexpr int kMaxForksPerLauncher = 64;

}  // namespace

void WorkerFleet::start(const std::string& rpc, const std::filesystem::path& log_dir) {
  log_dir_ = log_dir;
  const int launchers = o_.spawn == "exec"
                            ? processes_
                            : (processes_ + kMaxForksPerLauncher - 1) / kMaxForksPerLauncher;
  int first = 0;
  for (int l = 0; l < launchers; ++l) {
    const int count = o_.spawn == "exec" ? 1 : std::min(kMaxForksPerLauncher, processes_ - first);
    std::vector<std::string> argv = {
        o_.python.string(),
        "-m",
        "understudy_stress.worker",
        "--target",
        rpc,
        "--collector",
        collector_.socket_path().string(),
        "--processes",
        std::to_string(count),
        "--first-worker",
        std::to_string(first),
        "--connections",
        std::to_string(per_process_),
        "--mix",
        o_.mix,
        "--rate",
        std::to_string(o_.rate),
        "--pipeline-depth",
        std::to_string(o_.pipeline_depth),
        "--duration",
        std::to_string(std::chrono::duration<double>(o_.duration).count()),
        "--seed",
        std::to_string(o_.seed)};
    launchers_.push_back(std::make_unique<ChildProcess>(
        ProcessSpec{"stress launcher " + std::to_string(l),
                    argv,
                    {{"PYTHONPATH", child_python_path(o_)}, {"PYTHONUNBUFFERED", "1"}},
                    log_dir / ("workers-" + std::to_string(l) + ".log"),
                    std::nullopt}));
    first += count;
  }
}

void WorkerFleet::await_registration(StressTarget& target,
                                     std::chrono::steady_clock::time_point deadline) {
  const auto workers = static_cast<std::size_t>(processes_);
  while (!collector_.wait_summaries("connected", workers, milliseconds(100))) {
    check_launchers();
    if (!target.running()) {
      throw StressStepError(target.name() + " exited while clients connected; " +
                            target.log_hint());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw StressStepError("expected " + std::to_string(clients()) +
                            " clients to connect and register, but " + describe() +
                            " by the deadline; read " + log_dir_.string() + "/workers-*.log");
    }
  }
  // A worker counts a client connected when its connection is up; the
  // target's registry says the client also registered its service.
  const auto registry =
      target.ask([](EngineClient& c) { return c.registry(kLargeControlRequestTimeout); });
  if (registry.size() < static_cast<std::size_t>(clients())) {
    throw StressStepError("every worker said its clients were registered, but " + target.name() +
                          "'s registry lists " + std::to_string(registry.size()) + " of " +
                          std::to_string(clients()) + "; " + target.log_hint());
  }
}

void WorkerFleet::check_launchers() {
  for (auto& l : launchers_) {
    if (!l->running() && l->exit_code().value_or(0) != 0) {
      throw StressStepError(l->name() + " failed (" + l->describe_exit() + "); read " +
                            l->log_path().string() + ":\n" + l->log_tail(15));
    }
  }
}

void WorkerFleet::stop() {
  for (auto& l : launchers_) {
    if (!l->wait_exit(kLauncherExitTimeout)) {
      l->stop();
    }
  }
  launchers_.clear();
}

std::vector<std::string> WorkerFleet::client_names() const {
  std::vector<std::string> names;
  for (int w = 0; w < processes_; ++w) {
    for (int c = 0; c < per_process_; ++c) {
      names.push_back("stress-" + std::to_string(w) + "-" + std::to_string(c));
    }
  }
  return names;
}

std::string WorkerFleet::describe() const {
  std::size_t connected = 0;
  std::size_t done = 0;
  for (const auto& s : collector_.snapshot().summaries) {
    connected += s.value("phase", "") == "connected" ? 1 : 0;
    done += s.value("phase", "") == "done" ? 1 : 0;
  }
  return std::to_string(connected) + " of " + std::to_string(processes_) +
         " worker processes reported connected and " + std::to_string(done) + " done";
}

}  // namespace understudy::harness
