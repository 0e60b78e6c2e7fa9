// The LiveObject helpers of unreal_engine.UObject (uobject_live_object.h):
// every UObject method reaches its object and properties through these, so
// that what a handle must be and how a UPROPERTY converts is decided once.
#include "fake_engine/unreal/uobject_live_object.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace py = pybind11;

namespace understudy::unreal::uobject_detail {

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

void write_property(const LiveObject& o, const PropertyInfo& property, py::handle value) {
  try {
    o.object->write(property) =
        from_python(*o.state, property.type, value, o.object->cls->name + "." + property.name);
  } catch (const py::type_error& e) {
    throw py::value_error(std::string("invalid value for UProperty: ") + e.what());
  }
}

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

}  // namespace understudy::unreal::uobject_detail
