#include "fake_engine/python/actor_components.h"

#include <algorithm>

#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;

namespace understudy {

void ActorComponents::call_hook(const py::object& component, const char* hook, py::tuple args) {
  if (!py::hasattr(component, hook)) {
    return;
  }
  try {
    component.attr(hook)(*args);
  } catch (py::error_already_set& e) {
    on_error_(std::string("component ") + py::repr(component).cast<std::string>() + "." + hook +
                  " raised",
              describe_python_error(e));
  }
}

void ActorComponents::attach(ActorId actor, py::object component) {
  components_[actor].push_back(component);
  call_hook(component, "begin_play", py::make_tuple());
}

void ActorComponents::tick(double delta_seconds) {
  // Copy: a tick may destroy actors, which ends their components' play.
  std::vector<std::pair<ActorId, py::object>> ticking;
  for (const auto& [actor, list] : components_) {
    for (const auto& component : list) {
      ticking.emplace_back(actor, component);
    }
  }
  for (const auto& [actor, component] : ticking) {
    // A component whose play ended earlier in this loop is not ticked again.
    const auto it = components_.find(actor);
    if (it == components_.end() ||
        std::none_of(it->second.begin(), it->second.end(),
                     [&](const py::object& attached) { return attached.is(component); })) {
      continue;
    }
    call_hook(component, "tick", py::make_tuple(delta_seconds));
  }
}

void ActorComponents::end_play(ActorId actor, const char* reason) {
  auto node = components_.extract(actor);
  if (node.empty()) {
    return;
  }
  for (const auto& component : node.mapped()) {
    call_hook(component, "end_play", py::make_tuple(reason));
  }
}

void ActorComponents::end_play_all(const char* reason) {
  while (!components_.empty()) {
    end_play(components_.begin()->first, reason);
  }
}

std::size_t ActorComponents::size() const {
  std::size_t n = 0;
  for (const auto& [actor, list] : components_) {
    n += list.size();
  }
  return n;
}

}  // namespace understudy
