// StressRunner: `understudy stress`. For each client count of the sweep it
// measures raw loopback TCP, then the plain RPyC baseline server, then the
// engine, each with the same clients (real processes) and the same mix of
// paths, so every figure has its baseline from the same run:
//
//   client -> engine   execute (a main-thread job), cheap (root.list, on the
//                      connection's thread), pipeline (rpyc.async_ calls in
//                      flight); closed loop, or open loop at --rate
//   engine -> client   sync, coroutine, async calls of the clients' `noop`,
//                      from the engine's main thread (ClientCallLoad); open
//                      loop at --engine-rate, or closed loop at --engine-depth
//
// It reports, per path, throughput and latency (p50 .. max, from histograms
// good from a microsecond to the 30 s timeout), errors and timeouts; the
// frames the load stretched; memory, threads and descriptors per client; the
// time for every client to connect and register; and warnings whenever the
// load generator or the machine, not the target, was the limit.
//
// The parts, a file each in this folder: TargetStep (one target at one client
// count), StressTarget (the engine or the plain server), WorkerFleet (the
// client processes), SampleCollector (their timings), ProgressLine,
// step_results (the report's figures), load_warnings, baseline_comparison,
// stress_verdict (the verdict table the output leads with), LoopbackBaseline
// and ProcessProbe.
#pragma once

#include <iosfwd>

#include "harness/stress/stress_options.h"
#include "reports/stress_results.h"

namespace understudy::harness {

// Runs the sweep. Progress goes to `out`. A target that cannot start makes
// its step record the error and the report `failed`; the others still run.
reports::StressReport run_stress(const StressOptions& options, std::ostream& out);

}  // namespace understudy::harness
