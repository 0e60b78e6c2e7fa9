// EmbeddedInterpreter: the engine's one CPython interpreter, owned by main().
//
// It is Debian's /usr/bin/python3 (baked in at configure time) so that the
// engine sees Debian's python3-rpyc and python3-redis whatever python3 comes
// first on PATH. Python does not install its own signal handlers: the engine
// owns SIGINT and SIGTERM. PYTHONPATH is honoured, and the engine's own Python
// modules (ue_asyncio, the RPC server) are put on sys.path.
//
// After construction the calling thread holds the GIL.
#pragma once

#include <pybind11/embed.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace understudy {

class EmbeddedInterpreter {
 public:
  explicit EmbeddedInterpreter(const std::vector<std::string>& argv);
  EmbeddedInterpreter(const EmbeddedInterpreter&) = delete;
  EmbeddedInterpreter& operator=(const EmbeddedInterpreter&) = delete;

  // Where the engine's own Python modules live: $UNDERSTUDY_PYLIB, else the
  // source tree's fake_engine/pylib.
  static std::filesystem::path engine_pylib_dir();

 private:
  PyConfig config_{};  // consumed (and cleared) by interpreter_'s constructor
  pybind11::scoped_interpreter interpreter_;
};

// Compiles a script without running it. Returns a one-line description
// ("scripts/x.py:3: invalid syntax") when it cannot be read or compiled.
// REQUIRES: GIL held.
std::optional<std::string> check_script(const std::filesystem::path& script);

// A Python exception as the console and the harness show it.
struct PythonErrorReport {
  std::string message;    // "ValueError: boom"
  std::string traceback;  // "Traceback (most recent call last): ...", or the message alone
  // Where it was raised: the innermost frame in engine-side scripts (outside
  // the standard library, Debian's packages and the engine's own modules),
  // else the innermost frame; a SyntaxError's own file and line. "" and 0
  // when there is no frame at all.
  std::string file;
  int line = 0;
};

// The Python error being handled. An error without a traceback (one raised
// from C++, such as a missing attribute) is described too. REQUIRES: GIL held.
PythonErrorReport describe_python_error(pybind11::error_already_set& error);

// An exception object, from its __traceback__. REQUIRES: GIL held.
PythonErrorReport describe_python_exception(const pybind11::handle& exception);

// describe_python_error(error).traceback. REQUIRES: GIL held.
std::string format_python_error(pybind11::error_already_set& error);

}  // namespace understudy
