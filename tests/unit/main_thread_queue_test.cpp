// MainThreadQueue: ordering, results and errors through futures, call() and
// its timeout, closing, cross-thread waits, idle-time and faithful draining,
// drain budgets.
#define BOOST_TEST_MODULE main_thread_queue
#include "fake_engine/core/main_thread_queue.h"

#include <poll.h>
#include <sched.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fake_engine/core/cpu_wait_clock.h"
#include "fake_engine/core/frame_loop.h"
#include "tests/support/deadline.h"
#include "tests/support/describe.h"
#include "tests/support/loop_settings.h"
#include "tests/support/loop_thread.h"

using namespace std::chrono_literals;
using namespace understudy;
using namespace understudy::testing;

namespace {

// The test thread is the main thread and drains by hand.
struct QueueOnTestThread {
  QueueOnTestThread() { affinity.claim(); }

  MainThreadAffinity affinity;
  MainThreadQueue queue{affinity};
};

// What a job saw when it ran on the loop's thread.
struct JobRun {
  std::uint64_t frame = 0;
  Clock::time_point at;
};

// Ready once frame `number`'s tasks have run. Call before runner.start().
std::shared_future<void> frame_tasks_done(LoopThread& runner, std::uint64_t number) {
  auto done = std::make_shared<std::promise<void>>();
  runner.loop().add_frame_task("signal frame " + std::to_string(number),
                               [done, number](const FrameTick& tick) {
                                 if (tick.number == number) {
                                   done->set_value();
                                 }
                               });
  return done->get_future().share();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(queue_on_the_test_thread, QueueOnTestThread)

BOOST_AUTO_TEST_CASE(jobs_run_in_posting_order) {
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) {
    (void)queue.post("append " + std::to_string(i), [&order, i] { order.push_back(i); });
  }
  BOOST_TEST(queue.depth() == 100u);
  const auto result = queue.drain();

  BOOST_TEST(result.jobs_run == 100u);
  BOOST_TEST(result.jobs_left == 0u);
  BOOST_REQUIRE_EQUAL(order.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    BOOST_TEST(order[static_cast<std::size_t>(i)] == i);
  }
  const auto counters = queue.counters();
  BOOST_TEST(counters.posted == 100u);
  BOOST_TEST(counters.run == 100u);
  BOOST_TEST(counters.rejected == 0u);
}

BOOST_AUTO_TEST_CASE(results_and_exceptions_travel_through_futures) {
  auto value = queue.post("answer", [] { return 42; });
  auto text = queue.post("text", [] { return std::string("spawned Character_0"); });
  bool ran = false;
  auto nothing = queue.post("void job", [&] { ran = true; });
  auto failure = queue.post(
      "World.actor_spawn", []() -> int { throw std::invalid_argument("unknown actor class 'X'"); });
  BOOST_TEST((value.wait_for(0s) == std::future_status::timeout), "nothing runs before a drain");

  queue.drain();
  BOOST_TEST(value.get() == 42);
  BOOST_TEST(text.get() == "spawned Character_0");
  nothing.get();
  BOOST_TEST(ran);
  BOOST_CHECK_EXCEPTION(failure.get(), std::invalid_argument, [](const std::invalid_argument& e) {
    return std::string(e.what()) == "unknown actor class 'X'";
  });
}

BOOST_AUTO_TEST_CASE(call_runs_inline_on_the_main_thread) {
  const auto caller = std::this_thread::get_id();
  const auto ran_on = queue.call(
      "where am I", [] { return std::this_thread::get_id(); }, 0ms);
  BOOST_TEST((ran_on == caller));
  BOOST_TEST(queue.counters().posted == 0u, "an inline call does not go through the queue");
  BOOST_CHECK_THROW(queue.call("fails inline", []() -> int { throw std::out_of_range("gone"); }),
                    std::out_of_range);
}

BOOST_AUTO_TEST_CASE(call_from_another_thread_times_out_naming_the_job) {
  // The main thread (this one) does not drain: as if it were blocked.
  bool ran = false;
  const auto started = Clock::now();
  auto outcome = std::async(std::launch::async, [&] {
    name_current_thread("rpc-conn-1");
    try {
      queue.call(
          "World.actor_spawn", [&] { ran = true; }, 50ms);
      return std::string("call() returned");
    } catch (const JobTimeoutError& e) {
      return std::string(e.what());
    }
  });
  BOOST_REQUIRE(wait_ready(outcome, "call() to give up after its 50 ms timeout"));
  const auto message = outcome.get();
  const auto waited_ms = milliseconds_since(started);

  BOOST_TEST(message.find("main-thread job 'World.actor_spawn' did not finish within") == 0u,
             "message: " << message);
  BOOST_TEST(message.find("1 jobs queued") != std::string::npos, "message: " << message);
  BOOST_TEST(waited_ms >= 50.0);
  // Like an expired RPyC request, the job itself still runs.
  BOOST_TEST(queue.depth() == 1u);
  queue.drain();
  BOOST_TEST(ran);
}

BOOST_AUTO_TEST_CASE(close_rejects_later_jobs_and_keeps_queued_ones) {
  bool queued_ran = false;
  auto queued = queue.post("queued before close", [&] { queued_ran = true; });
  queue.close();
  auto rejected = queue.post("posted after close", [] { return 1; });

  BOOST_REQUIRE((rejected.wait_for(0s) == std::future_status::ready));
  BOOST_CHECK_EXCEPTION(rejected.get(), EngineStoppedError, [](const EngineStoppedError& e) {
    return std::string(e.what()) ==
           "main-thread job 'posted after close' was rejected: the engine is stopping";
  });
  auto from_client = std::async(std::launch::async, [&] {
    try {
      queue.call("client call after close", [] { return 2; });
      return std::string("call() returned");
    } catch (const EngineStoppedError& e) {
      return std::string(e.what());
    }
  });
  BOOST_REQUIRE(wait_ready(from_client, "call() after close() to fail"));
  BOOST_TEST(from_client.get().find("'client call after close' was rejected") != std::string::npos);

  BOOST_TEST(queue.drain().jobs_run == 1u);
  BOOST_TEST(queued_ran);
  queued.get();
  BOOST_TEST(queue.counters().rejected == 2u);
}

BOOST_AUTO_TEST_CASE(jobs_posted_by_a_job_run_in_a_later_drain) {
  std::vector<std::string> events;
  (void)queue.post("outer", [&] {
    events.push_back("outer");
    (void)queue.post("inner", [&] { events.push_back("inner"); });
  });

  const auto first = queue.drain();
  BOOST_TEST(first.jobs_run == 1u);
  BOOST_TEST(first.jobs_left == 1u);
  BOOST_TEST(events == std::vector<std::string>{"outer"}, "seen " << describe(events));
  const auto second = queue.drain();
  BOOST_TEST(second.jobs_run == 1u);
  BOOST_TEST(second.jobs_left == 0u);
  BOOST_TEST(events.back() == "inner");
}

BOOST_AUTO_TEST_CASE(a_drain_budget_stops_early_but_always_runs_one_job) {
  for (int i = 0; i < 5; ++i) {
    (void)queue.post("slow " + std::to_string(i), [] { std::this_thread::sleep_for(20ms); });
  }
  const auto none = queue.drain(Clock::duration::zero());
  BOOST_TEST(none.jobs_run == 1u, "a zero budget still runs one job");
  BOOST_TEST(none.jobs_left == 4u);

  // 20 ms jobs in a 30 ms budget: the second starts at 20 ms, the third would at 40.
  const auto some = queue.drain(30ms);
  BOOST_TEST(some.jobs_run >= 1u);
  BOOST_TEST(some.jobs_run <= 2u);
  BOOST_TEST(some.jobs_left == 4u - some.jobs_run);

  const auto rest = queue.drain();
  BOOST_TEST(rest.jobs_left == 0u);
  BOOST_TEST(queue.counters().run == 5u);
}

BOOST_AUTO_TEST_CASE(wait_until_returns_on_a_job_on_wake_or_at_the_deadline) {
  auto started = Clock::now();
  BOOST_TEST(!queue.wait_until(started + 30ms));
  BOOST_TEST(milliseconds_since(started) >= 30.0);

  queue.wake();  // ends the next wait
  started = Clock::now();
  BOOST_TEST(!queue.wait_until(started + 5s));
  BOOST_TEST(milliseconds_since(started) < 1000.0);

  started = Clock::now();
  std::thread producer([&] { (void)queue.post("wakes the main thread", [] {}); });
  const bool jobs = queue.wait_until(started + 5s);
  producer.join();
  BOOST_TEST(jobs);
  BOOST_TEST(milliseconds_since(started) < 1000.0, "a posted job must end the wait");

  // Faithful mode's sleep: jobs do not end it.
  started = Clock::now();
  BOOST_TEST(queue.wait_until(started + 50ms, /*wake_on_jobs=*/false));
  BOOST_TEST(milliseconds_since(started) >= 50.0);
  queue.drain();
}

// The idle wait on descriptors (the RPC connections the main thread reads):
// a job or a wake() between begin_fd_wait and end_fd_wait makes wake_fd()
// readable, and the queue knows the main thread is idle meanwhile.
BOOST_AUTO_TEST_CASE(a_job_or_a_wake_makes_the_wake_fd_readable_during_an_fd_wait) {
  auto readable_within = [&](std::chrono::milliseconds timeout) {
    pollfd wait{queue.wake_fd(), POLLIN, 0};
    return ::poll(&wait, 1, static_cast<int>(timeout.count())) == 1;
  };
  BOOST_TEST(queue.main_thread_busy_for() > Clock::duration::zero(), "before any wait");

  BOOST_TEST(!queue.begin_fd_wait(), "nothing queued: the main thread may wait");
  BOOST_TEST(queue.main_thread_busy_for() == Clock::duration::zero());
  BOOST_TEST(!readable_within(20ms));
  std::thread producer([&] { (void)queue.post("wakes the fd wait", [] {}); });
  const bool woke = readable_within(5000ms);
  producer.join();
  BOOST_TEST(woke, "a job posted during the fd wait must make the descriptor readable");
  BOOST_TEST(queue.end_fd_wait(), "the job is queued");
  BOOST_TEST(queue.main_thread_busy_for() > Clock::duration::zero());
  BOOST_TEST(!readable_within(0ms), "end_fd_wait takes the signal");

  BOOST_TEST(queue.begin_fd_wait(), "a job already queued: no need to wait");
  BOOST_TEST(queue.end_fd_wait());
  queue.drain();

  BOOST_TEST(!queue.begin_fd_wait());
  std::thread waker([&] { queue.wake(); });
  waker.join();
  BOOST_TEST(readable_within(5000ms), "wake() during the fd wait must make it readable");
  BOOST_TEST(!queue.end_fd_wait(), "woken, with no job queued");
  BOOST_TEST(!queue.begin_fd_wait(), "the wake was used up by that wait");
  BOOST_TEST(!queue.end_fd_wait());

  // Outside an fd wait, a job does not signal the descriptor.
  (void)queue.post("queued between waits", [] {});
  BOOST_TEST(!readable_within(0ms));
  queue.drain();
}

// main_thread_busy_for() leaves out the time the main thread waited for a
// CPU: the RPC readers take their connections back from a main thread that
// is held, not from one the machine descheduled. Here the main thread (this
// one) and a spinning thread share one CPU, so this one waits for it about
// half of the time it spins.
BOOST_AUTO_TEST_CASE(the_main_thread_busy_time_leaves_out_its_wait_for_a_cpu) {
  const CpuWaitClock& clock = queue.claim_main_cpu_wait_clock();
  if (!clock.total()) {
    BOOST_TEST_MESSAGE("no /proc/thread-self/schedstat: nothing to measure");
    return;
  }
  cpu_set_t one_cpu;
  CPU_ZERO(&one_cpu);
  CPU_SET(sched_getcpu(), &one_cpu);
  cpu_set_t was;
  BOOST_REQUIRE(sched_getaffinity(0, sizeof was, &was) == 0);
  BOOST_REQUIRE(sched_setaffinity(0, sizeof one_cpu, &one_cpu) == 0);
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    (void)sched_setaffinity(0, sizeof one_cpu, &one_cpu);
    while (!stop.load()) {
    }
  });
  (void)queue.begin_fd_wait();
  (void)queue.end_fd_wait();  // away from the idle wait from here
  const auto left = Clock::now();
  while (Clock::now() - left < 300ms) {
  }
  const auto busy = queue.main_thread_busy_for();
  const auto away = Clock::now() - left;
  stop.store(true);
  spinner.join();
  BOOST_REQUIRE(sched_setaffinity(0, sizeof was, &was) == 0);
  const auto ms = [](Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
  };
  BOOST_TEST(ms(busy) < 0.8 * ms(away),
             "busy for " << ms(busy) << " ms of " << ms(away)
                         << " ms away, sharing its CPU with a spinning thread: the wait for the "
                            "CPU was counted as busy");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(queue_served_by_a_frame_loop)

