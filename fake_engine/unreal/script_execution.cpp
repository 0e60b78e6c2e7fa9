#include "fake_engine/unreal/script_execution.h"

#include <pybind11/pybind11.h>

#include <set>
#include <string>
#include <vector>

#include "fake_engine/python/python_runtime.h"

namespace py = pybind11;

namespace understudy {
namespace {

py::dict main_dict() {
  return py::module_::import("sys").attr("modules")["__main__"].attr("__dict__");
}

// What a fresh `python3` __main__ has before its script runs.
void set_module_attributes(py::dict& globals) {
  globals["__name__"] = "__main__";
  globals["__doc__"] = py::none();
  globals["__package__"] = py::none();
  globals["__loader__"] = py::none();
  globals["__spec__"] = py::none();
  globals["__builtins__"] = py::module_::import("builtins");
}

std::string looked_in(const ScriptSettings& settings) {
  std::string where =
      "as given (working directory " + std::filesystem::current_path().string() + ")";
  for (const auto& folder : scripts_search_path(settings)) {
    where += ", " + folder.string();
  }
  return where;
}

// Modules from the standard library or Debian's packages: not forgotten, as
// re-importing C extensions is not safe.
bool is_system_module(const py::handle& module, const std::string& stdlib) {
  const auto file = py::getattr(module, "__file__", py::none());
  const std::string path = file.is_none() ? std::string() : py::str(file).cast<std::string>();
  return path.empty() || path.starts_with(stdlib) ||
         path.find("/dist-packages/") != std::string::npos ||
         path.find("/site-packages/") != std::string::npos;
}

ScriptOutcome run_in(PythonEngineState& state, const std::filesystem::path& name,
                     py::dict globals) {
  const auto found = find_script(name, state.scripts);
  if (!found) {
    const std::string what =
        "unable to find script " + name.string() + " (looked " + looked_in(state.scripts) + ")";
    state.report_error("script", what, PythonErrorReport{what, "", "", 0});
    return ScriptOutcome::kNotFound;
  }
  const auto& path = *found;
  const py::str file(path.string());
  // A nested run (unreal_engine.exec from a script) gives the outer script
  // its __file__ back; a top-level one leaves its own, as `python3 FILE` does.
  static int depth = 0;  // REQUIRES: GIL held
  const py::object no_file = py::none();
  const py::object outer_file =
      depth > 0 && globals.contains("__file__") ? py::object(globals["__file__"]) : no_file;
  struct Nesting {
    Nesting() { ++depth; }
    ~Nesting() { --depth; }
  } nesting;
  try {
    auto sys_path = py::module_::import("sys").attr("path");
    const py::str folder(path.parent_path().string());
    if (!sys_path.contains(folder)) {
      sys_path.attr("insert")(0, folder);
    }
    // exec rather than runpy, so that tracebacks start at the script's own frames.
    const auto builtins = py::module_::import("builtins");
    const auto source = builtins.attr("open")(file, "rb").attr("read")();
    const auto code = builtins.attr("compile")(source, file, "exec");
    globals["__file__"] = file;
    builtins.attr("exec")(code, globals);
  } catch (py::error_already_set& e) {
    if (!outer_file.is(no_file)) {
      globals["__file__"] = outer_file;
    }
    if (e.matches(PyExc_SystemExit)) {
      const std::string code = py::repr(e.value().attr("code")).cast<std::string>();
      state.console.log("script " + name.string() + " ended with SystemExit(" + code + ")");
      return ScriptOutcome::kExited;
    }
    state.report_error("script", "script " + name.string() + " raised", describe_python_error(e));
    return ScriptOutcome::kRaised;
  }
  if (!outer_file.is(no_file)) {
    globals["__file__"] = outer_file;
  }
  return ScriptOutcome::kRan;
}

}  // namespace

std::vector<std::filesystem::path> scripts_search_path(const ScriptSettings& settings) {
  std::vector<std::filesystem::path> folders;
  std::set<std::filesystem::path> seen;
  const auto add = [&](const std::filesystem::path& folder) {
    const auto absolute = std::filesystem::absolute(folder).lexically_normal();
    if (seen.insert(absolute).second) {
      folders.push_back(absolute);
    }
  };
  for (const auto& folder : settings.scripts_paths) {
    add(folder);
  }
  const auto project =
      settings.project_dir.empty() ? std::filesystem::current_path() : settings.project_dir;
  std::error_code ignored;
  if (std::filesystem::is_directory(project / "Content" / "Scripts", ignored)) {
    add(project / "Content" / "Scripts");
  }
  for (const auto& plugin : settings.plugins) {
    if (std::filesystem::is_directory(plugin.base_dir / "Content" / "Scripts", ignored)) {
      add(plugin.base_dir / "Content" / "Scripts");
    }
    if (plugin.name == "UnrealEnginePython") {
      add(plugin.base_dir);
    }
  }
  return folders;
}

void reset_main_module() {
  py::dict globals = main_dict();
  globals.clear();
  set_module_attributes(globals);
  py::exec("import sys\nimport unreal_engine\n", globals);
}

void clear_main_module() {
  py::dict globals = main_dict();
  globals.clear();
  set_module_attributes(globals);
}

void install_scripts_paths(const ScriptSettings& settings) {
  auto sys_path = py::module_::import("sys").attr("path");
  const auto folders = scripts_search_path(settings);
  // Inserted last first, so that they end up first on sys.path in order.
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
    const py::str folder(it->string());
    while (sys_path.contains(folder)) {
      sys_path.attr("remove")(folder);
    }
    sys_path.attr("insert")(0, folder);
  }
}

