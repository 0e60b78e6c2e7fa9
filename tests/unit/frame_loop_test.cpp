// FrameLoop: rate, limits, frame numbers and delta times, stats (the main
// thread's waits for a CPU among them), stopping, frame task errors.
#define BOOST_TEST_MODULE frame_loop
#include "fake_engine/core/frame_loop.h"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fake_engine/core/cpu_wait_clock.h"
#include "tests/support/deadline.h"
#include "tests/support/describe.h"
#include "tests/support/loop_settings.h"
#include "tests/support/loop_thread.h"

using namespace std::chrono_literals;
using namespace understudy;
using namespace understudy::testing;

namespace {

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The engine's core without a world: the loop runs on the test thread.
struct Core {
  MainThreadAffinity affinity;
  MainThreadQueue queue{affinity};
};

struct FrameSample {
  std::uint64_t number;
  double delta_seconds;
  Clock::time_point seen_at;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(frame_loop, Core)

BOOST_AUTO_TEST_CASE(runs_at_the_rate_asked) {
  FrameLoop loop(queue, affinity, LoopSettings(50).max_frames(25));
  const auto started = Clock::now();
  const auto frames = loop.run();
  const auto seconds = seconds_between(started, Clock::now());

  BOOST_TEST(frames == 25u);
  // The first frame starts at once, the 25th 24 periods (0.48 s) later; the loop
  // may run late under load, never early.
  BOOST_TEST(seconds >= 0.475, "25 frames at 50 Hz took " << seconds << " s, expected >= 0.48 s");
  BOOST_TEST(seconds < 1.5, "25 frames at 50 Hz took " << seconds << " s, expected about 0.48 s");
}

BOOST_AUTO_TEST_CASE(max_frames_stops_after_that_many_frames_numbered_from_one) {
  FrameLoop loop(queue, affinity, LoopSettings(0).max_frames(7));
  std::vector<std::uint64_t> numbers;
  loop.add_frame_task("record", [&](const FrameTick& tick) { numbers.push_back(tick.number); });

  BOOST_TEST(loop.current_frame() == 0u);
  BOOST_TEST(loop.run() == 7u);
  BOOST_TEST(numbers == (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7}),
             "seen " << describe(numbers));
  BOOST_TEST(loop.current_frame() == 7u);
  BOOST_TEST(loop.stats().summary().frames == 7u);
}

BOOST_AUTO_TEST_CASE(max_duration_stops_after_that_long) {
  FrameLoop loop(queue, affinity, LoopSettings(100).max_duration(200ms));
  const auto started = Clock::now();
  const auto frames = loop.run();
  const auto seconds = seconds_between(started, Clock::now());

  BOOST_TEST(seconds >= 0.2, "the loop stopped after " << seconds << " s, before its 0.2 s limit");
  BOOST_TEST(seconds < 1.0, "the loop ran " << seconds << " s, expected to stop at about 0.2 s");
  // 0.2 s at 100 Hz: frames start at 0, 10, ..., 200 ms; fewer when the machine is busy.
  BOOST_TEST(frames >= 2u);
  BOOST_TEST(frames <= 21u);
}

BOOST_AUTO_TEST_CASE(max_duration_stops_on_time_even_at_a_low_tick_rate) {
  // At 2 Hz the second frame is due at 500 ms, well after the 300 ms limit.
  FrameLoop loop(queue, affinity, LoopSettings(2).max_duration(300ms));
  const auto started = Clock::now();
  const auto frames = loop.run();
  const auto seconds = seconds_between(started, Clock::now());

  BOOST_TEST(frames == 1u);
  BOOST_TEST(seconds >= 0.3, "the loop stopped after " << seconds << " s, before its 0.3 s limit");
  BOOST_TEST(seconds < 0.45, "the loop ran " << seconds << " s, past its 0.3 s limit");
}

BOOST_AUTO_TEST_CASE(delta_time_is_the_time_between_frame_starts) {
  constexpr double kPeriod = 0.02;
  FrameLoop loop(queue, affinity, LoopSettings(1 / kPeriod).max_frames(10));
  std::vector<FrameSample> samples;
  loop.add_frame_task("record", [&](const FrameTick& tick) {
    samples.push_back({tick.number, tick.delta_seconds, Clock::now()});
  });
  loop.run();

  BOOST_REQUIRE_EQUAL(samples.size(), 10u);
  // The first frame has no predecessor: it gets one period.
  BOOST_TEST(samples[0].delta_seconds >= kPeriod);
  BOOST_TEST(samples[0].delta_seconds < kPeriod + 0.05);
  double sum = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    BOOST_TEST(samples[i].delta_seconds > 0.0, "frame " << samples[i].number);
    sum += samples[i].delta_seconds;
  }
  const auto observed = seconds_between(samples.front().seen_at, samples.back().seen_at);
  BOOST_TEST(sum >= 9 * kPeriod - 0.001, "deltas of frames 2..10 sum to " << sum << " s");
  BOOST_TEST(std::abs(sum - observed) < 0.02, "deltas of frames 2..10 sum to "
                                                  << sum << " s, but the frames' tasks ran "
                                                  << observed << " s apart");
}