BOOST_AUTO_TEST_CASE(several_producers_wait_for_their_jobs_across_threads) {
  constexpr int kProducers = 4;
  constexpr int kJobsEach = 250;
  LoopThread runner(LoopSettings(100));
  // Only the main thread touches these, so they need no lock.
  std::vector<std::vector<int>> order(kProducers);
  int off_main_thread = 0;
  runner.start();

  std::vector<std::future<std::vector<int>>> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.push_back(std::async(std::launch::async, [&, p] {
      name_current_thread("producer-" + std::to_string(p));
      std::vector<int> results;
      for (int i = 0; i < kJobsEach; ++i) {
        results.push_back(runner.queue().call(
            "producer job",
            [&, p, i] {
              off_main_thread += runner.affinity().is_main_thread() ? 0 : 1;
              order[static_cast<std::size_t>(p)].push_back(i);
              return p * 1000 + i;
            },
            5s));
      }
      return results;
    }));
  }
  for (int p = 0; p < kProducers; ++p) {
    BOOST_REQUIRE(wait_ready(producers[static_cast<std::size_t>(p)],
                             "producer " + std::to_string(p) + " to get its 250 results"));
    const auto results = producers[static_cast<std::size_t>(p)].get();
    for (int i = 0; i < kJobsEach; ++i) {
      BOOST_TEST(results[static_cast<std::size_t>(i)] == p * 1000 + i);
    }
  }
  runner.stop();

  BOOST_TEST(off_main_thread == 0);
  for (int p = 0; p < kProducers; ++p) {
    const auto& seen = order[static_cast<std::size_t>(p)];
    BOOST_REQUIRE_EQUAL(seen.size(), static_cast<std::size_t>(kJobsEach));
    for (int i = 0; i < kJobsEach; ++i) {
      BOOST_TEST(seen[static_cast<std::size_t>(i)] == i,
                 "producer " << p << "'s jobs ran out of order");
    }
  }
  BOOST_TEST(runner.queue().counters().run == static_cast<std::uint64_t>(kProducers * kJobsEach));
}

