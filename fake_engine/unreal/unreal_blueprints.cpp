// Blueprints as UnrealEnginePython's editor API makes them: create_blueprint
// registers the Blueprint's generated class ("Hero_C", a subclass of its
// parent with the parent's properties and components) at run time, so that
// actor_spawn, get_cdo, find_class and load_object take it as any class;
// member variables and components wait in the Blueprint until
// compile_blueprint adds them to the class, as the editor's compile does.
//
// Blueprint graphs (nodes, pins, events) are not executed: the graph methods
// stay not emulated.
//
// Over 500 lines as one unit: its sections (member variables, creation,
// components) all work on the same LiveBlueprint and the generated class it
// registers, through the helpers at the top.
#include <pybind11/stl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy::unreal {

namespace {

// UE's EPropertyFlags::CPF_DisableEditOnInstance.
constexpr std::int64_t kDisableEditOnInstance = 0x10000;
// UE names a component template after its SCS node.
constexpr const char* kTemplateSuffix = "_GEN_VARIABLE";

const ClassInfo& schema_class(PythonEngineState& state, const char* name) {
  const auto* cls = state.world.types().find_class(name);
  if (!cls) {
    throw std::runtime_error(std::string("the engine's schema lacks class ") + name +
                             " (fake_engine/schema/unreal)");
  }
  return *cls;
}

const PropertyInfo& property_named(const ClassInfo& cls, const char* name) {
  const auto* property = cls.find_property(name);
  if (!property) {
    throw std::runtime_error("the engine's schema lacks " + cls.name + "." + name +
                             " (fake_engine/schema/unreal)");
  }
  return *property;
}

// A Blueprint argument: the live Blueprint asset and its generated class.
struct LiveBlueprint {
  std::shared_ptr<PythonEngineState> state;
  ObjectId id = 0;
  const ClassInfo* generated = nullptr;
  Object& object() const { return state->world.objects().get(id); }
};

LiveBlueprint blueprint_argument(const WeakState& weak, py::handle blueprint,
                                 std::string_view api) {
  auto state = engine_for(weak, api);
  if (!py::isinstance<UObjectHandle>(blueprint) ||
      !blueprint.cast<const UObjectHandle&>().is_object()) {
    throw py::type_error(std::string(api) + ": expected a Blueprint, got " +
                         python_type_name(blueprint));
  }
  const auto id = blueprint.cast<const UObjectHandle&>().id;
  const auto* object = state->world.objects().find(id);
  if (!object) {
    throw std::runtime_error(std::string(api) + ": the UObject is no longer valid (destroyed)");
  }
  const auto& blueprint_class = schema_class(*state, "Blueprint");
  if (!object->cls->is_a(blueprint_class)) {
    throw py::type_error(std::string(api) + ": " + object->name + " is a " + object->cls->name +
                         ", not a Blueprint");
  }
  const auto* generated =
      object->read(property_named(*object->cls, "GeneratedClass")).as<ClassRef>().cls;
  if (!generated) {
    throw std::runtime_error(std::string(api) + ": Blueprint " + object->name +
                             " has no generated class");
  }
  return {std::move(state), id, generated};
}

// --- member variables -----------------------------------------------------------

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// A pin category ("int", "float", ...) as a property type spelling. An object
// or class pin names its class in the pin type's PinSubCategoryObject
// (`sub_class`): its variable holds a reference to an object of that class,
// or a subclass of it.
std::string spelling_of_category(const std::string& category, const ClassInfo* sub_class,
                                 std::string_view api) {
  static const std::pair<const char*, const char*> kCategories[] = {
      {"bool", "bool"},   {"byte", "byte"},     {"int", "int"},     {"int64", "int64"},
      {"float", "float"}, {"double", "double"}, {"real", "double"}, {"string", "string"},
      {"name", "name"},   {"text", "text"},
  };
  const auto key = lower(category);
  for (const auto& [name, spelling] : kCategories) {
    if (key == name) {
      return spelling;
    }
  }
  if (key == "object" || key == "class") {
    if (!sub_class) {
      throw py::value_error(std::string(api) + ": a variable of pin category '" + category +
                            "' needs its class: pass an EdGraphPinType(PinCategory='" + category +
                            "', PinSubCategoryObject=<the class>)");
    }
    if (!sub_class->retired.empty()) {
      throw std::runtime_error(std::string(api) + ": the pin's class " + sub_class->name +
                               " is no longer registered (" + sub_class->retired + ")");
    }
    return key + ":" + sub_class->name;
  }
  if (key == "struct" || key == "softobject" || key == "softclass" || key == "interface" ||
      key == "delegate") {
    throw_not_emulated(std::string(api) + " (a variable of pin category '" + category + "')");
  }
  throw py::value_error(std::string(api) + ": unknown pin category '" + category +
                        "' (UE's are bool, byte, int, int64, float, double, string, name, text, "
                        "object, class, struct, ...)");
}

// The variable's type as UE's pin type (category, container), and as the
// spelling of the property compile_blueprint gives it.
struct VariableType {
  StructValue pin;
  std::string spelling;
};

VariableType variable_type(PythonEngineState& state, py::handle type, bool is_array,
                           std::string_view api) {
  const auto* pin_struct = state.world.types().find_struct("EdGraphPinType");
  if (!pin_struct) {
    throw std::runtime_error("the engine's schema lacks struct EdGraphPinType");
  }
  VariableType result{pin_struct->prototype, {}};
  const auto* category_field = pin_struct->find_field("PinCategory");
  const auto* container_field = pin_struct->find_field("ContainerType");
  std::string category;
  const ClassInfo* sub_class = nullptr;
  std::string container = is_array ? "Array" : "None";
  if (py::isinstance<py::str>(type)) {
    category = type.cast<std::string>();
  } else if (py::isinstance<StructInstance>(type) &&
             type.cast<const StructInstance&>().value->type == pin_struct) {
    result.pin = *type.cast<const StructInstance&>().value;
    category = result.pin.fields[category_field->slot].as<NameValue>().text;
    const auto& given = result.pin.fields[container_field->slot].as<EnumValue>();
    if (const auto* name = given.type->name_of(given.value); name && *name != "None") {
      container = *name;
    }
    if (const auto* sub_object = pin_struct->find_field("PinSubCategoryObject")) {
      sub_class = result.pin.fields[sub_object->slot].as<ClassRef>().cls;
    }
  } else {
    throw py::type_error(std::string(api) +
                         ": the type is a pin category string or an EdGraphPinType, got " +
                         python_type_name(type));
  }
  result.spelling = spelling_of_category(category, sub_class, api);
  if (container == "Array") {
    result.spelling = "array<" + result.spelling + ">";
  } else if (container == "Set") {
    result.spelling = "set<" + result.spelling + ">";
  } else if (container != "None") {
    throw_not_emulated(std::string(api) + " (a " + container + " variable)");
  }
  result.pin.fields[category_field->slot] = Value(NameValue{category});
  result.pin.fields[container_field->slot] = state.world.types().coerce(
      container_field->type, Value(container == "Array" ? std::string("Array")
                                   : container == "Set" ? std::string("Set")
                                                        : std::string("None")));
  return result;
}

// A variable's default as the editor's text ("17", "true", "Hello", an
// object's path "/Game/Materials/Red.Red", a class's "/Script/Engine.Actor")
// for its type. An object or class the path does not name is an error now,
// as the editor's compile fails to load it.
std::optional<Value> default_of(PythonEngineState& state, const ValueType& type,
                                const std::string& text, std::string_view api) {
  if (text.empty()) {
    return std::nullopt;
  }
  try {
    switch (type.kind) {
      case ValueKind::kBool:
        return Value(lower(text) == "true" || text == "1");
      case ValueKind::kByte:
      case ValueKind::kInt:
      case ValueKind::kInt64:
        return Value(static_cast<std::int64_t>(std::stoll(text)));
      case ValueKind::kFloat:
      case ValueKind::kDouble:
        return Value(std::stod(text));
      case ValueKind::kString:
      case ValueKind::kName:
      case ValueKind::kText:
        return Value(text);
      case ValueKind::kObject: {
        const auto id = state.world.objects().find_path(text);
        const auto* object = state.world.objects().find(id);
        if (!object) {
          throw py::value_error(std::string(api) + ": no object at '" + text +
                                "' for the default of a " + type.spelling() + " variable");
        }
        const auto* cls = state.world.types().find_class(type.type_name);
        if (cls && !object->cls->is_a(*cls)) {
          throw py::type_error(std::string(api) + ": the default " + text + " is a " +
                               object->cls->name + ", not a " + cls->name);
        }
        return Value(ObjectRef{id});
      }
      case ValueKind::kClass: {
        const auto dot = text.rfind('.');
        const auto* given = state.world.types().find_class(
            dot == std::string::npos ? std::string_view(text)
                                     : std::string_view(text).substr(dot + 1));
        const auto* cls = state.world.types().find_class(type.type_name);
        if (!given) {
          throw py::value_error(std::string(api) + ": no class '" + text +
                                "' for the default of a " + type.spelling() + " variable");
        }
        if (cls && !given->is_a(*cls)) {
          throw py::type_error(std::string(api) + ": the default " + given->name +
                               " is not a subclass of " + cls->name);
        }
        return Value(ClassRef{given});
      }
      default:
        break;
    }
  } catch (const std::logic_error&) {
    throw py::value_error(std::string(api) + ": '" + text + "' is not a " + type.spelling());
  }
  throw_not_emulated(std::string(api) + " (the default value of a " + type.spelling() +
                     " variable)");
}

StructValue& variable_named(LiveBlueprint& bp, ValueList& variables, const std::string& name) {
  const auto* description = bp.state->world.types().find_struct("BPVariableDescription");
  const auto* var_name = description->find_field("VarName");
  for (auto& variable : variables) {
    auto& value = variable.as<StructBox>().get();
    if (value.fields[var_name->slot].as<NameValue>().text == name) {
      return value;
    }
  }
  throw std::runtime_error("unable to find variable " + name + " in Blueprint " + bp.object().name);
}

// The Blueprint's NewVariables as compile_blueprint adds them to the class.
void compile_variables(LiveBlueprint& bp, std::string_view api) {
  auto& types = bp.state->world.objects().types();
  const auto& variables_property = property_named(*bp.object().cls, "NewVariables");
  const auto* description = types.find_struct("BPVariableDescription");
  const auto* var_name = description->find_field("VarName");
  const auto* var_type = description->find_field("VarType");
  const auto* default_value = description->find_field("DefaultValue");
  const auto* flags = description->find_field("PropertyFlags");
  const auto variables = bp.object().read(variables_property).as<ValueList>();
  for (const auto& variable : variables) {
    const auto& value = variable.as<StructBox>().get();
    const auto name = value.fields[var_name->slot].as<NameValue>().text;
    if (bp.generated->find_property(name)) {
      continue;  // compiled before
    }
    py::object pin = py::cast(StructInstance{
        std::make_shared<StructValue>(value.fields[var_type->slot].as<StructBox>().get()),
        bp.state});
    PropertyInfo property;
    property.name = name;
    property.type = parse_value_type(variable_type(*bp.state, pin, false, api).spelling);
    property.declared_default = default_of(
        *bp.state, property.type, value.fields[default_value->slot].as<std::string>(), api);
    property.doc = (value.fields[flags->slot].as<std::int64_t>() & kDisableEditOnInstance)
                       ? "a Blueprint variable, not editable on instances"
                       : "a Blueprint variable";
    property.where = SourceLocation{bp.state->world.objects().path_name(bp.id), 0};
    try {
      types.add_runtime_property(*bp.generated, std::move(property));
    } catch (const SchemaError& e) {
      throw std::runtime_error(std::string(api) + ": " + e.what());
    }
  }
  // UE reinstances the class's objects on compile so that they get the new
  // variables' defaults: here objects hold only the values they wrote and
  // read every other slot from the class's prototype, which now has them.
}

// --- creation ---------------------------------------------------------------------

const ClassInfo& register_generated_class(PythonEngineState& state, const ClassInfo& parent,
                                          const std::string& path, const std::string& asset,
                                          std::string_view api) {
  auto& store = state.world.objects();
  ClassInfo info;
  info.name = asset + "_C";  // UE's name of a Blueprint's generated class
  info.parent_name = parent.name;
  info.doc = "The class the Blueprint " + path + " generates.";
  info.where = SourceLocation{path, 0};
  info.package = path;
  if (const auto* taken = store.types().find_class(info.name)) {
    throw std::runtime_error(
        std::string(api) + ": a class named " + info.name + " exists already (" +
        (taken->runtime ? class_path_name(*taken) : taken->where.describe()) + ")");
  }
  try {
    return register_runtime_class(store.types(), store.roles(), std::move(info));
  } catch (const SchemaError& e) {
    throw std::runtime_error(std::string(api) + ": " + e.what());
  }
}

ObjectId create_blueprint(PythonEngineState& state, const ClassInfo& parent,
                          const std::string& path, std::string_view api) {
  auto& store = state.world.objects();
  const auto slash = path.rfind('/');
  const auto asset = slash == std::string::npos ? std::string() : path.substr(slash + 1);
  if (asset.empty() || path.front() != '/' || path.find_first_of(".: ") != std::string::npos) {
    throw py::value_error(std::string(api) + ": '" + path +
                          "' is not a package name (e.g. /Game/Blueprints/Hero)");
  }
  if (store.find_path(path + "." + asset) != 0) {
    throw std::runtime_error(std::string(api) + ": there is already a Blueprint at " + path + "." +
                             asset);
  }
  const auto& blueprint_class = schema_class(state, "Blueprint");
  const auto& generated = register_generated_class(state, parent, path, asset, api);
  const auto package = package_named(state, path, api);
  const auto id = store.create(blueprint_class, package, asset).id;
  const auto graph = store.create(schema_class(state, "EdGraph"), id, "EventGraph").id;
  auto& blueprint = store.get(id);
  blueprint.write(property_named(blueprint_class, "ParentClass")) = Value(ClassRef{&parent});
  blueprint.write(property_named(blueprint_class, "GeneratedClass")) = Value(ClassRef{&generated});
  blueprint.write(property_named(blueprint_class, "SkeletonGeneratedClass")) =
      Value(ClassRef{&generated});
  blueprint.write(property_named(blueprint_class, "UberGraphPages")) =
      Value(ValueList{Value(ObjectRef{graph})});
  return id;
}

// --- components -------------------------------------------------------------------

ObjectId add_component(LiveBlueprint& bp, const ClassInfo& component_class, const std::string& name,
                       const std::string& parent, std::string_view api) {
  auto& store = bp.state->world.objects();
  const auto& roles = store.roles();
  const auto& actor = *store.types().find_class(roles.actor_class);
  const auto& component = *store.types().find_class(roles.component_class);
  const auto& scene = *store.types().find_class(roles.scene_component_class);
  if (!bp.generated->is_a(actor)) {
    throw py::type_error(std::string(api) + ": " + bp.generated->name + " is not an " + actor.name +
                         " class: only actors have components");
  }
  if (!component_class.is_a(component) || component_class.abstract) {
    throw py::type_error(std::string(api) + ": " + component_class.name + " is not a concrete " +
                         component.name);
  }
  // As UE's construction script: the first scene component of a class
  // without a root becomes the root; the others attach to it, or to `parent`.
  const bool has_root =
      std::any_of(bp.generated->components.begin(), bp.generated->components.end(),
                  [](const ComponentTemplate* c) { return c->root; });
  ComponentTemplate made;
  made.name = name;
  made.class_name = component_class.name;
  made.attach_to = parent;
  made.root = !has_root && parent.empty() && component_class.is_a(scene);
  made.where = SourceLocation{store.path_name(bp.id), 0};
  try {
    store.types().add_runtime_component(*bp.generated, std::move(made));
  } catch (const SchemaError& e) {
    throw py::value_error(std::string(api) + ": " + e.what());
  }
  // The template scripts configure: each new actor's component starts as a copy.
  return store.create(component_class, bp.id, name + kTemplateSuffix).id;
}

// Copies the values `from` holds of its own to `to` (same class), keeping
// `to`'s attachment: UE's copy of a template into an instance.
void copy_values(ObjectStore& store, const Object& from, ObjectId to_id) {
  if (from.properties.empty()) {
    return;
  }
  auto& to = store.get(to_id);
  if (to.cls != from.cls) {
    return;
  }
  const auto& roles = store.roles();
  std::vector<std::pair<const PropertyInfo*, Value>> kept;
  for (const auto& name : {roles.attach_property, roles.attach_children_property}) {
    if (const auto* property = name.empty() ? nullptr : to.cls->find_property(name)) {
      kept.emplace_back(property, to.read(*property));
    }
  }
  to.properties = from.properties;
  for (auto& [property, value] : kept) {
    to.write(*property) = std::move(value);
  }
}

}  // namespace

