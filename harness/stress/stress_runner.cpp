#include "harness/stress/stress_runner.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

#include "harness/control/control_client.h"
#include "harness/process/child_process.h"
#include "harness/run/private_folder.h"
#include "harness/stress/loopback_baseline.h"
#include "harness/stress/process_probe.h"
#include "harness/stress/sample_collector.h"
#include "reports/detail/text.h"

namespace understudy::harness {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
using reports::StressPathResult;
using reports::StressStep;
using std::chrono::milliseconds;

namespace {

constexpr int kMaxForksPerLauncher = 64;
constexpr double kSaturatedCpu = 0.9;  // of one core, for a worker (one GIL)
constexpr double kBusyMachine = 0.95;  // of all cores
// The target's threads waited for a CPU this long for each second of CPU
// they got: the machine (its other processes, or the time it takes to run a
// thread that was woken) set the pace as much as the target's work.
constexpr double kCpuWaitPerCpuSecond = 0.25;
constexpr double kLateSendNs = 1'000'000;  // open loop: p99 lag of the workers' sends
constexpr double kEngineKeptUp = 0.95;     // open loop: share of due calls issued
const milliseconds kStartTimeout{15000};

class StepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A running engine or plain RPyC server, with its control channel.
struct Target {
  std::string name;
  bool is_engine = false;
  std::unique_ptr<ChildProcess> process;
  std::unique_ptr<ControlClient> control;
  std::string rpc;

  std::string log_hint() const {
    return "read " + process->log_path().string() + " (" + process->describe_exit() + ")";
  }

  json request(json body, milliseconds timeout) {
    json answer;
    try {
      answer = control->request(std::move(body), timeout);
    } catch (const std::exception& e) {
      throw StepError(name + " did not answer the control channel: " + e.what() + "; " +
                      log_hint());
    }
    if (!answer.value("ok", false)) {
      throw StepError(name + " refused a control request: " + answer.dump() + "; " + log_hint());
    }
    return answer["result"];
  }