void import_ue_site(PythonEngineState& state) {
  try {
    py::module_::import("ue_site");
    state.console.log("ue_site Python module successfully imported");
  } catch (py::error_already_set& e) {
    if (e.matches(PyExc_ModuleNotFoundError) &&
        py::str(e.value().attr("name")).cast<std::string>() == "ue_site") {
      state.console.log("ue_site Python module not found");
      return;
    }
    state.report_error("script", "ue_site raised while being imported", describe_python_error(e));
  }
}

std::optional<std::filesystem::path> find_script(const std::filesystem::path& name,
                                                 const ScriptSettings& settings) {
  std::error_code ignored;
  if (std::filesystem::is_regular_file(name, ignored)) {
    return std::filesystem::absolute(name).lexically_normal();
  }
  if (name.is_absolute()) {
    return std::nullopt;
  }
  for (const auto& folder : scripts_search_path(settings)) {
    if (std::filesystem::is_regular_file(folder / name, ignored)) {
      return (folder / name).lexically_normal();
    }
  }
  return std::nullopt;
}

ScriptOutcome run_script_in_main(PythonEngineState& state, const std::filesystem::path& name) {
  return run_in(state, name, main_dict());
}

ScriptOutcome run_script_sandboxed(PythonEngineState& state, const std::filesystem::path& name) {
  const auto sys = py::module_::import("sys");
  const py::dict modules = sys.attr("modules");
  std::set<std::string> modules_before;
  for (const auto& item : modules) {
    modules_before.insert(item.first.cast<std::string>());
  }
  const py::object stdout_before = sys.attr("stdout");
  const py::object stderr_before = sys.attr("stderr");
  const py::object path_before = sys.attr("path").attr("copy")();
  const py::object argv_before = sys.attr("argv").attr("copy")();

  py::dict globals;
  set_module_attributes(globals);
  py::exec("import sys\nimport unreal_engine\n", globals);
  const auto outcome = run_in(state, name, globals);

  sys.attr("stdout") = stdout_before;
  sys.attr("stderr") = stderr_before;
  sys.attr("path") = path_before;
  sys.attr("argv") = argv_before;
  const std::string stdlib = py::str(py::module_::import("sysconfig").attr("get_path")("stdlib"));
  std::vector<std::string> forget;
  for (const auto& [key, module] : modules) {
    const auto module_name = key.cast<std::string>();
    if (!modules_before.contains(module_name) && !is_system_module(module, stdlib)) {
      forget.push_back(module_name);
    }
  }
  for (const auto& module_name : forget) {
    modules.attr("pop")(module_name, py::none());
  }
  return outcome;
}

}  // namespace understudy