BOOST_AUTO_TEST_CASE(tick_hz_zero_runs_frames_back_to_back) {
  FrameLoop loop(queue, affinity, LoopSettings(0).max_frames(1000));
  BOOST_TEST((loop.period() == Clock::duration::zero()));
  const auto started = Clock::now();
  BOOST_TEST(loop.run() == 1000u);
  const auto seconds = seconds_between(started, Clock::now());

  // At 60 Hz these frames would take 16.7 s.
  BOOST_TEST(seconds < 1.0, "1000 back-to-back frames took " << seconds << " s");
  const auto summary = loop.stats().summary();
  BOOST_TEST(summary.late_frames == 0u, "without a period no frame can be late");
  BOOST_TEST(summary.lateness_max_ms == 0.0);
}

BOOST_AUTO_TEST_CASE(stats_summary_reports_each_frames_work) {
  FrameLoop loop(queue, affinity, LoopSettings(100).max_frames(12));
  loop.add_frame_task("slow on frame 5", [](const FrameTick& tick) {
    if (tick.number == 5) {
      std::this_thread::sleep_for(30ms);  // stands in for a heavy frame
    }
  });
  loop.run();

  const auto summary = loop.stats().summary();
  BOOST_TEST(summary.frames == 12u);
  BOOST_TEST(summary.work_max_ms >= 30.0);
  BOOST_TEST(summary.work_p50_ms < 10.0,
             "a typical frame here does nothing, p50 was " << summary.work_p50_ms << " ms");
  BOOST_TEST(summary.work_mean_ms >= 30.0 / 12);
  BOOST_TEST(summary.work_mean_ms < summary.work_max_ms);

  const auto recent = loop.stats().recent(100);
  BOOST_REQUIRE_EQUAL(recent.size(), 12u);
  for (std::size_t i = 0; i < recent.size(); ++i) {
    BOOST_TEST(recent[i].number == i + 1);
  }
  BOOST_TEST((recent[4].work >= 30ms));
  BOOST_TEST(loop.stats().recent(3).front().number == 10u);
}

// Pins the calling thread to one CPU until destroyed.
class PinnedToOneCpu {
 public:
  PinnedToOneCpu() {
    BOOST_REQUIRE_EQUAL(pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_), 0);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    BOOST_REQUIRE_EQUAL(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
    cpu_ = sched_getcpu();
  }
  ~PinnedToOneCpu() { pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_); }
  PinnedToOneCpu(const PinnedToOneCpu&) = delete;
  PinnedToOneCpu& operator=(const PinnedToOneCpu&) = delete;
  int cpu() const { return cpu_; }

 private:
  cpu_set_t saved_{};
  int cpu_ = 0;
};

BOOST_AUTO_TEST_CASE(waits_for_a_cpu_are_told_apart_from_the_main_thread_being_held) {
  // Frame 3 spins for 150 ms on a CPU that three other threads keep busy:
  // the interval before frame 4 is long, but most of it the main thread was
  // ready to run and had no CPU. That share is not the engine's doing.
  const PinnedToOneCpu pinned;
  std::atomic<bool> stop{false};
  std::vector<std::thread> rivals;
  FrameLoop loop(queue, affinity, LoopSettings(50).max_frames(5));
  loop.add_frame_task("spin on a crowded CPU on frame 3", [&](const FrameTick& tick) {
    if (tick.number != 3) {
      return;
    }
    for (int i = 0; i < 3; ++i) {
      rivals.emplace_back([&stop, cpu = pinned.cpu()] {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
        while (!stop.load()) {
        }
      });
    }
    const auto until = Clock::now() + 150ms;
    while (Clock::now() < until) {
    }
    stop.store(true);
  });
  loop.run();
  for (auto& t : rivals) {
    t.join();
  }

  const CpuWaitClock clock;
  BOOST_REQUIRE_MESSAGE(clock.total().has_value(),
                        "expected /proc/thread-self/schedstat on Linux; it could not be read");
  const auto summary = loop.stats().summary();
  BOOST_TEST(summary.interval_max_ms >= 150.0, "longest interval " << summary.interval_max_ms);
  BOOST_TEST(summary.cpu_wait_total_ms >= 50.0,
             "the main thread shared its CPU with three spinning threads for 150 ms but "
             "waited for it only "
                 << summary.cpu_wait_total_ms << " ms");
  BOOST_TEST(summary.interval_max_less_cpu_wait_ms <= summary.interval_max_ms - 50.0,
             "longest interval " << summary.interval_max_ms << " ms, less the waits for a CPU "
                                 << summary.interval_max_less_cpu_wait_ms << " ms");
  // Each interval loses its own waits, not the thread's whole history's.
  BOOST_TEST(summary.interval_max_less_cpu_wait_ms > 0.0,
             "less the waits, the longest interval was " << summary.interval_max_less_cpu_wait_ms
                                                         << " ms");
}

