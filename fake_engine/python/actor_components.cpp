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

void ActorComponents::attach(ActorId actor, ObjectId component, py::object instance) {
  components_[actor].push_back(Attached{component, instance});
  call_hook(instance, "initialize_component", py::make_tuple());
  call_hook(instance, "begin_play", py::make_tuple());
}

py::object ActorComponents::proxy_of(ObjectId component) const {
  for (const auto& [actor, list] : components_) {
    for (const auto& attached : list) {
      if (attached.component == component) {
        return attached.instance;
      }
    }
  }
  return py::none();
}

void ActorComponents::tick(double delta_seconds) {
  // Copy: a tick may destroy actors, which ends their components' play.
  std::vector<std::pair<ActorId, py::object>> ticking;
  for (const auto& [actor, list] : components_) {
    for (const auto& attached : list) {
      ticking.emplace_back(actor, attached.instance);
    }
  }
  for (const auto& [actor, component] : ticking) {
    // A component whose play ended earlier in this loop is not ticked again.
    const auto it = components_.find(actor);
    if (it == components_.end() ||
        std::none_of(it->second.begin(), it->second.end(),
                     // An init-capture: clang 14 cannot capture a structured binding.
                     [&ticked = component](const Attached& attached) {
                       return attached.instance.is(ticked);
                     })) {
      continue;
    }
    call_hook(component, "tick", py::make_tuple(delta_seconds));
  }
}

void ActorComponents::end_play(ActorId actor, EndPlayReason reason) {
  auto node = components_.extract(actor);
  if (node.empty()) {
    return;
  }
  for (const auto& attached : node.mapped()) {
    call_hook(attached.instance, "end_play", py::make_tuple(static_cast<int>(reason)));
  }
}

void ActorComponents::end_play_all(EndPlayReason reason) {
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
