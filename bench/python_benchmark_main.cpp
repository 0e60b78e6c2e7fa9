// main() of the benchmark programs that run Python: the embedded interpreter
// the engine has, alive for the whole run (the benchmarks import and call
// into it), then Google Benchmark's flags and benchmarks.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "fake_engine/python/embedded_interpreter.h"

int main(int argc, char** argv) {
  understudy::EmbeddedInterpreter interpreter(
      {std::filesystem::path(argc > 0 ? argv[0] : "benchmark").filename().string()});
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
