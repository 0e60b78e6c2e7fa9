// UEP's FVector from Python against a plain Python class with the same three
// floats and __add__ / __mul__ / length() written in Python: what a script
// pays for doing its vector math through the engine's C++ type. Each
// benchmark times the same statement on both in one run, timeit-style inside
// the interpreter, kOpsPerIteration times per iteration; the reported time is
// FVector's for those, and the counters give the time per operation of both
// and their ratio (fvector_ns / plain_ns; below 1 is faster than plain Python).
#include <benchmark/benchmark.h>
#include <pybind11/eval.h>

#include <cstdint>
#include <string>

#include "fake_engine/unreal/unreal_math_types.h"

namespace py = pybind11;

namespace {

constexpr int kOpsPerIteration = 20000;

constexpr const char* kSetup = R"(
import math, timeit, types

class PlainVector:
    def __init__(self, x=0.0, y=0.0, z=0.0):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, other):
        return PlainVector(self.x + other.x, self.y + other.y, self.z + other.z)

    def __mul__(self, scale):
        return PlainVector(self.x * scale, self.y * scale, self.z * scale)

    def length(self):
        return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

fvector_names = {'a': FVector(1.0, 2.0, 3.0), 'b': FVector(4.0, 5.0, 6.0)}
plain_names = {'a': PlainVector(1.0, 2.0, 3.0), 'b': PlainVector(4.0, 5.0, 6.0)}

def seconds(statement, names, number):
    return timeit.Timer(statement, globals=names).timeit(number=number)
)";

// The interpreter's globals with both vector kinds; REQUIRES: GIL held.
py::dict bench_globals() {
  py::module_ m = py::reinterpret_borrow<py::module_>(
      py::module_::import("types").attr("ModuleType")("unreal_engine"));
  understudy::define_unreal_math_types(m);
  py::dict globals;
  globals["__builtins__"] = py::module_::import("builtins");
  globals["FVector"] = m.attr("FVector");
  py::exec(kSetup, globals);
  return globals;
}

void time_statement(benchmark::State& state, const char* statement) {
  const py::dict globals = bench_globals();
  const py::object seconds = globals["seconds"];
  double fvector_total = 0;
  double plain_total = 0;
  for (auto _ : state) {
    const auto fvector =
        seconds(statement, globals["fvector_names"], kOpsPerIteration).cast<double>();
    const auto plain = seconds(statement, globals["plain_names"], kOpsPerIteration).cast<double>();
    fvector_total += fvector;
    plain_total += plain;
    state.SetIterationTime(fvector);
  }
  const double operations = static_cast<double>(state.iterations()) * kOpsPerIteration;
  state.counters["fvector_ns"] = fvector_total / operations * 1e9;
  state.counters["plain_ns"] = plain_total / operations * 1e9;
  state.counters["ratio"] = fvector_total / plain_total;
  state.SetItemsProcessed(static_cast<std::int64_t>(operations));
}

void BM_FVector_Add(benchmark::State& state) {
  time_statement(state, "a + b");
}
BENCHMARK(BM_FVector_Add)->UseManualTime();

void BM_FVector_MulScalar(benchmark::State& state) {
  time_statement(state, "a * 2.0");
}
BENCHMARK(BM_FVector_MulScalar)->UseManualTime();

void BM_FVector_Length(benchmark::State& state) {
  time_statement(state, "a.length()");
}
BENCHMARK(BM_FVector_Length)->UseManualTime();

}  // namespace
