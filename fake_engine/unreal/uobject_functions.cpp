// UFUNCTIONs: calls by name (the schema's builtins, UEP's call_function and
// call), the bound function UEP returns for `obj.FunctionName`, and UObject's
// reflection over properties and functions.
#include <string>
#include <utility>
#include <vector>

#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/uobject_live_object.h"

namespace py = pybind11;

namespace understudy::unreal::uobject_detail {

namespace {

// Builtin UFUNCTIONs: engine-side implementations a schema's function names
// with `builtin = "..."`.
py::object call_builtin(const UObjectHandle& handle, const FunctionInfo& function,
                        const py::args& args) {
  const auto api = "UObject." + function.name;
  const auto o = live(handle, api);
  const auto& roles = o.roles();
  const std::string& builtin = function.builtin;
  if (builtin == "actor_location" || builtin == "actor_rotation" || builtin == "actor_scale") {
    live_actor(handle, api);
    return read_transform_part(o, builtin == "actor_location"   ? roles.location_property
                                  : builtin == "actor_rotation" ? roles.rotation_property
                                                                : roles.scale_property);
  }
  if (builtin == "set_actor_location" || builtin == "set_actor_rotation" ||
      builtin == "set_actor_scale") {
    live_actor(handle, api);
    const auto& part = builtin == "set_actor_location"   ? roles.location_property
                       : builtin == "set_actor_rotation" ? roles.rotation_property
                                                         : roles.scale_property;
    // The struct is the function's first parameter; sweep and teleport flags follow.
    const py::args first = args.empty() ? args : py::args(py::make_tuple(args[0]));
    return py::bool_(
        write_transform_part(o, part, struct_argument(o, scene_property(o, part), first, api)));
  }
  if (builtin == "actor_label") {
    live_actor(handle, api);
    const auto* label = o.state->world.label_of(o.object->id);
    return py::str(label ? *label : o.object->name);
  }
  if (builtin == "set_actor_label") {
    live_actor(handle, api);
    if (args.size() != 1) {
      throw py::type_error(api + " takes one argument, the label");
    }
    o.state->world.set_label(o.object->id, args[0].cast<std::string>());
    return py::none();
  }
  if (builtin == "destroy_actor") {
    live_actor(handle, api);
    return py::bool_(o.state->world.destroy(o.object->id));
  }
  throw_not_emulated(o.object->cls->name + "." + function.name + " (builtin '" + builtin +
                     "' declared at " + function.where.describe() + ")");
}

py::object call_function(const UObjectHandle& handle, const std::string& name, const py::args& args,
                         const py::kwargs& kwargs) {
  const auto api = "UObject.call_function";
  const auto o = live(handle, api);
  const auto* function = o.object->cls->find_function(name);
  if (!function) {
    function = o.object->cls->find_function("K2_" + name);
  }
  if (!function) {
    throw std::runtime_error(std::string(api) + ": unable to find function '" + name + "' in " +
                             o.object->cls->name);
  }
  if (!kwargs.empty()) {
    throw py::type_error(std::string(api) + ": " + name +
                         " takes positional arguments only, as UEP's call_function does");
  }
  if (!function->builtin.empty()) {
    return call_builtin(handle, *function, args);
  }
  if (args.size() > function->params.size()) {
    throw py::type_error(std::string(api) + ": " + name + " takes " +
                         std::to_string(function->params.size()) + " arguments, got " +
                         std::to_string(args.size()));
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    (void)from_python(*o.state, function->params[i].type, args[i],
                      name + " argument '" + function->params[i].name + "'");
  }
  throw_not_emulated(o.object->cls->name + "." + function->name + " (declared at " +
                     function->where.describe() +
                     " but not implemented: the schema gives it no builtin)");
}

// UEP's call("Function arg1 arg2"): a console-style call by name.
py::object call_command(const UObjectHandle& handle, const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : command) {
    if (c == ' ') {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    } else {
      word += c;
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  if (words.empty()) {
    throw py::value_error("UObject.call: an empty command");
  }
  const auto o = live(handle, "UObject.call");
  const auto* function = o.object->cls->find_function(words.front());
  if (!function) {
    throw std::runtime_error("UObject.call: " + o.object->cls->name + " has no function '" +
                             words.front() + "'");
  }
  py::tuple args(words.size() - 1);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto& text = words[i];
    py::object value = py::str(text);
    if (i - 1 < function->params.size()) {
      const auto& type = function->params[i - 1].type;
      if (type.kind == ValueKind::kBool) {
        value = py::bool_(text == "true" || text == "True" || text == "1");
      } else if (type.is_numeric()) {
        value = (type.kind == ValueKind::kFloat || type.kind == ValueKind::kDouble)
                    ? py::object(py::float_(std::stod(text)))
                    : py::object(py::int_(std::stoll(text)));
      }
    }
    args[i - 1] = value;
  }
  return call_function(handle, words.front(), py::args(args), py::kwargs());
}

// A bound UFUNCTION, as UEP returns it for `obj.FunctionName`: the UObject
// and the function's name. A plain CPython object rather than a pybind11
// instance, because one is made on every such attribute read (a spawn loop's
// `actor.set_actor_label(...)`): one small GC allocation, no holder, no entry
// in pybind11's instance registry, and a call that goes straight to
// call_function.
struct BoundFunctionObject {
  PyObject_HEAD PyObject* self;  // the UObject
  PyObject* name;                // str: the function's name as the class declares it
};

PyTypeObject* bound_function_type = nullptr;

const UObjectHandle& bound_handle(PyObject* function) {
  return py::handle(reinterpret_cast<BoundFunctionObject*>(function)->self)
      .cast<const UObjectHandle&>();
}

std::string bound_name(PyObject* function) {
  return py::handle(reinterpret_cast<BoundFunctionObject*>(function)->name).cast<std::string>();
}

PyObject* bound_function_call(PyObject* function, PyObject* args, PyObject* kwargs) {
  try {
    const auto positional = py::reinterpret_borrow<py::args>(args);
    const auto keywords = kwargs ? py::reinterpret_borrow<py::kwargs>(kwargs) : py::kwargs();
    return call_function(bound_handle(function), bound_name(function), positional, keywords)
        .release()
        .ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

PyObject* bound_function_repr(PyObject* function) {
  try {
    return py::str("<unreal_engine.UFunction '" + bound_name(function) + "' of " +
                   describe(bound_handle(function)) + ">")
        .release()
        .ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

PyObject* bound_function_get_name(PyObject* function, PyObject* /*unused*/) {
  auto* name = reinterpret_cast<BoundFunctionObject*>(function)->name;
  Py_INCREF(name);
  return name;
}

int bound_function_traverse(PyObject* function, visitproc visit, void* arg) {
  Py_VISIT(reinterpret_cast<BoundFunctionObject*>(function)->self);
  Py_VISIT(Py_TYPE(function));  // a heap type
  return 0;
}

int bound_function_clear(PyObject* function) {
  Py_CLEAR(reinterpret_cast<BoundFunctionObject*>(function)->self);
  return 0;
}

void bound_function_dealloc(PyObject* function) {
  auto* type = Py_TYPE(function);
  PyObject_GC_UnTrack(function);
  bound_function_clear(function);
  Py_CLEAR(reinterpret_cast<BoundFunctionObject*>(function)->name);
  PyObject_GC_Del(function);
  Py_DECREF(type);
}

PyMethodDef bound_function_methods[] = {
    {"get_name", bound_function_get_name, METH_NOARGS, "The function's name."},
    {nullptr, nullptr, 0, nullptr}};

PyType_Slot bound_function_slots[] = {
    {Py_tp_call, reinterpret_cast<void*>(bound_function_call)},
    {Py_tp_repr, reinterpret_cast<void*>(bound_function_repr)},
    {Py_tp_methods, bound_function_methods},
    {Py_tp_traverse, reinterpret_cast<void*>(bound_function_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(bound_function_clear)},
    {Py_tp_dealloc, reinterpret_cast<void*>(bound_function_dealloc)},
    {0, nullptr}};

PyType_Spec bound_function_spec = {
    "unreal_engine.UFunction", sizeof(BoundFunctionObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    bound_function_slots};

}  // namespace

PyTypeObject* ufunction_type() {
  if (bound_function_type == nullptr) {
    bound_function_type = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&bound_function_spec));
    if (bound_function_type == nullptr) {
      throw py::error_already_set();
    }
  }
  return bound_function_type;
}

py::object bind_function(py::handle self, py::handle name) {
  auto* function = PyObject_GC_New(BoundFunctionObject, bound_function_type);
  if (function == nullptr) {
    throw py::error_already_set();
  }
  function->self = py::reinterpret_borrow<py::object>(self).release().ptr();
  function->name = py::reinterpret_borrow<py::object>(name).release().ptr();
  Py_INCREF(bound_function_type);  // each instance of a heap type holds its type
  PyObject_GC_Track(reinterpret_cast<PyObject*>(function));
  return py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(function));
}

void define_reflection_methods(py::class_<UObjectHandle>& uobject) {
  uobject
      .def("get_property",
           [](const UObjectHandle& h, const std::string& name) {
             const auto o = live(h, "UObject.get_property");
             return read_property(o, property_of(*o.object, name, "UObject.get_property"));
           })
      .def("set_property",
           [](const UObjectHandle& h, const std::string& name, const py::object& value) {
             const auto o = live(h, "UObject.set_property");
             write_property(o, property_of(*o.object, name, "UObject.set_property"), value);
           })
      .def("has_property",
           [](const UObjectHandle& h, const std::string& name) {
             const auto o = live(h, "UObject.has_property");
             return o.object->cls->find_property(name) != nullptr;
           })
      .def("get_property_class",
           [](const UObjectHandle& h, const std::string& name) {
             const auto o = live(h, "UObject.get_property_class");
             const auto& property = property_of(*o.object, name, "UObject.get_property_class");
             return wrap_class(*o.state, o.state, property.type.class_info);
           })
      .def("properties",
           [](const UObjectHandle& h) {
             std::vector<std::string> names;
             if (h.script_struct) {
               engine_for(h.state, "UObject.properties");
               for (const auto* field : h.script_struct->fields)
                 names.push_back(field->name);
               return names;
             }
             const ClassInfo* cls = h.cls;
             if (!cls) {
               cls = live(h, "UObject.properties").object->cls;
             } else {
               engine_for(h.state, "UObject.properties");
             }
             for (const auto* property : cls->properties)
               names.push_back(property->name);
             return names;
           })
      .def("functions",
           [](const UObjectHandle& h) {
             const ClassInfo* cls = h.cls;
             if (!cls) {
               cls = live(h, "UObject.functions").object->cls;
             } else {
               engine_for(h.state, "UObject.functions");
             }
             std::vector<std::string> names;
             for (const auto* function : cls->functions())
               names.push_back(function->name);
             return names;
           })
      .def("find_function",
           [](py::handle self, const std::string& name) -> py::object {
             const auto o = live(self.cast<const UObjectHandle&>(), "UObject.find_function");
             if (!o.object->cls->find_function(name))
               return py::none();
             return bind_function(self, py::str(name));
           })
      .def("call_function",
           [](const UObjectHandle& h, const std::string& name, const py::args& args,
              const py::kwargs& kwargs) { return call_function(h, name, args, kwargs); })
      .def("call", [](const UObjectHandle& h, const std::string& command) {
        return call_command(h, command);
      });
}

}  // namespace understudy::unreal::uobject_detail
