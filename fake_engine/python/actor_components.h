// ActorComponents: the Python objects behind UnrealEnginePython's Python
// components (UPythonComponent). A component's instance gets `uobject` (its
// component object) from the binding, then initialize_component() and
// begin_play(); tick(delta_time) every frame if it has one; and
// end_play(reason) with UE's EEndPlayReason value when its actor is destroyed
// (Destroyed) or the engine stops (Quit). Every hook is optional; one that
// raises is an engine error, not the caller's. This is how coroutines are
// owned by actors: start them in begin_play, cancel them in end_play.
//
// REQUIRES: GIL held for every member; main thread only.
#pragma once

#include <pybind11/pybind11.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fake_engine/python/embedded_interpreter.h"
#include "fake_engine/world/world.h"

namespace understudy {

// UE's EEndPlayReason, as end_play receives it.
enum class EndPlayReason : int {
  kDestroyed = 0,
  kLevelTransition = 1,
  kEndPlayInEditor = 2,  // also what a domain reload of the stand-in passes
  kRemovedFromWorld = 3,
  kQuit = 4,
};

class ActorComponents {
 public:
  // `what` is the error's headline ("component ... raised").
  using ErrorSink = std::function<void(const std::string& what, const PythonErrorReport& error)>;
  explicit ActorComponents(ErrorSink on_error) : on_error_(std::move(on_error)) {}

  // `component` is the component object the instance stands for (0: none).
  void attach(ActorId actor, ObjectId component, pybind11::object instance);
  void tick(double delta_seconds);
  void end_play(ActorId actor, EndPlayReason reason);
  void end_play_all(EndPlayReason reason);
  std::size_t size() const;
  // The Python instance of a component object (UEP's get_py_proxy), or None.
  pybind11::object proxy_of(ObjectId component) const;

 private:
  void call_hook(const pybind11::object& component, const char* hook, pybind11::tuple args);

  ErrorSink on_error_;
  struct Attached {
    ObjectId component;
    pybind11::object instance;
  };
  std::map<ActorId, std::vector<Attached>> components_;
};

}  // namespace understudy
