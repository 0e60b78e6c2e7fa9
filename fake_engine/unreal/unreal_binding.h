// The Unreal binding's shared parts: what the `unreal_engine` module's types
// (UObject, UScriptStruct) hold, and the conversions between the object
// model's values and Python, as UnrealEnginePython converts UPROPERTYs.
//
// Every object access runs on the engine's main thread: engine_for() throws
// WrongThreadError (a RuntimeError in Python) naming the API and the Python
// thread elsewhere, as the real engine would crash.
//
// REQUIRES: GIL held for everything here.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <string_view>

#include "fake_engine/objects/object_store.h"
#include "fake_engine/python/python_runtime.h"

namespace understudy::unreal {

using WeakState = std::weak_ptr<PythonEngineState>;

// The Python thread's own name (Python threads inherit their starter's OS name).
std::string python_thread_name();

// The engine behind `weak`, after checking it still runs and this is its main thread.
std::shared_ptr<PythonEngineState> engine_for(const WeakState& weak, std::string_view api);

// What a Python `unreal_engine.UObject` refers to: an object of the model, or
// one of its types (UE's UClass, UScriptStruct and UEnum are UObjects too).
struct UObjectHandle {
  WeakState state;
  ObjectId id = 0;
  // The object's class (objects never change class; types are immutable, so
  // any thread may read it): lets a lookup of a name the class does not have
  // fail as Python's would without touching the engine.
  const ClassInfo* object_class = nullptr;
  const ClassInfo* cls = nullptr;
  const StructInfo* script_struct = nullptr;
  const EnumInfo* enumeration = nullptr;

