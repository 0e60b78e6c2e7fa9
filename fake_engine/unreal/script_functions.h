// The module-level functions of `unreal_engine` about scripts and the
// environment, with UnrealEnginePython's names, arguments and results:
//
//   log(message), log_warning(message), log_error(message)   any thread; str(message)
//   print_string(message, timeout=2.0, color=None)   on-screen text: a console
//       record "on screen (T s): message"; add_on_screen_debug_message(key, T, message)
//   add_ticker(callable, delay=0) -> FDelegateHandle   main thread. Dropping
//       the handle removes the ticker, as in UEP: keep it (`ticker = ...`).
//   remove_ticker(handle)   main thread; anything but an FDelegateHandle raises
//   exec(filename), py_exec(filename)   runs a file in the shared __main__
//       (fake_engine/unreal/script_execution.h); errors are engine errors, not
//       raised to the caller; returns None
//   sandbox_exec(filename)   the same in a namespace of its own
//   find_plugin(name) -> IPlugin or None; get_enabled_plugins(),
//       get_discovered_plugins() -> [IPlugin]   the --plugin NAME=DIR ones
//   get_content_dir(), get_game_saved_dir(), get_game_user_developer_dir()
//       folders under --project-dir, with a trailing slash as UE's FPaths;
//       convert_relative_path_to_full(path), get_path(path), get_base_filename(path)
//   get_frame_number(), is_main_thread()
//
// IPlugin (UEPyIPlugin): get_name(), get_base_dir(), get_content_dir(),
// get_descriptor_file_name(), get_mounted_asset_path(), can_contain_content(),
// is_enabled(), to_json(enabled_by_default), from_json(text, enabled_by_default)
// and the descriptor's fields as attributes (friendly_name, version_name,
// description, category, created_by, ..., read from DIR/NAME.uplugin when
// present).
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

namespace understudy {

struct PythonEngineState;

// Adds the functions and the FDelegateHandle and IPlugin types to `m`.
// REQUIRES: GIL held.
void define_script_functions(pybind11::module_& m, std::weak_ptr<PythonEngineState> state);

}  // namespace understudy