BOOST_AUTO_TEST_CASE(idle_time_draining_runs_a_job_long_before_the_next_frame) {
  LoopThread runner(LoopSettings(2));  // frames 500 ms apart
  const auto frame_1 = frame_tasks_done(runner, 1);
  runner.start();
  BOOST_REQUIRE(wait_ready(frame_1, "frame 1"));
  const auto posted_at = Clock::now();
  auto job = runner.queue().post("between frames", [&] {
    return JobRun{runner.loop().current_frame(), Clock::now()};
  });
  BOOST_REQUIRE(wait_ready(job, "the job posted after frame 1"));
  const auto run = job.get();
  const auto latency_ms = std::chrono::duration<double, std::milli>(run.at - posted_at).count();
  runner.stop();

  BOOST_TEST(run.frame == 1u,
             "the job waited for frame " << run.frame << " instead of running idle");
  BOOST_TEST(latency_ms < 250.0, "the job ran " << latency_ms << " ms after it was posted");
}

BOOST_AUTO_TEST_CASE(faithful_mode_makes_the_same_job_wait_for_the_next_frame) {
  LoopThread runner(LoopSettings(2).faithful());
  const auto frame_1 = frame_tasks_done(runner, 1);
  runner.start();
  BOOST_REQUIRE(wait_ready(frame_1, "frame 1"));
  const auto posted_at = Clock::now();
  auto job = runner.queue().post("between frames", [&] {
    return JobRun{runner.loop().current_frame(), Clock::now()};
  });
  BOOST_REQUIRE(wait_ready(job, "the job posted after frame 1 to run at frame 2"));
  const auto run = job.get();
  const auto latency_ms = std::chrono::duration<double, std::milli>(run.at - posted_at).count();
  runner.stop();

  BOOST_TEST(run.frame == 2u, "in faithful mode the job ran during frame " << run.frame);
  BOOST_TEST(latency_ms >= 200.0,
             "the job ran " << latency_ms << " ms after it was posted, before frame 2 was due");
  BOOST_TEST(runner.loop().stats().recent(10).at(1).jobs_run == 1u);
}

