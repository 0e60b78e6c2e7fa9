// UnrealEnginePython's execution model (its FUnrealEnginePythonModule:
// StartupModule, RunFile, RunFileSandboxed), for the engine's startup scripts
// and `unreal_engine.exec`:
//
// - One namespace: every script runs in the `__main__` module's dict, where
//   `sys` and `unreal_engine` are already imported, so a script sees the
//   names earlier scripts defined and `unittest.main()` finds the test cases
//   a script defines. A domain reload is an engine restart: __main__ starts
//   afresh (its dict emptied, then `sys` and `unreal_engine` again).
// - Files are looked up as given (absolute, or relative to the working
//   directory), else in each scripts path in order; not found is an error
//   record, as UnrealEnginePython's "Unable to find file".
// - `__file__` is the running script's path while it runs (unlike UEP, whose
//   PyRun_File leaves it unset: the project's scripts find files beside
//   them, as under `python3 FILE`); a nested `unreal_engine.exec` restores
//   the outer script's afterwards. The script's folder goes first on
//   sys.path, as under `python3 FILE`.
// - An exception is an engine error (source "script") with its traceback,
//   and does not propagate to a caller of `unreal_engine.exec`. SystemExit
//   (`unittest.main()` raises it) ends the script quietly, as in UEP.
// - At start-up `ue_site` is imported from sys.path (the scripts paths are
//   first on it) before any script: absent, a log line says so; raising, an
//   engine error.
//
// REQUIRES for every function here: GIL held. Scripts run on the calling
// thread; engine objects they touch off the main thread raise, as elsewhere.
#pragma once

#include <filesystem>
#include <optional>

#include "fake_engine/unreal/script_settings.h"

namespace understudy {

struct PythonEngineState;

enum class ScriptOutcome {
  kRan,       // ran to its end
  kExited,    // raised SystemExit: not an error
  kRaised,    // raised anything else: an engine error
  kNotFound,  // no such file as given or on the scripts paths: an engine error
};

// Empties __main__'s dict and imports `sys` and `unreal_engine` into it, as
// UnrealEnginePython's start-up does. Objects the old dict held are released
// now (a ticker handle there removes its ticker).
void reset_main_module();

// Empties __main__'s dict, importing nothing: for an engine that stops.
void clear_main_module();

// Puts the scripts paths (scripts_search_path) first on sys.path, in order,
// each once.
void install_scripts_paths(const ScriptSettings& settings);

// Imports ue_site: logs "ue_site Python module successfully imported", or
// "ue_site Python module not found" when there is none; an exception while
// importing it is an engine error (source "script").
void import_ue_site(PythonEngineState& state);

// Where UnrealEnginePython's RunFile finds `name`: as given if that file
// exists, else the first scripts path holding it. Absolute.
std::optional<std::filesystem::path> find_script(const std::filesystem::path& name,
                                                 const ScriptSettings& settings);

// Runs a script in __main__'s dict, as described above.
ScriptOutcome run_script_in_main(PythonEngineState& state, const std::filesystem::path& name);

// `unreal_engine.sandbox_exec`: UEP runs the file in a new sub-interpreter.
// Here (pybind11 supports only one interpreter) it runs in a fresh
// `__main__`-named dict of its own, with sys.stdout, sys.stderr, sys.path and
// sys.argv put back afterwards and the modules it imported from outside the
// standard library and Debian's packages forgotten, so that it leaves the
// shared __main__ and the engine's streams as they were. Errors as
// run_script_in_main.
ScriptOutcome run_script_sandboxed(PythonEngineState& state, const std::filesystem::path& name);

}  // namespace understudy
