#include "tests/support/python_engine.h"

#include <boost/test/unit_test.hpp>
#include <csignal>

#include "tests/support/deadline.h"

namespace py = pybind11;

namespace understudy::testing {
namespace {

py::dict fresh_globals() {
  py::dict globals;
  globals["__builtins__"] = py::module_::import("builtins");
  return globals;
}

}  // namespace

EmbeddedInterpreterFixture::EmbeddedInterpreterFixture() {
  name_current_thread("main");
  // As understudy-engine's main(): a write to a socket whose peer has gone is
  // an error on that socket, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  interpreter = std::make_unique<EmbeddedInterpreter>(std::vector<std::string>{"understudy-tests"});
}

EmbeddedInterpreterFixture::~EmbeddedInterpreterFixture() = default;

PythonEngine::PythonEngine(FrameLoopSettings loop) {
  if (!loop.max_frames && !loop.max_duration) {
    loop.max_duration = kDefaultTimeout;
  }
  for (const auto& item : py::module_::import("sys").attr("modules").cast<py::dict>()) {
    modules_before_.insert(item.first.cast<std::string>());
  }
  EngineSettings settings;
  settings.loop = loop;
  settings.echo_console = false;  // the tests read records; console_dump() shows them on failure
  engine_ = std::make_unique<Engine>(settings);
  RpcSettings no_server;
  no_server.enabled = false;
  runtime_ = std::make_unique<PythonRuntime>(
      EngineParts{engine_->affinity(), engine_->queue(), engine_->console(), engine_->world(),
                  engine_->loop(), engine_->waits(), engine_->unity_world()},
      no_server);
  released_ = std::make_unique<py::gil_scoped_release>();
}

PythonEngine::~PythonEngine() {
  runtime_->shutdown();
  engine_->finish();
  released_.reset();
  runtime_.reset();
  forget_test_modules();
  // Frees what the test's Python objects held now, while their engine exists.
  py::module_::import("gc").attr("collect")();
  engine_.reset();
}

void PythonEngine::forget_test_modules() {
  // As a domain reload does: the standard library and Debian's packages stay
  // loaded (re-importing C extensions is not safe); the engine's modules
  // (ue_asyncio) and the tests' own are imported afresh.
  const py::dict modules = py::module_::import("sys").attr("modules");
  const std::string stdlib = py::str(py::module_::import("sysconfig").attr("get_path")("stdlib"));
  std::vector<std::string> forget;
  for (const auto& [key, module] : modules) {
    const auto name = key.cast<std::string>();
    const auto file = py::getattr(module, "__file__", py::none());
    const std::string path = file.is_none() ? std::string() : py::str(file).cast<std::string>();
    const bool system = path.empty() || path.starts_with(stdlib) ||
                        path.find("/dist-packages/") != std::string::npos ||
                        path.find("/site-packages/") != std::string::npos;
    if (!modules_before_.contains(name) && !system) {
      forget.push_back(name);
    }
  }
  for (const auto& name : forget) {
    modules.attr("pop")(name, py::none());
  }
}

void PythonEngine::exec(std::string_view code) {
  py::gil_scoped_acquire gil;
  try {
    py::exec(py::str(std::string(code)), fresh_globals());
  } catch (py::error_already_set& e) {
    BOOST_FAIL("Python code raised:\n" << format_python_error(e) << "\ncode:\n" << code);
  }
}

py::object PythonEngine::eval_object(std::string_view expression) {
  try {
    return py::eval(py::str(std::string(expression)), fresh_globals());
  } catch (py::error_already_set& e) {
    BOOST_FAIL("Python expression raised:\n"
               << format_python_error(e) << "\nexpression: " << expression);
  }
  return py::none();
}

void PythonEngine::fail_cast(std::string_view expression, const py::object& value,
                             const char* type) {
  BOOST_FAIL("Python expression " << expression << " gave " << py::repr(value).cast<std::string>()
                                  << ", which does not convert to " << type);
  throw std::logic_error("unreachable");  // BOOST_FAIL throws; the compiler cannot know
}

void PythonEngine::tick(double delta_seconds) {
  runtime_->tick(FrameTick{++manual_frames_, delta_seconds});
}

boost::test_tools::assertion_result PythonEngine::run_until(
    std::function<bool(const FrameTick&)> scenario, std::string_view expected) {
  BOOST_REQUIRE_MESSAGE(!loop_ran_, "a FrameLoop runs once; use one PythonEngine per run_until");
  loop_ran_ = true;
  bool done = false;
  engine_->loop().add_frame_task("test scenario", [&](const FrameTick& frame) {
    if (!done && scenario(frame)) {
      done = true;
      engine_->loop().request_stop();
    }
  });
  const auto frames = engine_->run();
  if (done) {
    return true;
  }
  const auto& limits = engine_->loop().settings();
  boost::test_tools::assertion_result result(false);
  result.message() << "the frame loop reached its limit (";
  if (limits.max_frames) {
    result.message() << *limits.max_frames << " frames";
  } else {
    result.message() << std::chrono::duration<double>(*limits.max_duration).count() << " s";
  }
  result.message() << ", ran " << frames << ") before " << std::string(expected) << "; console:\n"
                   << console_dump();
  return result;
}

std::vector<ConsoleRecord> PythonEngine::records_containing(std::string_view text) const {
  std::vector<ConsoleRecord> result;
  for (auto& record : engine_->console().records()) {
    if (record.text.find(text) != std::string::npos) {
      result.push_back(std::move(record));
    }
  }
  return result;
}

std::string PythonEngine::console_dump() const {
  std::string text;
  for (const auto& record : engine_->console().records()) {
    text += "  #" + std::to_string(record.sequence) + " f" + std::to_string(record.frame) + " [" +
            record.thread + "] " + std::string(severity_name(record.severity)) + ": " +
            record.text + "\n";
  }
  return text.empty() ? "  (no records)\n" : text;
}

}  // namespace understudy::testing
