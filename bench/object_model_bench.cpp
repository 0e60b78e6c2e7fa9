// The object model from Python, against baselines measured in the same run:
// reading and writing a UPROPERTY by attribute against an attribute of a
// plain pybind11-bound C++ object (def_readwrite); spawning actors with a
// label and a location (main-thread time, and memory per actor); finding an
// actor by label in a small and a large world; GameObject.Find on the Unity
// binding against that lookup.
//
// Each benchmark runs a Python loop inside the embedded interpreter and
// reports ns per operation; the ratio counters compare with the baseline.
// KiB_per_actor is RSS growth: it is an actor's footprint only for the first
// spawn benchmark of a process (run one class per process with
// --benchmark_filter=Spawn_Character, ...), as a later one reuses freed memory.
#include <benchmark/benchmark.h>
#include <pybind11/embed.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "fake_engine/app/engine.h"
#include "fake_engine/core/huge_page_heap.h"
#include "fake_engine/python/embedded_interpreter.h"
#include "fake_engine/python/python_runtime.h"

namespace py = pybind11;

namespace {

// A C++ object with one double, bound the plainest way pybind11 binds one.
struct PlainObject {
  double value = 600.0;
};

PYBIND11_EMBEDDED_MODULE(object_model_bench_baseline, m) {
  py::class_<PlainObject>(m, "PlainObject")
      .def(py::init<>())
      .def_readwrite("value", &PlainObject::value);
}

// One interpreter and one engine (this thread is its main thread) for the run.
class BenchEngine {
 public:
  static BenchEngine& instance() {
    static BenchEngine engine;
    return engine;
  }

  // ns per iteration of `body` (with `setup` run once before), timed in Python.
  double ns_per_op(const std::string& setup, const std::string& body, int iterations) {
    py::dict globals;
    globals["__builtins__"] = py::module_::import("builtins");
    py::exec(setup, globals);
    globals["_n"] = iterations;
    py::exec(
        "import time\n"
        "def _run():\n"
        "    t = time.perf_counter_ns()\n"
        "    for _ in range(_n):\n"
        "        " +
            body +
            "\n"
            "    return time.perf_counter_ns() - t\n",
        globals);
    return globals["_run"]().cast<double>() / iterations;
  }

  void exec(const std::string& code) {
    py::dict globals;
    globals["__builtins__"] = py::module_::import("builtins");
    py::exec(code, globals);
  }

  understudy::Engine& engine() { return *engine_; }

 private:
  BenchEngine() {
    interpreter_ =
        std::make_unique<understudy::EmbeddedInterpreter>(std::vector<std::string>{"bench"});
    understudy::EngineSettings settings;
    settings.echo_console = false;
    engine_ = std::make_unique<understudy::Engine>(settings);
    understudy::RpcSettings no_server;
    no_server.enabled = false;
    runtime_ = std::make_unique<understudy::PythonRuntime>(
        understudy::EngineParts{engine_->affinity(), engine_->queue(), engine_->console(),
                                engine_->world(), engine_->loop(), engine_->waits(),
                                engine_->unity_world()},
        no_server);
  }

  std::unique_ptr<understudy::EmbeddedInterpreter> interpreter_;
  std::unique_ptr<understudy::Engine> engine_;
  std::unique_ptr<understudy::PythonRuntime> runtime_;
};

constexpr const char* kCharacter =
    "import unreal_engine as ue\n"
    "from unreal_engine.classes import Character\n"
    "from object_model_bench_baseline import PlainObject\n"
    "plain = PlainObject()\n"
    "movement = ue.get_editor_world().actor_spawn(Character).CharacterMovement\n";

void report(benchmark::State& state, double engine_ns, double baseline_ns) {
  state.counters["ns_per_op"] = engine_ns;
  state.counters["baseline_ns_per_op"] = baseline_ns;
  state.counters["ratio_to_baseline"] = engine_ns / baseline_ns;
}

void BM_PropertyRead_vs_Pybind11(benchmark::State& state) {
  auto& bench = BenchEngine::instance();
  double engine_ns = 0;
  double baseline_ns = 0;
  for (auto _ : state) {
    engine_ns = bench.ns_per_op(kCharacter, "movement.MaxWalkSpeed", 200000);
    baseline_ns = bench.ns_per_op(kCharacter, "plain.value", 200000);
  }
  report(state, engine_ns, baseline_ns);
}
BENCHMARK(BM_PropertyRead_vs_Pybind11)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_PropertyWrite_vs_Pybind11(benchmark::State& state) {
  auto& bench = BenchEngine::instance();
  double engine_ns = 0;
  double baseline_ns = 0;
  for (auto _ : state) {
    engine_ns = bench.ns_per_op(kCharacter, "movement.MaxWalkSpeed = 300.0", 200000);
    baseline_ns = bench.ns_per_op(kCharacter, "plain.value = 300.0", 200000);
  }
  report(state, engine_ns, baseline_ns);
}
BENCHMARK(BM_PropertyWrite_vs_Pybind11)->Iterations(3)->Unit(benchmark::kMillisecond);

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// 100,000 actors spawned from Python with a location, then labelled: the
// whole loop runs on the main thread, as a spawn script would. Reported as
// the loop's elapsed time and its CPU time on the main thread (what the
// loop costs whatever else the machine runs).
void spawn_many(benchmark::State& state, const char* class_name) {
  auto& bench = BenchEngine::instance();
  const int count = static_cast<int>(state.range(0));
  double seconds = 0;
  double kib_per_actor = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    bench.exec("import gc; gc.collect()");
    const long before = resident_kib();
    const double cpu_before = thread_cpu_seconds();
    const double ns = bench.ns_per_op(
        std::string("import unreal_engine as ue\n"
                    "from unreal_engine import FVector\n"
                    "from unreal_engine.classes import ") +
            class_name +
            " as C\n"
            "world = ue.get_editor_world()\n"
            "counter = iter(range(10**9))\n",
        "i = next(counter); world.actor_spawn(C, FVector(i, 0, 0)).set_actor_label(f'a{i}')",
        count);
    cpu_seconds = thread_cpu_seconds() - cpu_before;
    seconds = ns * count / 1e9;
    kib_per_actor = static_cast<double>(resident_kib() - before) / count;
    state.PauseTiming();
    bench.exec(
        "import unreal_engine as ue\n"
        "for a in ue.get_editor_world().all_actors(): a.actor_destroy()\n");
    state.ResumeTiming();
  }
  state.counters["main_thread_seconds"] = seconds;
  state.counters["main_thread_cpu_seconds"] = cpu_seconds;
  state.counters["huge_page_heap"] = understudy::heap_on_huge_pages() ? 1 : 0;
  state.counters["KiB_per_actor"] = kib_per_actor;
}

