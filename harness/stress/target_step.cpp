#include "harness/stress/target_step.h"

#include <algorithm>
#include <thread>

#include "common/text_format.h"
#include "harness/run/private_folder.h"
#include "harness/stress/load_warnings.h"
#include "harness/stress/process_probe.h"
#include "harness/stress/step_error.h"
#include "harness/stress/step_results.h"
#include "harness/timeouts.h"

namespace understudy::harness {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

// The engine's ClientCallLoad (fake_engine/load/), asked to call every
// client's `noop` on each engine path; the plain server takes the same
// request.
CallLoadRequest engine_load_request(const StressOptions& o,
                                    const std::vector<std::string>& client_names) {
  CallLoadRequest load;
  load.clients = client_names;
  for (const auto& name : o.engine_paths) {
    load.paths.push_back({protocol::call_path_from_name(name).value(),
                          o.engine_rate > 0 ? o.engine_rate : 0.0, o.engine_depth});
  }
  return load;
}

}  // namespace

reports::StressStep TargetStep::run() {
  step_.target = engine_ ? "engine" : "plain RPyC";
  const int per_process = std::max(1, o_.connections_per_process);
  step_.processes = (clients_ + per_process - 1) / per_process;
  step_.clients = step_.processes * per_process;
  const auto dir =
      o_.work_dir / ((engine_ ? "engine-" : "plain-") + std::to_string(step_.clients) + "-clients");
  std::filesystem::create_directories(dir);
  step_.log_dir = dir.string();
  // Unix socket paths are limited to 107 bytes: the collector's socket
  // lives in a short private folder of its own, removed with it (on an
  // interruption too), as the target's control socket does (EngineUnderTest).
  const PrivateFolder socket_folder(std::filesystem::temp_directory_path(), "understudy-");
  SampleCollector collector(socket_folder.path() / "collector.sock");
  StressTarget target = engine_ ? StressTarget::start_engine(o_, dir)
                                : StressTarget::start_plain(o_, dir, collector.socket_path());
  WorkerFleet fleet(o_, step_.processes, per_process, collector);
  try {
    register_clients(target, fleet, dir);
    apply_load(target, collector, fleet);
  } catch (...) {
    fleet.stop();
    target.stop();
    throw;
  }
  fleet.stop();
  target.stop();
  return step_;
}

// Clients: real processes, each with its connections registered.
void TargetStep::register_clients(StressTarget& target, WorkerFleet& fleet,
                                  const std::filesystem::path& dir) {
  if (const auto usage = read_process_usage(target.pid())) {
    step_.rss_before_bytes = usage->rss_bytes;
    step_.threads_before = usage->threads;
    step_.fds_before = usage->open_fds;
  }
  const auto started = Clock::now();
  fleet.start(target.rpc(), dir);
  fleet.await_registration(target,
                           started + kStressClientsRegisterTimeout.for_count(step_.clients));
  step_.registration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (const auto usage = read_process_usage(target.pid())) {
    step_.rss_registered_bytes = usage->rss_bytes;
    step_.threads_registered = usage->threads;
    step_.fds_registered = usage->open_fds;
    step_.memory_per_client_bytes =
        (static_cast<double>(usage->rss_bytes) - static_cast<double>(step_.rss_before_bytes)) /
        step_.clients;
  }
  progress_.keep("registered " + std::to_string(step_.clients) + " clients in " +
                 text::fixed(step_.registration_seconds, 2) + " s");
}

void TargetStep::apply_load(StressTarget& target, SampleCollector& collector, WorkerFleet& fleet) {
  std::uint64_t first_frame = 0;
  if (engine_) {
    first_frame = target.ask([](EngineClient& c) { return c.ping(kControlRequestTimeout); });
  }
  const auto cpu_before = read_machine_cpu();
  const auto target_before = read_process_usage(target.pid()).value_or(ProcessUsage{});
  collector.since_mark();  // the first progress line counts from here
  const auto load_start = Clock::now();
  collector.send_to_all('G');
  const bool engine_paths = !o_.engine_paths.empty();
  if (engine_paths) {
    const auto load = engine_load_request(o_, fleet.client_names());
    target.ask([&](EngineClient& c) { c.load_start(load, kLargeControlRequestTimeout); });
  }
  show_load_progress(target, collector, fleet, load_start);
  json engine_load;
  if (engine_paths) {
    engine_load = target.ask([](EngineClient& c) { return c.load_stop(kLoadStopTimeout); });
  }
  const auto load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
  if (!collector.wait_summaries("done", static_cast<std::size_t>(step_.processes),
                                kWorkersFinishTimeout)) {
    throw StressStepError("not every worker finished its calls within " +
                          seconds_text(kWorkersFinishTimeout) + " after the load (" +
                          fleet.describe() + ")");
  }
  step_.machine_busy = busy_fraction(cpu_before, read_machine_cpu());
  const auto target_after = read_process_usage(target.pid()).value_or(ProcessUsage{});
  step_.target_cpu_seconds = target_after.cpu_seconds - target_before.cpu_seconds;
  step_.target_cpu_wait_seconds =
      std::max(0.0, target_after.cpu_wait_seconds - target_before.cpu_wait_seconds);
  step_.target_switches_in_per_second =
      target_after.cpu_switches_in > target_before.cpu_switches_in
          ? static_cast<double>(target_after.cpu_switches_in - target_before.cpu_switches_in) /
                load_seconds
          : 0.0;
  step_.seconds = std::chrono::duration<double>(o_.duration).count();
  if (engine_) {
    step_.has_frames = true;
    // The engine's frames under load: of its `frames` answer since the load
    // began, the figures a report shows.
    step_.frames =
        target.ask([&](EngineClient& c) { return c.frames(kControlRequestTimeout, first_frame); });
  }

  const auto snapshot = collector.snapshot();
  step_.paths = step_path_results(o_, engine_, snapshot, engine_load, load_seconds);
  for (const auto& p : step_.paths) {
    step_.total_per_second += p.per_second;
  }
  if (engine_) {
    step_.warnings = engine_pace_warnings(o_, engine_load);
  }
  for (auto& w : load_warnings(step_, snapshot, o_.rate > 0)) {
    step_.warnings.push_back(std::move(w));
  }
  step_.error_examples = error_examples(snapshot);
  collector.send_to_all('Q');
}

// Paces the load's duration, a line a second, and ends it early when the
// target or a launcher dies rather than waiting out the duration.
void TargetStep::show_load_progress(StressTarget& target, SampleCollector& collector,
                                    WorkerFleet& fleet, Clock::time_point start) {
  const auto end = start + o_.duration;
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::min<Clock::duration>(milliseconds(1000), end - Clock::now()));
    fleet.check_launchers();
    if (!target.running()) {
      throw StressStepError(target.name() + " exited under load; " + target.log_hint());
    }
    const auto last_second = collector.since_mark();
    const auto elapsed = Clock::now() - start;
    std::optional<protocol::FramesSummary> engine_frames;
    if (engine_) {
      engine_frames = target.ask([](EngineClient& c) { return c.frames(kControlRequestTimeout); });
    }
    progress_.replace(load_progress_text(step_.target, step_.clients, elapsed, o_.duration,
                                         last_second, engine_frames));
  }
}

}  // namespace understudy::harness
