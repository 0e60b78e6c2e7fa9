// What the files of unreal_engine.UObject share, private to them
// (uobject_type.cpp, uobject_functions.cpp, uobject_components.cpp,
// uobject_transforms.cpp): LiveObject and its helpers, through which every
// method reaches an object, so that UEP's getattro rules (what a handle must
// be, how a UPROPERTY reads and writes) are in one place; and what one file's
// methods call in another's.
//
// REQUIRES: GIL held, and the engine's main thread for whatever takes a
// LiveObject (live() checks it).
#pragma once

#include <pybind11/pybind11.h>
// Every file of the type converts std::vector, std::string & co the same way.
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <string_view>

#include "fake_engine/unreal/unreal_binding.h"

namespace understudy::unreal::uobject_detail {

// The state and object behind a handle that must be a live object.
struct LiveObject {
  std::shared_ptr<PythonEngineState> state;
  Object* object;
  ObjectStore& store() const { return state->world.objects(); }
  const ModelRoles& roles() const { return state->world.objects().roles(); }
};

// --- uobject_live_object.cpp -----------------------------------------------------

LiveObject live(const UObjectHandle& handle, std::string_view api);
const ClassInfo& class_of_role(const LiveObject& live_object, const std::string& name);
bool is_a_role(const LiveObject& live_object, const Object& object, const std::string& role);
LiveObject live_actor(const UObjectHandle& handle, std::string_view api);
// UEP's transform calls on a component act on its owner.
LiveObject live_actor_or_owner(const UObjectHandle& handle, std::string_view api);
LiveObject live_component(const UObjectHandle& handle, std::string_view api);

const PropertyInfo& property_of(const Object& object, std::string_view name, std::string_view api);
pybind11::object read_property(const LiveObject& o, const PropertyInfo& property);
// A value that does not convert is a ValueError, as UEP's "invalid value for UProperty".
void write_property(const LiveObject& o, const PropertyInfo& property, pybind11::handle value);

// An actor's root component; 0 for none.
ObjectId root_component(const LiveObject& o);
// The scene component class's property of that name (a role's name).
const PropertyInfo& scene_property(const LiveObject& o, const std::string& name);
// A struct argument given as the struct, or as its numbers ("x, y, z").
Value struct_argument(const LiveObject& o, const PropertyInfo& property, const pybind11::args& args,
                      std::string_view api);

// --- uobject_type.cpp --------------------------------------------------------------

// The UObject's repr(), on any thread.
std::string describe(const UObjectHandle& handle);
// The UObject methods every object, class, struct type and enum has.
void define_object_methods(pybind11::class_<UObjectHandle>& uobject);

// --- uobject_functions.cpp ---------------------------------------------------------

// unreal_engine.UFunction, made on the process's first call; the process keeps
// it, as every engine it makes binds functions with it.
PyTypeObject* ufunction_type();
// `self`'s function `name` (an str), bound.
pybind11::object bind_function(pybind11::handle self, pybind11::handle name);
// UObject's reflection: properties and functions by name, and calls.
void define_reflection_methods(pybind11::class_<UObjectHandle>& uobject);

// --- uobject_components.cpp --------------------------------------------------------

// UObject's actor and component methods, but their transforms.
void define_actor_methods(pybind11::class_<UObjectHandle>& uobject);

// --- uobject_transforms.cpp --------------------------------------------------------

// An actor's location, rotation or scale: its root component's world
// transform (UE's GetActorLocation & co); an actor without a root component
// has none, and UE reports the type's zero (scale: one).
pybind11::object read_transform_part(const LiveObject& actor, const std::string& part);
// UE's SetActorLocation & co: the root component's world transform (through
// the component it is attached to, if any), never its relative one. False
// for an actor without a root component: it has nowhere to be.
bool write_transform_part(const LiveObject& actor, const std::string& part, Value value);
// UObject's transform methods: actors', and scene components' relative and world ones.
void define_transform_methods(pybind11::class_<UObjectHandle>& uobject);

}  // namespace understudy::unreal::uobject_detail