BOOST_AUTO_TEST_CASE(drops_frames_after_a_long_frame_instead_of_replaying_them) {
  constexpr double kPeriod = 0.01;
  FrameLoop loop(queue, affinity, LoopSettings(1 / kPeriod).max_frames(10));
  std::vector<FrameSample> samples;
  loop.add_frame_task("slow on frame 3", [&](const FrameTick& tick) {
    samples.push_back({tick.number, tick.delta_seconds, Clock::now()});
    if (tick.number == 3) {
      std::this_thread::sleep_for(55ms);  // five and a half periods
    }
  });
  loop.run();

  BOOST_REQUIRE_EQUAL(samples.size(), 10u);
  BOOST_TEST(samples[3].delta_seconds >= 0.055, "frame 4 follows the 55 ms frame 3");
  // Replaying the five frames missed would run them back to back; dropping
  // them restarts the schedule from frame 4. (A frame the OS woke late may
  // still be followed by one on schedule, close behind.)
  std::vector<double> bursts;
  for (std::size_t i = 4; i < samples.size(); ++i) {
    if (samples[i].delta_seconds < kPeriod / 5) {
      bursts.push_back(samples[i].delta_seconds);
    }
  }
  BOOST_TEST(bursts.size() <= 2u,
             bursts.size() << " frames after the long one ran back to back: " << describe(bursts));
}

BOOST_AUTO_TEST_CASE(a_job_overrunning_the_idle_time_makes_the_next_frame_late) {
  constexpr auto kPeriod = 20ms;
  FrameLoop loop(queue, affinity, LoopSettings(50).max_frames(6));
  loop.add_frame_task("post a slow job on frame 2", [&](const FrameTick& tick) {
    if (tick.number == 2) {
      // Runs between frames 2 and 3, idle time being served at once.
      (void)queue.post("slow job", [] { std::this_thread::sleep_for(60ms); });
    }
  });
  loop.run();

  const auto recent = loop.stats().recent(6);
  BOOST_REQUIRE_EQUAL(recent.size(), 6u);
  // Frame 3 was due at most one period after the job started, which ran three.
  BOOST_TEST(to_ms(recent[2].lateness) >= to_ms(60ms - kPeriod),
             "frame 3 started " << to_ms(recent[2].lateness) << " ms late");
  const auto summary = loop.stats().summary();
  BOOST_TEST(summary.late_frames >= 1u);
  BOOST_TEST(summary.lateness_max_ms >= 40.0);
  // No frame's work holds the idle job, but the interval between frames does.
  BOOST_TEST(summary.work_max_ms < 60.0);
  BOOST_TEST(summary.interval_max_ms >= 60.0, "longest interval " << summary.interval_max_ms);
}

BOOST_AUTO_TEST_CASE(a_frame_starts_between_two_jobs_that_each_overrun_a_frame) {
  // Two synchronous calls to clients that stopped answering, queued together,
  // must not hold the main thread for both: the second runs in a later frame.
  FrameLoop loop(queue, affinity, LoopSettings(50).max_frames(5));
  std::vector<std::string> events;
  loop.add_frame_task("post two slow jobs on frame 2", [&](const FrameTick& tick) {
    if (tick.number == 2) {
      for (const char* name : {"slow a", "slow b"}) {
        (void)queue.post(name, [&events, &loop, name] {
          std::this_thread::sleep_for(30ms);  // a frame and a half
          events.push_back(std::string(name) + " in frame " + std::to_string(loop.current_frame()));
        });
      }
    }
  });
  loop.run();

  const std::vector<std::string> expected{"slow a in frame 2", "slow b in frame 3"};
  BOOST_TEST(events == expected, "seen " << describe(events));
}

