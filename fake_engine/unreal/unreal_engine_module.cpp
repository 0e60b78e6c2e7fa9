// The `unreal_engine` module: UnrealEnginePython's surface, generated from the
// object model. `classes`, `structs` and `enums` hold what the schema
// declares; UObject reads and writes their UPROPERTYs by attribute; the
// actor, component and asset API follow UEP's signatures. Engine objects may
// only be touched on the main thread; elsewhere they raise RuntimeError
// naming the API and the Python thread, where the real engine would crash.
#include <pybind11/stl.h>

#include <functional>

#include "fake_engine/python/python_runtime.h"
#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/script_functions.h"
#include "fake_engine/unreal/unreal_binding.h"
#include "fake_engine/unreal/unreal_math_types.h"

namespace py = pybind11;

namespace understudy {
namespace {

using unreal::engine_for;
using unreal::WeakState;

constexpr const char* kSchemaHint =
    "declare it in a project schema passed with --schema FILE (docs/object-schema.md)";

// A submodule (classes, structs, enums) whose missing names fail with the
// way to declare them, not a bare AttributeError. `late` finds what was
// registered since the module was made (a Blueprint's class), or None.
py::module_ type_module(const char* name, const char* what,
                        std::function<py::object(const std::string&)> late = {}) {
  py::module_ module = py::module_::import("types").attr("ModuleType")(name);
  const std::string module_name = name;
  const std::string kind = what;
  module.attr("__getattr__") =
      py::cpp_function([module_name, kind, late](const std::string& attribute) {
        if (attribute.starts_with("__")) {
          throw py::attribute_error("module '" + module_name + "' has no attribute '" + attribute +
                                    "'");
        }
        if (late) {
          if (auto found = late(attribute); !found.is_none()) {
            return found;
          }
        }
        const auto message = module_name + ": no " + kind + " '" + attribute +
                             "' in the engine's schema; " + kSchemaHint;
        if (executing_import_from()) {
          throw py::import_error(message);  // else CPython drops the message
        }
        throw py::attribute_error(message);
      });
  return module;
}

void define_type_lookups(py::module_& m, const WeakState& weak) {
  m.def("get_editor_world", [weak] {
    auto state = engine_for(weak, "unreal_engine.get_editor_world");
    return unreal::wrap_object(*state, weak, state->world.world_object());
  });
  m.def(
      "find_class",
      [weak](const std::string& name) {
        auto state = engine_for(weak, "unreal_engine.find_class");
        const auto* cls = state->world.types().find_class(name);
        if (!cls) {
          // UEP raises here too; the hint says how to make the class exist.
          throw std::runtime_error("unable to find class " + name + ": " + kSchemaHint);
        }
        return unreal::wrap_class(*state, weak, cls);
      },
      py::arg("name"));
  m.def(
      "find_struct",
      [weak](const std::string& name) {
        auto state = engine_for(weak, "unreal_engine.find_struct");
        const auto* info = state->world.types().find_struct(name);
        if (!info) {
          throw std::runtime_error("unable to find struct " + name + ": " + kSchemaHint);
        }
        return unreal::wrap_struct_type(*state, weak, info);
      },
      py::arg("name"));
  m.def(
      "find_enum",
      [weak](const std::string& name) {
        auto state = engine_for(weak, "unreal_engine.find_enum");
        const auto* info = state->world.types().find_enum(name);
        if (!info) {
          throw std::runtime_error("unable to find enum " + name + ": " + kSchemaHint);
        }
        return unreal::wrap_enum(*state, weak, info);
      },
      py::arg("name"));
  m.def("all_classes", [weak] {
    auto state = engine_for(weak, "unreal_engine.all_classes");
    py::list list;
    for (const auto& cls : state->world.types().classes()) {
      if (cls.retired.empty()) {  // a deleted Blueprint's class is gone from UE's too
        list.append(unreal::wrap_class(*state, weak, &cls));
      }
    }
    return list;
  });
}

void define_engine_tick(py::module_& m, const WeakState& weak) {
  // UEP's engine_tick(delta): one engine tick now, from a script (GEngine->Tick):
  // here the tickers and the actors' Python components, as a frame runs them.
  m.def(
      "engine_tick",
      [weak](double delta_seconds) {
        engine_for(weak, "unreal_engine.engine_tick")->tick_python_objects(delta_seconds);
      },
      py::arg("delta_seconds") = 0.0);
}

void define_editor_selection(py::module_& m, const WeakState& weak) {
  m.def(
      "editor_select_actor",
      [weak](const py::object& actor) {
        auto state = engine_for(weak, "unreal_engine.editor_select_actor");
        if (!py::isinstance<unreal::UObjectHandle>(actor) ||
            !state->world.is_actor(actor.cast<const unreal::UObjectHandle&>().id)) {
          throw py::type_error(
              "unreal_engine.editor_select_actor: expected an actor in the world, got " +
              py::repr(actor).cast<std::string>());
        }
        const auto id = actor.cast<const unreal::UObjectHandle&>().id;
        auto& selection = state->selected_actors;
        if (std::find(selection.begin(), selection.end(), id) == selection.end()) {
          selection.push_back(id);
        }
      },
      py::arg("actor"));
  m.def("editor_deselect_actors", [weak] {
    engine_for(weak, "unreal_engine.editor_deselect_actors")->selected_actors.clear();
  });
  m.def("editor_get_selected_actors", [weak] {
    auto state = engine_for(weak, "unreal_engine.editor_get_selected_actors");
    py::list list;
    for (const auto id : state->selected_actors) {
      if (state->world.is_actor(id)) {
        list.append(unreal::wrap_object(*state, weak, id));
      }
    }
    return list;
  });
}

}  // namespace

void install_unreal_engine_module(const std::shared_ptr<PythonEngineState>& state) {
  // CPython keeps a pointer to the definition for the module's lifetime.
  static py::module_::module_def module_definition;
  py::module_ m = py::module_::create_extension_module(
      "unreal_engine", "The stand-in engine's API (UnrealEnginePython's surface).",
      &module_definition);
  unreal::define_object_types(m);
  define_unreal_math_types(m);
  const WeakState weak = state;
  define_script_functions(m, weak);
  define_type_lookups(m, weak);
  unreal::define_asset_functions(m, weak);
  unreal::define_blueprint_functions(m, weak);
  define_editor_selection(m, weak);
  define_engine_tick(m, weak);

  const auto& types = state->world.types();
  // As UEP's, which looks classes up by name on each access: classes
  // registered later (Blueprints', scripts') are there too.
  // Off the main thread (RPyC's probes) the registry may be growing: names
  // registered late are not looked up there, and fail as unknown.
  auto classes = type_module("unreal_engine.classes", "class", [weak](const std::string& name) {
    const auto s = weak.lock();
    if (!s || !s->affinity.is_main_thread()) {
      return py::object(py::none());
    }
    const auto* cls = s->world.types().find_class(name);
    return cls ? unreal::wrap_class(*s, weak, cls) : py::object(py::none());
  });
  for (const auto& cls : types.classes()) {
    classes.attr(cls.name.c_str()) = unreal::wrap_class(*state, weak, &cls);
  }
  auto structs = type_module("unreal_engine.structs", "struct");
  for (const auto& info : types.structs()) {
    structs.attr(info.name.c_str()) = unreal::wrap_struct_type(*state, weak, &info);
  }
  auto enums = type_module("unreal_engine.enums", "enum");
  for (const auto& info : types.enums()) {
    enums.attr(info.name.c_str()) = unreal::wrap_enum(*state, weak, &info);
  }
  m.attr("classes") = classes;
  m.attr("structs") = structs;
  m.attr("enums") = enums;

  // Actors destroyed by anyone (scripts, the control channel) drop their
  // Python objects: a kept reference then reports the actor invalid.
  state->world.add_listener([weak](ActorEvent event, const Actor& actor) {
    if (event != ActorEvent::kDestroyed) {
      return;
    }
    if (auto s = weak.lock()) {
      py::gil_scoped_acquire gil;
      const auto& inners = s->world.objects().get(actor.id).inners;
      for (const auto component : std::vector<ObjectId>(inners.begin(), inners.end())) {
        unreal::forget_wrapper(*s, component);
      }
      unreal::forget_wrapper(*s, actor.id);
    }
  });

  const py::dict modules = py::module_::import("sys").attr("modules");
  modules["unreal_engine"] = m;
  modules["unreal_engine.classes"] = classes;
  modules["unreal_engine.structs"] = structs;
  modules["unreal_engine.enums"] = enums;
  // Last: names UEP has and this module lacks fail naming the coverage table.
  install_not_emulated_fallback(m);
}

}  // namespace understudy
