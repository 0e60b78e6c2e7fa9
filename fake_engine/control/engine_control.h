// EngineControl: what the harness can ask the engine over the control
// channel. Queries of thread-safe state (console, wait-for graph, frame
// statistics, the client registry) are answered on the control thread, so
// they work even while the main thread is blocked; everything that touches
// engine state (the world, engine-side Python, calls to clients) is a
// main-thread job that answers when it has run.
//
// The ops and their fields: protocol/README.md; the typed messages:
// protocol/messages.h.
#pragma once

#include "fake_engine/app/engine.h"
#include "fake_engine/control/control_server.h"
#include "fake_engine/load/client_call_load.h"
#include "fake_engine/python/python_runtime.h"
#include "protocol/messages.h"

namespace understudy::control {

class EngineControl : public ControlHandler {
 public:
  EngineControl(Engine& engine, PythonRuntime& runtime, ClientCallLoad& load)
      : engine_(engine), runtime_(runtime), load_(load) {}

  void handle(const protocol::Request& request, Responder respond) override;

  // Where "call" events go (every connection of the control server): a call's
  // outcome is announced to everyone watching, not only to who asked.
  void set_event_sink(std::function<void(std::string line)> sink) { events_ = std::move(sink); }

 private:
  void run_python_op(const protocol::Request& request, Responder respond, const char* function);
  void call(const protocol::Request& request, const Responder& respond);
  protocol::Hello hello() const;

  Engine& engine_;
  PythonRuntime& runtime_;
  ClientCallLoad& load_;
  std::function<void(std::string line)> events_;
};

// Engine state as the control channel's messages.
protocol::ConsoleEvent console_event(const ConsoleRecord& record);
protocol::ActorInfo actor_info(const Actor& actor);
protocol::WaitEdgeInfo wait_edge_info(const WaitEdge& edge);
// {id, source, what, file, line, message, traceback, frame}: also the data of
// the `engine_error` event.
nlohmann::json to_json(const EngineError& error);

}  // namespace understudy::control
