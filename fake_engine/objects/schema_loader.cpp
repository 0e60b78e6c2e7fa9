// Schema files (TOML) into the type registry's classes, structs and enums,
// each error naming file:line. Over 500 lines as one unit: most of it is
// SchemaFileReader, whose readers (model, enum, struct, class) share its key,
// type and value parsing.
#include "fake_engine/objects/schema_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/install_layout.h"

namespace understudy {

namespace {

// One TOML file being read: turns toml++ nodes into declarations, with the
// file and line in every error.
class SchemaFileReader {
 public:
  SchemaFileReader(TypeRegistry& registry, ModelRoles& roles, std::string& roles_where,
                   std::string file)
      : registry_(registry), roles_(roles), roles_where_(roles_where), file_(std::move(file)) {}

  void read(const toml::table& root) {
    check_keys(root, "the file", {"model", "enum", "struct", "class"});
    if (const auto* model = root.get("model")) {
      read_model(table_of(*model, "[model]"));
    }
    for (const auto& [key, kind] : std::initializer_list<std::pair<const char*, int>>{
             {"enum", 0}, {"struct", 1}, {"class", 2}}) {
      const auto* node = root.get(key);
      if (!node) {
        continue;
      }
      const auto* list = node->as_array();
      if (!list) {
        fail(*node, std::string("'") + key + "' must be an array of tables: write [[" + key +
                        "]] for each declaration");
      }
      for (const auto& item : *list) {
        const auto& table = table_of(item, std::string("[[") + key + "]]");
        if (kind == 0) {
          read_enum(table);
        } else if (kind == 1) {
          read_struct(table);
        } else {
          read_class(table);
        }
      }
    }
  }

 private:
  SourceLocation where(const toml::node& node) const {
    return SourceLocation{file_, static_cast<int>(node.source().begin.line)};
  }

  [[noreturn]] void fail(const toml::node& node, const std::string& what) const {
    throw SchemaError(where(node).describe() + ": " + what);
  }

  // "Studio.Tools": identifiers joined by dots.
  static bool is_dotted_name(std::string_view text) {
    bool part_start = true;
    for (const char c : text) {
      if (c == '.') {
        if (part_start) {
          return false;
        }
        part_start = true;
        continue;
      }
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && !(c >= '0' && c <= '9' && !part_start)) {
        return false;
      }
      part_start = false;
    }
    return !part_start;
  }

  // "RpycTests", "Assembly-CSharp-Editor": an assembly's simple name, dotted
  // parts of letters, digits, '_' and '-' (as .NET's file names are).
  static bool is_assembly_name(std::string_view text) {
    std::string dotted(text);
    std::replace(dotted.begin(), dotted.end(), '-', '_');
    return !text.empty() && text.front() != '-' && is_dotted_name(dotted);
  }

  const toml::table& table_of(const toml::node& node, const std::string& what) const {
    const auto* table = node.as_table();
    if (!table) {
      fail(node, what + " must be a table");
    }
    return *table;
  }

