// Python subclasses of UClasses, as UnrealEnginePython's subclassing API
// makes them: `class Hero(Character): ...` runs the UObject type with the
// class statement's (name, bases, namespace), which registers a runtime
// class "Hero" deriving from Character and answers its UClass. Objects of it
// find the namespace's methods as attributes (after the type's own, before
// UPROPERTYs), run its __init__ when made, and an actor gets
// ReceiveBeginPlay, ReceiveTick(delta) and ReceiveEndPlay(reason) from the
// engine's play, as UE calls a Blueprint's events.
#include <pybind11/stl.h>

#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy::unreal {

namespace {

// Where a Python class's namespace lives: on its UClass's one Python object.
constexpr const char* kNamespaceAttribute = "_python_class_namespace";
// UE puts native and script classes in /Script/<module>; UEP's Python
// classes take their parent's outer, the engine's.
constexpr const char* kPythonClassPackage = "/Script/Engine";

newfunc schema_new = nullptr;
initproc schema_init = nullptr;

bool is_class_statement(PyObject* args) {
  return args != nullptr && PyTuple_Check(args) && PyTuple_GET_SIZE(args) == 3 &&
         PyUnicode_Check(PyTuple_GET_ITEM(args, 0)) && PyTuple_Check(PyTuple_GET_ITEM(args, 1)) &&
         PyDict_Check(PyTuple_GET_ITEM(args, 2));
}

py::object namespace_of(PythonEngineState& state, const ClassInfo* cls) {
  const auto it = state.type_wrappers.find(cls);
  if (it == state.type_wrappers.end()) {
    return py::object();
  }
  PyObject** dict = _PyObject_GetDictPtr(it->second.ptr());
  if (dict == nullptr || *dict == nullptr) {
    return py::object();
  }
  PyObject* found = PyDict_GetItemString(*dict, kNamespaceAttribute);  // borrowed
  return found ? py::reinterpret_borrow<py::object>(found) : py::object();
}

// UEP's Python class constructor runs for the class default object too, as
// UE's class constructor does: what __init__ sets there is the default of
// every object made after it. An __init__ that raises leaves no class: it is
// retired (its name free for a corrected definition), and the error names it.
// A class defined again keeps the CDO it has, as UE keeps a live class's.
void build_class_default(PythonEngineState& state, const WeakState& weak, const ClassInfo& cls,
                         const std::string& api) {
  auto& store = state.world.objects();
  auto undo = [&](const std::string& error) {
    for (const auto id : store.retire_class(cls, "its __init__ raised")) {
      forget_wrapper(state, id);
    }
    return api + ": its __init__ raised while building the class default object Default__" +
           cls.name + " (" + error + "); the class is not registered";
  };
  try {
    construct_python_object(state, weak, store.class_default(cls));
  } catch (py::error_already_set& e) {
    // The error's type and text; its traceback stays on the chained cause.
    const auto error = py::str(e.type().attr("__name__")).cast<std::string>() + ": " +
                       py::str(e.value()).cast<std::string>();
    const auto message = undo(error);
    py::raise_from(e, PyExc_RuntimeError, message.c_str());
    throw py::error_already_set();
  } catch (const std::exception& e) {
    throw std::runtime_error(undo(e.what()));
  }
}

// The class statement's result: the new class's UClass.
py::object define_python_class(const std::string& name, const py::tuple& bases,
                               const py::dict& body) {
  const std::string api = "class " + name;
  if (bases.size() != 1 || !py::isinstance<UObjectHandle>(bases[0]) ||
      bases[0].cast<const UObjectHandle&>().cls == nullptr) {
    throw py::type_error(api + ": a Python subclass of a UClass has that one UClass as its base");
  }
  const auto& base = bases[0].cast<const UObjectHandle&>();
  auto state = engine_for(base.state, api);
  auto& store = state->world.objects();
  const ClassInfo* cls = store.types().find_class(name);
  const bool registered_now = cls == nullptr;
  if (cls && !(cls->runtime && cls->package == kPythonClassPackage && cls->parent == base.cls)) {
    throw std::runtime_error(api + ": a class named " + name + " exists already (" +
                             (cls->runtime ? class_path_name(*cls) : cls->where.describe()) + ")");
  }
  if (!cls) {
    // A script run again (or reloaded) defines its classes again: UEP keeps
    // the UClass and takes the new methods; a new class is registered once.
    ClassInfo info;
    info.name = name;
    info.parent_name = base.cls->name;
    info.doc = body.contains("__doc__") && py::isinstance<py::str>(body["__doc__"])
                   ? body["__doc__"].cast<std::string>()
                   : "A Python subclass of " + base.cls->name + ".";
    info.package = kPythonClassPackage;
    const auto module = body.contains("__module__")
                            ? py::str(body["__module__"]).cast<std::string>()
                            : std::string("__main__");
    info.where = SourceLocation{"Python class " + module + "." + name, 0};
    try {
      cls = &register_runtime_class(store.types(), store.roles(), std::move(info));
    } catch (const SchemaError& e) {
      throw std::runtime_error(api + ": " + e.what());
    }
  }
  auto wrapper = wrap_class(*state, base.state, cls);
  py::dict methods(body);
  if (methods.contains("__classcell__")) {
    // The body's methods use super() or __class__: their cell is the class.
    PyCell_Set(methods["__classcell__"].ptr(), wrapper.ptr());
    PyDict_DelItemString(methods.ptr(), "__classcell__");
  }
  py::setattr(wrapper, kNamespaceAttribute, methods);
  if (registered_now) {
    build_class_default(*state, base.state, *cls, api);
  }
  return wrapper;
}

PyObject* uobject_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  if (!is_class_statement(args)) {
    return schema_new(type, args, kwargs);
  }
  try {
    const auto statement = py::reinterpret_borrow<py::tuple>(args);
    return define_python_class(statement[0].cast<std::string>(), statement[1].cast<py::tuple>(),
                               statement[2].cast<py::dict>())
        .release()
        .ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

int uobject_init(PyObject* self, PyObject* args, PyObject* kwargs) {
  // The class statement's UClass was made whole by uobject_new.
  return is_class_statement(args) ? 0 : schema_init(self, args, kwargs);
}

}  // namespace

void install_python_subclassing(PyTypeObject* uobject_type) {
  schema_new = uobject_type->tp_new;
  schema_init = uobject_type->tp_init;
  uobject_type->tp_new = uobject_new;
  uobject_type->tp_init = uobject_init;
}

py::object python_class_attribute(const UObjectHandle& handle, const ClassInfo* cls,
                                  py::handle self, std::string_view name) {
  // The GIL guards the wrappers: this reads them on any thread, as attribute
  // lookups run; what a method then does checks its own thread.
  const auto state = handle.state.lock();
  if (!state) {
    return py::object();
  }
  const py::str key{std::string(name)};
  for (const auto* c = cls; c != nullptr && c->runtime; c = c->parent) {
    const auto body = namespace_of(*state, c);
    if (body && body.cast<py::dict>().contains(key)) {
      py::object value = body.cast<py::dict>()[key];
      if (self && PyFunction_Check(value.ptr())) {
        return py::reinterpret_steal<py::object>(PyMethod_New(value.ptr(), self.ptr()));
      }
      return value;
    }
  }
  return py::object();
}

bool set_python_class_attribute(const UObjectHandle& handle, py::handle name, py::handle value) {
  const auto state = handle.state.lock();
  if (!state || PyUnicode_Check(name.ptr()) == 0) {
    return false;
  }
  if (py::str(name).cast<std::string>() == kNamespaceAttribute) {
    return false;  // the namespace itself lives on the class's object
  }
  const auto body = namespace_of(*state, handle.cls);
  if (!body) {
    return false;
  }
  body.cast<py::dict>()[name] = value;
  return true;
}

void construct_python_object(PythonEngineState& state, const WeakState& weak, ObjectId id) {
  const auto* cls = state.world.objects().get(id).cls;
  if (!cls->runtime) {
    return;
  }
  auto self = wrap_object(state, weak, id);
  const auto& handle = self.cast<const UObjectHandle&>();
  if (auto init = python_class_attribute(handle, cls, self, "__init__")) {
    init();
  }
}

void start_python_actor(PythonEngineState& state, const WeakState& weak, ActorId id) {
  const auto* cls = state.world.objects().get(id).cls;
  if (!cls->runtime) {
    return;
  }
  auto self = wrap_object(state, weak, id);
  const auto& handle = self.cast<const UObjectHandle&>();
  // UE's events, as the engine's play calls a Python component's hooks.
  py::dict hooks;
  if (auto begin_play = python_class_attribute(handle, cls, self, "ReceiveBeginPlay")) {
    hooks["begin_play"] = begin_play;
  }
  if (auto tick = python_class_attribute(handle, cls, self, "ReceiveTick")) {
    hooks["tick"] = tick;
  }
  if (auto end_play = python_class_attribute(handle, cls, self, "ReceiveEndPlay")) {
    hooks["end_play"] = end_play;
  }
  if (hooks.empty()) {
    return;
  }
  auto events = py::module_::import("types").attr("SimpleNamespace")(**hooks);
  state.components.attach(id, 0, events);
}

}  // namespace understudy::unreal
