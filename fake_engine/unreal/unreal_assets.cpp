// Assets, packages and the world's queries of the unreal_engine binding:
// objects outside the world (Material(), new_object), save_package into
// /Game/... packages, the asset lookups, and actor_spawn.
#include <pybind11/stl.h>

#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy::unreal {

namespace {

constexpr const char* kTransientPackage = "/Engine/Transient";

const ClassInfo& package_class(PythonEngineState& state) {
  return *state.world.types().find_class(state.world.objects().roles().package_class);
}

ObjectId transient_package(PythonEngineState& state) {
  auto& store = state.world.objects();
  if (const auto id = store.find_inner(0, kTransientPackage)) {
    return id;
  }
  return store.create(package_class(state), 0, kTransientPackage).id;
}

// An asset: an object directly in a package other than the transient one.
bool is_asset(PythonEngineState& state, const Object& object) {
  auto& store = state.world.objects();
  if (object.outer == 0 || store.get(object.outer).outer != 0) {
    return false;
  }
  const auto& package = store.get(object.outer);
  return package.name != kTransientPackage && !package.name.starts_with("/Script/") &&
         package.id != store.outermost(state.world.world_object());
}

ObjectId asset_at(PythonEngineState& state, const std::string& path) {
  auto& store = state.world.objects();
  const auto id = store.find_path(path);
  const auto* object = store.find(id);
  return object && is_asset(state, *object) ? id : 0;
}

ObjectId object_id(PythonEngineState& state, py::handle object, std::string_view api) {
  if (object.is_none()) {
    return 0;
  }
  if (!py::isinstance<UObjectHandle>(object) || !object.cast<const UObjectHandle&>().is_object()) {
    throw py::type_error(std::string(api) + ": expected a UObject, got " +
                         python_type_name(object));
  }
  const auto id = object.cast<const UObjectHandle&>().id;
  if (!state.world.objects().find(id)) {
    throw std::runtime_error(std::string(api) + ": the UObject is no longer valid (destroyed)");
  }
  return id;
}

void set_properties(PythonEngineState& state, ObjectId id, const py::kwargs& properties,
                    std::string_view api) {
  auto& object = state.world.objects().get(id);
  for (const auto& [key, value] : properties) {
    const auto name = key.cast<std::string>();
    const auto* property = object.cls->find_property(name);
    if (!property) {
      throw py::attribute_error(std::string(api) + ": " + object.cls->name + " has no property '" +
                                name + "'");
    }
    object.write(*property) =
        from_python(state, property->type, value, object.cls->name + "." + name);
  }
}

}  // namespace

ObjectId package_named(PythonEngineState& state, const std::string& name, std::string_view api) {
  if (name.empty() || name.front() != '/' || name.find_first_of(".: ") != std::string::npos) {
    throw py::value_error(std::string(api) + ": '" + name +
                          "' is not a package name (e.g. /Game/Props/Chair)");
  }
  auto& store = state.world.objects();
  if (const auto id = store.find_inner(0, name)) {
    return id;
  }
  return store.create(package_class(state), 0, name).id;
}

ObjectId new_object(PythonEngineState& state, const ClassInfo& cls, ObjectId outer,
                    const std::string& name, std::string_view api) {
  const auto& roles = state.world.objects().roles();
  const auto* actor = state.world.types().find_class(roles.actor_class);
  if (actor && cls.is_a(*actor)) {
    throw py::type_error(std::string(api) + ": " + cls.name +
                         " is an actor class: spawn actors with world.actor_spawn()");
  }
  if (cls.abstract) {
    throw py::type_error(std::string(api) + ": " + cls.name + " is abstract");
  }
  try {
    return state.world.objects()
        .create(cls, outer != 0 ? outer : transient_package(state), name)
        .id;
  } catch (const std::invalid_argument& e) {
    throw py::value_error(std::string(api) + ": " + e.what());
  }
}