  void stop() {
    if (!process) {
      return;
    }
    if (control && control->connected() && is_engine) {
      try {
        control->request({{"op", "stop"}}, milliseconds(5000));
      } catch (const std::exception&) {
        // stopped below by its pid
      }
      process->wait_exit(milliseconds(10000));
    }
    control.reset();
    process->stop();
  }
};

std::string python_path(const StressOptions& o) {
  std::string path = o.pylib.string();
  if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing) {
    path += ":" + std::string(existing);
  }
  return path;
}

Target start_engine(const StressOptions& o, const std::filesystem::path& dir,
                    const std::filesystem::path& control_path) {
  Target t;
  t.name = "the engine";
  t.is_engine = true;
  std::vector<std::string> argv = {
      o.engine_binary.string(), "--port", "0", "--control", control_path.string(), "--tick-hz",
      std::to_string(o.tick_hz)};
  if (o.faithful) {
    argv.push_back("--faithful");
  }
  argv.insert(argv.end(), o.engine_args.begin(), o.engine_args.end());
  t.process = std::make_unique<ChildProcess>(ProcessSpec{
      "engine", argv, {{"PYTHONPATH", python_path(o)}}, dir / "engine.log", std::nullopt});
  try {
    t.control = std::make_unique<ControlClient>(control_path, kStartTimeout);
  } catch (const std::exception& e) {
    throw StepError(std::string("the engine did not open its control channel: ") + e.what() + "; " +
                    t.log_hint());
  }
  const auto address =
      t.request({{"op", "python"}, {"code", "__import__('understudy_engine').rpc_server.address"}},
                kStartTimeout);
  if (!address.is_string()) {
    throw StepError("the engine did not tell its RPC address (got " + address.dump() + "); " +
                    t.log_hint());
  }
  t.rpc = address.get<std::string>();
  return t;
}

// The plain server prints {"plain": "listening", "rpc": ...} when it listens.
Target start_plain(const StressOptions& o, const std::filesystem::path& dir,
                   const std::filesystem::path& control_path,
                   const std::filesystem::path& collector_path) {
  Target t;
  t.name = "the plain RPyC server";
  t.process = std::make_unique<ChildProcess>(
      ProcessSpec{"plain RPyC server",
                  {o.python.string(), "-m", "understudy_stress.plain_server", "--control",
                   control_path.string(), "--collector", collector_path.string()},
                  {{"PYTHONPATH", python_path(o)}, {"PYTHONUNBUFFERED", "1"}},
                  dir / "plain-server.log",
                  std::nullopt});
  const auto deadline = Clock::now() + kStartTimeout;
  while (t.rpc.empty()) {
    std::ifstream log(t.process->log_path());
    for (std::string line; std::getline(log, line);) {
      const auto value = json::parse(line, nullptr, false);
      if (value.is_object() && value.value("plain", "") == "listening") {
        t.rpc = value.value("rpc", "");
      }
    }
    if (t.rpc.empty()) {
      if (!t.process->running() || Clock::now() > deadline) {
        throw StepError("the plain RPyC server did not say it was listening within " +
                        std::to_string(kStartTimeout.count() / 1000) + " s; " + t.log_hint());
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
  try {
    t.control = std::make_unique<ControlClient>(control_path, kStartTimeout);
  } catch (const std::exception& e) {
    throw StepError(std::string("the plain server's control socket did not open: ") + e.what() +
                    "; " + t.log_hint());
  }
  return t;
}

std::string mode_of_client_path(const StressOptions& o, std::string_view path) {
  std::string mode = o.rate > 0 ? "open loop, " + reports::detail::number(o.rate) + "/s per client"
                                : "closed loop";
  if (path == "pipeline") {
    mode += ", depth " + std::to_string(o.pipeline_depth);
  }
  return mode;
}

std::string mode_of_engine_path(const StressOptions& o, std::string_view path) {
  if (o.engine_rate > 0) {
    return "open loop, " + reports::detail::number(o.engine_rate) + "/s";
  }
  return path == "sync" ? "closed loop, one per client per frame"
                        : "closed loop, depth " + std::to_string(o.engine_depth) + " per client";
}

void fill_latency(StressPathResult& r, const measure::LatencyHistogram& h) {
  auto to_ms = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e6; };
  r.mean_ms = h.mean() / 1e6;
  r.p50_ms = to_ms(h.quantile(0.5));
  r.p90_ms = to_ms(h.quantile(0.9));
  r.p99_ms = to_ms(h.quantile(0.99));
  r.p999_ms = to_ms(h.quantile(0.999));
  r.max_ms = to_ms(h.max());
  r.sent_p50_ms = r.p50_ms;
  r.sent_p99_ms = r.p99_ms;
  if (h.count() > 0) {
    for (const double q : {0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999}) {
      r.distribution.push_back({q, to_ms(h.quantile(q))});
    }
  }
}

StressPathResult from_tally(const std::string& name, const std::string& direction,
                            const std::string& mode, const PathTally& tally, double seconds) {
  StressPathResult r;
  r.name = name;
  r.direction = direction;
  r.mode = mode;
  r.calls = tally.calls();
  r.ok = tally.outcomes[0];
  r.errors = tally.outcomes[1];
  r.timeouts = tally.outcomes[2];
  r.disconnected = tally.outcomes[3];
  r.per_second = seconds > 0 ? static_cast<double>(r.ok) / seconds : 0;
  fill_latency(r, tally.latency);
  return r;
}

// The engine's ClientCallLoad result for one path.
StressPathResult from_engine_load(const std::string& name, const std::string& mode,
                                  const json& path) {
  StressPathResult r;
  r.name = name;
  r.direction = "engine -> client";
  r.mode = mode;
  const auto seconds = path.value("seconds", 0.0);
  const auto& outcomes = path.at("outcomes");
  for (auto it = outcomes.begin(); it != outcomes.end(); ++it) {
    const auto& kind = it.key();
    const auto n = it.value().get<std::uint64_t>();
    r.calls += n;
    if (kind == "ok") {
      r.ok += n;
    } else if (kind == "ServiceCallTimeout") {
      r.timeouts += n;
    } else if (kind == "ClientDisconnectedError") {
      r.disconnected += n;
    } else {
      r.errors += n;
    }
  }
  r.in_flight_at_end = path.value("in_flight", std::uint64_t{0});
  r.per_second = seconds > 0 ? static_cast<double>(r.ok) / seconds : 0;
  fill_latency(r, measure::LatencyHistogram::from_json(path.at("latency")));
  const auto service = measure::LatencyHistogram::from_json(path.at("service"));
  r.sent_p50_ms = static_cast<double>(service.quantile(0.5)) / 1e6;
  r.sent_p99_ms = static_cast<double>(service.quantile(0.99)) / 1e6;
  return r;
}

json engine_load_plan(const StressOptions& o, const std::vector<std::string>& names) {
  json paths = json::object();
  for (const auto& p : o.engine_paths) {
    paths[p] = o.engine_rate > 0 ? json{{"rate", o.engine_rate}} : json{{"depth", o.engine_depth}};
  }
  return {{"op", "load_start"},
          {"clients", names},
          {"service", "noop"},
          {"paths", paths},
          {"timeout", 30}};
}

std::string percent(double fraction) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(0) << fraction * 100 << "%";
  return s.str();
}

// One target at one client count.
class TargetStep {
 public:
  TargetStep(const StressOptions& o, bool engine, int clients, std::ostream& out)
      : o_(o), engine_(engine), clients_(clients), out_(out) {}

  StressStep run() {
    step_.target = engine_ ? "engine" : "plain RPyC";
    const int per_process = std::max(1, o_.connections_per_process);
    step_.processes = (clients_ + per_process - 1) / per_process;
    step_.clients = step_.processes * per_process;
    const auto dir = o_.work_dir / ((engine_ ? "engine-" : "plain-") +
                                    std::to_string(step_.clients) + "-clients");
    std::filesystem::create_directories(dir);
    step_.log_dir = dir.string();
    // Unix socket paths are limited to 107 bytes: sockets live in a short
    // private folder of their own, removed with it (on an interruption too).
    const PrivateFolder socket_folder(std::filesystem::temp_directory_path(), "understudy-");
    const auto& sockets = socket_folder.path();
    SampleCollector collector(sockets / "collector.sock");
    collector_ = &collector;
    Target target =
        engine_ ? start_engine(o_, dir, sockets / "control.sock")
                : start_plain(o_, dir, sockets / "control.sock", sockets / "collector.sock");
    try {
      measure_step(target, collector, dir, per_process);
    } catch (...) {
      stop_workers();
      target.stop();
      throw;
    }
    stop_workers();
    target.stop();
    return step_;
  }

 private:
  void measure_step(Target& target, SampleCollector& collector, const std::filesystem::path& dir,
                    int per_process) {
    const auto pid = target.process->pid();
    if (const auto usage = read_process_usage(pid)) {
      step_.rss_before_bytes = usage->rss_bytes;
      step_.threads_before = usage->threads;
      step_.fds_before = usage->open_fds;
    }

    // Clients: real processes, each with its connections registered.
    const auto started = Clock::now();
    start_workers(target.rpc, collector.socket_path(), dir, per_process);
    const auto register_deadline =
        started + milliseconds(30000 + 250 * static_cast<std::int64_t>(step_.clients));
    await_registration(target, collector, register_deadline);
    step_.registration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (const auto usage = read_process_usage(pid)) {
      step_.rss_registered_bytes = usage->rss_bytes;
      step_.threads_registered = usage->threads;
      step_.fds_registered = usage->open_fds;
      step_.memory_per_client_bytes =
          (static_cast<double>(usage->rss_bytes) - static_cast<double>(step_.rss_before_bytes)) /
          step_.clients;
    }
    progress("registered " + std::to_string(step_.clients) + " clients in " +
             reports::detail::fixed(step_.registration_seconds, 2) + " s");

    // The load.
    std::uint64_t first_frame = 0;
    if (engine_) {
      first_frame = target.request({{"op", "ping"}}, milliseconds(5000)).value("frame", 0ULL);
    }
    const auto cpu_before = read_machine_cpu();
    const auto target_before = read_process_usage(pid).value_or(ProcessUsage{});
    collector.since_mark();
    const auto load_start = Clock::now();
    collector.send_to_all('G');
    std::vector<std::string> names;
    for (int w = 0; w < step_.processes; ++w) {
      for (int c = 0; c < per_process; ++c) {
        names.push_back("stress-" + std::to_string(w) + "-" + std::to_string(c));
      }
    }
    const bool engine_paths = !o_.engine_paths.empty();
    if (engine_paths) {
      target.request(engine_load_plan(o_, names), milliseconds(10000));
    }
    live_progress(target, collector, load_start);
    json engine_load;
    if (engine_paths) {
      engine_load = target.request({{"op", "load_stop"}}, milliseconds(40000));
    }
    const auto load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
    if (!collector.wait_summaries("done", static_cast<std::size_t>(step_.processes),
                                  milliseconds(60000))) {
      throw StepError("not every worker finished its calls within 60 s after the load (" +
                      describe_workers() + ")");
    }
    step_.machine_busy = busy_fraction(cpu_before, read_machine_cpu());
    const auto target_after = read_process_usage(pid).value_or(ProcessUsage{});
    step_.target_cpu_seconds = target_after.cpu_seconds - target_before.cpu_seconds;
    step_.target_cpu_wait_seconds =
        std::max(0.0, target_after.cpu_wait_seconds - target_before.cpu_wait_seconds);
    step_.seconds = std::chrono::duration<double>(o_.duration).count();
    if (engine_) {
      const auto frames =
          target.request({{"op", "frames"}, {"since", first_frame}}, milliseconds(5000));
      step_.has_frames = true;
      step_.frames.frames = frames.value("frames", 0ULL);
      step_.frames.work_p50_ms = frames.value("work_p50_ms", 0.0);
      step_.frames.work_p90_ms = frames.value("work_p90_ms", 0.0);
      step_.frames.work_p99_ms = frames.value("work_p99_ms", 0.0);
      step_.frames.work_max_ms = frames.value("work_max_ms", 0.0);
      step_.frames.lateness_p99_ms = frames.value("lateness_p99_ms", 0.0);
      step_.frames.lateness_max_ms = frames.value("lateness_max_ms", 0.0);
      step_.frames.late_frames = frames.value("late_frames", 0ULL);
    }
    collect_results(collector.snapshot(), engine_load, load_seconds);
    collector.send_to_all('Q');
  }

  void start_workers(const std::string& rpc, const std::filesystem::path& collector,
                     const std::filesystem::path& dir, int per_process) {
    const int launchers = o_.spawn == "exec"
                              ? step_.processes
                              : (step_.processes + kMaxForksPerLauncher - 1) / kMaxForksPerLauncher;
    int first = 0;
    for (int l = 0; l < launchers; ++l) {
      const int count =
          o_.spawn == "exec" ? 1 : std::min(kMaxForksPerLauncher, step_.processes - first);
      std::vector<std::string> argv = {
          o_.python.string(),
          "-m",
          "understudy_stress.worker",
          "--target",
          rpc,
          "--collector",
          collector.string(),
          "--processes",
          std::to_string(count),
          "--first-worker",
          std::to_string(first),
          "--connections",
          std::to_string(per_process),
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
                      {{"PYTHONPATH", python_path(o_)}, {"PYTHONUNBUFFERED", "1"}},
                      dir / ("workers-" + std::to_string(l) + ".log"),
                      std::nullopt}));
      first += count;
    }
  }

