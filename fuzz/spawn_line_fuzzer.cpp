// Fuzzes the spawn server's line handling, which is Python: an embedded
// CPython runs each input through fuzz/spawn_line_check.py, which reads it
// with the server's own SpawnLineReader (scenarios/engine/spawn_line_reader.py)
// on asyncio's StreamReader and checks the labels. A Python exception is a
// finding: its traceback is printed and the run aborts.
//
// libpython is not instrumented, so libFuzzer would be blind to which Python
// code an input reached. A C-level trace function feeds it instead: every
// pair of consecutive lines executed in spawn_line_reader.py or
// asyncio/streams.py bumps one of libFuzzer's extra coverage counters.
#include <pybind11/embed.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace py = pybind11;

// libFuzzer reads this section as coverage counters of its own.
extern "C" {
[[gnu::used, gnu::section("__libfuzzer_extra_counters")]] std::uint8_t python_line_pairs[1 << 14];
}

namespace {

bool is_traced_file(PyCodeObject* code) {
  // Code objects live as long as their functions, so the answer is cached by
  // address for the modules the check imports once.
  static std::unordered_map<PyCodeObject*, bool> traced;
  const auto found = traced.find(code);
  if (found != traced.end()) {
    return found->second;
  }
  const char* file = PyUnicode_AsUTF8(code->co_filename);
  const std::string_view name = file != nullptr ? file : "";
  const bool yes = name.ends_with("/spawn_line_reader.py") || name.ends_with("/asyncio/streams.py");
  traced.emplace(code, yes);
  return yes;
}

int count_line_pairs(PyObject*, PyFrameObject* frame, int what, PyObject*) {
  static std::uintptr_t previous = 0;
  if (what != PyTrace_LINE) {
    return 0;
  }
  PyCodeObject* code = PyFrame_GetCode(frame);
  if (is_traced_file(code)) {
    const auto here = reinterpret_cast<std::uintptr_t>(code) * 31 +
                      static_cast<std::uintptr_t>(PyFrame_GetLineNumber(frame));
    auto& counter = python_line_pairs[(here ^ (previous >> 1)) % sizeof(python_line_pairs)];
    counter = static_cast<std::uint8_t>(counter == 255 ? 255 : counter + 1);
    previous = here;
  }
  Py_DECREF(code);
  return 0;
}

PyConfig* interpreter_config(PyConfig* config) {
  PyConfig_InitIsolatedConfig(config);
  config->install_signal_handlers = 0;  // libFuzzer's own handlers report crashes
  config->write_bytecode = 0;           // no __pycache__ in the source tree
  // Debian's interpreter and its packages, never a python3 found on PATH.
  PyConfig_SetBytesString(config, &config->program_name, UNDERSTUDY_PYTHON_EXECUTABLE);
  PyConfig_SetBytesString(config, &config->executable, UNDERSTUDY_PYTHON_EXECUTABLE);
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The interpreter is never finalized: libFuzzer ends the run with exit()
  // or _Exit() from its own handlers, and finalizing Python there would only
  // risk a crash that is not a finding.
  // Python objects come from malloc, so that LeakSanitizer scans them: with
  // pymalloc's mmap'd arenas it cannot see the references they hold, and
  // every object reachable only through Python looks leaked.
  PyPreConfig preconfig;
  PyPreConfig_InitIsolatedConfig(&preconfig);
  preconfig.allocator = PYMEM_ALLOCATOR_MALLOC;
  if (PyStatus status = Py_PreInitialize(&preconfig); PyStatus_Exception(status)) {
    Py_ExitStatusException(status);
  }
  PyConfig config;
  const char* argv[] = {"spawn_line_fuzzer"};
  py::initialize_interpreter(interpreter_config(&config), 1, argv,
                             /*add_program_dir_to_path=*/false);
  py::module_::import("sys").attr("path").attr("extend")(
      py::str(UNDERSTUDY_FUZZ_PYTHON_PATH).attr("split")(":"));
  py::module_::import("spawn_line_check");
  PyEval_SetTrace(count_line_pairs, nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    py::module_::import("spawn_line_check")
        .attr("check")(py::bytes(reinterpret_cast<const char*>(data), size));
  } catch (py::error_already_set& error) {
    std::fprintf(stderr, "spawn_line_fuzzer: the spawn server's line handling failed:\n");
    error.restore();
    PyErr_Print();
    std::abort();
  }
  return 0;
}
