// The asyncio hub (ue_asyncio) under the real frame loop: timers, re-run
// scripts, extra loops, shutdown, and the pin of one loop iteration per tick.
#define BOOST_TEST_MODULE ue_asyncio
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/deadline.h"
#include "tests/support/describe.h"
#include "tests/support/loop_settings.h"
#include "tests/support/python_engine.h"

using namespace std::chrono_literals;
using namespace understudy;
using namespace understudy::testing;

BOOST_TEST_GLOBAL_FIXTURE(EmbeddedInterpreterFixture);

namespace {

std::filesystem::path script(const char* name) {
  return std::filesystem::path(UNDERSTUDY_TEST_SCRIPTS_DIR) / name;
}

// Seconds (console time) of the records whose text starts with `prefix`.
std::vector<double> times_of(const PythonEngine& engine, const std::string& prefix) {
  std::vector<double> result;
  for (const auto& record : engine.records_containing(prefix)) {
    if (record.text.starts_with(prefix)) {
      result.push_back(record.seconds);
    }
  }
  return result;
}

std::string python_version(PythonEngine& engine) {
  return engine.eval<std::string>("__import__('sys').version");
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_timers_tick_at_their_own_periods) {
  PythonEngine engine(LoopSettings(200).max_duration(kDefaultTimeout));
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("asyncio_timers.py")), engine.console_dump());
  BOOST_REQUIRE(engine.run_until(
      [&](const FrameTick&) { return !engine.records_containing("timer fast 9").empty(); },
      "the 0.03 s timer to fire 9 times"));

  const auto fast = times_of(engine, "timer fast ");
  const auto slow = times_of(engine, "timer slow ");
  BOOST_TEST(fast.size() == 9u);
  // Periods 0.03 and 0.09 s, plus up to a few 5 ms frames per wake-up.
  BOOST_TEST(slow.size() >= 2u, engine.console_dump());
  BOOST_TEST(slow.size() <= 5u, engine.console_dump());
  for (std::size_t i = 1; i < fast.size(); ++i) {
    BOOST_TEST(fast[i] - fast[i - 1] >= 0.03, "fast timer " << i << " -> " << i + 1);
  }
  for (std::size_t i = 1; i < slow.size(); ++i) {
    BOOST_TEST(slow[i] - slow[i - 1] >= 0.09, "slow timer " << i << " -> " << i + 1);
  }
  BOOST_TEST(engine.records_containing("timer slow 1").size() == 1u, "each count logged once");
  BOOST_TEST(engine.console().count(Severity::kError) == 0u, engine.console_dump());
}

BOOST_AUTO_TEST_CASE(a_rerun_script_replaces_the_old_tasks_with_new_ones) {
  PythonEngine engine(LoopSettings(200).max_duration(kDefaultTimeout));
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("asyncio_rerun.py")), engine.console_dump());
  std::uint64_t rerun_after = 0;  // console sequence when the script ran again
  BOOST_REQUIRE(engine.run_until(
      [&](const FrameTick&) {
        if (rerun_after == 0) {
          if (engine.records_containing("run 1 beat 3").empty()) {
            return false;
          }
          rerun_after = engine.console().records().back().sequence;
          BOOST_REQUIRE(engine.run_script(script("asyncio_rerun.py")));
        }
        return !engine.records_containing("run 2 beat 3").empty();
      },
      "run 1 to beat 3 times, then run 2 to beat 3 times"));

  for (const auto& record : engine.console().records(rerun_after)) {
    BOOST_TEST(!record.text.starts_with("run 1 "),
               "run 1's coroutine still ran after the re-run: " << record.text);
  }
  BOOST_TEST(engine.eval<bool>("__import__('probe').values['tasks'][1].cancelled()"));
  const auto live = engine.eval<std::vector<std::string>>(
      "sorted(t.get_name() for t in "
      "__import__('asyncio').all_tasks(__import__('ue_asyncio').loop))");
  BOOST_TEST(live == std::vector<std::string>{"heartbeat of run 2"}, "seen " << describe(live));
}

BOOST_AUTO_TEST_CASE(a_short_lived_extra_loop_leaves_the_hub_working) {
  PythonEngine engine(LoopSettings(200).max_duration(kDefaultTimeout));
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("asyncio_extra_loop.py")), engine.console_dump());
  BOOST_TEST(engine.records_containing("extra loop result 42").size() == 1u, engine.console_dump());
  BOOST_TEST(engine.eval<bool>("__import__('probe').values['current_loop_is_the_hub']"));

  BOOST_REQUIRE(engine.run_until(
      [&](const FrameTick&) { return !engine.records_containing("hub beat 3").empty(); },
      "the hub's coroutine to beat 3 times after the extra loop closed"));
  BOOST_TEST(engine.console().count(Severity::kError) == 0u, engine.console_dump());
}