  void await_registration(Target& target, SampleCollector& collector, Clock::time_point deadline) {
    const auto workers = static_cast<std::size_t>(step_.processes);
    while (!collector.wait_summaries("connected", workers, milliseconds(100))) {
      check_launchers();
      if (!target.process->running()) {
        throw StepError(target.name + " exited while clients connected; " + target.log_hint());
      }
      if (Clock::now() > deadline) {
        throw StepError("expected " + std::to_string(step_.clients) +
                        " clients to connect and register, but " + describe_workers() +
                        " by the deadline; read " + step_.log_dir + "/workers-*.log");
      }
    }
    const auto registry = target.request({{"op", "registry"}}, milliseconds(10000));
    if (registry.size() < static_cast<std::size_t>(step_.clients)) {
      throw StepError("every worker said its clients were registered, but " + target.name +
                      "'s registry lists " + std::to_string(registry.size()) + " of " +
                      std::to_string(step_.clients) + "; " + target.log_hint());
    }
  }

  std::string describe_workers() const {
    std::size_t connected = 0;
    std::size_t done = 0;
    for (const auto& s : collector_->snapshot().summaries) {
      connected += s.value("phase", "") == "connected" ? 1 : 0;
      done += s.value("phase", "") == "done" ? 1 : 0;
    }
    return std::to_string(connected) + " of " + std::to_string(step_.processes) +
           " worker processes reported connected and " + std::to_string(done) + " done";
  }

