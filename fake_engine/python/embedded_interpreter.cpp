#include "fake_engine/python/embedded_interpreter.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace py = pybind11;

namespace understudy {
namespace {

PyConfig* prepare_config(PyConfig* config) {
  PyConfig_InitIsolatedConfig(config);
  config->isolated = 0;
  config->use_environment = 1;  // honour PYTHONPATH like `python3 FILE`
  config->install_signal_handlers = 0;
  config->parse_argv = 0;
  // Compute sys.prefix from Debian's interpreter, never from a python3 on PATH.
  PyConfig_SetBytesString(config, &config->program_name, UNDERSTUDY_PYTHON_EXECUTABLE);
  PyConfig_SetBytesString(config, &config->executable, UNDERSTUDY_PYTHON_EXECUTABLE);
  return config;
}

std::vector<const char*> c_strings(const std::vector<std::string>& argv) {
  std::vector<const char*> result;
  for (const auto& arg : argv) {
    result.push_back(arg.c_str());
  }
  return result;
}

}  // namespace

EmbeddedInterpreter::EmbeddedInterpreter(const std::vector<std::string>& argv)
    : interpreter_(prepare_config(&config_), static_cast<int>(argv.size()), c_strings(argv).data(),
                   /*add_program_dir_to_path=*/false) {
  py::module_::import("sys").attr("path").attr("insert")(0, engine_pylib_dir().string());
}

std::filesystem::path EmbeddedInterpreter::engine_pylib_dir() {
  if (const char* dir = std::getenv("UNDERSTUDY_PYLIB"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return UNDERSTUDY_PYLIB_DIR;
}

std::optional<std::string> check_script(const std::filesystem::path& script) {
  std::ifstream in(script, std::ios::binary);
  if (!in) {
    return "cannot read script '" + script.string() + "' (does it exist?)";
  }
  std::stringstream source;
  source << in.rdbuf();
  try {
    py::module_::import("builtins")
        .attr("compile")(py::bytes(source.str()), script.string(), "exec");
  } catch (py::error_already_set& e) {
    if (e.matches(PyExc_SyntaxError)) {
      const py::object value = e.value();
      const auto line = py::getattr(value, "lineno", py::none());
      return script.string() + ":" +
             (line.is_none() ? std::string("?") : py::str(line).cast<std::string>()) + ": " +
             py::str(py::getattr(value, "msg", value)).cast<std::string>();
    }
    return script.string() + ": " + std::string(e.what());
  }
  return std::nullopt;
}

std::string format_python_error(py::error_already_set& error) {
  try {
    const auto lines = py::module_::import("traceback")
                           .attr("format_exception")(error.type(), error.value(), error.trace());
    std::string text;
    for (const auto& line : lines) {
      text += line.cast<std::string>();
    }
    while (!text.empty() && text.back() == '\n') {
      text.pop_back();
    }
    return text;
  } catch (py::error_already_set&) {
    return error.what();
  }
}

}  // namespace understudy
