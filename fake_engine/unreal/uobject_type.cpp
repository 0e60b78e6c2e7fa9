// unreal_engine.UObject and unreal_engine.UScriptStruct: objects, classes,
// struct types and enums of the object model as UnrealEnginePython shows
// them. Attribute access reads and writes UPROPERTYs and calls UFUNCTIONs,
// after the type's own methods, as UEP's getattro does.
//
// The type's slots and the methods every UObject has are here; its other
// methods are in uobject_functions.cpp, uobject_components.cpp and
// uobject_transforms.cpp, all reaching objects through the LiveObject
// helpers of uobject_live_object.h.
#include <string>
#include <vector>

#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/uobject_live_object.h"

namespace py = pybind11;

namespace understudy::unreal::uobject_detail {

std::string describe(const UObjectHandle& handle) {
  const auto state = handle.state.lock();
  if (handle.cls) {
    return "<unreal_engine.UObject '" + handle.cls->name + "' UClass 'Class'>";
  }
  if (handle.script_struct) {
    return "<unreal_engine.UObject '" + handle.script_struct->name + "' UClass 'ScriptStruct'>";
  }
  if (handle.enumeration) {
    return "<unreal_engine.UObject '" + handle.enumeration->name + "' UClass 'Enum'>";
  }
  const Object* object =
      state && state->affinity.is_main_thread() ? state->world.objects().find(handle.id) : nullptr;
  if (!object) {
    return "<unreal_engine.UObject (invalid) id " + std::to_string(handle.id) + ">";
  }
  return "<unreal_engine.UObject '" + object->name + "' UClass '" + object->cls->name + "'>";
}

namespace {

bool same(const UObjectHandle& a, const UObjectHandle& b) {
  return a.id == b.id && a.cls == b.cls && a.script_struct == b.script_struct &&
         a.enumeration == b.enumeration;
}

std::size_t hash_of(const UObjectHandle& h) {
  if (h.id) {
    return std::hash<ObjectId>{}(h.id);
  }
  const void* p = h.cls             ? static_cast<const void*>(h.cls)
                  : h.script_struct ? static_cast<const void*>(h.script_struct)
                                    : static_cast<const void*>(h.enumeration);
  return std::hash<const void*>{}(p);
}

// --- raw attribute slots ----------------------------------------------------------

PyObject* instance_dict_item(PyObject* self, PyObject* name) {
  PyObject** dict = _PyObject_GetDictPtr(self);
  if (dict == nullptr || *dict == nullptr) {
    return nullptr;
  }
  PyObject* item = PyDict_GetItemWithError(*dict, name);  // borrowed
  if (item != nullptr) {
    Py_INCREF(item);
  }
  return item;
}

PyObject* uobject_getattro(PyObject* self, PyObject* name) {
  // The type's own methods and descriptors come first, then what a script
  // stored on the object, then UPROPERTYs and UFUNCTIONs (UEP's order).
  if (_PyType_Lookup(Py_TYPE(self), name) != nullptr) {
    return PyObject_GenericGetAttr(self, name);
  }
  if (PyObject* item = instance_dict_item(self, name)) {
    return item;
  }
  if (PyErr_Occurred()) {
    return nullptr;
  }
  try {
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize(name, &size);
    if (utf8 == nullptr) {
      return nullptr;
    }
    const std::string_view attribute(utf8, static_cast<std::size_t>(size));
    const auto& handle = py::handle(self).cast<const UObjectHandle&>();
    // A Python subclass's methods and class attributes (its namespace), even
    // those named with a leading underscore.
    if (const ClassInfo* cls = handle.is_object() ? handle.object_class : handle.cls;
        cls != nullptr && cls->runtime) {
      if (auto found =
              python_class_attribute(handle, cls, handle.is_object() ? self : nullptr, attribute)) {
        return found.release().ptr();
      }
    }
    // Python's and RPyC's own probes (____id_pack__, __length_hint__) are
    // never UPROPERTYs: they fail as Python's would, on any thread, without
    // touching the engine (RPyC boxes results on its connection threads).
    if (attribute.starts_with("_")) {
      PyErr_Format(PyExc_AttributeError, "'unreal_engine.UObject' object has no attribute '%U'",
                   name);
      return nullptr;
    }
    if (handle.enumeration) {
      if (const auto value = handle.enumeration->value_of(attribute)) {
        return py::int_(*value).release().ptr();
      }
      throw py::attribute_error("enum " + handle.enumeration->name + " has no value '" +
                                std::string(attribute) + "'");
    }
    if (handle.is_object()) {
      // The name is resolved against the object's class once, on any thread:
      // a name the class has neither as a property nor a function fails
      // without touching the engine (RPyC probes `exposed_*` names on its
      // connection threads); objects never change class.
      const ClassInfo* cls =
          handle.object_class ? handle.object_class : live(handle, "UObject attribute").object->cls;
      const PropertyInfo* property = cls->find_property(attribute);
      py::object function;
      if (!property && cls->find_function(attribute)) {
        function = py::reinterpret_borrow<py::object>(name);
      } else if (!property && cls->find_function("K2_" + std::string(attribute))) {
        function = py::str("K2_" + std::string(attribute));  // UEP's retry with Blueprint's prefix
      }
      if (!property && !function) {
        if (is_uep_uobject_method(attribute)) {
          throw_not_emulated("UObject." + std::string(attribute));
        }
        throw py::attribute_error("'" + cls->name +
                                  "' object has no attribute, property or "
                                  "function '" +
                                  std::string(attribute) + "'");
      }
      const auto o = live(handle, "UObject attribute");
      if (property) {
        return read_property(o, *property).release().ptr();
      }
      return bind_function(self, function).release().ptr();
    }
    if (is_uep_uobject_method(attribute)) {
      throw_not_emulated("UObject." + std::string(attribute));
    }
    throw py::attribute_error(describe(handle) + " has no attribute '" + std::string(attribute) +
                              "'");
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

int uobject_setattro(PyObject* self, PyObject* name, PyObject* value) {
  try {
    const auto& handle = py::handle(self).cast<const UObjectHandle&>();
    if (handle.cls != nullptr && handle.cls->runtime && value != nullptr &&
        set_python_class_attribute(handle, name, value)) {
      return 0;
    }
    if (handle.is_object() && value != nullptr && _PyType_Lookup(Py_TYPE(self), name) == nullptr) {
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(name, &size);
      if (utf8 == nullptr) {
        return -1;
      }
      const std::string_view attribute(utf8, static_cast<std::size_t>(size));
      if (attribute.starts_with("_")) {
        return PyObject_GenericSetAttr(self, name, value);  // never a UPROPERTY
      }
      const auto o = live(handle, "UObject attribute");
      if (const auto* property = o.object->cls->find_property(attribute)) {
        write_property(o, *property, value);
        return 0;
      }
      if (o.object->cls->find_function(attribute)) {
        throw py::value_error("you cannot overwrite a UFunction (" + o.object->cls->name + "." +
                              std::string(attribute) + ")");
      }
    }
  } catch (...) {
    set_python_error();
    return -1;
  }
  return PyObject_GenericSetAttr(self, name, value);
}

std::shared_ptr<PythonEngineState> struct_engine(const StructInstance& instance) {
  auto state = instance.state.lock();
  if (!state) {
    throw std::runtime_error("struct " + instance.value->type->name +
                             ": the engine that made it has stopped");
  }
  return state;
}

PyObject* struct_getattro(PyObject* self, PyObject* name) {
  if (_PyType_Lookup(Py_TYPE(self), name) != nullptr) {
    return PyObject_GenericGetAttr(self, name);
  }
  try {
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize(name, &size);
    if (utf8 == nullptr) {
      return nullptr;
    }
    const std::string_view attribute(utf8, static_cast<std::size_t>(size));
    const auto& instance = py::handle(self).cast<const StructInstance&>();
    const auto* field = instance.value->type->find_field(attribute);
    if (!field) {
      PyErr_Format(PyExc_AttributeError, "struct %s has no field '%U'",
                   instance.value->type->name.c_str(), name);
      return nullptr;
    }
    const auto state = struct_engine(instance);
    return to_python(*state, instance.state, field->type, instance.value->fields[field->slot],
                     /*nested_view=*/true)
        .release()
        .ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

int struct_setattro(PyObject* self, PyObject* name, PyObject* value) {
  try {
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize(name, &size);
    if (utf8 == nullptr) {
      return -1;
    }
    const std::string_view attribute(utf8, static_cast<std::size_t>(size));
    const auto& instance = py::handle(self).cast<const StructInstance&>();
    const auto* field = instance.value->type->find_field(attribute);
    if (!field) {
      throw py::attribute_error("struct " + instance.value->type->name + " has no field '" +
                                std::string(attribute) + "'");
    }
    if (value == nullptr) {
      throw py::attribute_error("struct fields cannot be deleted");
    }
    const auto state = struct_engine(instance);
    instance.value->fields[field->slot] =
        from_python(*state, field->type, value, instance.value->type->name + "." + field->name);
    return 0;
  } catch (...) {
    set_python_error();
    return -1;
  }
}

}  // namespace

void define_object_methods(py::class_<UObjectHandle>& uobject) {
  uobject
      .def("get_name",
           [](const UObjectHandle& h) -> std::string {
             if (h.cls)
               return h.cls->name;
             if (h.script_struct)
               return h.script_struct->name;
             if (h.enumeration)
               return h.enumeration->name;
             return live(h, "UObject.get_name").object->name;
           })
      .def("set_name",
           [](const UObjectHandle& h, const std::string& name) {
             const auto o = live(h, "UObject.set_name");
             try {
               o.store().rename(o.object->id, name);
             } catch (const std::invalid_argument& e) {
               throw py::value_error(std::string("UObject.set_name: ") + e.what());
             }
             return true;
           })
      .def("get_path_name",
           [](const UObjectHandle& h) -> std::string {
             if (h.cls)
               return class_path_name(*h.cls);
             if (h.script_struct)
               return "/Script/CoreUObject." + h.script_struct->name;
             if (h.enumeration)
               return "/Script/Engine." + h.enumeration->name;
             const auto o = live(h, "UObject.get_path_name");
             return o.store().path_name(o.object->id);
           })
      .def("get_full_name",
           [](const UObjectHandle& h) -> std::string {
             if (h.cls)
               return (h.cls->runtime ? "BlueprintGeneratedClass " : "Class ") +
                      class_path_name(*h.cls);
             if (h.script_struct)
               return "ScriptStruct /Script/CoreUObject." + h.script_struct->name;
             if (h.enumeration)
               return "Enum /Script/Engine." + h.enumeration->name;
             const auto o = live(h, "UObject.get_full_name");
             return o.object->cls->name + " " + o.store().path_name(o.object->id);
           })
      .def("get_class",
           [](const UObjectHandle& h) -> py::object {
             auto state = engine_for(h.state, "UObject.get_class");
             const auto& types = state->world.types();
             if (h.cls)
               return wrap_class(*state, h.state, types.find_class("Class"));
             if (h.script_struct)
               return wrap_class(*state, h.state, types.find_class("ScriptStruct"));
             if (h.enumeration)
               return wrap_class(*state, h.state, types.find_class("Enum"));
             return wrap_class(*state, h.state, live(h, "UObject.get_class").object->cls);
           })
      .def("get_outer",
           [](const UObjectHandle& h) {
             const auto o = live(h, "UObject.get_outer");
             return wrap_object(*o.state, o.state, o.object->outer);
           })
      .def("get_outermost",
           [](const UObjectHandle& h) {
             const auto o = live(h, "UObject.get_outermost");
             return wrap_object(*o.state, o.state, o.store().outermost(o.object->id));
           })
      .def("is_valid",
           [](const UObjectHandle& h) {
             auto state = engine_for(h.state, "UObject.is_valid");
             return !h.is_object() || state->world.objects().find(h.id) != nullptr;
           })
      .def("is_a",
           [](const UObjectHandle& h, const py::object& cls) {
             auto state = engine_for(h.state, "UObject.is_a");
             const auto& ancestor = class_argument(cls, "UObject.is_a");
             if (h.cls) {
               const auto* klass = state->world.types().find_class("Class");
               return klass != nullptr && klass->is_a(ancestor);
             }
             return live(h, "UObject.is_a").object->cls->is_a(ancestor);
           })
      .def("is_child_of",
           [](const UObjectHandle& h, const py::object& cls) {
             auto state = engine_for(h.state, "UObject.is_child_of");
             if (!h.cls) {
               throw py::type_error("UObject.is_child_of: not a UClass");
             }
             return h.cls->is_a(class_argument(cls, "UObject.is_child_of"));
           })
      .def("get_cdo",
           [](const UObjectHandle& h) {
             auto state = engine_for(h.state, "UObject.get_cdo");
             if (!h.cls) {
               throw py::type_error("UObject.get_cdo: uobject is not a UClass");
             }
             return wrap_object(*state, h.state, state->world.objects().class_default(*h.cls));
           })
      .def("get_super_class", [](const UObjectHandle& h) {
        auto state = engine_for(h.state, "UObject.get_super_class");
        // An object's: its class's parent, as UEP's.
        const ClassInfo* cls = h.cls ? h.cls : live(h, "UObject.get_super_class").object->cls;
        return wrap_class(*state, h.state, cls->parent);
      });
}

}  // namespace understudy::unreal::uobject_detail

namespace understudy::unreal {

void set_python_error() {
  try {
    throw;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const std::invalid_argument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

void define_object_types(py::module_& m) {
  // Types are registered with pybind11 once per process; later engines (unit
  // tests create several) reuse them.
  if (py::detail::get_type_info(typeid(UObjectHandle)) != nullptr) {
    m.attr("UObject") = py::type::of<UObjectHandle>();
    m.attr("UScriptStruct") = py::type::of<StructInstance>();
    m.attr("UFunction") = py::handle(reinterpret_cast<PyObject*>(uobject_detail::ufunction_type()));
    return;
  }
  m.attr("UFunction") = py::handle(reinterpret_cast<PyObject*>(uobject_detail::ufunction_type()));

  py::class_<UObjectHandle> uobject(m, "UObject", py::dynamic_attr());
  uobject_detail::define_object_methods(uobject);
  uobject_detail::define_reflection_methods(uobject);
  uobject_detail::define_actor_methods(uobject);
  uobject_detail::define_transform_methods(uobject);
  define_world_and_asset_methods(uobject);
  define_blueprint_methods(uobject);
  uobject
      .def("__eq__",
           [](const UObjectHandle& a, const py::object& b) {
             return py::isinstance<UObjectHandle>(b) &&
                    uobject_detail::same(a, b.cast<const UObjectHandle&>());
           })
      .def("__hash__", [](const UObjectHandle& h) { return uobject_detail::hash_of(h); })
      .def("__repr__", [](const UObjectHandle& h) { return uobject_detail::describe(h); });
  auto* type = reinterpret_cast<PyTypeObject*>(uobject.ptr());
  type->tp_getattro = uobject_detail::uobject_getattro;
  type->tp_setattro = uobject_detail::uobject_setattro;
  install_python_subclassing(type);
  PyType_Modified(type);

  py::class_<StructInstance> script_struct(m, "UScriptStruct");
  script_struct
      .def("fields",
           [](const StructInstance& s) {
             std::vector<std::string> names;
             for (const auto* field : s.value->type->fields)
               names.push_back(field->name);
             return names;
           })
      .def("clone",
           [](const StructInstance& s) {
             return StructInstance{std::make_shared<StructValue>(*s.value), s.state};
           })
      .def("get_struct",
           [](const StructInstance& s) {
             auto state = uobject_detail::struct_engine(s);
             return wrap_struct_type(*state, s.state, s.value->type);
           })
      .def("get_field",
           [](const py::object& self, const std::string& name) { return self.attr(py::str(name)); })
      .def("set_field", [](const py::object& self, const std::string& name,
                           const py::object& value) { py::setattr(self, py::str(name), value); })
      .def("as_dict",
           [](const py::object& self) {
             py::dict dict;
             for (const auto* field : self.cast<const StructInstance&>().value->type->fields) {
               dict[py::str(field->name)] = self.attr(py::str(field->name));
             }
             return dict;
           })
      .def("__eq__",
           [](const StructInstance& a, const py::object& b) {
             return py::isinstance<StructInstance>(b) &&
                    *a.value == *b.cast<const StructInstance&>().value;
           })
      .def("__repr__", [](const py::object& self) {
        const auto& s = self.cast<const StructInstance&>();
        std::string text = "<unreal_engine.UScriptStruct '" + s.value->type->name + "' {";
        bool first = true;
        for (const auto* field : s.value->type->fields) {
          text += (first ? "'" : ", '") + field->name +
                  "': " + py::repr(self.attr(py::str(field->name))).cast<std::string>();
          first = false;
        }
        return text + "}>";
      });
  script_struct.attr("__hash__") = py::none();
  auto* struct_type = reinterpret_cast<PyTypeObject*>(script_struct.ptr());
  struct_type->tp_getattro = uobject_detail::struct_getattro;
  struct_type->tp_setattro = uobject_detail::struct_setattro;
  PyType_Modified(struct_type);
}

}  // namespace understudy::unreal
