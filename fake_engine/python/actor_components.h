// ActorComponents: Python objects attached to actors, in the style of
// UnrealEnginePython's Python components. A component gets `uobject` (its
// actor), then begin_play(); tick(delta_time) every frame if it has one; and
// end_play(reason) when its actor is destroyed ("Destroyed") or the engine
// stops ("Quit"). This is how coroutines are owned by actors: start them in
// begin_play, cancel them in end_play.
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

class ActorComponents {
 public:
  // `what` is the error's headline ("component ... raised").
  using ErrorSink = std::function<void(const std::string& what, const PythonErrorReport& error)>;
  explicit ActorComponents(ErrorSink on_error) : on_error_(std::move(on_error)) {}

  void attach(ActorId actor, pybind11::object component);
  void tick(double delta_seconds);
  void end_play(ActorId actor, const char* reason);
  void end_play_all(const char* reason);
  std::size_t size() const;

 private:
  void call_hook(const pybind11::object& component, const char* hook, pybind11::tuple args);

  ErrorSink on_error_;
  std::map<ActorId, std::vector<pybind11::object>> components_;
};

}  // namespace understudy