void BM_Spawn_Character_WithLabelAndLocation(benchmark::State& state) {
  spawn_many(state, "Character");
}
BENCHMARK(BM_Spawn_Character_WithLabelAndLocation)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_Spawn_StaticMeshActor_WithLabelAndLocation(benchmark::State& state) {
  spawn_many(state, "StaticMeshActor");
}
BENCHMARK(BM_Spawn_StaticMeshActor_WithLabelAndLocation)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// find_actor_by_label with range(0) actors in the world: flat when O(1).
void BM_FindActorByLabel(benchmark::State& state) {
  auto& bench = BenchEngine::instance();
  const auto count = state.range(0);
  bench.exec(
      "import unreal_engine as ue\n"
      "from unreal_engine.classes import Actor\n"
      "world = ue.get_editor_world()\n"
      "for i in range(" +
      std::to_string(count) +
      "):\n"
      "    world.actor_spawn(Actor).set_actor_label(f'a{i}')\n");
  double ns = 0;
  for (auto _ : state) {
    ns = bench.ns_per_op("import unreal_engine as ue\nworld = ue.get_editor_world()\n",
                         "world.find_actor_by_label('a1')", 100000);
  }
  state.counters["ns_per_lookup"] = ns;
  bench.exec(
      "import unreal_engine as ue\n"
      "for a in ue.get_editor_world().all_actors(): a.actor_destroy()\n");
}
BENCHMARK(BM_FindActorByLabel)
    ->Arg(1000)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// GameObject.Find on a 10,000-GameObject scene against the same lookup on the
// Unreal binding (find_actor_by_label in a 10,000-actor world), in one run.
void BM_GameObjectFind_vs_UnrealFindActorByLabel(benchmark::State& state) {
  auto& bench = BenchEngine::instance();
  bench.exec(
      "import unreal_engine as ue\n"
      "import UnityEngine\n"
      "from unreal_engine.classes import Actor\n"
      "world = ue.get_editor_world()\n"
      "for i in range(10000):\n"
      "    world.actor_spawn(Actor).set_actor_label(f'a{i}')\n"
      "    UnityEngine.GameObject(f'g{i}')\n");
  double unity_ns = 0;
  double unreal_ns = 0;
  for (auto _ : state) {
    unity_ns = bench.ns_per_op("import UnityEngine\nfind = UnityEngine.GameObject.Find\n",
                               "find('g5000')", 100000);
    unreal_ns = bench.ns_per_op("import unreal_engine as ue\nworld = ue.get_editor_world()\n",
                                "world.find_actor_by_label('a5000')", 100000);
  }
  report(state, unity_ns, unreal_ns);
  bench.exec(
      "import unreal_engine as ue\n"
      "import UnityEngine\n"
      "for a in ue.get_editor_world().all_actors(): a.actor_destroy()\n"
      "for go in UnityEngine.Object.FindObjectsOfType(UnityEngine.GameObject, True):\n"
      "    UnityEngine.Object.DestroyImmediate(go)\n");
}
BENCHMARK(BM_GameObjectFind_vs_UnrealFindActorByLabel)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace

// As the engine (understudy-engine's main), the benchmark's heap is on
// transparent huge pages unless --no-huge-page-heap is given.
int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  const auto plain = std::find_if(args.begin(), args.end(), [](const char* arg) {
    return std::strcmp(arg, "--no-huge-page-heap") == 0;
  });
  if (plain == args.end()) {
    understudy::relaunch_with_huge_page_heap(argv);
  } else {
    args.erase(plain);
  }
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