  void check_keys(const toml::table& table, const std::string& what,
                  std::initializer_list<const char*> allowed) const {
    for (const auto& [key, node] : table) {
      const std::string_view name =
          key.str();  // lambdas cannot capture a binding (C++20 DR, clang 14)
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return name == k; })) {
        std::string list;
        for (const char* k : allowed) {
          list += (list.empty() ? "" : ", ") + std::string(k);
        }
        fail(node, "unknown key '" + std::string(key.str()) + "' in " + what +
                       " (allowed: " + list + ")");
      }
    }
  }

  std::string string_at(const toml::table& table, const char* key, const std::string& what,
                        bool required) const {
    const auto* node = table.get(key);
    if (!node) {
      if (required) {
        throw SchemaError(where(table).describe() + ": " + what + " needs '" + key + "'");
      }
      return {};
    }
    const auto value = node->value<std::string>();
    if (!value || node->type() != toml::node_type::string) {
      fail(*node, "'" + std::string(key) + "' of " + what + " must be a string");
    }
    return *value;
  }

  bool bool_at(const toml::table& table, const char* key, const std::string& what) const {
    const auto* node = table.get(key);
    if (!node) {
      return false;
    }
    if (node->type() != toml::node_type::boolean) {
      fail(*node, "'" + std::string(key) + "' of " + what + " must be true or false");
    }
    return *node->value<bool>();
  }

  const toml::array* array_at(const toml::table& table, const char* key,
                              const std::string& what) const {
    const auto* node = table.get(key);
    if (!node) {
      return nullptr;
    }
    const auto* list = node->as_array();
    if (!list) {
      fail(*node, "'" + std::string(key) + "' of " + what + " must be an array");
    }
    return list;
  }

  ValueType type_at(const toml::table& table, const std::string& what) const {
    const auto spelling = string_at(table, "type", what, true);
    try {
      return parse_value_type(spelling);
    } catch (const std::invalid_argument& e) {
      fail(*table.get("type"), what + ": " + e.what());
    }
  }

  // A TOML value as a Value, before it is coerced to its property's type.
  Value value_of(const toml::node& node) const {
    switch (node.type()) {
      case toml::node_type::boolean:
        return Value(*node.value<bool>());
      case toml::node_type::integer:
        return Value(*node.value<std::int64_t>());
      case toml::node_type::floating_point:
        return Value(*node.value<double>());
      case toml::node_type::string:
        return Value(*node.value<std::string>());
      case toml::node_type::array: {
        ValueList list;
        for (const auto& item : *node.as_array()) {
          list.push_back(value_of(item));
        }
        return Value(std::move(list));
      }
      case toml::node_type::table: {
        ValueMap map;
        for (const auto& [key, item] : *node.as_table()) {
          map.emplace_back(Value(std::string(key.str())), value_of(item));
        }
        return Value(std::move(map));
      }
      default:
        fail(node, "dates and times are not property values");
    }
  }

  PropertyInfo read_property(const toml::node& node, const std::string& owner,
                             const char* what) const {
    const auto& table = table_of(node, std::string("a ") + what + " of " + owner);
    const auto name = string_at(table, "name", std::string("a ") + what + " of " + owner, true);
    const auto describe = std::string(what) + " '" + name + "' of " + owner;
    check_keys(table, describe, {"name", "type", "default", "doc"});
    PropertyInfo property;
    property.name = name;
    property.type = type_at(table, describe);
    property.doc = string_at(table, "doc", describe, false);
    property.where = where(node);
    if (const auto* value = table.get("default")) {
      if (property.type.kind == ValueKind::kObject || property.type.kind == ValueKind::kClass) {
        fail(*value, describe +
                         ": object and class references have no default (they start as "
                         "None)");
      }
      property.declared_default = value_of(*value);
    }
    return property;
  }

  void read_model(const toml::table& table) {
    static const std::pair<const char*, std::string ModelRoles::*> kRoles[] = {
        {"object_class", &ModelRoles::object_class},
        {"actor_class", &ModelRoles::actor_class},
        {"component_class", &ModelRoles::component_class},
        {"scene_component_class", &ModelRoles::scene_component_class},
        {"root_property", &ModelRoles::root_property},
        {"attach_property", &ModelRoles::attach_property},
        {"attach_children_property", &ModelRoles::attach_children_property},
        {"location_property", &ModelRoles::location_property},
        {"rotation_property", &ModelRoles::rotation_property},
        {"scale_property", &ModelRoles::scale_property},
        {"active_property", &ModelRoles::active_property},
        {"auto_activate_property", &ModelRoles::auto_activate_property},
        {"world_class", &ModelRoles::world_class},
        {"level_class", &ModelRoles::level_class},
        {"package_class", &ModelRoles::package_class},
    };
    if (!roles_where_.empty()) {
      throw SchemaError(where(table).describe() + ": [model] is declared twice (first at " +
                        roles_where_ + ")");
    }
    roles_where_ = where(table).describe();
    for (const auto& [key, node] : table) {
      const std::string_view name = key.str();
      const auto it = std::find_if(std::begin(kRoles), std::end(kRoles),
                                   [&](const auto& role) { return name == role.first; });
      if (it == std::end(kRoles)) {
        fail(node, "unknown key '" + std::string(key.str()) + "' in [model]");
      }
      roles_.*(it->second) = string_at(table, it->first, "[model]", true);
    }
  }

  void read_enum(const toml::table& table) {
    EnumInfo info;
    info.name = string_at(table, "name", "an [[enum]]", true);
    const auto what = "enum '" + info.name + "'";
    check_keys(table, what, {"name", "values", "doc"});
    info.doc = string_at(table, "doc", what, false);
    info.where = where(table);
    const auto* values = array_at(table, "values", what);
    if (!values) {
      throw SchemaError(info.where.describe() + ": " + what + " needs 'values'");
    }
    std::int64_t next = 0;
    for (const auto& item : *values) {
      if (item.type() == toml::node_type::string) {
        info.values.emplace_back(*item.value<std::string>(), next++);
        continue;
      }
      const auto& entry = table_of(item, "a value of " + what);
      check_keys(entry, "a value of " + what, {"name", "value"});
      const auto name = string_at(entry, "name", "a value of " + what, true);
      const auto* number = entry.get("value");
      if (!number || number->type() != toml::node_type::integer) {
        fail(entry, "value '" + name + "' of " + what + " needs an integer 'value'");
      }
      next = *number->value<std::int64_t>();
      info.values.emplace_back(name, next++);
    }
    std::set<std::string> seen;
    for (const auto& [name, value] : info.values) {
      if (!seen.insert(name).second) {
        throw SchemaError(info.where.describe() + ": " + what + " declares '" + name + "' twice");
      }
    }
    registry_.add_enum(std::move(info));
  }

  void read_struct(const toml::table& table) {
    StructInfo info;
    info.name = string_at(table, "name", "a [[struct]]", true);
    const auto what = "struct '" + info.name + "'";
    check_keys(table, what, {"name", "parent", "fields", "doc"});
    info.parent_name = string_at(table, "parent", what, false);
    info.doc = string_at(table, "doc", what, false);
    info.where = where(table);
    if (const auto* fields = array_at(table, "fields", what)) {
      for (const auto& field : *fields) {
        info.own_fields.push_back(read_property(field, what, "field"));
      }
    }
    registry_.add_struct(std::move(info));
  }

  void read_class(const toml::table& table) {
    ClassInfo info;
    info.name = string_at(table, "name", "a [[class]]", true);
    const auto what = "class '" + info.name + "'";
    check_keys(table, what,
               {"name", "namespace", "assembly", "parent", "abstract", "doc", "properties",
                "static_properties", "defaults", "components", "functions"});
    info.namespace_name = string_at(table, "namespace", what, false);
    if (!info.namespace_name.empty() && !is_dotted_name(info.namespace_name)) {
      fail(*table.get("namespace"), "'namespace' of " + what +
                                        " must be dotted identifiers (\"Studio.Tools\"), got '" +
                                        info.namespace_name + "'");
    }
    info.assembly = string_at(table, "assembly", what, false);
    if (!info.assembly.empty() && !is_assembly_name(info.assembly)) {
      fail(*table.get("assembly"), "'assembly' of " + what +
                                       " must be an assembly name (\"Studio.Tools\", "
                                       "\"Assembly-CSharp-Editor\"), got '" +
                                       info.assembly + "'");
    }
    info.parent_name = string_at(table, "parent", what, false);
    info.abstract = bool_at(table, "abstract", what);
    info.doc = string_at(table, "doc", what, false);
    info.where = where(table);
    if (const auto* properties = array_at(table, "properties", what)) {
      for (const auto& property : *properties) {
        info.own_properties.push_back(read_property(property, what, "property"));
      }
    }
    if (const auto* properties = array_at(table, "static_properties", what)) {
      for (const auto& property : *properties) {
        info.static_properties.push_back(read_property(property, what, "static property"));
      }
    }
    if (const auto* defaults = table.get("defaults")) {
      for (const auto& [key, value] : table_of(*defaults, "'defaults' of " + what)) {
        info.default_overrides.emplace_back(std::string(key.str()), value_of(value));
        info.override_locations.emplace_back(std::string(key.str()), where(value));
      }
    }
    if (const auto* components = array_at(table, "components", what)) {
      for (const auto& node : *components) {
        const auto& entry = table_of(node, "a component of " + what);
        ComponentTemplate component;
        component.name = string_at(entry, "name", "a component of " + what, true);
        const auto describe = "component '" + component.name + "' of " + what;
        check_keys(entry, describe, {"name", "class", "property", "attach_to", "root"});
        component.class_name = string_at(entry, "class", describe, true);
        component.property = string_at(entry, "property", describe, false);
        component.attach_to = string_at(entry, "attach_to", describe, false);
        component.root = bool_at(entry, "root", describe);
        component.where = where(node);
        info.own_components.push_back(std::move(component));
      }
    }
    if (const auto* functions = array_at(table, "functions", what)) {
      for (const auto& node : *functions) {
        const auto& entry = table_of(node, "a function of " + what);
        FunctionInfo function;
        function.name = string_at(entry, "name", "a function of " + what, true);
        const auto describe = "function '" + function.name + "' of " + what;
        check_keys(entry, describe, {"name", "params", "returns", "builtin", "doc"});
        function.doc = string_at(entry, "doc", describe, false);
        function.builtin = string_at(entry, "builtin", describe, false);
        function.where = where(node);
        if (const auto returns = string_at(entry, "returns", describe, false); !returns.empty()) {
          try {
            function.returns = parse_value_type(returns);
          } catch (const std::invalid_argument& e) {
            fail(*entry.get("returns"), describe + ": " + e.what());
          }
        }
        if (const auto* params = array_at(entry, "params", describe)) {
          for (const auto& param_node : *params) {
            const auto& param = table_of(param_node, "a parameter of " + describe);
            check_keys(param, "a parameter of " + describe, {"name", "type"});
            function.params.push_back(
                FunctionParam{string_at(param, "name", "a parameter of " + describe, true),
                              type_at(param, "a parameter of " + describe)});
          }
        }
        info.own_functions.push_back(std::move(function));
      }
    }
    registry_.add_class(std::move(info));
  }

  TypeRegistry& registry_;
  ModelRoles& roles_;
  std::string& roles_where_;
  std::string file_;
};

}  // namespace

