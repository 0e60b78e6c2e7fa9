// The `unreal_engine` module as scripts see it: logging, tickers, the editor
// world, classes, the main-thread rule and Python components.
#define BOOST_TEST_MODULE unreal_engine_module
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/deadline.h"
#include "tests/support/describe.h"
#include "tests/support/loop_settings.h"
#include "tests/support/python_engine.h"

using namespace understudy;
using namespace understudy::testing;

BOOST_TEST_GLOBAL_FIXTURE(EmbeddedInterpreterFixture);

namespace {

std::filesystem::path script(const char* name) {
  return std::filesystem::path(UNDERSTUDY_TEST_SCRIPTS_DIR) / name;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(log_functions_write_console_records_of_their_severity) {
  PythonEngine engine;
  engine.exec(R"(
import unreal_engine as ue
ue.log("plain message")
ue.log_warning("careful")
ue.log_error("broken")
ue.log(42)
)");
  const auto records = engine.console().records();
  BOOST_REQUIRE_MESSAGE(records.size() == 4u, "console:\n" << engine.console_dump());
  BOOST_TEST(records[0].text == "plain message");
  BOOST_TEST((records[0].severity == Severity::kLog));
  BOOST_TEST(records[0].thread == "main");
  BOOST_TEST(records[1].text == "careful");
  BOOST_TEST((records[1].severity == Severity::kWarning));
  BOOST_TEST(records[2].text == "broken");
  BOOST_TEST((records[2].severity == Severity::kError));
  BOOST_TEST(records[3].text == "42", "non-strings are logged as str() gives them");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tickers)

BOOST_AUTO_TEST_CASE(a_truthy_return_keeps_a_ticker_and_a_falsy_one_removes_it) {
  PythonEngine engine;
  BOOST_REQUIRE(engine.run_script(script("tickers_keep_or_remove.py")));
  for (int frame = 0; frame < 3; ++frame) {
    engine.tick();
  }
  const auto calls = engine.eval<std::map<std::string, int>>("__import__('probe').values['calls']");
  for (const auto* kept : {"True", "1", "'yes'", "[0]"}) {
    BOOST_TEST(calls.at(kept) == 3,
               "a ticker returning " << kept << " ran " << calls.at(kept) << " times in 3 frames");
  }
  for (const auto* removed : {"False", "None", "0", "''", "[]"}) {
    BOOST_TEST(calls.at(removed) == 1,
               "a ticker returning " << removed << " ran " << calls.at(removed) << " times");
  }
  BOOST_TEST(engine.runtime().ticker_count() == 4u);
  BOOST_TEST(engine.console().count(Severity::kError) == 0u);
}

BOOST_AUTO_TEST_CASE(a_raising_ticker_is_removed_and_its_traceback_logged) {
  PythonEngine engine;
  BOOST_REQUIRE(engine.run_script(script("ticker_raises.py")));
  for (int frame = 0; frame < 3; ++frame) {
    engine.tick();
  }
  BOOST_TEST(engine.eval<int>("__import__('probe').values['calls']") == 1);
  BOOST_TEST(engine.runtime().ticker_count() == 0u);

  const auto errors = engine.records_containing("raised and was removed");
  BOOST_REQUIRE_MESSAGE(errors.size() == 1u, "console:\n" << engine.console_dump());
  const auto& text = errors[0].text;
  BOOST_TEST((errors[0].severity == Severity::kError));
  BOOST_TEST(text.find("exploding_ticker") != std::string::npos, text);
  BOOST_TEST(text.find("Traceback (most recent call last):") != std::string::npos, text);
  BOOST_TEST(text.find("ticker_raises.py\", line") != std::string::npos, text);
  BOOST_TEST(text.find("ValueError: ticker exploded on purpose") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_delayed_ticker_runs_at_most_every_delay_seconds) {
  PythonEngine engine;
  BOOST_REQUIRE(engine.run_script(script("ticker_delay.py")));
  for (int frame = 0; frame < 10; ++frame) {
    engine.tick(0.1);
  }
  // 0.1 s frames against a 0.25 s delay: frames 3, 6 and 9, each 0.3 s after the last.
  const auto deltas = engine.eval<std::vector<double>>("__import__('probe').values['deltas']");
  BOOST_REQUIRE_EQUAL(deltas.size(), 3u);
  for (const double delta : deltas) {
    BOOST_TEST(delta == 0.3, boost::test_tools::tolerance(1e-9));
  }
  BOOST_TEST(engine.eval<int>("__import__('probe').values['every_frame']") == 10);
}

BOOST_AUTO_TEST_CASE(a_delayed_ticker_keeps_its_delay_under_the_real_frame_loop) {
  PythonEngine engine(LoopSettings(100).max_duration(kDefaultTimeout));
  BOOST_REQUIRE(engine.run_script(script("ticker_delay.py")));
  BOOST_REQUIRE(engine.run_until(
      [&](const FrameTick&) {
        return engine.eval<std::size_t>("len(__import__('probe').values['times'])") >= 3;
      },
      "the 0.25 s ticker to run three times"));

  const auto times = engine.eval<std::vector<double>>("__import__('probe').values['times']");
  for (std::size_t i = 1; i < times.size(); ++i) {
    // Frame-start jitter aside, never sooner than the delay.
    BOOST_TEST(
        times[i] - times[i - 1] >= 0.25 - 0.005,
        "calls " << i << " and " << i + 1 << " came " << times[i] - times[i - 1] << " s apart");
  }
  for (const double delta :
       engine.eval<std::vector<double>>("__import__('probe').values['deltas']")) {
    BOOST_TEST(delta >= 0.25);
  }
}

BOOST_AUTO_TEST_CASE(a_ticker_added_while_ticking_starts_next_frame) {
  PythonEngine engine;
  BOOST_REQUIRE(engine.run_script(script("tickers_added_while_ticking.py")));
  const auto calls = [&] {
    return engine.eval<std::vector<std::string>>("__import__('probe').values['calls']");
  };
  engine.tick();
  BOOST_TEST(calls() == std::vector<std::string>{"parent"}, "seen " << describe(calls()));
  engine.tick();
  const std::vector<std::string> two_frames{"parent", "parent", "child"};
  BOOST_TEST(calls() == two_frames, "seen " << describe(calls()));
  BOOST_TEST(engine.runtime().ticker_count() == 2u);
}

BOOST_AUTO_TEST_CASE(remove_ticker_works_from_inside_a_ticker) {
  PythonEngine engine;
  BOOST_REQUIRE(engine.run_script(script("ticker_removes_tickers.py")));
  engine.tick();
  engine.tick();
  const std::vector<std::string> expected{"remover", "bystander", "bystander"};
  BOOST_TEST(
      engine.eval<std::vector<std::string>>("__import__('probe').values['calls']") == expected,
      "seen " << describe(
          engine.eval<std::vector<std::string>>("__import__('probe').values['calls']")));
  BOOST_TEST(engine.runtime().ticker_count() == 1u);
  BOOST_TEST(engine.console().count(Severity::kError) == 0u, engine.console_dump());
}

BOOST_AUTO_TEST_CASE(add_ticker_refuses_what_it_cannot_call) {
  PythonEngine engine;
  engine.exec(R"(
import unreal_engine as ue
try:
    ue.add_ticker("not callable")
    raise AssertionError("add_ticker accepted a string")
except TypeError as error:
    assert "add_ticker expects a callable" in str(error), error
)");
  BOOST_TEST(engine.runtime().ticker_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(world)

BOOST_AUTO_TEST_CASE(scripts_spawn_label_find_and_destroy_actors) {
  PythonEngine engine;
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("world_actors.py")), engine.console_dump());
  const auto value = [&](const std::string& key) {
    return "__import__('probe').values['" + key + "']";
  };
  using Strings = std::vector<std::string>;

  BOOST_TEST(
      engine.eval<Strings>(value("labels")) == (Strings{"hero", "Actor_0", "villain", "Pawn_0"}),
      "seen " << describe(engine.eval<Strings>(value("labels"))));
  BOOST_TEST(engine.eval<Strings>(value("names")) ==
                 (Strings{"Character_0", "Actor_0", "Character_1", "Pawn_0"}),
             "seen " << describe(engine.eval<Strings>(value("names"))));
  BOOST_TEST(engine.eval<bool>(value("villain_found")));
  BOOST_TEST(engine.eval<bool>(value("nobody_found") + " is None"));
  BOOST_TEST(engine.eval<std::string>(value("villain_class")) == "Character");
  BOOST_TEST(engine.eval<std::string>(value("pawn_class")) == "Pawn");
  BOOST_TEST(engine.eval<std::string>(value("unknown_class"))
                 .starts_with("unable to find class Dragon: declare it in a project schema"),
             engine.eval<std::string>(value("unknown_class")));
  BOOST_TEST(
      engine.eval<Strings>(value("labels_after_destroy")) == (Strings{"hero", "Actor_0", "Pawn_0"}),
      "seen " << describe(engine.eval<Strings>(value("labels_after_destroy"))));
  BOOST_TEST(!engine.eval<bool>(value("villain_valid")));
  BOOST_TEST(engine.eval<std::string>(value("destroyed_actor_error")) ==
             "UObject.get_actor_label: the UObject is no longer valid (destroyed)");
  BOOST_TEST(engine.eval<std::string>(value("number")) ==
             "TypeError: UObject.actor_spawn: argument is not a UClass (got int 42)");
  BOOST_TEST(engine.eval<std::string>(value("name")) ==
                 "TypeError: UObject.actor_spawn: argument is not a UClass (got str 'Pawn')",
             "UEP takes classes, not their names");
  BOOST_TEST(engine.eval<std::string>(value("not_an_actor")) ==
             "ValueError: UObject.actor_spawn: unknown actor class 'Material': it is not a "
             "subclass of Actor");

  // The C++ world agrees.
  BOOST_TEST(engine.world().count() == 3u);
  BOOST_TEST(engine.world().count("Pawn") == 2u);
  BOOST_TEST(engine.world().find_by_label("hero").size() == 1u);
}

BOOST_AUTO_TEST_CASE(classes_module_offers_the_engine_classes) {
  PythonEngine engine;
  engine.exec(R"(
from unreal_engine.classes import Actor, Character, Pawn
import unreal_engine
# Classes are UObjects of class Class, as in UEP; one Python object each.
assert repr(Character) == "<unreal_engine.UObject 'Character' UClass 'Class'>", repr(Character)
assert unreal_engine.classes.Actor is Actor
assert unreal_engine.find_class("Character") is Character
assert Character.is_child_of(Pawn) and not Pawn.is_child_of(Character)
assert {Actor, Pawn, Character} == {unreal_engine.find_class(n) for n in ("Actor", "Pawn", "Character")}
)");
}

BOOST_AUTO_TEST_CASE(engine_calls_from_another_python_thread_raise_naming_api_and_thread) {
  PythonEngine engine;
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("engine_calls_from_a_thread.py")),
                        engine.console_dump());
  const auto errors =
      engine.eval<std::map<std::string, std::string>>("__import__('probe').values['errors']");
  BOOST_TEST(errors.size() == 9u);
  for (const auto& [api, message] : errors) {
    BOOST_TEST(message ==
               api + " must be called on the engine's main thread (called from 'rpc-worker-7')");
  }
  BOOST_TEST(!engine.eval<bool>("__import__('probe').values['worker_is_main_thread']"));
  BOOST_TEST(engine.eval<bool>("__import__('probe').values['script_is_main_thread']"));

  // Nothing changed, and logging from the thread worked.
  BOOST_TEST(engine.world().count() == 1u);
  BOOST_TEST(engine.world().find_by_label("untouched").size() == 1u);
  BOOST_TEST(engine.runtime().ticker_count() == 0u);
  BOOST_TEST(engine.records_containing("logged from rpc-worker-7").size() == 1u);
  BOOST_TEST(engine.records_containing("logged from rpc-worker-7").at(0).thread == "rpc-worker-7",
             "the record names the Python thread, not the main thread it was started from");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(components)

BOOST_AUTO_TEST_CASE(components_begin_tick_and_end_play_with_their_actor_and_the_engine) {
  PythonEngine engine;
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("components.py")), engine.console_dump());
  const auto events = [&] {
    return engine.eval<std::vector<std::string>>("__import__('probe').values['events']");
  };
  using Strings = std::vector<std::string>;
  BOOST_TEST(events() == (Strings{"doomed initialize_component", "doomed begin_play",
                                  "survivor initialize_component", "survivor begin_play"}),
             "seen " << describe(events()));
  BOOST_TEST(engine.eval<bool>("__import__('probe').values['returned_component_is_attached']"));

