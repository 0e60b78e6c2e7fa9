// The C++ hot paths besides the job queue: recording a latency, a wait
// entering and leaving the wait-for graph (with other waits present, as under
// load), and encoding and parsing control-channel lines.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "common/latency_histogram.h"
#include "fake_engine/diagnostics/wait_for_graph.h"
#include "protocol/codec.h"

namespace {

void BM_Histogram_Record(benchmark::State& state) {
  understudy::measure::LatencyHistogram histogram;
  std::mt19937_64 random(1);
  std::lognormal_distribution<double> latency(12.0, 2.0);
  std::vector<std::uint64_t> values(4096);
  for (auto& v : values) {
    v = static_cast<std::uint64_t>(latency(random));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.record(values[i++ & 4095]);
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Histogram_Record);

// begin_wait + end_wait while `range(0)` other clients wait on the main thread.
void BM_WaitForGraph_BeginEnd(benchmark::State& state) {
  understudy::WaitForGraph graph;
  for (int i = 0; i < state.range(0); ++i) {
    (void)graph.begin_wait("client:c" + std::to_string(i) + "#" + std::to_string(i), "main",
                           "execute", "rpc-conn", 1);
  }
  for (auto _ : state) {
    const auto begun = graph.begin_wait("main", "client:tool#0", "ping", "main", 1);
    benchmark::DoNotOptimize(begun.deadlock.has_value());
    graph.end_wait(begun.id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WaitForGraph_BeginEnd)->Arg(0)->Arg(16)->Arg(256);

void BM_Control_EncodeCallEvent(benchmark::State& state) {
  const nlohmann::json detail = {{"path", "sync"},        {"client", "worker-3"},
                                 {"service", "on_event"}, {"elapsed_s", 0.000123},
                                 {"started_frame", 1200}, {"finished_frame", 1200},
                                 {"kind", "ok"},          {"value", "handled hero"}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(understudy::protocol::encode_event("call", detail));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Control_EncodeCallEvent);

void BM_Control_ParseRequest(benchmark::State& state) {
  const std::string line =
      R"({"id": 42, "op": "call", "client": "worker-3", "service": "on_event", )"
      R"("args": ["hero"], "path": "sync", "timeout_s": 2.0})";
  std::string problem;
  for (auto _ : state) {
    benchmark::DoNotOptimize(understudy::protocol::parse_request(line, problem));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Control_ParseRequest);

}  // namespace