std::string class_path_name(const ClassInfo& cls) {
  return (cls.package.empty() ? std::string("/Script/Engine") : cls.package) + "." + cls.name;
}

const ClassInfo* runtime_class_at(PythonEngineState& state, std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) {
    return nullptr;
  }
  const auto* cls = state.world.types().find_class(path.substr(dot + 1));
  return cls && cls->runtime && cls->package == path.substr(0, dot) ? cls : nullptr;
}

void retire_blueprint_classes(PythonEngineState& state, ObjectId asset, std::string_view api) {
  auto& store = state.world.objects();
  const auto& object = store.get(asset);
  const auto* blueprint_class = store.types().find_class("Blueprint");
  if (!blueprint_class || !object.cls->is_a(*blueprint_class)) {
    return;
  }
  const auto path = store.path_name(asset);
  std::vector<const ClassInfo*> classes;
  for (const char* name : {"GeneratedClass", "SkeletonGeneratedClass"}) {
    const auto* cls = object.read(property_named(*object.cls, name)).as<ClassRef>().cls;
    if (cls && cls->retired.empty() &&
        std::find(classes.begin(), classes.end(), cls) == classes.end()) {
      classes.push_back(cls);
    }
  }
  for (const auto* cls : classes) {
    try {
      for (const auto id : store.retire_class(*cls, "deleted with the Blueprint " + path)) {
        forget_wrapper(state, id);
      }
    } catch (const SchemaError& e) {
      throw std::runtime_error(std::string(api) + ": " + path + " is not deleted: " + e.what());
    }
  }
}

