// `_unity_scene`: the C++ half of the UnityEngine binding. The Python modules
// in fake_engine/unity/pylib (UnityEngine, UnityEditor) show Unity's API; this
// module is their access to the engine's Unity scene, a World on the object
// model loaded from fake_engine/schema/unity: GameObjects are the world's
// actors (a GameObject's name is its label, as Unity's names need not be
// unique), components are objects whose outer is their GameObject, and a
// Transform's parent is the model's attach relation.
//
// Objects are ids (ints); values are Python's plain types, a struct a tuple of
// its fields in declaration order. Every function but `log` runs on the main
// thread only and raises WrongThreadError (a RuntimeError) elsewhere, as
// Unity's API throws "can only be called from the main thread".
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cmath>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/install_layout.h"
#include "fake_engine/python/python_runtime.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy {

namespace {

using unreal::WeakState;

// The Unity scene behind `weak`, on the main thread.
World& scene_for(const WeakState& weak, const char* api) {
  return unreal::engine_for(weak, api)->unity_world;
}

const ClassInfo& class_named(const World& scene, const std::string& name, const char* api) {
  const auto* cls = scene.types().find_class(name);
  if (!cls) {
    throw py::value_error(std::string(api) + ": no class '" + name + "' in the Unity schema");
  }
  return *cls;
}

Object& object_at(World& scene, ObjectId id, const char* api) {
  auto* object = scene.objects().find(id);
  if (!object) {
    throw py::value_error(std::string(api) + ": the object (id " + std::to_string(id) +
                          ") has been destroyed");
  }
  return *object;
}

const PropertyInfo& property_of(const Object& object, const std::string& name, const char* api) {
  const auto* property = object.cls->find_property(name);
  if (!property) {
    throw py::attribute_error(std::string(api) + ": class '" + object.cls->name +
                              "' has no property '" + name + "'");
  }
  return *property;
}

py::object to_python(const Value& value) {
  return std::visit(
      [](const auto& v) -> py::object {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return py::none();
        } else if constexpr (std::is_same_v<T, bool>) {
          return py::bool_(v);
        } else if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int64_t>) {
          return py::int_(static_cast<std::int64_t>(v));
        } else if constexpr (std::is_same_v<T, double>) {
          return py::float_(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return py::str(v);
        } else if constexpr (std::is_same_v<T, NameValue> || std::is_same_v<T, TextValue>) {
          return py::str(v.text);
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return py::int_(v.value);
        } else if constexpr (std::is_same_v<T, StructBox>) {
          py::tuple fields(v.get().fields.size());
          for (std::size_t i = 0; i < v.get().fields.size(); ++i) {
            fields[i] = to_python(v.get().fields[i]);
          }
          return py::object(std::move(fields));
        } else if constexpr (std::is_same_v<T, ObjectRef>) {
          return py::int_(v.id);
        } else if constexpr (std::is_same_v<T, ClassRef>) {
          return v.cls ? py::object(py::str(v.cls->name)) : py::object(py::none());
        } else if constexpr (std::is_same_v<T, ValueList>) {
          py::list items;
          for (const auto& item : v) {
            items.append(to_python(item));
          }
          return py::object(std::move(items));
        } else {
          py::dict items;
          for (const auto& [key, item] : v) {
            items[to_python(key)] = to_python(item);
          }
          return py::object(std::move(items));
        }
      },
      value.storage);
}

// A Python value for a property of `type` (the Python side passes structs as
// tuples of fields and objects as ids); TypeError naming `what` otherwise.
Value from_python(const TypeRegistry& types, const ValueType& type, py::handle value,
                  const std::string& what) {
  auto mismatch = [&](const char* expected) {
    return py::type_error(what + ": expected " + expected + ", got " +
                          unreal::python_type_name(value));
  };
  switch (type.kind) {
    case ValueKind::kBool:
      if (!py::isinstance<py::bool_>(value)) {
        throw mismatch("bool");
      }
      return Value(value.cast<bool>());
    case ValueKind::kStruct: {
      if (!py::isinstance<py::tuple>(value) && !py::isinstance<py::list>(value)) {
        throw mismatch(type.type_name.c_str());
      }
      const auto items = py::reinterpret_borrow<py::sequence>(value);
      const auto& info = *type.struct_info;
      if (items.size() != info.fields.size()) {
        throw mismatch(type.type_name.c_str());
      }
      StructValue out{&info, {}};
      for (std::size_t i = 0; i < info.fields.size(); ++i) {
        out.fields.push_back(
            from_python(types, info.fields[i]->type, items[i], what + "." + info.fields[i]->name));
      }
      return Value(StructBox(std::move(out)));
    }
    case ValueKind::kObject:
      if (value.is_none()) {
        return Value(ObjectRef{0});
      }
      if (!py::isinstance<py::int_>(value)) {
        throw mismatch(type.type_name.c_str());
      }
      return Value(ObjectRef{value.cast<ObjectId>()});
    case ValueKind::kArray: {
      if (!py::isinstance<py::list>(value) && !py::isinstance<py::tuple>(value)) {
        throw mismatch("a list");
      }
      ValueList items;
      for (const auto item : value) {
        items.push_back(from_python(types, *type.item, item, what + "[]"));
      }
      return Value(std::move(items));
    }
    case ValueKind::kString:
    case ValueKind::kName:
    case ValueKind::kText:
      if (!py::isinstance<py::str>(value)) {
        throw mismatch("str");
      }
      return types.coerce(type, Value(value.cast<std::string>()));
    default:
      if (py::isinstance<py::bool_>(value) ||
          !(py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))) {
        throw mismatch(type.spelling().c_str());
      }
      if (py::isinstance<py::int_>(value)) {
        return types.coerce(type, Value(value.cast<std::int64_t>()));
      }
      return types.coerce(type, Value(value.cast<double>()));
  }
}