void define_world_and_asset_methods(py::class_<UObjectHandle>& uobject) {
  uobject
      .def(
          "actor_spawn",
          [](const UObjectHandle& h, const py::object& cls, const py::object& location,
             const py::object& rotation, const py::kwargs& properties) {
            auto state = engine_for(h.state, "UObject.actor_spawn");
            const auto& info = class_argument(cls, "UObject.actor_spawn");
            ActorId id = 0;
            try {
              id = state->world.spawn(info);
            } catch (const UnknownActorClassError& e) {
              // A runtime class says what made it: which Blueprint or script.
              const auto origin = info.runtime && info.parent
                                      ? " (made by " + info.where.describe() + ", deriving from " +
                                            info.parent->name + ")"
                                      : std::string();
              throw py::value_error(std::string("UObject.actor_spawn: ") + e.what() + origin);
            }
            apply_runtime_class_templates(*state, id);
            auto actor = wrap_object(*state, h.state, id);
            // As UEP's deferred spawn: the constructor, properties, then the transform.
            try {
              construct_python_object(*state, h.state, id);
              set_properties(*state, id, properties, "UObject.actor_spawn");
              place_spawned_actor(state, id, location, rotation);
            } catch (...) {
              state->world.destroy(id);
              forget_wrapper(*state, id);
              throw;
            }
            start_python_actor(*state, h.state, id);
            return actor;
          },
          py::arg("cls"), py::arg("location") = py::none(), py::arg("rotation") = py::none())
      .def("all_actors",
           [](const UObjectHandle& h) {
             auto state = engine_for(h.state, "UObject.all_actors");
             py::list list;
             for (const auto id : state->world.actor_ids()) {
               list.append(wrap_object(*state, h.state, id));
             }
             return list;
           })
      .def("find_actor_by_label",
           [](const UObjectHandle& h, const std::string& label) {
             auto state = engine_for(h.state, "UObject.find_actor_by_label");
             return wrap_object(*state, h.state, state->world.first_with_label(label));
           })
      .def(
          "actor_count",
          [](const UObjectHandle& h, const py::object& cls) {
            auto state = engine_for(h.state, "UObject.actor_count");
            return state->world.count(
                cls.is_none() ? std::string() : class_argument(cls, "UObject.actor_count").name);
          },
          py::arg("cls") = py::none(),
          "How many actors of that class (or a subclass) exist; all of them without a class. "
          "Cheaper than len(all_actors()) in a large world (an Understudy extension).")
      .def("get_levels",
           [](const UObjectHandle& h) {
             auto state = engine_for(h.state, "UObject.get_levels");
             py::list list;
             list.append(wrap_object(*state, h.state, state->world.level()));
             return list;
           })
      .def("get_current_level",
           [](const UObjectHandle& h) {
             auto state = engine_for(h.state, "UObject.get_current_level");
             return wrap_object(*state, h.state, state->world.level());
           })
      .def(
          "save_package",
          [](const UObjectHandle& h, const py::object& name) {
            // As UEP's py_ue_save_package: with a name, the object moves into that
            // package; without one, it must be in a package already. Returns the object.
            auto state = engine_for(h.state, "UObject.save_package");
            auto& store = state->world.objects();
            const auto id = object_id(*state, py::cast(h), "UObject.save_package");
            auto self = wrap_object(*state, h.state, id);
            if (name.is_none()) {
              const auto& object = store.get(id);
              if (!is_asset(*state, object)) {
                throw std::runtime_error(
                    "UObject.save_package: the object has no associated "
                    "package, please specify a name (" +
                    object.name + ")");
              }
              return self;
            }
            const auto package =
                package_named(*state, name.cast<std::string>(), "UObject.save_package");
            if (store.get(id).outer != package) {
              try {
                store.move(id, package, store.get(id).name);
              } catch (const std::invalid_argument& e) {
                throw py::value_error(std::string("UObject.save_package: ") + e.what());
              }
            }
            return self;
          },
          py::arg("name") = py::none())
      .def("__call__", [](const UObjectHandle& h, const py::args& args, const py::kwargs& kwargs) {
        auto state = engine_for(h.state, "UObject.__call__");
        if (h.script_struct) {
          if (!args.empty()) {
            throw py::type_error("struct " + h.script_struct->name +
                                 " takes its fields as keywords (Field=value)");
          }
          auto instance = py::cast(
              StructInstance{std::make_shared<StructValue>(h.script_struct->prototype), h.state});
          for (const auto& [key, value] : kwargs) {
            py::setattr(instance, key, value);
          }
          return instance;
        }
        if (h.cls) {
          // Calling a class is UEP's new_object(cls, outer, name): Cls(name=None,
          // outer=None), in the transient package by default; keywords set properties.
          const auto api = h.cls->name + "()";
          if (args.size() > 2) {
            throw py::type_error(api + " takes at most a name and an outer");
          }
          const std::string name =
              args.size() > 0 && !args[0].is_none() ? args[0].cast<std::string>() : std::string();
          const ObjectId outer = args.size() > 1 ? object_id(*state, args[1], api) : 0;
          const auto id = new_object(*state, *h.cls, outer, name, api);
          construct_python_object(*state, h.state, id);
          set_properties(*state, id, kwargs, h.cls->name + "()");
          return wrap_object(*state, h.state, id);
        }
        throw py::type_error("'unreal_engine.UObject' object is not callable");
      });
}