  void check_launchers() {
    for (auto& l : launchers_) {
      if (!l->running() && l->exit_code().value_or(0) != 0) {
        throw StepError(l->name() + " failed (" + l->describe_exit() + "); read " +
                        l->log_path().string() + ":\n" + l->log_tail(15));
      }
    }
  }

  void live_progress(Target& target, SampleCollector& collector, Clock::time_point start) {
    const auto end = start + o_.duration;
    while (Clock::now() < end) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(milliseconds(1000), end - Clock::now()));
      check_launchers();
      if (!target.process->running()) {
        throw StepError(target.name + " exited under load; " + target.log_hint());
      }
      const auto last = collector.since_mark();
      std::ostringstream line;
      line << step_.target << ", " << step_.clients << " clients: " << std::fixed
           << std::setprecision(0) << std::chrono::duration<double>(Clock::now() - start).count()
           << "/" << std::chrono::duration<double>(o_.duration).count() << " s";
      std::uint64_t failures = 0;
      for (std::size_t p = 0; p < kStressPaths; ++p) {
        if (last[p].calls() == 0) {
          continue;
        }
        failures += last[p].failures();
        line << "  " << stress_path_name(static_cast<StressPath>(p)) << " " << last[p].calls()
             << "/s p99 " << measure::format_duration(last[p].latency.quantile(0.99));
      }
      if (engine_) {
        const auto frames = target.request({{"op", "frames"}}, milliseconds(5000));
        line << "  frame " << frames.value("current_frame", 0ULL) << ", queue "
             << frames.value("queue_depth", 0);
      }
      line << "  failures " << failures;
      progress(line.str());
    }
  }

  void collect_results(const CollectorSnapshot& snap, const json& engine_load,
                       double load_seconds) {
    const double seconds = std::chrono::duration<double>(o_.duration).count();
    for (const auto p : {StressPath::kExecute, StressPath::kCheap, StressPath::kPipeline}) {
      const auto& tally = snap.paths[static_cast<std::size_t>(p)];
      if (tally.calls() > 0) {
        const std::string name(stress_path_name(p));
        step_.paths.push_back(
            from_tally(name, "client -> engine", mode_of_client_path(o_, name), tally, seconds));
      }
    }
    for (const auto& name : o_.engine_paths) {
      if (engine_) {
        if (engine_load.contains(name)) {
          step_.paths.push_back(
              from_engine_load(name, mode_of_engine_path(o_, name), engine_load[name]));
          check_engine_kept_up(name, engine_load[name]);
        }
        continue;
      }
      const auto id = name == "sync"        ? StressPath::kSync
                      : name == "coroutine" ? StressPath::kCoroutine
                                            : StressPath::kAsync;
      auto r = from_tally(name, "engine -> client",
                          mode_of_engine_path(o_, name) +
                              (name == "sync" ? "" : " (rpyc.async_: no coroutines here)"),
                          snap.paths[static_cast<std::size_t>(id)], load_seconds);
      if (engine_load.contains(name)) {
        r.in_flight_at_end = engine_load[name].value("in_flight", std::uint64_t{0});
      }
      step_.paths.push_back(r);
    }
    for (const auto& p : step_.paths) {
      step_.total_per_second += p.per_second;
    }
    warn_about(snap);
  }

  void check_engine_kept_up(const std::string& name, const json& path) {
    if (o_.engine_rate <= 0) {
      return;
    }
    const double due = o_.engine_rate * path.value("seconds", 0.0);
    const auto issued = static_cast<double>(path.value("issued", 0ULL));
    if (due > 0 && issued < kEngineKeptUp * due) {
      step_.warnings.push_back("the engine issued " + std::to_string(static_cast<long>(issued)) +
                               " " + name + " calls of the " +
                               std::to_string(static_cast<long>(due)) +
                               " due: its main thread was the limit at this rate");
    }
  }

  // One warning per kind, however many workers it concerns, naming the worst.
  void warn_about(const CollectorSnapshot& snap) {
    int saturated = 0;
    double worst_cpu = 0;
    int late = 0;
    double worst_lag = 0;
    int lost = 0;
    int done = 0;
    for (const auto& s : snap.summaries) {
      if (s.value("phase", "") != "done") {
        continue;
      }
      ++done;
      const double wall = s.value("wall_seconds", 0.0);
      const double cpu = wall > 0 ? s.value("cpu_seconds", 0.0) / wall : 0.0;
      if (cpu > kSaturatedCpu) {
        ++saturated;
      }
      worst_cpu = std::max(worst_cpu, cpu);
      const double lag = s.value("send_lag_p99_ns", 0.0);
      if (o_.rate > 0 && lag > kLateSendNs) {
        ++late;
      }
      worst_lag = std::max(worst_lag, lag);
      lost += s.value("dead_connections", 0);
    }
    const auto of_workers = [&](int n) {
      return std::to_string(n) + " of " + std::to_string(done) + " worker processes";
    };
    if (saturated > 0) {
      step_.warnings.push_back(of_workers(saturated) + " used more than " + percent(kSaturatedCpu) +
                               " of a core (the busiest " + percent(worst_cpu) +
                               "): the load generator itself was saturated, so client-side "
                               "figures understate what the target can do (use more processes "
                               "and fewer connections per process)");
    }
    if (late > 0) {
      step_.warnings.push_back(
          of_workers(late) + " sent calls late (worst p99 " +
          measure::format_duration(static_cast<std::uint64_t>(worst_lag)) +
          " after they were due): they could not keep the rate; latencies count from the due "
          "time, so the lateness is in them");
    }
    if (lost > 0) {
      step_.warnings.push_back(std::to_string(lost) +
                               " client connection(s) were lost during "
                               "the load");
    }
    if (step_.target_cpu_seconds > 0 &&
        step_.target_cpu_wait_seconds > kCpuWaitPerCpuSecond * step_.target_cpu_seconds) {
      step_.warnings.push_back(
          step_.target + "'s threads waited " +
          reports::detail::fixed(step_.target_cpu_wait_seconds, 2) +
          " s for a CPU (ready to run, not running) while they ran " +
          reports::detail::fixed(step_.target_cpu_seconds, 2) +
          " s: CPUs busy with other processes, or slow to start a thread that was woken, set "
          "its pace as much as its own work did");
    }
    if (step_.machine_busy > kBusyMachine) {
      step_.warnings.push_back(
          "all CPUs were " + percent(step_.machine_busy) +
          " busy during the load: the target, its clients and the conductor competed for CPU, "
          "and every figure includes that contention");
    }
    for (const auto& e : snap.errors) {
      step_.error_examples.push_back(
          std::string(stress_path_name(static_cast<StressPath>(e.value("path", 0)))) + ": " +
          e.value("message", std::string()));
      if (step_.error_examples.size() >= 10) {
        break;
      }
    }
    for (const auto& p : snap.problems) {
      step_.warnings.push_back("collector: " + p);
    }
  }

  void stop_workers() {
    for (auto& l : launchers_) {
      if (!l->wait_exit(milliseconds(15000))) {
        l->stop();
      }
    }
    launchers_.clear();
  }

  void progress(const std::string& text) {
    if (o_.live_progress) {
      out_ << "\r\033[K" << text << std::flush;
      if (text.rfind("registered", 0) == 0) {
        out_ << "\n";
      }
    } else {
      out_ << "  " << text << "\n" << std::flush;
    }
  }

  const StressOptions& o_;
  const bool engine_;
  const int clients_;
  std::ostream& out_;
  StressStep step_;
  SampleCollector* collector_ = nullptr;  // during run()
  std::vector<std::unique_ptr<ChildProcess>> launchers_;
};