  bool is_object() const { return id != 0; }
};

// A struct value in Python (UEP's UScriptStruct instances). It owns its value,
// or views a struct nested in another struct value (UEP hands nested structs
// out by reference: writes through the view land in the outer value).
struct StructInstance {
  std::shared_ptr<StructValue> value;
  WeakState state;  // for the object references a struct may hold
};

// The one Python object for an object, a class, a struct type or an enum
// (`a is b` holds for the same object, and attributes a script sets stick,
// as UEP keeps one Python object per UObject). None for id 0 / nullptr.
pybind11::object wrap_object(PythonEngineState& state, const WeakState& weak, ObjectId id);
pybind11::object wrap_class(PythonEngineState& state, const WeakState& weak, const ClassInfo* cls);
pybind11::object wrap_struct_type(PythonEngineState& state, const WeakState& weak,
                                  const StructInfo* info);
pybind11::object wrap_enum(PythonEngineState& state, const WeakState& weak, const EnumInfo* info);
// Drops the Python object of a destroyed object (its handle reports it invalid).
void forget_wrapper(PythonEngineState& state, ObjectId id);

// A value as UEP returns it: bool, int (also enums and bytes), float, str
// (FString, FName, FText), FVector & co for UE's math structs, a
// UScriptStruct copy for other structs (`nested_view` shares instead), a
// UObject or None, a list, set or dict.
pybind11::object to_python(PythonEngineState& state, const WeakState& weak, const ValueType& type,
                           const Value& value, bool nested_view = false);
// A Python value for a property of `type`; throws TypeError/ValueError naming
// `what` ("Actor.Tags"), the type expected and the value given.
Value from_python(PythonEngineState& state, const ValueType& type, pybind11::handle value,
                  std::string_view what);

// UE's math structs as the binding's Python math types (FVector, ...): the
// codec of a struct, or nullptr when the struct is not one of them.
struct MathStructCodec {
  pybind11::object (*to_python)(const StructValue& value);
  // False if `value` is not this math type.
  bool (*from_python)(pybind11::handle value, StructValue& out);
};
const MathStructCodec* math_codec(const StructInfo& info);

// A class argument (UEP takes UClass objects, never class names); TypeError
// naming `api` otherwise.
const ClassInfo& class_argument(pybind11::handle cls, std::string_view api);

// The type name a Python value shows in errors ("FRotator", "int").
std::string python_type_name(pybind11::handle value);

// Sets the Python error for the C++ exception being handled, for the raw
// CPython slots that run outside pybind11's own translation:
// std::invalid_argument is a ValueError, other std::exceptions RuntimeError.
void set_python_error();

// Defines UObject and UScriptStruct on the module (once per process).
void define_object_types(pybind11::module_& m);

// Parts of UObject defined beside the assets and the world (unreal_assets.cpp):
// actor_spawn and the world's queries, save_package, and calling a class or
// a struct type to make an instance.
void define_world_and_asset_methods(pybind11::class_<UObjectHandle>& uobject);

// The module functions about assets and packages: new_object, find_object,
// load_object, get_asset, get_assets, delete_asset, get_transient_package.
void define_asset_functions(pybind11::module_& m, const WeakState& weak);

// Makes an object of `cls` in `outer` (0: the transient package), as UE's
// NewObject; `api` names the caller in errors.
ObjectId new_object(PythonEngineState& state, const ClassInfo& cls, ObjectId outer,
                    const std::string& name, std::string_view api);

// The package of that name ("/Game/Props/Chair"), made if missing;
// ValueError naming `api` for a name that is not a package path.
ObjectId package_named(PythonEngineState& state, const std::string& name, std::string_view api);

// The module functions about Blueprints (create_blueprint, compile_blueprint,
// blueprint_add_member_variable, ...): unreal_blueprints.cpp.
void define_blueprint_functions(pybind11::module_& m, const WeakState& weak);
// UObject's factory_create_new (BlueprintFactory's; other factories' are not emulated).
void define_blueprint_methods(pybind11::class_<UObjectHandle>& uobject);

// Puts a new actor where actor_spawn's location and rotation say (None:
// leaves that part), as UE's SetActorLocation and SetActorRotation would.
void place_spawned_actor(const std::shared_ptr<PythonEngineState>& state, ObjectId actor,
                         pybind11::handle location, pybind11::handle rotation);

// What UE gives a new actor of a class registered at run time beyond its
// class's defaults: its Blueprint's component templates' and its class
// default object's components' values, as UE copies them into the instance.
void apply_runtime_class_templates(PythonEngineState& state, ObjectId actor);

// A class registered at run time at `path` ("/Game/Heroes/Hero.Hero_C"), or
// nullptr.
const ClassInfo* runtime_class_at(PythonEngineState& state, std::string_view path);
// Before a Blueprint asset is deleted: retires its generated (and skeleton)
// class, so that a Blueprint made at the same path again registers its own.
// The actors of the class live on with the retired class; spawning from a
// reference to it raises naming the deleted Blueprint. RuntimeError, deleting
// nothing, while a registered class derives from it. Nothing for other assets.
void retire_blueprint_classes(PythonEngineState& state, ObjectId asset, std::string_view api);

// UE's path of a class: "/Script/Engine.Actor", "/Game/Heroes/Hero.Hero_C".
std::string class_path_name(const ClassInfo& cls);

// Python subclasses of UClasses (unreal_python_classes.cpp): the class
// statement on the UObject type registers a runtime class.
void install_python_subclassing(PyTypeObject* uobject_type);
// What a Python subclass's namespace gives `name` on `self` (methods bound;
// a null `self` for the class itself: functions unbound), for `cls` and its
// runtime ancestors; a null object if nothing.
pybind11::object python_class_attribute(const UObjectHandle& handle, const ClassInfo* cls,
                                        pybind11::handle self, std::string_view name);
// Sets a class attribute of a Python subclass (`Counter.made += 1`) in its
// namespace, where its objects see it; false if the class has no namespace.
bool set_python_class_attribute(const UObjectHandle& handle, pybind11::handle name,
                                pybind11::handle value);
// Runs the object's Python __init__, if its class has one (UEP runs it in the
// object's constructor).
void construct_python_object(PythonEngineState& state, const WeakState& weak, ObjectId id);
// Hands a new actor of a Python class to the engine's play: ReceiveBeginPlay
// now, ReceiveTick(delta) each frame, ReceiveEndPlay(reason) at the end.
void start_python_actor(PythonEngineState& state, const WeakState& weak, ObjectId id);

}  // namespace understudy::unreal