void SchemaLoader::load_text(std::string_view text, const std::string& file_name) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    throw SchemaError(file_name + ":" + std::to_string(e.source().begin.line) +
                      ": not valid TOML: " + std::string(e.description()));
  }
  SchemaFileReader(registry_, roles_, roles_where_, file_name).read(root);
}

void SchemaLoader::load(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == ".toml") {
        files.push_back(entry.path());
      }
    }
    if (files.empty()) {
      throw SchemaError(path.string() + ": a schema folder without any .toml file");
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      load(file);
    }
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw SchemaError(path.string() + ": cannot read the schema file (" +
                      (std::filesystem::exists(path) ? "permission denied?" : "no such file") +
                      ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  files_.push_back(path);
  load_text(text.str(), path.string());
}

void SchemaLoader::finish() {
  registry_.resolve();
  auto require_class = [&](const std::string& name, const char* role) {
    if (name.empty()) {
      throw SchemaError(
          "the schema's [model] table does not name the " + std::string(role) +
          (roles_where_.empty() ? " (no file declares [model])" : " (" + roles_where_ + ")"));
    }
    if (!registry_.find_class(name)) {
      throw SchemaError(roles_where_ + ": [model] names " + role + " '" + name +
                        "', which no schema file declares");
    }
  };
  require_class(roles_.object_class, "object_class");
  require_class(roles_.actor_class, "actor_class");
  require_class(roles_.component_class, "component_class");
  require_class(roles_.scene_component_class, "scene_component_class");
  require_class(roles_.world_class, "world_class");
  require_class(roles_.level_class, "level_class");
  require_class(roles_.package_class, "package_class");
  for (const auto& cls : registry_.classes()) {
    check_class(registry_, roles_, cls);
  }
}