void apply_runtime_class_templates(PythonEngineState& state, ObjectId actor_id) {
  auto& store = state.world.objects();
  const auto* cls = store.get(actor_id).cls;
  if (!cls->runtime) {
    return;
  }
  std::vector<const ClassInfo*> chain;
  for (const auto* c = cls; c && c->runtime; c = c->parent) {
    chain.insert(chain.begin(), c);
  }
  const auto components = store.get(actor_id).inners;
  auto component_named = [&](const std::string& name) -> ObjectId {
    for (const auto id : components) {
      if (store.get(id).name == name) {
        return id;
      }
    }
    return 0;
  };
  for (const auto* c : chain) {
    // The Blueprint's component templates ("Light_GEN_VARIABLE").
    const auto slash = c->package.rfind('/');
    const auto blueprint = slash == std::string::npos
                               ? 0
                               : store.find_path(c->package + "." + c->package.substr(slash + 1));
    if (const auto* bp = store.find(blueprint)) {
      for (const auto inner : bp->inners) {
        const auto& made = store.get(inner);
        if (made.name.ends_with(kTemplateSuffix)) {
          const auto name = made.name.substr(0, made.name.size() - std::strlen(kTemplateSuffix));
          if (const auto target = component_named(name)) {
            copy_values(store, made, target);
          }
        }
      }
    }
  }
  // The class default object's components (`bp.GeneratedClass.get_cdo().Mesh`).
  const auto& cdo = store.get(store.class_default(*cls));
  for (const auto inner : cdo.inners) {
    const auto& made = store.get(inner);
    if (const auto target = component_named(made.name)) {
      copy_values(store, made, target);
    }
  }
}

