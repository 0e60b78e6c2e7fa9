// UObject's transforms: actors' location, rotation and scale (their root
// component's world transform), and scene components' relative and world
// transforms through their attach parents, composed as UE composes them.
#include <utility>

#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/uobject_live_object.h"

namespace py = pybind11;

namespace understudy::unreal::uobject_detail {

namespace {

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

}  // namespace

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

void define_transform_methods(py::class_<UObjectHandle>& uobject) {
  uobject
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
      // --- scene components ---
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
      .def("set_world_scale", [](const UObjectHandle& h, const py::args& args) {
        const auto o = live_scene_component(h, "UObject.set_world_scale");
        write_world_part(o, o.roles().scale_property, args, "UObject.set_world_scale");
      });
}

}  // namespace understudy::unreal::uobject_detail

namespace understudy::unreal {

void place_spawned_actor(const std::shared_ptr<PythonEngineState>& state, ObjectId actor,
                         py::handle location, py::handle rotation) {
  const uobject_detail::LiveObject o{state, &state->world.objects().get(actor)};
  const auto& roles = o.roles();
  for (const auto& [part, value] :
       {std::pair{&roles.location_property, location}, {&roles.rotation_property, rotation}}) {
    if (!value.is_none()) {
      uobject_detail::write_transform_part(
          o, *part,
          from_python(*state, uobject_detail::scene_property(o, *part).type, value,
                      "UObject.actor_spawn " + *part));
    }
  }
}

}  // namespace understudy::unreal