void check_class(const TypeRegistry& registry, const ModelRoles& roles, const ClassInfo& cls) {
  const auto* root = registry.find_class(roles.object_class);
  const auto* actor = registry.find_class(roles.actor_class);
  const auto* component = registry.find_class(roles.component_class);
  const auto* scene = registry.find_class(roles.scene_component_class);
  if (&cls != root && !cls.is_a(*root)) {
    throw SchemaError(cls.where.describe() + ": class '" + cls.name + "' does not derive from '" +
                      root->name + "'");
  }
  int roots = 0;
  for (const auto& made : cls.own_components) {
    const auto what = "component '" + made.name + "' of class '" + cls.name + "'";
    if (!cls.is_a(*actor)) {
      throw SchemaError(made.where.describe() + ": " + what + ": only " + actor->name +
                        " classes have components");
    }
    if (!made.cls->is_a(*component) || made.cls->abstract) {
      throw SchemaError(made.where.describe() + ": " + what + ": class '" + made.class_name +
                        "' is not a concrete " + component->name);
    }
    if (made.root && (++roots > 1 || !made.cls->is_a(*scene) || !made.attach_to.empty())) {
      throw SchemaError(made.where.describe() + ": " + what + ": a class has one root, a " +
                        scene->name + " attached to nothing");
    }
  }
  for (const auto& function : cls.own_functions) {
    if (!function.builtin.empty() && !is_known_builtin(function.builtin)) {
      throw SchemaError(function.where.describe() + ": function '" + function.name +
                        "' of class '" + cls.name + "': unknown builtin '" + function.builtin +
                        "' (the engine provides " + known_builtins() + ")");
    }
  }
}

const ClassInfo& register_runtime_class(TypeRegistry& registry, const ModelRoles& roles,
                                        ClassInfo info) {
  if (!registry.resolved()) {
    throw SchemaError("class '" + info.name +
                      "': runtime classes are registered once the schema is loaded");
  }
  return registry.add_class(std::move(info),
                            [&](const ClassInfo& cls) { check_class(registry, roles, cls); });
}

namespace {
constexpr const char* kBuiltins[] = {"actor_location",     "actor_rotation",     "actor_scale",
                                     "set_actor_location", "set_actor_rotation", "set_actor_scale",
                                     "actor_label",        "set_actor_label",    "destroy_actor"};
}  // namespace

bool is_known_builtin(std::string_view name) {
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), name) != std::end(kBuiltins);
}

std::string known_builtins() {
  std::string list;
  for (const char* name : kBuiltins) {
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  return list;
}

std::filesystem::path shipped_schema_folder(const std::string& binding) {
  return InstallLayout::locate("share/understudy/engine/schema", UNDERSTUDY_SCHEMA_DIR) / binding;
}

}  // namespace understudy