void define_blueprint_methods(py::class_<UObjectHandle>& uobject) {
  uobject.def(
      "factory_create_new",
      [](const UObjectHandle& h, const std::string& path) {
        // UEP's py_ue_factory_create_new: the factory makes its asset in the
        // package `path` names, called after the path's last part. Of the
        // factories, Understudy runs BlueprintFactory's.
        const auto api = "UObject.factory_create_new";
        auto state = engine_for(h.state, api);
        if (!h.is_object()) {
          throw py::type_error(std::string(api) + ": not a factory object");
        }
        auto& store = state->world.objects();
        const auto* factory = store.find(h.id);
        if (!factory) {
          throw std::runtime_error(std::string(api) +
                                   ": the UObject is no longer valid (destroyed)");
        }
        const auto* factory_class = store.types().find_class("Factory");
        if (!factory_class || !factory->cls->is_a(*factory_class)) {
          throw py::type_error(std::string(api) + ": " + factory->name + " is a " +
                               factory->cls->name + ", not a Factory");
        }
        const auto* blueprint_factory = store.types().find_class("BlueprintFactory");
        if (!blueprint_factory || !factory->cls->is_a(*blueprint_factory)) {
          throw_not_emulated(std::string(api) + " (of a " + factory->cls->name + ")");
        }
        // UBlueprintFactory's ParentClass starts as AActor.
        const auto* parent =
            factory->read(property_named(*factory->cls, "ParentClass")).as<ClassRef>().cls;
        if (!parent) {
          parent = store.types().find_class(store.roles().actor_class);
        }
        return wrap_object(*state, h.state, create_blueprint(*state, *parent, path, api));
      },
      py::arg("name"));
}

