#include "fake_engine/app/engine_options.h"

#include <CLI/CLI.hpp>

#include "fake_engine/unreal/script_execution.h"

namespace understudy {

std::variant<EngineOptions, EarlyExit> parse_engine_options(int argc, const char* const* argv) {
  EngineOptions options;
  CLI::App app{
      "understudy-engine: a stand-in game engine with a main-thread frame loop, a world of\n"
      "actors, a console and an embedded CPython running the asyncio loop once per tick."};
  app.set_version_flag("--version", std::string(UNDERSTUDY_VERSION));

  double tick_hz = 60.0;
  std::optional<std::uint64_t> frames;
  std::optional<double> seconds;
  bool quiet = false;
  app.add_option("--tick-hz", tick_hz, "Frames per second; 0 runs frames back to back")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            try {
              if (std::stod(value) >= 0) {
                return {};
              }
            } catch (const std::exception&) {
            }
            return "must be a number >= 0 (0 runs frames back to back), got " + value;
          },
          "HZ>=0"))
      ->capture_default_str();
  // A flag with an optional value: bare --faithful is --faithful=pfu.
  std::string faithful;
  app.add_flag("--faithful{pfu}", faithful,
               "Behave exactly like the original: main-thread jobs run only at the start of a "
               "frame, for at most 1/90 s, and requests are dispatched as there. "
               "pfu (the default): Python for Unity 2.x, whose RPyC 4.0.2 lets other threads "
               "receive while a client request waits for the main thread; rpyc5: the same "
               "server on stock RPyC 5.x, where that request blocks its connection's reader")
      ->check(CLI::IsMember({"pfu", "rpyc5"}));
  app.add_option("--script", options.scripts,
                 "Engine-side Python script to run on the main thread after start, in the shared "
                 "__main__ as UnrealEnginePython runs it: as given, else found on the scripts "
                 "paths (repeatable)");
  app.add_option("--scripts-path", options.script_settings.scripts_paths,
                 "A folder put first on sys.path, where --script and unreal_engine.exec also "
                 "look for files, as a project's Content/Scripts (repeatable; in order)")
      ->check(CLI::ExistingDirectory);
  std::vector<std::string> plugins;
  app.add_option("--plugin", plugins,
                 "NAME=DIR: a plugin unreal_engine.find_plugin(NAME) finds, with DIR as its base "
                 "folder; its Content/Scripts is a scripts path, and so is DIR itself for "
                 "UnrealEnginePython (repeatable)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            const auto equals = value.find('=');
            if (equals == std::string::npos || equals == 0 || equals + 1 == value.size()) {
              return "must be NAME=DIR, got " + value;
            }
            if (!std::filesystem::is_directory(value.substr(equals + 1))) {
              return "no such folder: " + value.substr(equals + 1);
            }
            return {};
          },
          "NAME=DIR"));
  app.add_option("--project-dir", options.script_settings.project_dir,
                 "The project's folder: unreal_engine.get_content_dir() is its Content/, "
                 "get_game_saved_dir() its Saved/, and Content/Scripts is a scripts path when it "
                 "exists (default: the working directory)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--schema", options.engine.project_schemas,
                 "The project's own classes, structs and enums: a TOML schema file or a folder "
                 "of them (docs/object-schema.md), loaded after the engine's (repeatable)")
      ->check(CLI::ExistingPath);
  app.add_option("--unity-schema", options.engine.unity_project_schemas,
                 "The project's own C# namespaces and classes for the UnityEngine binding: a TOML "
                 "schema file or a folder of them (docs/object-schema.md, loaded after "
                 "fake_engine/schema/unity; repeatable)")
      ->check(CLI::ExistingPath);
  app.add_option("--frames", frames, "Stop after this many frames")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            try {
              if (std::stoll(value) > 0) {
                return {};
              }
            } catch (const std::exception&) {
            }
            return "must be a whole number of frames >= 1, got " + value;
          },
          "N>=1"));
  app.add_option("--seconds", seconds, "Stop after this many seconds")->check(CLI::PositiveNumber);
  app.add_flag("--quiet", quiet, "Do not echo console records to stderr");
  app.add_option("--control", options.control_socket,
                 "Unix socket for the harness's control channel (JSON lines; mode 0600)");
  app.add_option("--console-file", options.console_file,
                 "Also write every console record, and at exit how the run ended, to this file "
                 "as JSON lines (the control channel's console events and an exit event; mode "
                 "0600): what harnesses read, during the run and after it")
      ->type_name("PATH");
  app.add_option("--gil-switch-interval", options.gil_switch_interval_seconds,
                 "Seconds a thread may keep the GIL while another waits for it "
                 "(sys.setswitchinterval; Python's default, 0.005, as the original engines). "
                 "Lower values let the main thread in sooner among many busy client threads")
      ->check(CLI::Range(1e-6, 1.0));
  bool no_huge_page_heap = false;
  app.add_flag("--no-huge-page-heap", no_huge_page_heap,
               "Keep malloc on 4 KiB pages: by default the engine restarts itself once, at start, "
               "with glibc.malloc.hugetlb=1 (transparent huge pages), which makes building a large "
               "world several times cheaper in page faults; RSS then grows in 2 MiB steps");

  auto* rpc = app.add_option_group("RPC server", "The RPyC server clients connect to");
  bool no_rpc = false;
  std::string on_deadlock = "report";
  rpc->add_flag("--no-rpc", no_rpc, "Do not start the RPyC server");
  bool tcp = false;
  rpc->add_flag("--tcp", tcp,
                "Listen on TCP (--host, --port) instead of PfU 2.x's Unix socket "
                "$TMPDIR/com.unity.scripting.python-$USER.socket, the default; --host or --port "
                "imply it");
  auto* host = rpc->add_option("--host", options.rpc.host,
                               "TCP address to listen on (loopback only, unless --allow-remote)")
                   ->capture_default_str();
  auto* port = rpc->add_option("--port", options.rpc.port,
                               "TCP port; 0 picks a free one. The address is printed on stdout "
                               "as one JSON line")
                   ->check(CLI::Range(0, 65535))
                   ->capture_default_str();
  rpc->add_option("--socket", options.rpc.socket,
                  "Listen on this Unix socket (mode 0600) instead of PfU's default path");
  rpc->add_flag("--allow-remote", options.rpc.allow_remote,
                "Allow listening on a non-loopback address: anyone who reaches it can run code "
                "in the engine");
  rpc->add_option("--call-timeout", options.rpc.call_timeout_seconds,
                  "Seconds an engine-to-client call waits for its reply (RPyC's default: 30)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  rpc->add_option("--on-deadlock", on_deadlock,
                  "report: explain a wait-for cycle at once, then let the timeout play out; "
                  "fail-fast: also fail the blocked call at once; wait: detect nothing")
      ->check(CLI::IsMember({"report", "fail-fast", "wait"}))
      ->capture_default_str();
  bool no_public_attrs = false;
  bool no_setattr = false;
  rpc->add_flag("--no-public-attrs", no_public_attrs,
                "Clients may reach only exposed_ attributes (RPyC's default; the original server "
                "allowed public attributes)");
  rpc->add_flag("--no-setattr", no_setattr,
                "Clients may not set attributes on engine objects (the original allowed it)");
  rpc->add_flag("--allow-pickle", options.rpc.allow_pickle,
                "Let clients pickle objects across the connection (off, as in RPyC and the "
                "original)");
  rpc->add_option("--max-frame-bytes", options.rpc.max_frame_bytes,
                  "Largest RPyC frame a client may send; a bigger one closes its connection "
                  "(0: no limit, as stock RPyC)")
      ->capture_default_str();
  rpc->add_option("--frame-deadline", options.rpc.frame_deadline_seconds,
                  "Seconds a frame that has started arriving has to arrive completely, else its "
                  "connection is closed (0: wait forever, as stock RPyC)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  rpc->add_option("--max-buffered-bytes", options.rpc.max_buffered_bytes,
                  "Bytes of frames being received that all connections together may hold; a "
                  "frame that would go over waits up to 1 s for room, then its connection is "
                  "closed (frames of 64 KiB or less are not counted; 0: no budget, as stock RPyC)")
      ->capture_default_str();
  rpc->add_option("--max-message-objects", options.rpc.max_message_objects,
                  "Objects one message may decode to (counted while decoding); a message with "
                  "more closes its connection (0: no limit, as stock RPyC)")
      ->capture_default_str();
  rpc->add_option("--max-message-depth", options.rpc.max_message_depth,
                  "How deeply the objects of one message may nest (tuples in tuples); a message "
                  "nested deeper closes its connection (0: no limit, as stock RPyC)")
      ->capture_default_str();
  rpc->add_option("--max-connections", options.rpc.max_connections,
                  "RPC connections open at once; one more is closed at once and logged "
                  "(default: what RLIMIT_NOFILE and RLIMIT_NPROC allow, less a reserve for the "
                  "engine's own files; a larger value is lowered to that, with a warning; 0: no "
                  "cap, as stock RPyC)");
  rpc->add_option("--auth-token-file", options.rpc.auth_token_file,
                  "Every TCP client must first send the secret in this file (understudy_client "
                  "and the harness read it from UNDERSTUDY_AUTH_TOKEN_FILE)")
      ->envname("UNDERSTUDY_AUTH_TOKEN_FILE")
      ->check(CLI::ExistingFile);
  rpc->add_option("--long-wait", options.rpc.long_wait_seconds,
                  "Seconds after which a wait without a cycle is reported as a potential deadlock")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return EarlyExit{0, app.help()};
  } catch (const CLI::CallForVersion&) {
    return EarlyExit{0, std::string(UNDERSTUDY_VERSION)};
  } catch (const CLI::ParseError& e) {
    return EarlyExit{2, "understudy-engine: error: " + std::string(e.what()) +
                            " (see understudy-engine --help)"};
  }
  for (const auto& plugin : plugins) {
    const auto equals = plugin.find('=');
    options.script_settings.plugins.push_back(
        PluginLocation{plugin.substr(0, equals), plugin.substr(equals + 1)});
  }
  for (auto& script : options.scripts) {
    const auto found = find_script(script, options.script_settings);
    if (!found) {
      return EarlyExit{2, "understudy-engine: error: --script: " + script.string() +
                              " does not exist (as given, or on the scripts paths)"};
    }
    if (!std::filesystem::is_regular_file(script)) {
      script = *found;
    }
  }
  options.engine.loop.tick_hz = tick_hz;
  options.engine.loop.max_frames = frames;
  if (seconds) {
    options.engine.loop.max_duration =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*seconds));
  }
  options.engine.echo_console = !quiet;
  options.rpc.enabled = !no_rpc;
  options.rpc.tcp = tcp || host->count() > 0 || port->count() > 0;
  options.rpc.allow_public_attrs = !no_public_attrs;
  options.rpc.allow_setattr = !no_setattr;
  options.huge_page_heap = !no_huge_page_heap;
  options.engine.loop.faithful = !faithful.empty();
  options.rpc.faithful = faithful == "rpyc5" ? FaithfulMode::kRpyc5
                         : faithful == "pfu" ? FaithfulMode::kPfu
                                             : FaithfulMode::kOff;
  options.rpc.on_deadlock = on_deadlock == "fail-fast" ? DeadlockPolicy::kFailFast
                            : on_deadlock == "wait"    ? DeadlockPolicy::kWait
                                                       : DeadlockPolicy::kReport;
  return options;
}

}  // namespace understudy