py::list id_list(const std::vector<ObjectId>& ids) {
  py::list list;
  for (const auto id : ids) {
    list.append(id);
  }
  return list;
}

// A new scene as Unity's editor makes it: a "Main Camera" at (0, 1, -10) and
// a "Directional Light" at (0, 3, 0) turned by Euler (50, -30, 0).
void open_default_scene(World& scene) {
  auto& objects = scene.objects();
  const auto& types = scene.types();
  auto place = [&](ObjectId game_object, std::array<double, 3> position,
                   std::array<double, 4> rotation) {
    const auto& transform_class = *types.find_class("Transform");
    auto& transform = objects.get(*objects.get(game_object).inners.begin());
    auto as_struct = [&](const char* name, const auto& fields) {
      StructValue value{types.find_struct(name), {}};
      for (const double field : fields) {
        value.fields.emplace_back(field);
      }
      return Value(StructBox(std::move(value)));
    };
    transform.write(*transform_class.find_property("m_LocalPosition")) =
        as_struct("Vector3", position);
    transform.write(*transform_class.find_property("m_LocalRotation")) =
        as_struct("Quaternion", rotation);
  };
  const auto& game_object = *types.find_class("GameObject");
  const auto camera = scene.spawn(game_object, std::string("Main Camera"));
  objects.get(camera).write(*game_object.find_property("m_TagString")) =
      Value(std::string("MainCamera"));
  objects.create(*types.find_class("Camera"), camera);
  place(camera, {0, 1, -10}, {0, 0, 0, 1});
  const auto light = scene.spawn(game_object, std::string("Directional Light"));
  objects.create(*types.find_class("Light"), light);
  // Quaternion.Euler(50, -30, 0): the rotation about Y after the one about X.
  constexpr double kHalfDegree = 3.14159265358979323846 / 360.0;
  const double sx = std::sin(50 * kHalfDegree), cx = std::cos(50 * kHalfDegree);
  const double sy = std::sin(-30 * kHalfDegree), cy = std::cos(-30 * kHalfDegree);
  place(light, {0, 3, 0}, {cy * sx, sy * cx, -sy * sx, cy * cx});
}

// The values of the classes' static properties (C#'s static members): one
// per class, each starting at its declared default when first touched.
class StaticPropertyValues {
 public:
  Value& at(const ClassInfo& cls, const PropertyInfo& property) {
    auto& values = values_[&cls];
    if (values.empty()) {
      for (const auto& declared : cls.static_properties) {
        values.push_back(declared.default_value);
      }
    }
    return values.at(property.slot);
  }

 private:
  std::map<const ClassInfo*, std::vector<Value>> values_;
};

const PropertyInfo& static_property_of(const ClassInfo& cls, const std::string& name,
                                       const char* api) {
  const auto* property = cls.find_static_property(name);
  if (!property) {
    throw py::attribute_error(std::string(api) + ": class '" + cls.name +
                              "' has no static property '" + name + "'");
  }
  return *property;
}

py::list property_list(const std::deque<PropertyInfo>& properties) {
  py::list list;
  for (const auto& property : properties) {
    list.append(py::make_tuple(property.name, property.type.spelling(), property.doc));
  }
  return list;
}

