// What a main-thread job costs a client thread.
//
// RoundTrip: a client posts a job and waits for its future while the main
// thread is idle, as RPyC connection threads do. The main thread serves jobs
// the moment they arrive, as FrameLoop does between frames; the FrameLoop
// variants run the real loop at 60 Hz, with idle-time draining and in
// faithful mode (jobs wait for the next frame).
// Throughput: producers post batches and wait for the whole batch.
// InlineCall: call() on the main thread itself, which skips the queue: the floor.
// IdleExit and MainThreadBusyFor: what telling the main thread held from the
// main thread kept waiting for a CPU costs, against the same without.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "fake_engine/core/frame_loop.h"
#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/core/thread_identity.h"

namespace understudy {
namespace {

// A main thread that does nothing but serve jobs as soon as they are posted:
// FrameLoop's idle-time draining without the frames.
class IdleMainThread {
 public:
  IdleMainThread() {
    std::promise<void> claimed;
    auto ready = claimed.get_future();
    thread_ = std::thread([this, claimed = std::move(claimed)]() mutable {
      name_current_thread("main");
      affinity_.claim();
      claimed.set_value();
      while (!stop_.load()) {
        if (queue_.wait_until(Clock::now() + std::chrono::hours(1))) {
          queue_.drain();
        }
      }
      queue_.close();
      queue_.drain();
    });
    ready.wait();
  }
  ~IdleMainThread() {
    stop_.store(true);
    queue_.wake();
    thread_.join();
  }
  IdleMainThread(const IdleMainThread&) = delete;
  IdleMainThread& operator=(const IdleMainThread&) = delete;

  MainThreadQueue& queue() { return queue_; }

 private:
  MainThreadAffinity affinity_;
  MainThreadQueue queue_{affinity_};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The real frame loop on its own thread.
class LoopMainThread {
 public:
  explicit LoopMainThread(FrameLoopSettings settings) : loop_(queue_, affinity_, settings) {
    thread_ = std::thread([this] {
      name_current_thread("main");
      loop_.run();
    });
  }
  ~LoopMainThread() {
    loop_.request_stop();
    thread_.join();
  }
  LoopMainThread(const LoopMainThread&) = delete;
  LoopMainThread& operator=(const LoopMainThread&) = delete;

  MainThreadQueue& queue() { return queue_; }

 private:
  MainThreadAffinity affinity_;
  MainThreadQueue queue_{affinity_};
  FrameLoop loop_;
  std::thread thread_;
};

// Posts one job and waits for its result, `state.iterations()` times; reports
// the latency percentiles of the round trips in microseconds.
void round_trips(benchmark::State& state, MainThreadQueue& queue) {
  std::vector<double> samples;
  samples.reserve(state.max_iterations < 1'000'000 ? state.max_iterations : 1'000'000);
  for (auto _ : state) {
    const auto start = Clock::now();
    auto result = queue.post("round trip", [] { return 1; });
    benchmark::DoNotOptimize(result.get());
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double fraction) {
    return samples.empty() ? 0.0
                           : samples[static_cast<std::size_t>(
                                 fraction * static_cast<double>(samples.size() - 1))];
  };
  // Averaged, not summed, over the benchmark's threads.
  state.counters["p50_us"] = benchmark::Counter(at(0.50), benchmark::Counter::kAvgThreads);
  state.counters["p99_us"] = benchmark::Counter(at(0.99), benchmark::Counter::kAvgThreads);
  state.counters["max_us"] = benchmark::Counter(at(1.0), benchmark::Counter::kAvgThreads);
  state.SetItemsProcessed(state.iterations());
}

// One for the whole run, shared by the benchmarks' producer threads.
MainThreadQueue& idle_main_thread_queue() {
  static IdleMainThread main;
  return main.queue();
}

void BM_RoundTrip_IdleMainThread(benchmark::State& state) {
  round_trips(state, idle_main_thread_queue());
}
BENCHMARK(BM_RoundTrip_IdleMainThread)->Threads(1)->Threads(2)->UseRealTime();

void BM_RoundTrip_FrameLoop60Hz(benchmark::State& state) {
  FrameLoopSettings settings;
  settings.tick_hz = 60;
  settings.faithful = state.range(0) != 0;
  LoopMainThread main(settings);
  round_trips(state, main.queue());
  state.SetLabel(settings.faithful ? "faithful: jobs wait for the next frame"
                                   : "idle-time draining");
}
BENCHMARK(BM_RoundTrip_FrameLoop60Hz)->Arg(0)->Arg(1)->UseRealTime();

void BM_Throughput_Batches(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  auto& queue = idle_main_thread_queue();
  std::vector<std::future<int>> results;
  results.reserve(batch);
  for (auto _ : state) {
    results.clear();
    for (std::size_t i = 0; i < batch; ++i) {
      results.push_back(queue.post("batched", [] { return 1; }));
    }
    for (auto& result : results) {
      benchmark::DoNotOptimize(result.get());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}
BENCHMARK(BM_Throughput_Batches)->Arg(64)->Threads(1)->Threads(2)->UseRealTime();

void BM_InlineCall_OnMainThread(benchmark::State& state) {
  MainThreadAffinity affinity;
  MainThreadQueue queue(affinity);
  affinity.claim();
  for (auto _ : state) {
    benchmark::DoNotOptimize(queue.call("inline", [] { return 1; }));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InlineCall_OnMainThread);

// A queue whose main thread is the calling thread, with or without the
// CPU-wait clock that main_thread_busy_for() leaves out.
struct QueueOnThisThread {
  explicit QueueOnThisThread(bool with_cpu_wait_clock) {
    affinity.claim();
    if (with_cpu_wait_clock) {
      (void)queue.claim_main_cpu_wait_clock();
    }
  }

  MainThreadAffinity affinity;
  MainThreadQueue queue{affinity};
};

// The main thread leaving its idle wait (a wake-up: begin_fd_wait returns at
// once, then end_fd_wait), which now also reads the main thread's CPU-wait
// clock, so that main_thread_busy_for() can leave that wait out. Arg(0): no
// clock claimed, the cost before; Arg(1): with it.
void BM_IdleExit(benchmark::State& state) {
  QueueOnThisThread on_this_thread(state.range(0) != 0);
  MainThreadQueue& queue = on_this_thread.queue;
  for (auto _ : state) {
    queue.wake();
    benchmark::DoNotOptimize(queue.begin_fd_wait());
    benchmark::DoNotOptimize(queue.end_fd_wait());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IdleExit)->Arg(0)->Arg(1);

// What the RPC readers' watchman asks every 20 ms while the main thread
// holds connections, from another thread: Arg(0) without the CPU-wait clock
// (wall time alone), Arg(1) with it.
void BM_MainThreadBusyFor(benchmark::State& state) {
  QueueOnThisThread on_this_thread(state.range(0) != 0);
  MainThreadQueue& queue = on_this_thread.queue;
  queue.wake();
  (void)queue.begin_fd_wait();
  (void)queue.end_fd_wait();  // the main thread is away from its idle wait now
  std::thread watchman([&] {
    for (auto _ : state) {
      benchmark::DoNotOptimize(queue.main_thread_busy_for());
    }
  });
  watchman.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MainThreadBusyFor)->Arg(0)->Arg(1);

}  // namespace
}  // namespace understudy