void define_asset_functions(py::module_& m, const WeakState& weak) {
  m.def(
      "new_object",
      [weak](const py::object& cls, const py::object& outer, const py::object& name, std::int64_t) {
        auto state = engine_for(weak, "unreal_engine.new_object");
        const auto id = new_object(*state, class_argument(cls, "unreal_engine.new_object"),
                                   object_id(*state, outer, "unreal_engine.new_object"),
                                   name.is_none() ? std::string() : name.cast<std::string>(),
                                   "unreal_engine.new_object");
        construct_python_object(*state, weak, id);
        return wrap_object(*state, weak, id);
      },
      py::arg("cls"), py::arg("outer") = py::none(), py::arg("name") = py::none(),
      py::arg("flags") = 0);
  m.def(
      "find_object",
      [weak](const std::string& name) {
        auto state = engine_for(weak, "unreal_engine.find_object");
        auto& store = state->world.objects();
        if (const auto* runtime_class = runtime_class_at(*state, name)) {
          return wrap_class(*state, weak, runtime_class);
        }
        const auto id = name.find_first_of("/.:") != std::string::npos ? store.find_path(name)
                                                                       : store.find_by_name(name);
        if (id == 0) {
          throw std::runtime_error("unreal_engine.find_object: unable to find object " + name);
        }
        return wrap_object(*state, weak, id);
      },
      py::arg("name"));
  m.def(
      "load_object",
      [weak](const py::object& cls, const std::string& path) {
        auto state = engine_for(weak, "unreal_engine.load_object");
        const auto& info = class_argument(cls, "unreal_engine.load_object");
        if (const auto* runtime_class = runtime_class_at(*state, path)) {
          // A Blueprint's generated class: a UClass, which is a UObject.
          if (info.parent == nullptr || info.name == "Class" ||
              info.name == "BlueprintGeneratedClass") {
            return wrap_class(*state, weak, runtime_class);
          }
        }
        const auto id = state->world.objects().find_path(path);
        const auto* object = state->world.objects().find(id);
        if (!object || !object->cls->is_a(info)) {
          throw std::runtime_error("unreal_engine.load_object: unable to load " + info.name + " '" +
                                   path + "'" +
                                   (object ? " (it is a " + object->cls->name + ")" : ""));
        }
        return wrap_object(*state, weak, id);
      },
      py::arg("cls"), py::arg("name"));
  m.def(
      "load_class",
      [weak](const std::string& name) {
        // UEP's LoadObject<UClass>: a class by path ("/Game/Heroes/Hero.Hero_C",
        // "/Script/Engine.Actor").
        auto state = engine_for(weak, "unreal_engine.load_class");
        if (const auto* runtime_class = runtime_class_at(*state, name)) {
          return wrap_class(*state, weak, runtime_class);
        }
        const auto dot = name.rfind('.');
        const auto* cls = name.starts_with("/Script/") && dot != std::string::npos
                              ? state->world.types().find_class(name.substr(dot + 1))
                              : nullptr;
        if (!cls || cls->runtime) {
          throw std::runtime_error("unreal_engine.load_class: unable to find class " + name);
        }
        return wrap_class(*state, weak, cls);
      },
      py::arg("name"));
  m.def(
      "get_asset",
      [weak](const std::string& path) {
        auto state = engine_for(weak, "unreal_engine.get_asset");
        const auto id = asset_at(*state, path);
        if (id == 0) {
          throw std::runtime_error("unreal_engine.get_asset: unable to find asset " + path);
        }
        return wrap_object(*state, weak, id);
      },
      py::arg("path"));
  m.def(
      "find_asset",
      [weak](const std::string& path) {
        auto state = engine_for(weak, "unreal_engine.find_asset");
        return wrap_object(*state, weak, asset_at(*state, path));
      },
      py::arg("path"));
  m.def(
      "get_assets",
      [weak](const std::string& folder, bool recursive) {
        auto state = engine_for(weak, "unreal_engine.get_assets");
        py::list list;
        const auto prefix = folder.ends_with('/') ? folder : folder + "/";
        state->world.objects().for_each([&](const Object& object) {
          if (!is_asset(*state, object)) {
            return;
          }
          const auto& package = state->world.objects().get(object.outer).name;
          if (!package.starts_with(prefix)) {
            return;
          }
          if (!recursive && package.find('/', prefix.size()) != std::string::npos) {
            return;
          }
          list.append(wrap_object(*state, weak, object.id));
        });
        return list;
      },
      py::arg("path"), py::arg("recursive") = false);
  m.def(
      "get_assets_by_class",
      [weak](const std::string& class_name) {
        // UEP takes the class's name here (the asset registry's class filter).
        auto state = engine_for(weak, "unreal_engine.get_assets_by_class");
        const auto* found = state->world.types().find_class(class_name);
        if (!found) {
          throw py::value_error("unreal_engine.get_assets_by_class: unknown class '" + class_name +
                                "'");
        }
        const auto& info = *found;
        py::list list;
        state->world.objects().for_each([&](const Object& object) {
          if (is_asset(*state, object) && object.cls->is_a(info)) {
            list.append(wrap_object(*state, weak, object.id));
          }
        });
        return list;
      },
      py::arg("class_name"));
  m.def(
      "delete_asset",
      [weak](const std::string& path) {
        auto state = engine_for(weak, "unreal_engine.delete_asset");
        const auto id = asset_at(*state, path);
        if (id == 0) {
          throw std::runtime_error("unreal_engine.delete_asset: unable to find asset " + path);
        }
        auto& store = state->world.objects();
        retire_blueprint_classes(*state, id, "unreal_engine.delete_asset");
        const auto package = store.get(id).outer;
        forget_wrapper(*state, id);
        store.destroy(id);
        if (store.get(package).inners.empty()) {
          forget_wrapper(*state, package);
          store.destroy(package);
        }
      },
      py::arg("path"));
  m.def("get_transient_package", [weak] {
    auto state = engine_for(weak, "unreal_engine.get_transient_package");
    return wrap_object(*state, weak, transient_package(*state));
  });
}

}  // namespace understudy::unreal