void define_scene_functions(py::module_& m, const WeakState& weak) {
  const auto statics = std::make_shared<StaticPropertyValues>();
  m.def("get_static", [weak, statics](const std::string& class_name, const std::string& property) {
    const char* api = "UnityEngine (a static property, read)";
    auto& scene = scene_for(weak, api);
    const auto& cls = class_named(scene, class_name, api);
    return to_python(statics->at(cls, static_property_of(cls, property, api)));
  });
  m.def("set_static", [weak, statics](const std::string& class_name, const std::string& property,
                                      py::handle value) {
    const char* api = "UnityEngine (a static property, write)";
    auto& scene = scene_for(weak, api);
    const auto& cls = class_named(scene, class_name, api);
    const auto& info = static_property_of(cls, property, api);
    // Converted first: a value of the wrong type changes nothing.
    auto converted = from_python(scene.types(), info.type, value, cls.name + "." + property);
    statics->at(cls, info) = std::move(converted);
  });
  m.def("project_dir", [weak]() {
    auto state = weak.lock();
    if (!state) {
      throw std::runtime_error("UnityEngine.Application: the engine has stopped");
    }
    return state->scripts.project_dir.empty() ? std::filesystem::current_path().string()
                                              : state->scripts.project_dir.string();
  });
  m.def(
      "log",
      [weak](const std::string& severity, const std::string& text) {
        // Any thread: Debug.Log is a fast call in Unity (no main thread needed).
        auto state = weak.lock();
        if (!state) {
          throw std::runtime_error("UnityEngine.Debug.Log: the engine has stopped");
        }
        py::gil_scoped_release released;
        state->console.write(severity == "error"     ? Severity::kError
                             : severity == "warning" ? Severity::kWarning
                                                     : Severity::kLog,
                             text);
      },
      py::arg("severity"), py::arg("text"));
  m.def(
      "spawn",
      [weak](const std::string& class_name, const std::string& name) {
        auto& scene = scene_for(weak, "UnityEngine.GameObject");
        return scene.spawn(class_named(scene, class_name, "UnityEngine.GameObject"), name);
      },
      py::arg("class_name"), py::arg("name"));
  m.def(
      "add_component",
      [weak](ObjectId game_object, const std::string& class_name) {
        const char* api = "UnityEngine.GameObject.AddComponent";
        auto& scene = scene_for(weak, api);
        object_at(scene, game_object, api);
        const auto& cls = class_named(scene, class_name, api);
        return scene.objects().create(cls, game_object).id;
      },
      py::arg("game_object"), py::arg("class_name"));
  m.def("destroy", [weak](ObjectId id) {
    auto& scene = scene_for(weak, "UnityEngine.Object.Destroy");
    return scene.is_actor(id) ? scene.destroy(id) : scene.objects().destroy(id);
  });
  m.def("valid", [weak](ObjectId id) {
    return scene_for(weak, "UnityEngine.Object").objects().find(id) != nullptr;
  });
  m.def("class_of", [weak](ObjectId id) {
    const char* api = "UnityEngine.Object.GetType";
    return object_at(scene_for(weak, api), id, api).cls->name;
  });
  m.def("is_a", [weak](ObjectId id, const std::string& class_name) {
    const char* api = "UnityEngine.Object";
    auto& scene = scene_for(weak, api);
    const auto* object = scene.objects().find(id);
    const auto* cls = scene.types().find_class(class_name);
    return object && cls && object->cls->is_a(*cls);
  });
  m.def("get", [weak](ObjectId id, const std::string& property) {
    const char* api = "UnityEngine.Object (read)";
    auto& object = object_at(scene_for(weak, api), id, api);
    return to_python(object.read(property_of(object, property, api)));
  });
  m.def("set", [weak](ObjectId id, const std::string& property, py::handle value) {
    const char* api = "UnityEngine.Object (write)";
    auto& scene = scene_for(weak, api);
    auto& object = object_at(scene, id, api);
    const auto& info = property_of(object, property, api);
    object.write(info) =
        from_python(scene.types(), info.type, value, object.cls->name + "." + property);
  });
  m.def("name_of", [weak](ObjectId id) {
    const char* api = "UnityEngine.Object.name";
    auto& scene = scene_for(weak, api);
    const auto& object = object_at(scene, id, api);
    const auto* label = scene.label_of(id);
    if (!label) {
      label = scene.label_of(object.outer);  // a component: its GameObject's name
    }
    return label ? *label : object.name;
  });
  m.def("set_name", [weak](ObjectId id, std::string name) {
    const char* api = "UnityEngine.Object.name";
    auto& scene = scene_for(weak, api);
    const auto& object = object_at(scene, id, api);
    scene.set_label(scene.is_actor(id) ? id : object.outer, std::move(name));
  });
  m.def("find_by_name", [weak](const std::string& name) {
    auto& scene = scene_for(weak, "UnityEngine.GameObject.Find");
    std::vector<ObjectId> ids;
    for (const auto& actor : scene.find_by_label(name)) {
      ids.push_back(actor.id);
    }
    return id_list(ids);
  });
  m.def("find_active", [weak](const std::string& name) -> ObjectId {
    // GameObject.Find's common case in one call: the first GameObject of that
    // name that is active in the hierarchy (it and every parent active), or 0.
    auto& scene = scene_for(weak, "UnityEngine.GameObject.Find");
    const auto& objects = scene.objects();
    const auto& game_object = class_named(scene, "GameObject", "UnityEngine.GameObject.Find");
    const auto& transform = class_named(scene, "Transform", "UnityEngine.GameObject.Find");
    const auto& active = *game_object.find_property("m_IsActive");
    const auto& root = *game_object.find_property("m_Transform");
    const auto& father = *transform.find_property("m_Father");
    for (const auto& actor : scene.find_by_label(name)) {
      ObjectId current = actor.id;
      bool active_in_hierarchy = true;
      while (current != 0 && active_in_hierarchy) {
        const auto& owner = objects.get(current);
        active_in_hierarchy = owner.read(active).as<bool>();
        const auto& its_transform = objects.get(owner.read(root).as<ObjectRef>().id);
        const auto parent = its_transform.read(father).as<ObjectRef>().id;
        current = parent == 0 ? 0 : objects.get(parent).outer;
      }
      if (active_in_hierarchy) {
        return actor.id;
      }
    }
    return 0;
  });
  m.def("game_objects", [weak]() {
    return id_list(scene_for(weak, "UnityEngine.Object.FindObjectsOfType").actor_ids());
  });
  m.def("objects_of_class", [weak](const std::string& class_name) {
    const char* api = "UnityEngine.Object.FindObjectsOfType";
    auto& scene = scene_for(weak, api);
    const auto& cls = class_named(scene, class_name, api);
    std::vector<ObjectId> ids;
    scene.objects().for_each([&](const Object& object) {
      if (object.cls->is_a(cls)) {
        ids.push_back(object.id);
      }
    });
    return id_list(ids);
  });
  m.def("components", [weak](ObjectId game_object) {
    const char* api = "UnityEngine.GameObject.GetComponents";
    const auto& object = object_at(scene_for(weak, api), game_object, api);
    return id_list(std::vector<ObjectId>(object.inners.begin(), object.inners.end()));
  });
  m.def("owner", [weak](ObjectId id) {
    const char* api = "UnityEngine.Component.gameObject";
    return object_at(scene_for(weak, api), id, api).outer;
  });
  m.def("attach", [weak](ObjectId child, ObjectId parent) {
    scene_for(weak, "UnityEngine.Transform.SetParent").objects().attach(child, parent);
  });
  m.def("create_asset", [weak](const std::string& class_name, const std::string& path) {
    const char* api = "UnityEditor.AssetDatabase.LoadAssetAtPath";
    auto& scene = scene_for(weak, api);
    return scene.objects().create(class_named(scene, class_name, api), 0, path).id;
  });
  m.def("classes", [weak]() {
    // Any thread: types are immutable once loaded.
    auto state = weak.lock();
    if (!state) {
      throw std::runtime_error("UnityEngine: the engine has stopped");
    }
    py::list list;
    for (const auto& cls : state->unity_world.types().classes()) {
      py::list properties;
      for (const auto* property : cls.properties) {
        properties.append(py::make_tuple(property->name, property->type.spelling(), property->doc));
      }
      py::list functions;
      for (const auto* function : cls.functions()) {
        functions.append(py::make_tuple(function->name, function->doc));
      }
      list.append(py::dict(py::arg("name") = cls.name, py::arg("parent") = cls.parent_name,
                           py::arg("namespace") = cls.namespace_name,
                           py::arg("assembly") = cls.assembly,
                           py::arg("static_properties") = property_list(cls.static_properties),
                           py::arg("abstract") = cls.abstract, py::arg("doc") = cls.doc,
                           py::arg("properties") = properties, py::arg("functions") = functions,
                           py::arg("where") = cls.where.describe()));
    }
    return list;
  });
  m.def("enum_values", [weak](const std::string& name) {
    auto state = weak.lock();
    const auto* info = state ? state->unity_world.types().find_enum(name) : nullptr;
    if (!info) {
      throw py::value_error("UnityEngine: no enum '" + name + "' in the Unity schema");
    }
    return info->values;
  });
}

}  // namespace

void install_unity_scene_module(const std::shared_ptr<PythonEngineState>& state) {
  static py::module_::module_def module_definition;
  py::module_ m = py::module_::create_extension_module(
      "_unity_scene", "The engine's Unity scene, for the UnityEngine binding.", &module_definition);
  define_scene_functions(m, state);
  if (state->unity_world.actor_ids().empty()) {
    open_default_scene(state->unity_world);
  }
  const auto sys = py::module_::import("sys");
  sys.attr("modules")["_unity_scene"] = m;
  // UnityEngine, UnityEditor, System and clr themselves are Python.
  py::list path = sys.attr("path");
  const std::string pylib =
      InstallLayout::locate("share/understudy/engine/unity/pylib", UNDERSTUDY_UNITY_PYLIB_DIR);
  if (!path.contains(pylib)) {
    path.append(pylib);
  }
}

}  // namespace understudy
