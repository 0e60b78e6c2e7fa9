// Command-line options of understudy-engine.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fake_engine/app/engine.h"
#include "fake_engine/python/rpc_settings.h"
#include "fake_engine/unreal/script_settings.h"

namespace understudy {

struct EngineOptions {
  EngineSettings engine;
  RpcSettings rpc;
  // Run in order on the main thread after start; each as given if it exists,
  // else found on the scripts paths (as UnrealEnginePython's RunFile).
  std::vector<std::filesystem::path> scripts;
  ScriptSettings script_settings;                       // --scripts-path, --plugin, --project-dir
  std::optional<std::filesystem::path> control_socket;  // the harness's control channel
  // Every console record and how the run ended, as JSON lines (protocol/README.md).
  std::optional<std::filesystem::path> console_file;
  // sys.setswitchinterval: how long a thread may hold the GIL while another
  // waits. nullopt keeps Python's 5 ms, as the original engines do.
  std::optional<double> gil_switch_interval_seconds;
  // glibc's malloc on transparent huge pages (huge_page_heap.h); --no-huge-page-heap turns it off.
  bool huge_page_heap = true;
};

// What parsing the command line decided: run with options, or exit now with
// a code after printing `message` (help text, or a one-line error).
struct EarlyExit {
  int code = 0;
  std::string message;
};

std::variant<EngineOptions, EarlyExit> parse_engine_options(int argc, const char* const* argv);

}  // namespace understudy