void define_blueprint_functions(py::module_& m, const WeakState& weak) {
  m.def(
      "create_blueprint",
      [weak](const py::object& parent, const std::string& path) {
        const auto api = "unreal_engine.create_blueprint";
        auto state = engine_for(weak, api);
        const auto& parent_class = class_argument(parent, api);
        return wrap_object(*state, weak, create_blueprint(*state, parent_class, path, api));
      },
      py::arg("parent_class"), py::arg("name"));
  m.def(
      "compile_blueprint",
      [weak](const py::object& blueprint) {
        const auto api = "unreal_engine.compile_blueprint";
        auto bp = blueprint_argument(weak, blueprint, api);
        compile_variables(bp, api);
      },
      py::arg("blueprint"));
  m.def(
      "blueprint_add_member_variable",
      [weak](const py::object& blueprint, const std::string& name, const py::object& type,
             const py::object& is_array, const py::object& default_value) {
        const auto api = "unreal_engine.blueprint_add_member_variable";
        auto bp = blueprint_argument(weak, blueprint, api);
        auto& types = bp.state->world.types();
        const auto* description = types.find_struct("BPVariableDescription");
        if (!description) {
          throw std::runtime_error("the engine's schema lacks struct BPVariableDescription");
        }
        auto resolved =
            variable_type(*bp.state, type, !is_array.is_none() && is_array.cast<bool>(), api);
        const std::string text =
            default_value.is_none() ? std::string() : py::str(default_value).cast<std::string>();
        (void)default_of(*bp.state, parse_value_type(resolved.spelling), text,
                         api);  // fails now, not later
        const auto& variables_property = property_named(*bp.object().cls, "NewVariables");
        auto variables = bp.object().read(variables_property).as<ValueList>();
        const auto* var_name = description->find_field("VarName");
        for (const auto& variable : variables) {
          if (variable.as<StructBox>().get().fields[var_name->slot].as<NameValue>().text == name) {
            throw std::runtime_error(std::string(api) + ": Blueprint " + bp.object().name +
                                     " has a variable " + name + " already");
          }
        }
        if (bp.generated->find_property(name)) {
          throw std::runtime_error(std::string(api) + ": " + bp.generated->name +
                                   " has a property " + name + " already");
        }
        StructValue variable = description->prototype;
        variable.fields[var_name->slot] = Value(NameValue{name});
        variable.fields[description->find_field("VarType")->slot] =
            Value(StructBox(std::move(resolved.pin)));
        variable.fields[description->find_field("FriendlyName")->slot] = Value(name);
        variable.fields[description->find_field("DefaultValue")->slot] = Value(text);
        variables.push_back(Value(StructBox(std::move(variable))));
        bp.object().write(variables_property) = Value(std::move(variables));
        return true;
      },
      py::arg("blueprint"), py::arg("name"), py::arg("type"), py::arg("is_array") = py::none(),
      py::arg("default_value") = py::none());
  m.def(
      "blueprint_set_variable_visibility",
      [weak](const py::object& blueprint, const std::string& name, bool visible) {
        const auto api = "unreal_engine.blueprint_set_variable_visibility";
        auto bp = blueprint_argument(weak, blueprint, api);
        const auto& variables_property = property_named(*bp.object().cls, "NewVariables");
        auto variables = bp.object().read(variables_property).as<ValueList>();
        auto& variable = variable_named(bp, variables, name);
        const auto* flags = bp.state->world.types()
                                .find_struct("BPVariableDescription")
                                ->find_field("PropertyFlags");
        auto& value = variable.fields[flags->slot];
        const auto current = value.as<std::int64_t>();
        value = Value(visible ? (current & ~kDisableEditOnInstance)
                              : (current | kDisableEditOnInstance));
        bp.object().write(variables_property) = Value(std::move(variables));
      },
      py::arg("blueprint"), py::arg("name"), py::arg("visibility"));
  m.def(
      "add_component_to_blueprint",
      [weak](const py::object& blueprint, const py::object& component_class,
             const std::string& name, const py::object& parent) {
        const auto api = "unreal_engine.add_component_to_blueprint";
        auto bp = blueprint_argument(weak, blueprint, api);
        const auto id =
            add_component(bp, class_argument(component_class, api), name,
                          parent.is_none() ? std::string() : parent.cast<std::string>(), api);
        return wrap_object(*bp.state, weak, id);
      },
      py::arg("blueprint"), py::arg("component_class"), py::arg("name"),
      py::arg("parent") = py::none());
  m.def(
      "allow_actor_script_execution_in_editor",
      [weak](bool) {
        // UE's switch for Blueprint script in the editor world. Understudy runs
        // no Blueprint script (graphs are not emulated), so it changes nothing.
        engine_for(weak, "unreal_engine.allow_actor_script_execution_in_editor");
      },
      py::arg("allow"));
}

}  // namespace understudy::unreal
