// Test fixtures for the embedded Python layer.
//
// EmbeddedInterpreterFixture: the one interpreter of a test binary, as
// understudy-engine's main() owns one (and, like main(), ignores SIGPIPE). Register it with
// BOOST_TEST_GLOBAL_FIXTURE(EmbeddedInterpreterFixture). Between tests the
// test thread holds the GIL.
//
// PythonEngine: the engine's C++ core and its PythonRuntime, wired as main()
// wires them, on the test thread, which becomes the engine's main thread.
// Without start_services(): the RPyC side (understudy_engine) has suites of
// its own, and the end-to-end tests run the whole engine.
// One per test. While it lives, the test thread holds the GIL only inside the
// members that run Python (its own and PythonRuntime's), so that Python
// threads started by scripts can run while the test waits.
#pragma once

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <boost/test/tools/assertion_result.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "fake_engine/app/engine.h"
#include "fake_engine/python/embedded_interpreter.h"
#include "fake_engine/python/python_runtime.h"

namespace understudy::testing {

struct EmbeddedInterpreterFixture {
  EmbeddedInterpreterFixture();
  ~EmbeddedInterpreterFixture();

  std::unique_ptr<EmbeddedInterpreter> interpreter;
};

class PythonEngine {
 public:
  // Without a frame or duration limit, run_until() stops after kDefaultTimeout.
  // REQUIRES: GIL held (as EmbeddedInterpreterFixture leaves it).
  explicit PythonEngine(FrameLoopSettings loop = {});
  // Shuts the runtime down as main() does, then forgets every module imported
  // since construction, so that the next test imports ue_asyncio afresh.
  ~PythonEngine();
  PythonEngine(const PythonEngine&) = delete;
  PythonEngine& operator=(const PythonEngine&) = delete;

  Engine& engine() { return *engine_; }
  PythonRuntime& runtime() { return *runtime_; }
  Console& console() { return engine_->console(); }
  World& world() { return engine_->world(); }

  // As --script runs it: on the main thread, logging a traceback if it raises.
  bool run_script(const std::filesystem::path& script) { return runtime_->run_script(script); }

  // Runs `code` on the main thread in fresh globals; a Python error fails the
  // test with its traceback.
  void exec(std::string_view code);

  // Evaluates `expression` on the main thread in fresh globals.
  template <class T>
  T eval(std::string_view expression) {
    pybind11::gil_scoped_acquire gil;
    const auto value = eval_object(expression);
    try {
      return value.template cast<T>();
    } catch (const pybind11::cast_error&) {
      fail_cast(expression, value, typeid(T).name());
    }
  }

  // One frame's Python work (tickers, then components) with a chosen delta
  // time, without a frame loop: ticker timing tests do not depend on the clock.
  void tick(double delta_seconds = 1.0 / 60.0);

  // Runs the frame loop (once per PythonEngine) until `scenario`, called at the
  // end of every frame, returns true. Fails when the loop's limit ends it first.
  [[nodiscard]] boost::test_tools::assertion_result run_until(
      std::function<bool(const FrameTick&)> scenario, std::string_view expected);

  // Console records whose text contains `text`.
  std::vector<ConsoleRecord> records_containing(std::string_view text) const;
  // Every console record, one per line, for failure messages.
  std::string console_dump() const;

 private:
  pybind11::object eval_object(std::string_view expression);  // REQUIRES: GIL held
  [[noreturn]] static void fail_cast(std::string_view expression, const pybind11::object& value,
                                     const char* type);  // REQUIRES: GIL held
  void forget_test_modules();                            // REQUIRES: GIL held

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<PythonRuntime> runtime_;
  std::set<std::string> modules_before_;
  std::unique_ptr<pybind11::gil_scoped_release> released_;
  std::uint64_t manual_frames_ = 0;
  bool loop_ran_ = false;
};

}  // namespace understudy::testing
