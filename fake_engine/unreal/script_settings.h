// ScriptSettings: where engine-side scripts and the project's folders are, as
// UnrealEnginePython finds them in a real project: the Content/Scripts
// folders on sys.path, the enabled plugins, the project's Content and Saved
// folders. Plain data, from the command line (--scripts-path, --plugin,
// --project-dir) to the Python side.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace understudy {

// A plugin `unreal_engine.find_plugin(name)` finds: its base folder holds
// NAME.uplugin (optional here; its JSON fills the descriptor's fields) and
// Content/.
struct PluginLocation {
  std::string name;
  std::filesystem::path base_dir;
};

struct ScriptSettings {
  // --scripts-path, in order: put first on sys.path, and where
  // `unreal_engine.exec(name)` looks for a file not found as given.
  std::vector<std::filesystem::path> scripts_paths;
  std::vector<PluginLocation> plugins;  // --plugin NAME=DIR
  // --project-dir (default: the working directory): Content/, Saved/ and
  // Content/Scripts (a scripts path when it exists) are under it.
  std::filesystem::path project_dir;
};

// The scripts paths as UnrealEnginePython builds them, in order: the given
// ones, the project's Content/Scripts, each plugin's Content/Scripts (those
// that exist), and the base folder of the plugin named UnrealEnginePython
// ("allows third parties to include their code in the main plugin
// directory"). Folders are absolute; duplicates are dropped.
std::vector<std::filesystem::path> scripts_search_path(const ScriptSettings& settings);

}  // namespace understudy