StressStep loopback_step(const StressOptions& o, int clients) {
  StressStep step;
  step.target = "loopback TCP";
  step.clients = clients;
  const auto result = run_loopback_baseline(clients, o.duration / 2);
  step.seconds = result.seconds;
  StressPathResult r;
  r.name = "ping-pong";
  r.direction = "loopback";
  r.mode = "closed loop, 64 bytes";
  r.calls = r.ok = result.round_trip.count();
  r.per_second = result.per_second();
  fill_latency(r, result.round_trip);
  step.paths.push_back(r);
  step.total_per_second = r.per_second;
  return step;
}

const StressPathResult* find_path(const StressStep& step, const std::string& name) {
  for (const auto& p : step.paths) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

void compare(reports::StressReport& report) {
  std::map<int, std::map<std::string, const StressStep*>> by_count;
  for (const auto& s : report.steps) {
    by_count[s.clients][s.target] = &s;
  }
  for (const auto& [clients, targets] : by_count) {
    const auto engine = targets.find("engine");
    if (engine == targets.end()) {
      continue;
    }
    const auto& e = *engine->second;
    if (const auto plain = targets.find("plain RPyC"); plain != targets.end()) {
      const auto& p = *plain->second;
      if (p.total_per_second > 0) {
        report.comparisons.push_back({clients, "throughput, all paths", "plain RPyC",
                                      e.total_per_second, p.total_per_second, "calls/s",
                                      e.total_per_second / p.total_per_second});
      }
      for (const auto& ep : e.paths) {
        const auto* pp = find_path(p, ep.name);
        if (pp == nullptr || pp->p50_ms <= 0 || ep.calls == 0) {
          continue;
        }
        report.comparisons.push_back({clients, ep.name + " p50", "plain RPyC", ep.p50_ms,
                                      pp->p50_ms, "ms", ep.p50_ms / pp->p50_ms});
        if (pp->per_second > 0) {
          report.comparisons.push_back({clients, ep.name + " throughput", "plain RPyC",
                                        ep.per_second, pp->per_second, "calls/s",
                                        ep.per_second / pp->per_second});
        }
      }
    }
    if (const auto loop = targets.find("loopback TCP"); loop != targets.end()) {
      const auto& l = loop->second->paths.front();
      for (const auto& ep : e.paths) {
        if (ep.calls > 0 && l.p50_ms > 0 && (ep.name == "cheap" || ep.name == "execute")) {
          report.comparisons.push_back({clients, ep.name + " p50", "loopback TCP ping-pong",
                                        ep.p50_ms, l.p50_ms, "ms", ep.p50_ms / l.p50_ms});
        }
      }
    }
  }
}

}  // namespace

