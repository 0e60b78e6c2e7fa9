// The `unreal_engine` module: the surface of UnrealEnginePython that scripts
// written for its asyncio tutorial use. Engine objects may only be touched on
// the main thread; elsewhere they raise RuntimeError naming the API and the
// Python thread, instead of crashing as the real engine would.
#include <pybind11/stl.h>

#include "fake_engine/python/python_runtime.h"
#include "fake_engine/unreal/script_functions.h"

namespace py = pybind11;

namespace understudy {
namespace {

using WeakState = std::weak_ptr<PythonEngineState>;

struct ClassHandle {
  std::string name;
};

struct WorldHandle {
  WeakState state;
};

struct ActorHandle {
  WeakState state;
  ActorId id = 0;
};

std::string python_thread_name() {
  return py::str(py::module_::import("threading").attr("current_thread")().attr("name"));
}

// The engine behind `weak`, after checking it still runs and this is its main thread.
std::shared_ptr<PythonEngineState> engine_for(const WeakState& weak, const char* api) {
  auto state = weak.lock();
  if (!state) {
    throw std::runtime_error(std::string(api) + ": the engine that owned this object has stopped");
  }
  if (!state->affinity.is_main_thread()) {
    throw WrongThreadError(api, python_thread_name());
  }
  return state;
}

Actor actor_of(const ActorHandle& handle, const char* api) {
  auto state = engine_for(handle.state, api);
  auto actor = state->world.find(handle.id);
  if (!actor) {
    throw std::runtime_error(std::string(api) + ": " + NoSuchActorError(handle.id).what());
  }
  return *actor;
}

std::string class_name_of(const py::object& cls) {
  if (py::isinstance<ClassHandle>(cls)) {
    return cls.cast<const ClassHandle&>().name;
  }
  if (py::isinstance<py::str>(cls)) {
    return cls.cast<std::string>();
  }
  throw py::type_error(
      "expected an unreal_engine class (e.g. unreal_engine.classes.Character), got " +
      py::repr(cls).cast<std::string>());
}

void define_types(py::module_& m) {
  // Types are registered with pybind11 once per process; later engines (unit
  // tests create several) reuse them.
  if (py::detail::get_type_info(typeid(ActorHandle)) != nullptr) {
    m.attr("UClass") = py::type::of<ClassHandle>();
    m.attr("UWorld") = py::type::of<WorldHandle>();
    m.attr("UObject") = py::type::of<ActorHandle>();
    return;
  }
  py::class_<ClassHandle>(m, "UClass")
      .def("get_name", [](const ClassHandle& c) { return c.name; })
      .def("__repr__",
           [](const ClassHandle& c) { return "<unreal_engine.UClass '" + c.name + "'>"; })
      .def("__eq__", [](const ClassHandle& a, const ClassHandle& b) { return a.name == b.name; })
      .def("__hash__", [](const ClassHandle& c) { return std::hash<std::string>{}(c.name); });

  py::class_<WorldHandle>(m, "UWorld")
      .def(
          "actor_spawn",
          [](const WorldHandle& w, const py::object& cls, const py::object& /*location*/,
             const py::object& /*rotation*/) {
            auto state = engine_for(w.state, "UWorld.actor_spawn");
            try {
              return ActorHandle{w.state, state->world.spawn(class_name_of(cls))};
            } catch (const UnknownActorClassError& e) {
              throw py::value_error(e.what());
            }
          },
          py::arg("cls"), py::arg("location") = py::none(), py::arg("rotation") = py::none())
      .def("all_actors",
           [](const WorldHandle& w) {
             auto state = engine_for(w.state, "UWorld.all_actors");
             std::vector<ActorHandle> result;
             for (const auto& actor : state->world.actors()) {
               result.push_back(ActorHandle{w.state, actor.id});
             }
             return result;
           })
      .def("find_actor_by_label",
           [](const WorldHandle& w, const std::string& label) -> py::object {
             auto state = engine_for(w.state, "UWorld.find_actor_by_label");
             const auto found = state->world.find_by_label(label);
             if (found.empty()) {
               return py::none();
             }
             return py::cast(ActorHandle{w.state, found.front().id});
           })
      .def(
          "actor_count",
          [](const WorldHandle& w, const py::object& cls) {
            auto state = engine_for(w.state, "UWorld.actor_count");
            return state->world.count(cls.is_none() ? std::string() : class_name_of(cls));
          },
          py::arg("cls") = py::none(),
          "How many actors of that class (or a subclass) exist; all of them without a class. "
          "Cheaper than len(all_actors()) in a large world.")
      .def("get_name", [](const WorldHandle&) { return std::string("EditorWorld"); });

  py::class_<ActorHandle>(m, "UObject")
      .def("get_actor_label",
           [](const ActorHandle& a) { return actor_of(a, "UObject.get_actor_label").label; })
      .def("set_actor_label",
           [](const ActorHandle& a, const std::string& label) {
             // The hot path of the spawn server: one lookup, no copy of the actor.
             auto state = engine_for(a.state, "UObject.set_actor_label");
             try {
               state->world.set_label(a.id, label);
             } catch (const NoSuchActorError& e) {
               throw std::runtime_error(std::string("UObject.set_actor_label: ") + e.what());
             }
           })
      .def("get_name", [](const ActorHandle& a) { return actor_of(a, "UObject.get_name").name; })
      .def("get_class",
           [](const ActorHandle& a) {
             return ClassHandle{actor_of(a, "UObject.get_class").class_name};
           })
      .def("is_valid",
           [](const ActorHandle& a) {
             return engine_for(a.state, "UObject.is_valid")->world.find(a.id).has_value();
           })
      .def("actor_destroy",
           [](const ActorHandle& a) {
             actor_of(a, "UObject.actor_destroy");
             engine_for(a.state, "UObject.actor_destroy")->world.destroy(a.id);
           })
      .def("add_python_component",
           [](const ActorHandle& a, py::object component) {
             auto state = engine_for(a.state, "UObject.add_python_component");
             actor_of(a, "UObject.add_python_component");
             if (py::isinstance<py::type>(component)) {
               component = component();
             }
             component.attr("uobject") = py::cast(a);
             state->components.attach(a.id, component);
             return component;
           })
      .def_property_readonly("id", [](const ActorHandle& a) { return a.id; })
      .def("__eq__",
           [](const ActorHandle& a, const py::object& other) {
             return py::isinstance<ActorHandle>(other) &&
                    other.cast<const ActorHandle&>().id == a.id;
           })
      .def("__hash__", [](const ActorHandle& a) { return std::hash<ActorId>{}(a.id); })
      .def("__repr__", [](const ActorHandle& a) {
        return "<unreal_engine.UObject actor " + std::to_string(a.id) + ">";
      });
}

}  // namespace

void install_unreal_engine_module(const std::shared_ptr<PythonEngineState>& state) {
  // CPython keeps a pointer to the definition for the module's lifetime.
  static py::module_::module_def module_definition;
  py::module_ m = py::module_::create_extension_module(
      "unreal_engine", "The stand-in engine's API (UnrealEnginePython's surface).",
      &module_definition);
  define_types(m);
  const WeakState weak = state;

  define_script_functions(m, weak);
  m.def("get_editor_world", [weak] {
    engine_for(weak, "unreal_engine.get_editor_world");
    return WorldHandle{weak};
  });
  m.def(
      "find_class",
      [weak](const std::string& name) -> py::object {
        auto cls = engine_for(weak, "unreal_engine.find_class")->world.find_class(name);
        return cls ? py::cast(ClassHandle{cls->name}) : py::none();
      },
      py::arg("name"));

  py::module_ classes = py::module_::import("types").attr("ModuleType")("unreal_engine.classes");
  for (const auto& actor_class : state->world.classes()) {
    classes.attr(actor_class.name.c_str()) = ClassHandle{actor_class.name};
  }
  m.attr("classes") = classes;

  const py::dict modules = py::module_::import("sys").attr("modules");
  modules["unreal_engine"] = m;
  modules["unreal_engine.classes"] = classes;
}

}  // namespace understudy
