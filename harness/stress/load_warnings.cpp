#include "harness/stress/load_warnings.h"

#include <algorithm>

#include "common/latency_histogram.h"
#include "common/text_format.h"

namespace understudy::harness {

namespace {

constexpr double kSaturatedCpu = 0.9;  // of one core, for a worker (one GIL)
constexpr double kBusyMachine = 0.95;  // of all cores
// The target's threads waited for a CPU this long for each second of CPU
// they got: the machine (its other processes, or the time it takes to run a
// thread that was woken) set the pace as much as the target's work.
constexpr double kCpuWaitPerCpuSecond = 0.25;
constexpr double kLateSendNs = 1'000'000;  // open loop: p99 lag of the workers' sends
constexpr double kEngineKeptUp = 0.95;     // open loop: share of due calls issued

std::string percent(double fraction) {
  return text::fixed(fraction * 100, 0) + "%";
}

}  // namespace

std::vector<std::string> engine_pace_warnings(const StressOptions& o,
                                              const nlohmann::json& engine_load) {
  std::vector<std::string> warnings;
  if (o.engine_rate <= 0) {
    return warnings;
  }
  for (const auto& name : o.engine_paths) {
    if (!engine_load.contains(name)) {
      continue;
    }
    const auto& path = engine_load[name];
    const double due = o.engine_rate * path.value("elapsed_s", 0.0);
    const auto issued = static_cast<double>(path.value("issued", 0ULL));
    if (due > 0 && issued < kEngineKeptUp * due) {
      warnings.push_back("the engine issued " + std::to_string(static_cast<long>(issued)) + " " +
                         name + " calls of the " + std::to_string(static_cast<long>(due)) +
                         " due: its main thread was the limit at this rate");
    }
  }
  return warnings;
}

std::vector<std::string> load_warnings(const reports::StressStep& step,
                                       const CollectorSnapshot& snap, bool open_loop) {
  std::vector<std::string> warnings;
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
    if (open_loop && lag > kLateSendNs) {
      ++late;
    }
    worst_lag = std::max(worst_lag, lag);
    lost += s.value("dead_connections", 0);
  }
  const auto of_workers = [&](int n) {
    return std::to_string(n) + " of " + std::to_string(done) + " worker processes";
  };
  if (saturated > 0) {
    warnings.push_back(of_workers(saturated) + " used more than " + percent(kSaturatedCpu) +
                       " of a core (the busiest " + percent(worst_cpu) +
                       "): the load generator itself was saturated, so client-side "
                       "figures understate what the target can do (use more processes "
                       "and fewer connections per process)");
  }
  if (late > 0) {
    warnings.push_back(
        of_workers(late) + " sent calls late (worst p99 " +
        measure::format_duration(static_cast<std::uint64_t>(worst_lag)) +
        " after they were due): they could not keep the rate; latencies count from the due "
        "time, so the lateness is in them");
  }
  if (lost > 0) {
    warnings.push_back(std::to_string(lost) +
                       " client connection(s) were lost during "
                       "the load");
  }
  if (step.target_cpu_seconds > 0 &&
      step.target_cpu_wait_seconds > kCpuWaitPerCpuSecond * step.target_cpu_seconds) {
    warnings.push_back(
        step.target + "'s threads waited " + text::fixed(step.target_cpu_wait_seconds, 2) +
        " s for a CPU (ready to run, not running) while they ran " +
        text::fixed(step.target_cpu_seconds, 2) +
        " s: CPUs busy with other processes, or slow to start a thread that was woken, set "
        "its pace as much as its own work did");
  }
  if (step.machine_busy > kBusyMachine) {
    warnings.push_back("all CPUs were " + percent(step.machine_busy) +
                       " busy during the load: the target, its clients and the conductor "
                       "competed for CPU, and every figure includes that contention");
  }
  for (const auto& p : snap.problems) {
    warnings.push_back("collector: " + p);
  }
  return warnings;
}

}  // namespace understudy::harness
