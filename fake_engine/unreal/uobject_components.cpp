// UObject's actor and component methods: labels, an actor's components
// (found, added as UE's AddComponent attaches them, destroyed), Python
// components as UEP's UPythonComponent, and attachment.
#include <string>
#include <utility>
#include <vector>

#include "fake_engine/unreal/uobject_live_object.h"

namespace py = pybind11;

namespace understudy::unreal::uobject_detail {

namespace {

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

}  // namespace

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

}  // namespace understudy::unreal::uobject_detail