BOOST_AUTO_TEST_CASE(shutdown_cancels_the_hubs_tasks_and_closes_its_loop) {
  PythonEngine engine(LoopSettings(200).max_duration(kDefaultTimeout));
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("asyncio_shutdown.py")), engine.console_dump());
  BOOST_REQUIRE(engine.run_until(
      [&](const FrameTick&) {
        return engine.eval<std::size_t>("len(__import__('probe').values['started'])") == 2;
      },
      "both workers to start"));
  BOOST_TEST(engine.runtime().ticker_count() == 1u, "the hub's ticker");

  engine.runtime().shutdown();
  BOOST_TEST(engine.records_containing("worker-a cancelled").size() == 1u, engine.console_dump());
  BOOST_TEST(engine.records_containing("worker-b cancelled").size() == 1u, engine.console_dump());
  BOOST_TEST(engine.eval<bool>("__import__('ue_asyncio').loop.is_closed()"));
  BOOST_TEST(engine.runtime().ticker_count() == 0u);
  BOOST_TEST(engine.console().count(Severity::kError) == 0u, engine.console_dump());
}

// The pins: if a Python upgrade changes how stop() + run_forever() behaves,
// these fail instead of the engine's frames quietly stalling or racing.
BOOST_AUTO_TEST_SUITE(pinned_on_this_python)

BOOST_AUTO_TEST_CASE(one_tick_runs_exactly_one_loop_iteration) {
  PythonEngine engine(LoopSettings(0).max_frames(50));
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("asyncio_pin_one_iteration.py")),
                        engine.console_dump());
  std::vector<std::string> mismatches;
  BOOST_REQUIRE(engine.run_until(
      [&](const FrameTick& tick) {
        // The chain started before frame 1, so frame n has run n steps.
        const auto steps = engine.eval<std::uint64_t>("__import__('probe').values['steps']");
        if (steps != tick.number && mismatches.size() < 5) {
          mismatches.push_back("frame " + std::to_string(tick.number) + ": " +
                               std::to_string(steps) + " steps");
        }
        return tick.number == 40;
      },
      "40 frames"));
  BOOST_TEST(mismatches.empty(),
             "with Python " << python_version(engine)
                            << ", the call_soon chain was out of step: " << describe(mismatches));
}

BOOST_AUTO_TEST_CASE(a_tick_never_blocks_while_a_coroutine_waits_on_a_silent_socket) {
  constexpr double kFrameBudgetMs = 50.0;
  constexpr std::uint64_t kParkedFrames = 20;
  PythonEngine engine(LoopSettings(100).max_duration(kDefaultTimeout));
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("asyncio_pin_silent_socket.py")),
                        engine.console_dump());
  const auto state = [&](const std::string& key) {
    return "__import__('probe').values['" + key + "']";
  };

  std::uint64_t parked_at = 0;
  std::uint64_t sent_at = 0;
  const auto finished = engine.run_until(
      [&](const FrameTick& tick) {
        if (parked_at == 0 && engine.eval<bool>(state("parked"))) {
          parked_at = tick.number;
        }
        if (parked_at != 0 && sent_at == 0 && tick.number >= parked_at + kParkedFrames) {
          BOOST_REQUIRE_MESSAGE(engine.eval<bool>(state("received") + " is None"),
                                "read() returned before anything was sent: "
                                    << engine.eval<std::string>("repr(" + state("received") + ")"));
          engine.exec("__import__('probe').values['send']()");
          sent_at = tick.number;
        }
        return sent_at != 0 && !engine.eval<bool>(state("received") + " is None");
      },
      "the coroutine to connect, stay parked in read() for 20 frames, then read what was sent");
  // Not REQUIRE: when a tick blocked, the checks below say how.
  BOOST_TEST(finished);

  BOOST_TEST_CONTEXT("pinned with Python " << python_version(engine)) {
    BOOST_TEST(!engine.eval<bool>(state("watchdog_fired")),
               "a tick blocked in the selector until the watchdog stopped the loop");
    BOOST_TEST(engine.eval<std::string>("repr(" + state("received") + ")") == "b'ping'");
    for (const auto& record : engine.engine().loop().stats().recent(1000)) {
      BOOST_TEST(to_ms(record.work) < kFrameBudgetMs,
                 "frame " << record.number << "'s work took " << to_ms(record.work)
                          << " ms (parked from frame " << parked_at << ")");
    }
  }
  engine.exec("__import__('probe').values['close']()");
}

BOOST_AUTO_TEST_SUITE_END()