BOOST_AUTO_TEST_CASE(faithful_mode_drains_for_at_most_a_ninetieth_of_a_second_per_frame) {
  LoopThread runner(LoopSettings(50).faithful());
  const auto frame_1 = frame_tasks_done(runner, 1);
  runner.start();
  BOOST_REQUIRE(wait_ready(frame_1, "frame 1"));
  // Posted at once: frame 2 starts 20 ms after frame 1, and 30 ms of jobs are
  // never drained in one frame.
  std::vector<std::future<std::uint64_t>> jobs;
  for (int i = 0; i < 6; ++i) {
    jobs.push_back(runner.queue().post("5 ms job", [&] {
      std::this_thread::sleep_for(5ms);
      return runner.loop().current_frame();
    }));
  }
  for (auto& job : jobs) {
    BOOST_REQUIRE(wait_ready(job, "every 5 ms job to run"));
  }
  runner.stop();

  // 11.1 ms of budget: two or three 5 ms jobs per frame, never all six at once.
  const auto frame_of_last = jobs.back().get();
  BOOST_TEST(frame_of_last >= 3u, "all six 5 ms jobs ran in frame " << frame_of_last);
  for (const auto& record : runner.loop().stats().recent(100)) {
    BOOST_TEST(record.jobs_run <= 3u,
               "frame " << record.number << " ran " << record.jobs_run << " jobs");
  }
}

BOOST_AUTO_TEST_SUITE_END()