BOOST_AUTO_TEST_CASE(a_frame_whose_jobs_overran_it_says_so_to_its_tasks) {
  // Frame tasks put off their own long work (a domain reload) on such frames.
  FrameLoop loop(queue, affinity, LoopSettings(50).faithful().max_frames(2));
  (void)queue.post("slow job", [] { std::this_thread::sleep_for(30ms); });
  std::vector<bool> overran;
  loop.add_frame_task("record",
                      [&](const FrameTick& tick) { overran.push_back(tick.jobs_overran); });
  loop.run();

  BOOST_REQUIRE_EQUAL(overran.size(), 2u);
  BOOST_TEST(overran[0], "frame 1 ran a 30 ms job at 50 frames a second");
  BOOST_TEST(!overran[1]);
}

BOOST_AUTO_TEST_CASE(request_stop_from_another_thread_ends_the_idle_wait_at_once) {
  // At 1 Hz the loop idles a whole second after frame 1; a stop must not wait for it.
  LoopThread runner(LoopSettings(1));
  runner.start();
  BOOST_REQUIRE(runner.wait_for_frame(1));
  const auto requested = Clock::now();
  const auto frames = runner.stop();
  const auto waited_ms = milliseconds_since(requested);

  BOOST_TEST(frames == 1u);
  BOOST_TEST(runner.loop().stop_requested());
  BOOST_TEST(waited_ms < 300.0, "run() returned " << waited_ms << " ms after request_stop()");
}

BOOST_AUTO_TEST_CASE(a_throwing_frame_task_goes_to_the_error_sink_and_the_loop_continues) {
  FrameLoop loop(queue, affinity, LoopSettings(0).max_frames(4));
  std::vector<std::pair<std::string, std::string>> errors;
  std::vector<std::uint64_t> faulty_calls;
  std::vector<std::uint64_t> healthy_calls;
  loop.set_error_sink(
      [&](const std::string& task, const std::string& what) { errors.emplace_back(task, what); });
  loop.add_frame_task("faulty", [&](const FrameTick& tick) {
    faulty_calls.push_back(tick.number);
    if (tick.number == 2) {
      throw std::runtime_error("boom on frame 2");
    }
  });
  loop.add_frame_task("healthy",
                      [&](const FrameTick& tick) { healthy_calls.push_back(tick.number); });

  BOOST_TEST(loop.run() == 4u);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_TEST(errors[0].first == "faulty");
  BOOST_TEST(errors[0].second == "boom on frame 2");
  const std::vector<std::uint64_t> every_frame{1, 2, 3, 4};
  BOOST_TEST(faulty_calls == every_frame, "seen " << describe(faulty_calls));
  BOOST_TEST(healthy_calls == every_frame, "seen " << describe(healthy_calls));
}

BOOST_AUTO_TEST_CASE(each_frame_drains_jobs_then_runs_tasks_in_registration_order) {
  FrameLoop loop(queue, affinity, LoopSettings(0).max_frames(2));
  std::vector<std::string> events;
  (void)queue.post("job a", [&] { events.push_back("job a"); });
  (void)queue.post("job b", [&] { events.push_back("job b"); });
  loop.add_frame_task("first", [&](const FrameTick& tick) {
    events.push_back("first " + std::to_string(tick.number));
  });
  loop.add_frame_task("second", [&](const FrameTick& tick) {
    events.push_back("second " + std::to_string(tick.number));
  });
  loop.run();

  const std::vector<std::string> expected{"job a",    "job b",   "first 1",
                                          "second 1", "first 2", "second 2"};
  BOOST_TEST(events == expected, "seen " << describe(events));
  BOOST_TEST(loop.stats().recent(2).front().jobs_run == 2u);
  BOOST_TEST(loop.stats().recent(2).back().jobs_run == 0u);
}

BOOST_AUTO_TEST_CASE(the_thread_that_ran_the_loop_stays_the_main_thread) {
  FrameLoop loop(queue, affinity, LoopSettings(0).max_frames(1));
  BOOST_TEST(!affinity.is_main_thread());
  loop.run();
  BOOST_TEST(affinity.is_main_thread());
  bool other_is_main = true;
  std::thread([&] { other_is_main = affinity.is_main_thread(); }).join();
  BOOST_TEST(!other_is_main);
}

BOOST_AUTO_TEST_SUITE_END()
