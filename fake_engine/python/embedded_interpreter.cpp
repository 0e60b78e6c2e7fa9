#include "fake_engine/python/embedded_interpreter.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/install_layout.h"
#include "fake_engine/core/huge_page_heap.h"
#include "fake_engine/python/huge_page_arenas.h"

namespace py = pybind11;

namespace understudy {
namespace {

PyConfig* prepare_config(PyConfig* config) {
  // Python's objects go where the engine's heap goes (huge_page_arenas.h).
  if (heap_on_huge_pages()) {
    use_huge_page_arenas_for_python();
  }
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
  return InstallLayout::locate("share/understudy/engine/pylib", UNDERSTUDY_PYLIB_DIR);
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

namespace {

py::object or_none(const py::handle& handle) {
  return handle ? py::reinterpret_borrow<py::object>(handle) : py::object(py::none());
}

std::string joined(const py::handle& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line.cast<std::string>();
  }
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

// Code of the engine's scripts, as opposed to the interpreter's and the
// engine's own: what a user reads first.
bool is_script_file(const std::string& file) {
  if (file.empty() || file.front() == '<') {
    return false;
  }
  const auto sysconfig = py::module_::import("sysconfig");
  for (const char* kind : {"stdlib", "platstdlib"}) {
    if (file.starts_with(py::str(sysconfig.attr("get_path")(kind)).cast<std::string>() + "/")) {
      return false;
    }
  }
  return file.find("/dist-packages/") == std::string::npos &&
         file.find("/site-packages/") == std::string::npos &&
         !file.starts_with(EmbeddedInterpreter::engine_pylib_dir().string() + "/");
}

void locate(PythonErrorReport& report, const py::object& type, const py::object& value,
            const py::object& trace) {
  if (!type.is_none() && PyType_Check(type.ptr()) &&
      PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(type.ptr()),
                       reinterpret_cast<PyTypeObject*>(PyExc_SyntaxError))) {
    const auto file = py::getattr(value, "filename", py::none());
    const auto line = py::getattr(value, "lineno", py::none());
    if (!file.is_none() && !line.is_none()) {
      report.file = py::str(file).cast<std::string>();
      report.line = line.cast<int>();
      return;
    }
  }
  if (trace.is_none()) {
    return;
  }
  const auto frames = py::module_::import("traceback").attr("extract_tb")(trace);
  const auto count = py::len(frames);
  for (std::size_t i = count; i-- > 0;) {
    const auto frame = frames[py::int_(i)];
    const auto file = frame.attr("filename").cast<std::string>();
    if (is_script_file(file) || report.file.empty()) {
      report.file = file;
      report.line = frame.attr("lineno").is_none() ? 0 : frame.attr("lineno").cast<int>();
      if (is_script_file(file)) {
        return;
      }
    }
  }
}

PythonErrorReport describe(const py::object& type, const py::object& value,
                           const py::object& trace) {
  PythonErrorReport report;
  const std::string name =
      type.is_none() ? "Error" : py::str(type.attr("__name__")).cast<std::string>();
  const std::string text = value.is_none() ? "" : py::str(value).cast<std::string>();
  report.message = text.empty() ? name : name + ": " + text;
  report.traceback = report.message;
  try {
    report.traceback =
        joined(py::module_::import("traceback").attr("format_exception")(type, value, trace));
    locate(report, type, value, trace);
  } catch (py::error_already_set&) {
    // The description stays the one-line message: formatting must never
    // turn one error into another.
  }
  return report;
}

}  // namespace

PythonErrorReport describe_python_error(py::error_already_set& error) {
  return describe(or_none(error.type()), or_none(error.value()), or_none(error.trace()));
}

PythonErrorReport describe_python_exception(const py::handle& exception) {
  const auto value = or_none(exception);
  if (value.is_none()) {
    return describe(py::none(), py::none(), py::none());
  }
  return describe(py::type::of(value), value, py::getattr(value, "__traceback__", py::none()));
}

std::string format_python_error(py::error_already_set& error) {
  return describe_python_error(error).traceback;
}

}  // namespace understudy
