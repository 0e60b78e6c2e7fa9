#include "harness/stress/stress_runner.h"

#include <iomanip>
#include <ostream>

#include "common/text_format.h"
#include "harness/stress/baseline_comparison.h"
#include "harness/stress/loopback_baseline.h"
#include "harness/stress/progress_line.h"
#include "harness/stress/step_results.h"
#include "harness/stress/stress_verdict.h"
#include "harness/stress/target_step.h"

namespace understudy::harness {

using reports::StressStep;

namespace {

StressStep loopback_step(const StressOptions& o, int clients) {
  StressStep step;
  step.target = "loopback TCP";
  step.clients = clients;
  const auto result = run_loopback_baseline(clients, o.duration / 2);
  step.seconds = result.seconds;
  step.paths.push_back(loopback_path_result(result));
  step.total_per_second = step.paths.front().per_second;
  return step;
}

// A row per path, to two significant figures (what one run's noise allows):
// "  execute       1.2k calls/s  p50 1.2 ms  p99 4.5 ms  max 12 ms  failures 0".
void print_step(std::ostream& out, const StressStep& step) {
  using text::significant;
  using text::significant_ms;
  for (const auto& p : step.paths) {
    out << "  " << std::left << std::setw(10) << p.name << std::right << " " << std::setw(6)
        << significant(p.per_second) << " calls/s  p50 " << significant_ms(p.p50_ms) << "  p99 "
        << significant_ms(p.p99_ms) << "  max " << significant_ms(p.max_ms) << "  failures "
        << p.errors + p.timeouts + p.disconnected << "\n";
  }
  if (step.target_cpu_seconds > 0) {
    out << "  " << step.target << ": CPU " << std::fixed << std::setprecision(2)
        << step.target_cpu_seconds << " s, waits for a CPU " << step.target_cpu_wait_seconds
        << " s, threads put on a CPU " << std::setprecision(0) << step.target_switches_in_per_second
        << "/s; machine " << step.machine_busy * 100 << "% busy\n"
        << std::defaultfloat << std::setprecision(6);
  }
  for (const auto& w : step.warnings) {
    out << "  warning: " << w << "\n";
  }
}

bool any_call_failed(const StressStep& step) {
  for (const auto& p : step.paths) {
    if (p.errors + p.timeouts + p.disconnected > 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

// For each client count: loopback TCP, the plain RPyC server, then the
// engine, each step printed as it ends; the ratios to the baselines and the
// verdict last.
reports::StressReport run_stress(const StressOptions& options, std::ostream& out) {
  reports::StressReport report;
  report.settings = describe(options);
  for (const int clients : options.clients) {
    if (options.loopback_baseline) {
      out << "understudy stress: loopback TCP ping-pong, " << clients << " connections\n";
      try {
        report.steps.push_back(loopback_step(options, clients));
        print_step(out, report.steps.back());
      } catch (const std::exception& e) {
        report.warnings.push_back(std::string("loopback baseline: ") + e.what());
      }
    }
    for (const bool engine : {false, true}) {
      if (!engine && !options.plain_baseline) {
        continue;
      }
      const std::string target = engine ? "engine" : "plain RPyC";
      out << "understudy stress: " << target << ", " << clients << " clients\n" << std::flush;
      ProgressLine progress(out, options.live_progress);
      try {
        auto step = TargetStep(options, engine, clients, progress).run();
        progress.end();
        print_step(out, step);
        report.failed = report.failed || any_call_failed(step);
        report.steps.push_back(std::move(step));
      } catch (const std::exception& e) {
        progress.end();
        out << "  error: " << e.what() << "\n";
        report.warnings.push_back(target + " with " + std::to_string(clients) +
                                  " clients: " + e.what());
        report.failed = true;
      }
    }
  }
  report.comparisons = compare_with_baselines(report.steps);
  report.verdicts = stress_verdicts(report.steps);
  report.verdict_notes = verdict_notes(options, report.verdicts);
  return report;
}

}  // namespace understudy::harness
