// unreal_engine.UObject and unreal_engine.UScriptStruct: objects, classes,
// struct types and enums of the object model as UnrealEnginePython shows
// them. Attribute access reads and writes UPROPERTYs and calls UFUNCTIONs,
// after the type's own methods, as UEP's getattro does.
//
// Over 500 lines: its `// ---` sections (transforms, components, functions,
// the type's slots) all work through the file-local LiveObject helpers at the
// top, which are UEP's getattro rules in one place; split along those sections,
// with the helpers in a private header, when it next grows.
#include <pybind11/stl.h>

#include <algorithm>

#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy::unreal {

namespace {

// The state and object behind a handle that must be a live object.
struct LiveObject {
  std::shared_ptr<PythonEngineState> state;
  Object* object;
  ObjectStore& store() const { return state->world.objects(); }
  const ModelRoles& roles() const { return state->world.objects().roles(); }
};

LiveObject live(const UObjectHandle& handle, std::string_view api) {
  auto state = engine_for(handle.state, api);
  if (!handle.is_object()) {
    throw py::type_error(
        std::string(api) + ": " +
        (handle.cls ? "a class (UClass '" + handle.cls->name + "')" : std::string("a type")) +
        " is not an object instance");
  }
  auto* object = state->world.objects().find(handle.id);
  if (!object) {
    throw std::runtime_error(std::string(api) + ": the UObject is no longer valid (destroyed)");
  }
  return {std::move(state), object};
}

const ClassInfo& class_of_role(const LiveObject& live_object, const std::string& name) {
  return *live_object.state->world.types().find_class(name);
}

bool is_a_role(const LiveObject& live_object, const Object& object, const std::string& role) {
  const auto* cls = live_object.state->world.types().find_class(role);
  return cls && object.cls->is_a(*cls);
}

LiveObject live_actor(const UObjectHandle& handle, std::string_view api) {
  auto result = live(handle, api);
  if (!is_a_role(result, *result.object, result.roles().actor_class)) {
    throw py::type_error(std::string(api) + ": " + result.object->name + " is a " +
                         result.object->cls->name + ", not an " + result.roles().actor_class);
  }
  return result;
}

// UEP's transform calls on a component act on its owner.
LiveObject live_actor_or_owner(const UObjectHandle& handle, std::string_view api) {
  auto result = live(handle, api);
  if (is_a_role(result, *result.object, result.roles().component_class)) {
    result.object = &result.store().get(result.object->outer);
  }
  if (!is_a_role(result, *result.object, result.roles().actor_class)) {
    throw py::type_error(std::string(api) + ": " + result.object->name + " is a " +
                         result.object->cls->name + ", neither an " + result.roles().actor_class +
                         " nor a component");
  }
  return result;
}

LiveObject live_component(const UObjectHandle& handle, std::string_view api) {
  auto result = live(handle, api);
  if (!is_a_role(result, *result.object, result.roles().component_class)) {
    throw py::type_error(std::string(api) + ": " + result.object->name + " is a " +
                         result.object->cls->name + ", not an " + result.roles().component_class);
  }
  return result;
}

const PropertyInfo& property_of(const Object& object, std::string_view name, std::string_view api) {
  const auto* property = object.cls->find_property(name);
  if (!property) {
    throw py::attribute_error(std::string(api) + ": " + object.cls->name + " has no property '" +
                              std::string(name) + "'");
  }
  return *property;
}

py::object read_property(const LiveObject& o, const PropertyInfo& property) {
  return to_python(*o.state, o.state, property.type, o.object->read(property));
}

// A value that does not convert is a ValueError, as UEP's "invalid value for UProperty".
void write_property(const LiveObject& o, const PropertyInfo& property, py::handle value) {
  try {
    o.object->write(property) =
        from_python(*o.state, property.type, value, o.object->cls->name + "." + property.name);
  } catch (const py::type_error& e) {
    throw py::value_error(std::string("invalid value for UProperty: ") + e.what());
  }
}

// --- actors: root component, location, rotation, scale -------------------------

ObjectId root_component(const LiveObject& o) {
  const auto* property = o.object->cls->find_property(o.roles().root_property);
  if (!property) {
    return 0;
  }
  const ObjectId root = o.object->read(*property).as<ObjectRef>().id;
  return o.store().find(root) ? root : 0;
}

const PropertyInfo& scene_property(const LiveObject& o, const std::string& name) {
  const auto& scene = class_of_role(o, o.roles().scene_component_class);
  return *scene.find_property(name);
}

// A scene component's relative location, rotation or scale; an actor without
// a root component has none, and UE reports the type's zero (scale: one).
py::object read_transform_part(const LiveObject& actor, const std::string& part);

// A struct argument given as the struct, or as its numbers ("x, y, z").
Value struct_argument(const LiveObject& o, const PropertyInfo& property, const py::args& args,
                      std::string_view api) {
  if (args.size() == 1) {
    return from_python(*o.state, property.type, args[0], std::string(api));
  }
  const auto* info = property.type.struct_info;
  if (args.size() == 0 || args.size() > info->fields.size()) {
    throw py::type_error(std::string(api) + ": expected a " + info->name + " or " +
                         std::to_string(info->fields.size()) + " numbers, got " +
                         std::to_string(args.size()) + " arguments");
  }
  StructValue value = info->prototype;
  for (std::size_t i = 0; i < args.size(); ++i) {
    value.fields[i] = from_python(*o.state, info->fields[i]->type, args[i],
                                  std::string(api) + " argument " + std::to_string(i + 1));
  }
  return Value(StructBox(std::move(value)));
}

// --- world transforms -------------------------------------------------------------

// A scene component's relative transform (location, rotation, scale).
Transform relative_transform_of(const LiveObject& o, const Object& component) {
  const auto& roles = o.roles();
  auto part = [&](const std::string& name) {
    const auto& property = scene_property(o, name);
    return to_python(*o.state, o.state, property.type, component.read(property));
  };
  return Transform{to_quat(part(roles.rotation_property).cast<Rotator>()),
                   part(roles.location_property).cast<Vec3>(),
                   part(roles.scale_property).cast<Vec3>()};
}

ObjectId attach_parent_of(const LiveObject& o, const Object& component) {
  const auto* attach = component.cls->find_property(o.roles().attach_property);
  const ObjectId parent = attach ? component.read(*attach).as<ObjectRef>().id : 0;
  return o.store().find(parent) ? parent : 0;
}

// UE's GetComponentTransform: the relative transform composed with each
// attach parent's, child first (FTransform's a * b applies a, then b).
Transform parent_world_transform(const LiveObject& o, const Object& component) {
  Transform world;
  // Attachment never loops (ObjectStore::attach refuses it); the bound is a guard.
  int depth = 0;
  for (ObjectId parent = attach_parent_of(o, component); parent != 0 && depth < 1000; ++depth) {
    const auto& object = o.store().get(parent);
    world = world * relative_transform_of(o, object);
    parent = attach_parent_of(o, object);
  }
  return world;
}

Transform world_transform_of(const LiveObject& o, const Object& component) {
  return relative_transform_of(o, component) * parent_world_transform(o, component);
}

// A scene component, or an actor's root component (UEP's transform calls take either).
LiveObject live_scene_component(const UObjectHandle& handle, std::string_view api) {
  auto result = live(handle, api);
  if (is_a_role(result, *result.object, result.roles().actor_class)) {
    const ObjectId root = root_component(result);
    if (root == 0) {
      throw std::runtime_error(std::string(api) + ": " + result.object->name +
                               " has no root component, so no transform");
    }
    result.object = &result.store().get(root);
  }
  if (!is_a_role(result, *result.object, result.roles().scene_component_class)) {
    throw py::type_error(std::string(api) + ": " + result.object->name + " is a " +
                         result.object->cls->name + ", not a " +
                         result.roles().scene_component_class);
  }
  return result;
}

void write_relative_transform(const LiveObject& o, const Transform& relative, bool location,
                              bool rotation, bool scale) {
  const auto& roles = o.roles();
  auto store_part = [&](const std::string& name, const py::object& value) {
    const auto& property = scene_property(o, name);
    o.object->write(property) = from_python(*o.state, property.type, value, name);
  };
  if (location) {
    store_part(roles.location_property, py::cast(relative.translation));
  }
  if (rotation) {
    store_part(roles.rotation_property, py::cast(to_rotator(relative.rotation)));
  }
  if (scale) {
    store_part(roles.scale_property, py::cast(relative.scale));
  }
}

// Sets part of a scene component's world transform (`value` is the role's
// struct): the relative transform that gives it under the current attach
// parents, as UE's SetWorldLocation & co. Unattached, world is relative.
void write_world_value(const LiveObject& o, const std::string& part, Value value) {
  const auto& property = scene_property(o, part);
  if (attach_parent_of(o, *o.object) == 0) {
    o.object->write(property) = std::move(value);
    return;
  }
  const auto& roles = o.roles();
  auto world = world_transform_of(o, *o.object);
  const auto given = to_python(*o.state, o.state, property.type, value);
  if (part == roles.location_property) {
    world.translation = given.cast<Vec3>();
  } else if (part == roles.rotation_property) {
    world.rotation = to_quat(given.cast<Rotator>());
  } else {
    world.scale = given.cast<Vec3>();
  }
  const auto relative = relative_transform(world, parent_world_transform(o, *o.object));
  write_relative_transform(o, relative, part == roles.location_property,
                           part == roles.rotation_property, part == roles.scale_property);
}

void write_world_part(const LiveObject& o, const std::string& part, const py::args& args,
                      std::string_view api) {
  write_world_value(o, part, struct_argument(o, scene_property(o, part), args, api));
}

// UE's SetActorLocation & co: the root component's world transform (through
// the component it is attached to, if any), never its relative one. False
// for an actor without a root component: it has nowhere to be.
bool write_transform_part(const LiveObject& actor, const std::string& part, Value value) {
  const ObjectId root = root_component(actor);
  if (root == 0) {
    return false;
  }
  auto component = actor;
  component.object = &actor.store().get(root);
  write_world_value(component, part, std::move(value));
  return true;
}

// An actor's location, rotation or scale: its root component's world
// transform (UE's GetActorLocation & co); an actor without a root component
// has none, and UE reports the type's zero (scale: one).
py::object read_transform_part(const LiveObject& actor, const std::string& part) {
  const auto& property = scene_property(actor, part);
  const ObjectId root = root_component(actor);
  if (root == 0) {
    return to_python(*actor.state, actor.state, property.type, property.default_value);
  }
  const auto& roles = actor.roles();
  const auto& root_object = actor.store().get(root);
  if (attach_parent_of(actor, root_object) == 0) {
    return to_python(*actor.state, actor.state, property.type, root_object.read(property));
  }
  const auto world = world_transform_of(actor, root_object);
  if (part == roles.location_property) {
    return py::cast(world.translation);
  }
  if (part == roles.rotation_property) {
    return py::cast(to_rotator(world.rotation));
  }
  return py::cast(world.scale);
}

// --- components -------------------------------------------------------------------

// A component's relative location or rotation (the role names the property).
py::object read_relative(const UObjectHandle& h, std::string ModelRoles::*part,
                         const std::string& api) {
  const auto o = live_component(h, api);
  return read_property(o, property_of(*o.object, o.roles().*part, api));
}

void write_relative(const UObjectHandle& h, std::string ModelRoles::*part, const py::args& args,
                    const std::string& api) {
  const auto o = live_component(h, api);
  const auto& property = property_of(*o.object, o.roles().*part, api);
  o.object->write(property) = struct_argument(o, property, args, api);
}

std::vector<ObjectId> components_of(const LiveObject& actor, const ClassInfo* of_class) {
  const auto& component_class = class_of_role(actor, actor.roles().component_class);
  std::vector<ObjectId> result;
  for (const ObjectId inner : actor.object->inners) {
    const auto& object = actor.store().get(inner);
    if (object.cls->is_a(component_class) && (!of_class || object.cls->is_a(*of_class))) {
      result.push_back(inner);
    }
  }
  return result;
}

py::list wrap_all(const LiveObject& o, const std::vector<ObjectId>& ids) {
  py::list list;
  for (const auto id : ids) {
    list.append(wrap_object(*o.state, o.state, id));
  }
  return list;
}

ObjectId add_component(const LiveObject& actor, const ClassInfo& cls, const std::string& name,
                       ObjectId parent, bool as_root, std::string_view api) {
  const auto& component_class = class_of_role(actor, actor.roles().component_class);
  if (!cls.is_a(component_class)) {
    throw py::type_error(std::string(api) + ": " + cls.name + " is not an " + component_class.name);
  }
  if (cls.abstract) {
    throw py::type_error(std::string(api) + ": " + cls.name + " is abstract");
  }
  const ObjectId actor_id = actor.object->id;
  ObjectId id = 0;
  try {
    id = actor.store().create(cls, actor_id, name).id;
  } catch (const std::invalid_argument& e) {
    throw py::value_error(std::string(api) + ": " + e.what());
  }
  auto& component = actor.store().get(id);
  const auto& roles = actor.roles();
  const auto& scene = class_of_role(actor, roles.scene_component_class);
  auto& owner = actor.store().get(actor_id);
  if (cls.is_a(scene)) {
    const auto* root_property = owner.cls->find_property(roles.root_property);
    const ObjectId root = root_property ? owner.read(*root_property).as<ObjectRef>().id : 0;
    if (as_root || (root == 0 && root_property)) {
      owner.write(*root_property) = Value(ObjectRef{id});
      if (root != 0 && root != id) {
        // The old root attaches to the new one, as UE's SetRootComponent leaves it.
        actor.store().attach(root, id);
      }
    } else {
      actor.store().attach(id, parent != 0 ? parent : root);
    }
  }
  const auto* automatic = component.cls->find_property(roles.auto_activate_property);
  const auto* active = component.cls->find_property(roles.active_property);
  if (automatic && active && component.read(*automatic).as<bool>()) {
    component.write(*active) = Value(true);
  }
  return id;
}

// --- functions --------------------------------------------------------------------

py::object call_function(const UObjectHandle& handle, const std::string& name, const py::args& args,
                         const py::kwargs& kwargs);

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

std::string describe(const UObjectHandle& handle);

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

// `self`'s function `name` (an str), bound.
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

// --- repr -------------------------------------------------------------------------

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

void define_uobject_methods(py::class_<UObjectHandle>& uobject) {
  // --- every object ---
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
      .def("get_super_class",
           [](const UObjectHandle& h) {
             auto state = engine_for(h.state, "UObject.get_super_class");
             // An object's: its class's parent, as UEP's.
             const ClassInfo* cls = h.cls ? h.cls : live(h, "UObject.get_super_class").object->cls;
             return wrap_class(*state, h.state, cls->parent);
           })
      // --- reflection ---
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

void define_actor_methods(py::class_<UObjectHandle>& uobject) {
  uobject
      .def("get_actor_label",
           [](const UObjectHandle& h) {
             const auto o = live_actor(h, "UObject.get_actor_label");
             return *o.state->world.label_of(o.object->id);
           })
      .def("set_actor_label",
           [](const UObjectHandle& h, const std::string& label) {
             const auto o = live_actor(h, "UObject.set_actor_label");
             o.state->world.set_label(o.object->id, label);
           })
      .def("actor_destroy",
           [](const UObjectHandle& h) {
             const auto o = live_actor(h, "UObject.actor_destroy");
             o.state->world.destroy(o.object->id);
           })
      .def("get_actor_location",
           [](const UObjectHandle& h) {
             const auto o = live_actor_or_owner(h, "UObject.get_actor_location");
             return read_transform_part(o, o.roles().location_property);
           })
      .def("get_actor_rotation",
           [](const UObjectHandle& h) {
             const auto o = live_actor_or_owner(h, "UObject.get_actor_rotation");
             return read_transform_part(o, o.roles().rotation_property);
           })
      .def("get_actor_scale",
           [](const UObjectHandle& h) {
             const auto o = live_actor_or_owner(h, "UObject.get_actor_scale");
             return read_transform_part(o, o.roles().scale_property);
           })
      .def("set_actor_location",
           [](const UObjectHandle& h, const py::args& args, const py::kwargs&) {
             const auto o = live_actor_or_owner(h, "UObject.set_actor_location");
             const auto& part = o.roles().location_property;
             return write_transform_part(
                 o, part,
                 struct_argument(o, scene_property(o, part), args, "UObject.set_actor_location"));
           })
      .def("set_actor_rotation",
           [](const UObjectHandle& h, const py::args& args, const py::kwargs&) {
             const auto o = live_actor_or_owner(h, "UObject.set_actor_rotation");
             const auto& part = o.roles().rotation_property;
             return write_transform_part(
                 o, part,
                 struct_argument(o, scene_property(o, part), args, "UObject.set_actor_rotation"));
           })
      .def("set_actor_scale",
           [](const UObjectHandle& h, const py::args& args) {
             const auto o = live_actor_or_owner(h, "UObject.set_actor_scale");
             const auto& part = o.roles().scale_property;
             // UE's SetActorScale3D returns nothing.
             write_transform_part(
                 o, part,
                 struct_argument(o, scene_property(o, part), args, "UObject.set_actor_scale"));
           })
      .def("get_actor_transform",
           [](const UObjectHandle& h) {
             // UE's GetActorTransform: the root's world transform, the
             // identity for an actor without a root component.
             const auto o = live_actor_or_owner(h, "UObject.get_actor_transform");
             const ObjectId root = root_component(o);
             return root == 0 ? Transform{} : world_transform_of(o, o.store().get(root));
           })
      .def(
          "set_actor_transform",
          [](const UObjectHandle& h, const Transform& transform) {
            // UE's SetActorTransform: the root's world transform, through
            // its attach parents; false without a root component.
            const auto o = live_actor_or_owner(h, "UObject.set_actor_transform");
            const ObjectId root = root_component(o);
            if (root == 0) {
              return false;
            }
            auto component = o;
            component.object = &o.store().get(root);
            write_relative_transform(
                component,
                relative_transform(transform, parent_world_transform(component, *component.object)),
                true, true, true);
            return true;
          })
      .def("get_actor_root_component",
           [](const UObjectHandle& h) {
             const auto o = live_actor(h, "UObject.get_actor_root_component");
             return wrap_object(*o.state, o.state, root_component(o));
           })
      .def("get_actor_components",
           [](const UObjectHandle& h) {
             const auto o = live_actor(h, "UObject.get_actor_components");
             return wrap_all(o, components_of(o, nullptr));
           })
      .def("get_actor_component_by_type",
           [](const UObjectHandle& h, const py::object& type) {
             const auto o = live_actor(h, "UObject.get_actor_component_by_type");
             const auto found =
                 components_of(o, &class_argument(type, "UObject.get_actor_component_by_type"));
             return wrap_object(*o.state, o.state, found.empty() ? 0 : found.front());
           })
      .def("get_component_by_type",
           [](const UObjectHandle& h, const py::object& type) {
             return py::cast(h).attr("get_actor_component_by_type")(type);
           })
      .def("get_components_by_type",
           [](const UObjectHandle& h, const py::object& type) {
             return py::cast(h).attr("get_actor_components_by_type")(type);
           })
      .def("components",
           [](const UObjectHandle& h) { return py::cast(h).attr("get_actor_components")(); })
      .def("actor_destroy_component",
           [](const UObjectHandle& h, const UObjectHandle& component) {
             const auto o = live_actor(h, "UObject.actor_destroy_component");
             const auto c = live_component(component, "UObject.actor_destroy_component");
             if (c.object->outer != o.object->id) {
               throw py::value_error("UObject.actor_destroy_component: " + c.object->name +
                                     " is not a component of " + o.object->name);
             }
             const ObjectId id = c.object->id;
             forget_wrapper(*o.state, id);
             o.store().destroy(id);
           })
      .def("get_actor_components_by_type",
           [](const UObjectHandle& h, const py::object& type) {
             const auto o = live_actor(h, "UObject.get_actor_components_by_type");
             return wrap_all(
                 o,
                 components_of(o, &class_argument(type, "UObject.get_actor_components_by_type")));
           })
      .def("actor_has_component_of_type",
           [](const UObjectHandle& h, const py::object& type) {
             const auto o = live_actor(h, "UObject.actor_has_component_of_type");
             return !components_of(o, &class_argument(type, "UObject.actor_has_component_of_type"))
                         .empty();
           })
      .def("get_actor_component",
           [](const UObjectHandle& h, const std::string& name) {
             const auto o = live_actor(h, "UObject.get_actor_component");
             for (const auto id : components_of(o, nullptr)) {
               if (o.store().get(id).name == name)
                 return wrap_object(*o.state, o.state, id);
             }
             return py::object(py::none());
           })
      .def(
          "add_actor_component",
          [](const UObjectHandle& h, const py::object& type, const std::string& name,
             const py::object& parent) {
            const auto o = live_actor(h, "UObject.add_actor_component");
            ObjectId parent_id = 0;
            if (!parent.is_none()) {
              const auto p = live_component(parent.cast<const UObjectHandle&>(),
                                            "UObject.add_actor_component");
              if (!is_a_role(p, *p.object, p.roles().scene_component_class)) {
                throw py::type_error("UObject.add_actor_component: the parent " + p.object->name +
                                     " is not a " + p.roles().scene_component_class);
              }
              parent_id = p.object->id;
            }
            const auto id = add_component(o, class_argument(type, "UObject.add_actor_component"),
                                          name, parent_id, false, "UObject.add_actor_component");
            construct_python_object(*o.state, o.state, id);
            return wrap_object(*o.state, o.state, id);
          },
          py::arg("cls"), py::arg("name"), py::arg("parent") = py::none())
      .def("add_actor_root_component",
           [](const UObjectHandle& h, const py::object& type, const std::string& name) {
             const auto o = live_actor(h, "UObject.add_actor_root_component");
             const auto id =
                 add_component(o, class_argument(type, "UObject.add_actor_root_component"), name, 0,
                               true, "UObject.add_actor_root_component");
             return wrap_object(*o.state, o.state, id);
           })
      .def("add_python_component",
           [](const UObjectHandle& h, const std::string& name, const std::string& module,
              const std::string& class_name) {
             const auto api = "UObject.add_python_component";
             const auto o = live_actor(h, api);
             const auto& types = o.state->world.types();
             const auto* cls = types.find_class("PythonComponent");
             const ObjectId actor_id = o.object->id;
             const auto id = add_component(
                 o, cls ? *cls : class_of_role(o, o.roles().component_class), name, 0, false, api);
             auto& component = o.store().get(id);
             for (const auto& [property, text] :
                  {std::pair{"PythonModule", &module}, std::pair{"PythonClass", &class_name}}) {
               if (const auto* info = component.cls->find_property(property)) {
                 component.write(*info) = Value(*text);
               }
             }
             auto wrapper = wrap_object(*o.state, o.state, id);
             // As UEP's UPythonComponent: a module or class that fails is logged
             // (here an engine error) and the component stays, without Python.
             py::object instance;
             try {
               instance = py::module_::import(module.c_str()).attr(class_name.c_str())();
               instance.attr("uobject") = wrapper;
             } catch (py::error_already_set& e) {
               o.state->report_error(
                   "component",
                   std::string(api) + ": " + module + "." + class_name + " could not be made",
                   describe_python_error(e));
               return wrapper;
             }
             o.state->components.attach(actor_id, id, instance);
             return wrapper;
           })
      .def("get_py_proxy",
           [](const UObjectHandle& h) {
             const auto o = live(h, "UObject.get_py_proxy");
             return o.state->components.proxy_of(o.object->id);
           })
      .def("get_owner",
           [](const UObjectHandle& h) {
             const auto o = live_component(h, "UObject.get_owner");
             return wrap_object(*o.state, o.state, o.object->outer);
           })
      .def("get_world",
           [](const UObjectHandle& h) {
             const auto o = live(h, "UObject.get_world");
             const ObjectId world = o.state->world.world_object();
             // Objects in the world's package are in the world; assets are not.
             if (o.store().outermost(o.object->id) != o.store().outermost(world)) {
               throw std::runtime_error("UObject.get_world: unable to retrieve UWorld from " +
                                        o.object->name + " (it is in no world)");
             }
             return wrap_object(*o.state, o.state, world);
           })
      // --- components ---
      .def("get_relative_location",
           [](const UObjectHandle& h) {
             return read_relative(h, &ModelRoles::location_property,
                                  "UObject.get_relative_location");
           })
      .def("set_relative_location",
           [](const UObjectHandle& h, const py::args& args) {
             write_relative(h, &ModelRoles::location_property, args,
                            "UObject.set_relative_location");
           })
      .def("get_relative_rotation",
           [](const UObjectHandle& h) {
             return read_relative(h, &ModelRoles::rotation_property,
                                  "UObject.get_relative_rotation");
           })
      .def("set_relative_rotation",
           [](const UObjectHandle& h, const py::args& args) {
             write_relative(h, &ModelRoles::rotation_property, args,
                            "UObject.set_relative_rotation");
           })
      .def("get_relative_scale",
           [](const UObjectHandle& h) {
             return read_relative(h, &ModelRoles::scale_property, "UObject.get_relative_scale");
           })
      .def("set_relative_scale",
           [](const UObjectHandle& h, const py::args& args) {
             write_relative(h, &ModelRoles::scale_property, args, "UObject.set_relative_scale");
           })
      .def("get_relative_transform",
           [](const UObjectHandle& h) {
             const auto o = live_scene_component(h, "UObject.get_relative_transform");
             return relative_transform_of(o, *o.object);
           })
      .def("set_relative_transform",
           [](const UObjectHandle& h, const Transform& transform) {
             const auto o = live_scene_component(h, "UObject.set_relative_transform");
             write_relative_transform(o, transform, true, true, true);
           })
      .def("get_world_transform",
           [](const UObjectHandle& h) {
             const auto o = live_scene_component(h, "UObject.get_world_transform");
             return world_transform_of(o, *o.object);
           })
      .def("set_world_transform",
           [](const UObjectHandle& h, const Transform& transform) {
             const auto o = live_scene_component(h, "UObject.set_world_transform");
             write_relative_transform(
                 o, relative_transform(transform, parent_world_transform(o, *o.object)), true, true,
                 true);
           })
      .def("get_world_location",
           [](const UObjectHandle& h) {
             const auto o = live_scene_component(h, "UObject.get_world_location");
             return world_transform_of(o, *o.object).translation;
           })
      .def("get_world_rotation",
           [](const UObjectHandle& h) {
             const auto o = live_scene_component(h, "UObject.get_world_rotation");
             return to_rotator(world_transform_of(o, *o.object).rotation);
           })
      .def("get_world_scale",
           [](const UObjectHandle& h) {
             const auto o = live_scene_component(h, "UObject.get_world_scale");
             return world_transform_of(o, *o.object).scale;
           })
      .def("set_world_location",
           [](const UObjectHandle& h, const py::args& args) {
             const auto o = live_scene_component(h, "UObject.set_world_location");
             write_world_part(o, o.roles().location_property, args, "UObject.set_world_location");
           })
      .def("set_world_rotation",
           [](const UObjectHandle& h, const py::args& args) {
             const auto o = live_scene_component(h, "UObject.set_world_rotation");
             write_world_part(o, o.roles().rotation_property, args, "UObject.set_world_rotation");
           })
      .def("set_world_scale",
           [](const UObjectHandle& h, const py::args& args) {
             const auto o = live_scene_component(h, "UObject.set_world_scale");
             write_world_part(o, o.roles().scale_property, args, "UObject.set_world_scale");
           })
      .def("get_attach_parent",
           [](const UObjectHandle& h) {
             const auto o = live_component(h, "UObject.get_attach_parent");
             const auto* attach = o.object->cls->find_property(o.roles().attach_property);
             return attach ? read_property(o, *attach) : py::object(py::none());
           })
      .def("attach_to_component",
           [](const UObjectHandle& h, const UObjectHandle& parent) {
             const auto o = live_component(h, "UObject.attach_to_component");
             const auto p = live_component(parent, "UObject.attach_to_component");
             if (!is_a_role(o, *o.object, o.roles().scene_component_class) ||
                 !is_a_role(p, *p.object, p.roles().scene_component_class)) {
               throw py::type_error("UObject.attach_to_component: both must be " +
                                    o.roles().scene_component_class + "s");
             }
             o.store().attach(o.object->id, p.object->id);
           })
      .def("destroy_component", [](const UObjectHandle& h) {
        const auto o = live_component(h, "UObject.destroy_component");
        const ObjectId id = o.object->id;
        forget_wrapper(*o.state, id);
        o.store().destroy(id);
      });
}

}  // namespace

void place_spawned_actor(const std::shared_ptr<PythonEngineState>& state, ObjectId actor,
                         py::handle location, py::handle rotation) {
  const LiveObject o{state, &state->world.objects().get(actor)};
  const auto& roles = o.roles();
  for (const auto& [part, value] :
       {std::pair{&roles.location_property, location}, {&roles.rotation_property, rotation}}) {
    if (!value.is_none()) {
      write_transform_part(o, *part,
                           from_python(*state, scene_property(o, *part).type, value,
                                       "UObject.actor_spawn " + *part));
    }
  }
}

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
    m.attr("UFunction") = py::handle(reinterpret_cast<PyObject*>(bound_function_type));
    return;
  }
  bound_function_type = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&bound_function_spec));
  if (bound_function_type == nullptr) {
    throw py::error_already_set();
  }
  // The process keeps the type: every engine the process makes binds functions with it.
  m.attr("UFunction") = py::handle(reinterpret_cast<PyObject*>(bound_function_type));

  py::class_<UObjectHandle> uobject(m, "UObject", py::dynamic_attr());
  define_uobject_methods(uobject);
  define_actor_methods(uobject);
  define_world_and_asset_methods(uobject);
  define_blueprint_methods(uobject);
  uobject
      .def("__eq__",
           [](const UObjectHandle& a, const py::object& b) {
             return py::isinstance<UObjectHandle>(b) && same(a, b.cast<const UObjectHandle&>());
           })
      .def("__hash__", [](const UObjectHandle& h) { return hash_of(h); })
      .def("__repr__", [](const UObjectHandle& h) { return describe(h); });
  auto* type = reinterpret_cast<PyTypeObject*>(uobject.ptr());
  type->tp_getattro = uobject_getattro;
  type->tp_setattro = uobject_setattro;
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
             auto state = struct_engine(s);
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
  struct_type->tp_getattro = struct_getattro;
  struct_type->tp_setattro = struct_setattro;
  PyType_Modified(struct_type);
}

}  // namespace understudy::unreal