  engine.tick();
  engine.exec("__import__('probe').values['doomed'].actor_destroy()");
  engine.tick();
  engine.runtime().shutdown();

  // 0 and 4: EEndPlayReason::Destroyed and Quit.
  const Strings expected{
      "doomed initialize_component", "doomed begin_play", "survivor initialize_component",
      "survivor begin_play",         "doomed tick",       "survivor tick",
      "doomed end_play 0",           "survivor tick",     "survivor end_play 4"};
  BOOST_TEST(events() == expected, "seen " << describe(events()));
  BOOST_TEST(engine.console().count(Severity::kError) == 0u, engine.console_dump());
}

BOOST_AUTO_TEST_CASE(a_component_is_not_ticked_after_its_actor_was_destroyed_this_frame) {
  PythonEngine engine;
  BOOST_REQUIRE_MESSAGE(engine.run_script(script("component_destroys_actor_in_tick.py")),
                        engine.console_dump());
  engine.tick();
  engine.tick();
  const std::vector<std::string> expected{"begin_play", "end_play 0"};
  BOOST_TEST(
      engine.eval<std::vector<std::string>>("__import__('probe').values['events']") == expected,
      "seen " << describe(
          engine.eval<std::vector<std::string>>("__import__('probe').values['events']")));
  BOOST_TEST(engine.console().count(Severity::kError) == 0u, engine.console_dump());
}

BOOST_AUTO_TEST_SUITE_END()
