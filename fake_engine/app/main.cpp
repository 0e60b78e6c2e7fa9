// understudy-engine: the stand-in engine process.
#include <pybind11/embed.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>

#include "fake_engine/app/engine.h"
#include "fake_engine/app/engine_options.h"
#include "fake_engine/app/signal_watcher.h"
#include "fake_engine/control/console_record_file.h"
#include "fake_engine/control/control_server.h"
#include "fake_engine/control/engine_control.h"
#include "fake_engine/core/huge_page_heap.h"
#include "fake_engine/python/embedded_interpreter.h"
#include "fake_engine/python/python_runtime.h"

namespace py = pybind11;
using namespace understudy;

namespace {

void print_summary(Engine& engine, std::uint64_t frames) {
  const auto s = engine.loop().stats().summary();
  std::fprintf(stderr,
               "understudy-engine: stopped after %llu frames; frame work p50 %.3f ms, p99 %.3f ms, "
               "max %.3f ms; late frames %llu\n",
               static_cast<unsigned long long>(frames), s.work_p50_ms, s.work_p99_ms, s.work_max_ms,
               static_cast<unsigned long long>(s.late_frames));
}

protocol::EngineExit engine_exit(const EngineErrors& errors, std::uint64_t frames) {
  protocol::EngineExit exit{frames, errors.count(), errors.count("script"), {}};
  if (const auto kept = errors.all(); !kept.empty()) {
    const auto& first = kept.front();
    exit.first_error = first.error.file.empty()
                           ? first.error.message
                           : first.error.file + ":" + std::to_string(first.error.line) + ": " +
                                 first.error.message;
  }
  return exit;
}

// Like `python3 FILE`, the engine exits 1 when a script raised; it runs to
// the end first (other scripts, tickers and the harness go on), so the exit
// code comes when the run ends. Other engine errors are counted on stderr.
int report_engine_errors(const protocol::EngineExit& exit) {
  if (exit.engine_errors == 0) {
    return 0;
  }
  std::fprintf(
      stderr, "understudy-engine: %llu engine error%s (%llu from scripts); the first: %s\n",
      static_cast<unsigned long long>(exit.engine_errors), exit.engine_errors == 1 ? "" : "s",
      static_cast<unsigned long long>(exit.script_errors), exit.first_error.c_str());
  return exit.script_errors > 0 ? 1 : 0;
}

int run_engine(const EngineOptions& options) {
  name_current_thread("main");
  // A client that disconnects while we write to it must be an error on that
  // socket, not the end of the engine. (Python ignores SIGPIPE only when it
  // installs its own signal handlers, which the engine keeps for itself.)
  std::signal(SIGPIPE, SIG_IGN);
  SignalWatcher signals({SIGINT, SIGTERM, SIGHUP});

  std::vector<std::string> python_argv{"understudy-engine"};
  if (!options.scripts.empty()) {
    python_argv[0] = options.scripts.front().string();
  }
  EmbeddedInterpreter interpreter(python_argv);
  if (options.gil_switch_interval_seconds) {
    py::module_::import("sys").attr("setswitchinterval")(*options.gil_switch_interval_seconds);
  }
  for (const auto& script : options.scripts) {
    if (auto problem = check_script(script)) {
      std::cerr << "understudy-engine: error: " << *problem << '\n';
      return 2;
    }
  }

  std::optional<Engine> built;
  try {
    built.emplace(options.engine);
  } catch (const SchemaError& e) {
    std::cerr << "understudy-engine: error: schema: " << e.what() << '\n';
    return 2;
  }
  Engine& engine = *built;
  std::optional<control::ConsoleRecordFile> console_file;
  if (options.console_file) {
    try {
      console_file.emplace(*options.console_file);
    } catch (const std::exception& e) {
      std::cerr << "understudy-engine: error: " << e.what() << '\n';
      return 2;
    }
    console_file->attach(engine.console());
  }
  PythonRuntime runtime(
      EngineParts{engine.affinity(), engine.queue(), engine.console(), engine.world(),
                  engine.loop(), engine.waits(), engine.unity_world()},
      options.rpc, options.script_settings);
  // Calls to clients for stress runs (control ops load_start/load_stop); idle otherwise.
  ClientCallLoad client_call_load;
  engine.loop().add_frame_task(
      "client call load", [&client_call_load](const FrameTick&) { client_call_load.on_frame(); });
  control::EngineControl control_handler(engine, runtime, client_call_load);
  std::optional<control::ControlServer> control_server;
  if (options.control_socket) {
    control_server.emplace(*options.control_socket, control_handler, [&engine](std::string text) {
      engine.console().warning(std::move(text));
    });
    auto* server = &*control_server;
    engine.console().add_listener([server](const ConsoleRecord& record) {
      server->broadcast(protocol::encode_event("console", control::console_event(record)));
    });
    control_handler.set_event_sink(
        [server](std::string line) { server->broadcast(std::move(line)); });
    runtime.set_event_sink(
        [server, &engine](const std::string& kind, const std::string& json_text) {
          std::string problem;
          auto event = protocol::parse_json(json_text, problem);
          if (!event) {
            engine.console().error("the engine's '" + kind +
                                   "' event cannot go to the harness: " + problem);
            return;
          }
          server->broadcast(protocol::encode_event(kind, *event));
        });
    runtime.errors().set_listener([server](const EngineError& error) {
      server->broadcast(protocol::encode_event("engine_error", control::to_json(error)));
    });
  }
  // Queued before anyone can ask for anything, so that the scripts' jobs run
  // before any request's; the harness waits for them with the `startup` op.
  runtime.run_startup_scripts(engine.queue(), options.scripts);
  try {
    if (control_server) {
      control_server->start();
    }
    runtime.start_services();
  } catch (const std::exception& e) {
    std::cerr << "understudy-engine: error: " << e.what() << '\n';
    return 1;
  }
  signals.start([&engine, &runtime](int signal) {
    if (signal == SIGHUP) {
      engine.console().warning("received HUP: domain reload at the next frame");
      runtime.request_reload();
      return;
    }
    engine.console().warning(std::string("received ") + sigabbrev_np(signal) + ", stopping");
    engine.loop().request_stop();
  });

  std::uint64_t frames = 0;
  {
    py::gil_scoped_release release;  // the main thread holds the GIL only to run Python
    frames = engine.run();
    runtime.shutdown();
    engine.finish();
  }
  signals.stop();
  if (control_server) {
    control_server->stop();
  }
  if (options.engine.echo_console) {
    print_summary(engine, frames);
  }
  const auto exit = engine_exit(runtime.errors(), frames);
  if (console_file) {
    console_file->finish(exit);
  }
  return report_engine_errors(exit);
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_engine_options(argc, argv);
  if (auto* early = std::get_if<EarlyExit>(&parsed)) {
    (early->code == 0 ? std::cout : std::cerr) << early->message << '\n';
    return early->code;
  }
  const auto& options = std::get<EngineOptions>(parsed);
  if (options.huge_page_heap) {
    relaunch_with_huge_page_heap(argv);  // returns in the relaunched engine
  }
  try {
    return run_engine(options);
  } catch (const std::exception& e) {
    std::cerr << "understudy-engine: error: " << e.what() << '\n';
    return 1;
  }
}