std::string describe(const StressOptions& o) {
  std::ostringstream s;
  s << "clients";
  for (const auto c : o.clients) {
    s << (&c == &o.clients.front() ? " " : ",") << c;
  }
  s << " (" << o.connections_per_process << " per process, " << o.spawn << "); "
    << std::chrono::duration<double>(o.duration).count() << " s per step; client paths '"
    << (o.mix.empty() ? "none" : o.mix) << "' "
    << (o.rate > 0 ? "open loop at " + reports::detail::number(o.rate) + "/s per client"
                   : "closed loop")
    << ", pipeline depth " << o.pipeline_depth << "; engine paths ";
  for (const auto& p : o.engine_paths) {
    s << p << (&p == &o.engine_paths.back() ? "" : ",");
  }
  if (o.engine_paths.empty()) {
    s << "none";
  }
  s << " "
    << (o.engine_rate > 0 ? "open loop at " + reports::detail::number(o.engine_rate) + "/s"
                          : "closed loop, depth " + std::to_string(o.engine_depth))
    << "; engine at " << o.tick_hz << " Hz" << (o.faithful ? ", --faithful" : "");
  for (const auto& a : o.engine_args) {
    s << " " << a;
  }
  s << "; seed " << o.seed;
  return s.str();
}

reports::StressReport run_stress(const StressOptions& options, std::ostream& out) {
  reports::StressReport report;
  report.settings = describe(options);
  for (const int clients : options.clients) {
    if (options.loopback_baseline) {
      out << "understudy stress: loopback TCP ping-pong, " << clients << " connections\n";
      try {
        report.steps.push_back(loopback_step(options, clients));
      } catch (const std::exception& e) {
        report.warnings.push_back(std::string("loopback baseline: ") + e.what());
      }
    }
    for (const bool engine : {false, true}) {
      if (!engine && !options.plain_baseline) {
        continue;
      }
      out << "understudy stress: " << (engine ? "engine" : "plain RPyC") << ", " << clients
          << " clients\n"
          << std::flush;
      try {
        auto step = TargetStep(options, engine, clients, out).run();
        if (options.live_progress) {
          out << "\n";
        }
        for (const auto& p : step.paths) {
          out << "  " << std::left << std::setw(10) << p.name << std::right << " " << std::setw(9)
              << static_cast<long>(p.per_second) << " calls/s  p50 "
              << measure::format_duration(static_cast<std::uint64_t>(p.p50_ms * 1e6)) << "  p99 "
              << measure::format_duration(static_cast<std::uint64_t>(p.p99_ms * 1e6)) << "  max "
              << measure::format_duration(static_cast<std::uint64_t>(p.max_ms * 1e6))
              << "  failures " << p.errors + p.timeouts + p.disconnected << "\n";
          if (p.errors + p.timeouts + p.disconnected > 0) {
            report.failed = true;
          }
        }
        for (const auto& w : step.warnings) {
          out << "  warning: " << w << "\n";
        }
        report.steps.push_back(std::move(step));
      } catch (const std::exception& e) {
        if (options.live_progress) {
          out << "\n";
        }
        out << "  error: " << e.what() << "\n";
        report.warnings.push_back(std::string(engine ? "engine" : "plain RPyC") + " with " +
                                  std::to_string(clients) + " clients: " + e.what());
        report.failed = true;
      }
    }
  }
  compare(report);
  return report;
}

}  // namespace understudy::harness
