// The results of a scenario suite run: what the harness records while it
// runs scenarios, and what every report writer (JUnit XML, JSON, HTML, Chrome
// trace) reads. Plain data, no behaviour.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace understudy::reports {

enum class Status { kPassed, kFailed, kError, kSkipped };
// kFailed: an expectation did not hold. kError: the scenario could not run
// (a process did not start, a scenario file problem found late, ...).

std::string status_name(Status status);  // "passed", "failed", "error", "skipped"

// Why a scenario did not pass: the failure's type in every report.
enum class FailureKind {
  kNone,          // it passed, or was not run
  kExpectation,   // a step's expectation did not hold
  kTimeout,       // a call, a step or the scenario ran out of time
  kDeadlock,      // a certain deadlock cycle the scenario did not expect
  kEngineError,   // the engine failed: did not start, raised, exited badly
  kHarnessError,  // the harness could not run the scenario (a client did not start, ...)
  kInterrupted,   // the run was stopped by a signal while the scenario ran
};

// "ExpectationFailed", "Timeout", "Deadlock", "EngineError", "HarnessError",
// "Interrupted"; "" for kNone.
std::string failure_kind_name(FailureKind kind);

// Something that happened during a scenario, placed on a track of the
// timeline. Instants have duration_s == 0.
struct TimelineEvent {
  std::string kind;       // "call", "wait", "step", "console", "deadlock", "process", "fault"
  std::string name;       // "sync call worker-0.on_event", "client:worker-0#3 waits for main"
  std::string track;      // "main", "harness", "client:worker-0", "redis", ...
  double start_s = 0;     // seconds since the scenario started
  double duration_s = 0;  // 0 for an instant
  std::string outcome;    // "ok", "error", "timeout", "" when not applicable
  std::map<std::string, std::string> args;  // extra detail shown on hover / in the trace
};

struct DeadlockCycle {
  bool certain = false;              // closed cycle, or only a long wait
  std::vector<std::string> members;  // "main", "client:worker-0#3", in cycle order
  std::string summary;               // "main -> client:a#1 (ping) -> main (execute)"
  std::string text;                  // the full report, with stacks
  double at_s = 0;                   // seconds since the scenario started
  std::uint64_t frame = 0;           // engine frame when detected
};

// Latency samples of one kind of operation, for percentiles and charts.
struct LatencySeries {
  std::string name;  // "sync call", "client->engine execute", ...
  std::vector<double> samples_ms;
};

struct ProcessLog {
  std::string process;  // "engine", "client worker-3", "redis-server"
  std::string path;     // the log file on disk
  std::string tail;     // its last lines, embedded in reports
};

struct ExpectationResult {
  std::string description;  // "call worker-0.on_event (sync) times out in [1.8, 3.0] s"
  bool passed = false;
  std::string expected;
  std::string seen;
  std::string where;  // which log to read, file:line of the scenario step
};

struct ScenarioResult {
  std::string name;
  std::string file;  // the scenario file
  std::vector<std::string> tags;
  Status status = Status::kPassed;
  double duration_s = 0;
  std::string failure_message;  // first failed expectation or the error; empty if passed
  // Set by the runner with the status; a failed or errored result left at
  // kNone is reported as kExpectation or kHarnessError.
  FailureKind failure_kind = FailureKind::kNone;
  std::vector<ExpectationResult> expectations;
  std::vector<TimelineEvent> timeline;
  std::vector<DeadlockCycle> deadlocks;
  std::vector<LatencySeries> latencies;
  std::vector<ProcessLog> logs;
  std::map<std::string, double> metrics;  // "frames", "frame_work_p99_ms", "messages_lost", ...
  int repeat_index = 0;                   // with --repeat N: 0..N-1
  std::uint64_t seed = 0;
  // The faults a fault_matrix step planned from the seed, one per line, so
  // that a failure can be replayed with `--seed`; empty without one.
  std::string fault_schedule;
};

// Scenarios the selection left out, and why, so that a report never hides
// what did not run.
struct ExcludedScenarios {
  std::string reason;  // "tagged slow"
  std::string hint;    // "--tag slow runs them"
  std::vector<std::string> names;
};

struct SuiteResult {
  std::string name = "understudy";
  std::string started_at;  // ISO 8601, UTC
  double duration_s = 0;
  std::string command_line;
  std::string hostname;
  std::vector<ScenarioResult> scenarios;
  std::vector<ExcludedScenarios> excluded;
  std::string interrupted_by;  // "SIGINT" when a signal stopped the run; else empty

  std::size_t count(Status status) const;
};

// The failure's kind as the reports give it: the runner's, or for a result
// it left at kNone, kExpectation (failed) or kHarnessError (error).
FailureKind reported_failure_kind(const ScenarioResult& scenario);

// "2 scenarios tagged slow not run (--tag slow runs them): a, b"
std::string describe(const ExcludedScenarios& excluded);

}  // namespace understudy::reports
