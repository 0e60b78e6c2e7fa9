// TypeRegistry: the object model's types (classes, structs, enums) and their
// resolution, defaults and value coercion. Over 500 lines as one unit:
// resolving a class needs its structs' and enums' resolution and coercion of
// its defaults, and they share the registry's private indexes.
#include "fake_engine/objects/type_registry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace understudy {

std::string SourceLocation::describe() const {
  if (file.empty()) {
    return "(built in)";
  }
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

std::optional<std::int64_t> EnumInfo::value_of(std::string_view value_name) const {
  for (const auto& [name_, value] : values) {
    if (name_ == value_name) {
      return value;
    }
  }
  return std::nullopt;
}

const std::string* EnumInfo::name_of(std::int64_t value) const {
  for (const auto& [name_, v] : values) {
    if (v == value) {
      return &name_;
    }
  }
  return nullptr;
}

const PropertyInfo* StructInfo::find_field(std::string_view field) const {
  const auto it = by_name_.find(field);
  return it == by_name_.end() ? nullptr : it->second;
}

const PropertyInfo* ClassInfo::find_property(std::string_view property) const {
  const auto it = by_name_.find(property);
  return it == by_name_.end() ? nullptr : it->second;
}

const PropertyInfo* ClassInfo::find_static_property(std::string_view property) const {
  for (const auto& candidate : static_properties) {
    if (candidate.name == property) {
      return &candidate;
    }
  }
  return nullptr;
}

const FunctionInfo* ClassInfo::find_function(std::string_view function) const {
  const auto it = functions_by_name_.find(function);
  return it == functions_by_name_.end() ? nullptr : it->second;
}

bool ClassInfo::is_a(const ClassInfo& ancestor) const {
  const ClassInfo* cls = this;
  while (cls != nullptr && cls->depth > ancestor.depth) {
    cls = cls->parent;
  }
  return cls == &ancestor;
}

std::vector<const FunctionInfo*> ClassInfo::functions() const {
  std::vector<const FunctionInfo*> result;
  for (const auto& [name_, function] : functions_by_name_) {
    result.push_back(function);
  }
  std::sort(result.begin(), result.end(),
            [](const FunctionInfo* a, const FunctionInfo* b) { return a->name < b->name; });
  return result;
}

namespace {

template <class Info>
void check_unique(const StringIndex<Info*>& index, const std::string& name, const char* what,
                  const SourceLocation& where) {
  if (name.empty()) {
    throw SchemaError(where.describe() + ": a " + what + " without a name");
  }
  if (const auto it = index.find(name); it != index.end()) {
    throw SchemaError(where.describe() + ": " + what + " '" + name +
                      "' is declared twice (first at " + it->second->where.describe() + ")");
  }
}

std::string kind_of(const Value& value) {
  switch (value.storage.index()) {
    case 0:
      return "None";
    case 1:
      return "a bool";
    case 2:
    case 3:
      return "an integer";
    case 4:
      return "a number";
    case 5:
    case 6:
    case 7:
      return "a string";
    case 8:
      return "an enum value";
    case 9:
      return "a struct";
    case 10:
      return "an object";
    case 11:
      return "a class";
    case 12:
      return "a list";
    default:
      return "a table";
  }
}

[[noreturn]] void wrong_kind(const ValueType& type, const Value& value,
                             const std::string& detail = {}) {
  throw std::invalid_argument("expected " + type.spelling() + ", got " + kind_of(value) +
                              (detail.empty() ? "" : " (" + detail + ")"));
}

std::optional<double> number_of(const Value& value) {
  if (value.holds<std::int64_t>()) {
    return static_cast<double>(value.as<std::int64_t>());
  }
  if (value.holds<double>()) {
    return value.as<double>();
  }
  if (value.holds<std::uint8_t>()) {
    return value.as<std::uint8_t>();
  }
  if (value.holds<bool>()) {
    return value.as<bool>() ? 1.0 : 0.0;
  }
  return std::nullopt;
}

std::optional<std::string> text_of(const Value& value) {
  if (value.holds<std::string>()) {
    return value.as<std::string>();
  }
  if (value.holds<NameValue>()) {
    return value.as<NameValue>().text;
  }
  if (value.holds<TextValue>()) {
    return value.as<TextValue>().text;
  }
  return std::nullopt;
}

std::int64_t integer_in(const ValueType& type, const Value& value, double low, double high) {
  const auto number = number_of(value);
  if (!number) {
    wrong_kind(type, value);
  }
  if (std::trunc(*number) != *number && !value.holds<double>()) {
    wrong_kind(type, value);
  }
  const double truncated = std::trunc(*number);
  if (truncated < low || truncated > high) {
    throw std::invalid_argument(
        "expected " + type.spelling() + " in [" + std::to_string(static_cast<long long>(low)) +
        ", " + std::to_string(static_cast<long long>(high)) + "], got " + std::to_string(*number));
  }
  return static_cast<std::int64_t>(truncated);
}

}  // namespace

const ClassInfo& TypeRegistry::add_class(ClassInfo info,
                                         const std::function<void(const ClassInfo&)>& check) {
  check_unique(class_index_, info.name, "class", info.where);
  info.runtime = resolved_;
  auto& stored = classes_.emplace_back(std::move(info));
  class_index_.emplace(stored.name, &stored);
  if (!stored.runtime) {
    return stored;
  }
  // Nothing refers to the new class yet: a failure takes it back out.
  try {
    std::vector<const ClassInfo*> visiting;
    resolve_class(stored, visiting);
    if (check) {
      check(stored);
    }
  } catch (...) {
    class_index_.erase(class_index_.find(stored.name));
    classes_.pop_back();
    throw;
  }
  return stored;
}

ClassInfo& TypeRegistry::growable_runtime_class(const ClassInfo& cls, const std::string& what) {
  auto it = class_index_.find(cls.name);
  if (it == class_index_.end() || it->second != &cls) {
    throw SchemaError(what + ": class '" + cls.name + "' is not in this registry");
  }
  if (!cls.runtime) {
    throw SchemaError(what + ": class '" + cls.name + "' is declared by the schema (" +
                      cls.where.describe() + "); only classes registered at run time grow");
  }
  for (const auto& other : classes_) {
    if (other.parent == &cls && other.retired.empty()) {
      throw SchemaError(what + ": class '" + other.name + "' derives from '" + cls.name +
                        "', whose slots it shares");
    }
  }
  return *it->second;
}

void TypeRegistry::retire_runtime_class(const ClassInfo& cls, std::string reason) {
  const auto it = class_index_.find(cls.name);
  if (it == class_index_.end() || it->second != &cls) {
    throw SchemaError("class '" + cls.name + "' is not registered here" +
                      (cls.retired.empty() ? "" : " (" + cls.retired + ")"));
  }
  if (!cls.runtime) {
    throw SchemaError("class '" + cls.name + "' is declared by the schema (" +
                      cls.where.describe() + "); only classes registered at run time retire");
  }
  for (const auto& other : classes_) {
    if (other.parent == &cls && other.retired.empty()) {
      throw SchemaError("class '" + cls.name + "' cannot be retired: class '" + other.name + "' (" +
                        other.where.describe() + ") derives from it");
    }
  }
  it->second->retired = reason.empty() ? std::string("retired") : std::move(reason);
  class_index_.erase(it);
}

void TypeRegistry::re_resolve(ClassInfo& info) {
  info.resolved_ = false;
  std::vector<const ClassInfo*> visiting;
  resolve_class(info, visiting);
}

const PropertyInfo& TypeRegistry::add_runtime_property(const ClassInfo& cls,
                                                       PropertyInfo property) {
  auto& info = growable_runtime_class(cls, "property '" + property.name + "'");
  if (const auto* existing = info.find_property(property.name)) {
    throw SchemaError("class '" + info.name + "' already has a property '" + property.name + "' (" +
                      existing->where.describe() + ")");
  }
  // own_properties may move when it grows: every pointer into it is rebuilt.
  info.own_properties.push_back(std::move(property));
  try {
    re_resolve(info);
  } catch (...) {
    info.own_properties.pop_back();
    re_resolve(info);
    throw;
  }
  return *info.properties.back();
}

const ComponentTemplate& TypeRegistry::add_runtime_component(const ClassInfo& cls,
                                                             ComponentTemplate component) {
  auto& info = growable_runtime_class(cls, "component '" + component.name + "'");
  for (const auto* existing : info.components) {
    if (existing->name == component.name) {
      throw SchemaError("class '" + info.name + "' already has a component '" + component.name +
                        "'");
    }
  }
  info.own_components.push_back(std::move(component));
  try {
    re_resolve(info);
  } catch (...) {
    info.own_components.pop_back();
    re_resolve(info);
    throw;
  }
  return *info.components.back();
}

StructInfo& TypeRegistry::add_struct(StructInfo info) {
  check_unique(struct_index_, info.name, "struct", info.where);
  auto& stored = structs_.emplace_back(std::move(info));
  struct_index_.emplace(stored.name, &stored);
  resolved_ = false;
  return stored;
}

EnumInfo& TypeRegistry::add_enum(EnumInfo info) {
  check_unique(enum_index_, info.name, "enum", info.where);
  if (info.values.empty()) {
    throw SchemaError(info.where.describe() + ": enum '" + info.name + "' has no values");
  }
  auto& stored = enums_.emplace_back(std::move(info));
  enum_index_.emplace(stored.name, &stored);
  resolved_ = false;
  return stored;
}

const ClassInfo* TypeRegistry::find_class(std::string_view name) const {
  const auto it = class_index_.find(name);
  return it == class_index_.end() ? nullptr : it->second;
}

const StructInfo* TypeRegistry::find_struct(std::string_view name) const {
  const auto it = struct_index_.find(name);
  return it == struct_index_.end() ? nullptr : it->second;
}

const EnumInfo* TypeRegistry::find_enum(std::string_view name) const {
  const auto it = enum_index_.find(name);
  return it == enum_index_.end() ? nullptr : it->second;
}

void TypeRegistry::resolve_type(ValueType& type, const SourceLocation& where) const {
  auto unknown = [&](const char* what) {
    throw SchemaError(where.describe() + ": unknown " + what + " '" + type.type_name +
                      "' in type " + type.spelling());
  };
  switch (type.kind) {
    case ValueKind::kEnum:
      type.enum_info = find_enum(type.type_name);
      if (!type.enum_info) {
        unknown("enum");
      }
      break;
    case ValueKind::kStruct:
      type.struct_info = find_struct(type.type_name);
      if (!type.struct_info) {
        unknown("struct");
      }
      break;
    case ValueKind::kObject:
    case ValueKind::kClass:
      type.class_info = find_class(type.type_name);
      if (!type.class_info) {
        unknown("class");
      }
      break;
    default:
      break;
  }
  // Containers share their element types (shared_ptr<const>): resolve copies.
  if (type.key) {
    auto key = *type.key;
    resolve_type(key, where);
    type.key = std::make_shared<const ValueType>(std::move(key));
  }
  if (type.item) {
    auto item = *type.item;
    resolve_type(item, where);
    type.item = std::make_shared<const ValueType>(std::move(item));
  }
}

void TypeRegistry::resolve_struct(StructInfo& info, std::vector<const StructInfo*>& visiting) {
  if (info.resolved_) {
    return;
  }
  if (std::find(visiting.begin(), visiting.end(), &info) != visiting.end()) {
    throw SchemaError(info.where.describe() + ": struct '" + info.name +
                      "' contains itself (through its parent or a field)");
  }
  visiting.push_back(&info);
  info.parent = nullptr;
  info.fields.clear();
  info.by_name_.clear();
  if (!info.parent_name.empty()) {
    auto it = struct_index_.find(info.parent_name);
    if (it == struct_index_.end()) {
      throw SchemaError(info.where.describe() + ": struct '" + info.name +
                        "' has unknown parent '" + info.parent_name + "'");
    }
    resolve_struct(*it->second, visiting);
    info.parent = it->second;
    info.fields = info.parent->fields;
  }
  for (auto& field : info.own_fields) {
    resolve_type(field.type, field.where);
    if (field.type.kind == ValueKind::kStruct) {
      // A struct field's default is its struct's prototype: resolve that first.
      resolve_struct(*struct_index_.at(field.type.type_name), visiting);
    }
    if (std::any_of(info.fields.begin(), info.fields.end(),
                    [&](const PropertyInfo* f) { return f->name == field.name; })) {
      throw SchemaError(field.where.describe() + ": struct '" + info.name + "' declares field '" +
                        field.name + "' twice (or over its parent's)");
    }
    field.slot = info.fields.size();
    try {
      field.default_value = field.declared_default ? coerce(field.type, *field.declared_default)
                                                   : default_value(field.type);
    } catch (const std::invalid_argument& e) {
      throw SchemaError(field.where.describe() + ": default of " + info.name + "." + field.name +
                        ": " + e.what());
    }
    info.fields.push_back(&field);
  }
  info.by_name_.clear();
  info.prototype.type = &info;
  info.prototype.fields.clear();
  for (const auto* field : info.fields) {
    info.by_name_.emplace(field->name, field);
    info.prototype.fields.push_back(field->default_value);
  }
  info.resolved_ = true;
  visiting.pop_back();
}

void TypeRegistry::resolve_class(ClassInfo& info, std::vector<const ClassInfo*>& visiting) {
  if (info.resolved_) {
    return;
  }
  if (std::find(visiting.begin(), visiting.end(), &info) != visiting.end()) {
    throw SchemaError(info.where.describe() + ": class '" + info.name + "' is its own ancestor");
  }
  visiting.push_back(&info);
  info.properties.clear();
  info.prototype.clear();
  info.components.clear();
  info.functions_by_name_.clear();
  info.depth = 0;
  info.parent = nullptr;
  if (!info.parent_name.empty()) {
    auto it = class_index_.find(info.parent_name);
    if (it == class_index_.end()) {
      throw SchemaError(info.where.describe() + ": class '" + info.name + "' has unknown parent '" +
                        info.parent_name + "'");
    }
    resolve_class(*it->second, visiting);
    info.parent = it->second;
    info.depth = info.parent->depth + 1;
    info.properties = info.parent->properties;
    info.prototype = info.parent->prototype;
    info.components = info.parent->components;
    info.functions_by_name_ = info.parent->functions_by_name_;
  }
  info.by_name_.clear();
  for (const auto* property : info.properties) {
    info.by_name_.emplace(property->name, property);
  }
  for (auto& property : info.own_properties) {
    resolve_type(property.type, property.where);
    if (info.by_name_.contains(property.name)) {
      throw SchemaError(property.where.describe() + ": class '" + info.name +
                        "' declares property '" + property.name + "', which " +
                        info.by_name_.at(property.name)->where.describe() + " already declares");
    }
    property.slot = info.properties.size();
    resolve_default(property, info.name + "." + property.name);
    info.properties.push_back(&property);
    info.prototype.push_back(property.default_value);
    info.by_name_.emplace(property.name, &property);
  }
  for (std::size_t i = 0; i < info.static_properties.size(); ++i) {
    auto& property = info.static_properties[i];
    resolve_type(property.type, property.where);
    const PropertyInfo* taken = info.find_property(property.name);
    for (std::size_t j = 0; j < i && !taken; ++j) {
      if (info.static_properties[j].name == property.name) {
        taken = &info.static_properties[j];
      }
    }
    if (taken) {
      throw SchemaError(property.where.describe() + ": class '" + info.name +
                        "' declares static property '" + property.name + "', which " +
                        taken->where.describe() + " already declares");
    }
    property.slot = i;
    resolve_default(property, "static " + info.name + "." + property.name);
  }
  for (std::size_t i = 0; i < info.default_overrides.size(); ++i) {
    const auto& [name_, value] = info.default_overrides[i];
    const auto& where = info.override_locations[i].second;
    const auto* property = info.find_property(name_);
    if (!property) {
      throw SchemaError(where.describe() + ": class '" + info.name +
                        "' overrides the default of '" + name_ + "', which it does not have");
    }
    try {
      info.prototype[property->slot] = coerce(property->type, value);
    } catch (const std::invalid_argument& e) {
      throw SchemaError(where.describe() + ": default of " + info.name + "." + name_ + ": " +
                        e.what());
    }
  }
  for (auto& component : info.own_components) {
    component.cls = find_class(component.class_name);
    if (!component.cls) {
      throw SchemaError(component.where.describe() + ": component '" + component.name +
                        "' of class '" + info.name + "' has unknown class '" +
                        component.class_name + "'");
    }
    component.property_info = nullptr;
    if (!component.property.empty()) {
      const auto* property = info.find_property(component.property);
      if (!property || property->type.kind != ValueKind::kObject) {
        throw SchemaError(component.where.describe() + ": component '" + component.name +
                          "' names property '" + component.property + "', which class '" +
                          info.name + "' does not have as an object reference");
      }
      component.property_info = property;
    }
    info.components.push_back(&component);
  }
  for (const auto* component : info.components) {
    if (!component->attach_to.empty() &&
        std::none_of(info.components.begin(), info.components.end(),
                     [&](const ComponentTemplate* c) { return c->name == component->attach_to; })) {
      throw SchemaError(component->where.describe() + ": component '" + component->name +
                        "' attaches to '" + component->attach_to + "', which class '" + info.name +
                        "' does not create");
    }
  }
  for (auto& function : info.own_functions) {
    for (auto& param : function.params) {
      resolve_type(param.type, function.where);
    }
    if (function.returns) {
      resolve_type(*function.returns, function.where);
    }
    info.functions_by_name_.insert_or_assign(function.name, &function);
  }
  info.resolved_ = true;
  visiting.pop_back();
}

void TypeRegistry::resolve() {
  for (auto& info : structs_) {
    info.resolved_ = false;
  }
  for (auto& info : structs_) {
    std::vector<const StructInfo*> visiting;
    resolve_struct(info, visiting);
  }
  for (auto& info : classes_) {
    info.resolved_ = false;
  }
  for (auto& info : classes_) {
    std::vector<const ClassInfo*> visiting;
    resolve_class(info, visiting);
  }
  resolved_ = true;
}

void TypeRegistry::resolve_default(PropertyInfo& property, const std::string& what) const {
  try {
    property.default_value = property.declared_default
                                 ? coerce(property.type, *property.declared_default)
                                 : default_value(property.type);
  } catch (const std::invalid_argument& e) {
    throw SchemaError(property.where.describe() + ": default of " + what + ": " + e.what());
  }
}

Value TypeRegistry::coerce(const ValueType& type, Value value) const {
  switch (type.kind) {
    case ValueKind::kBool:
      if (value.holds<bool>()) {
        return value;
      }
      if (value.holds<std::int64_t>()) {
        return Value(value.as<std::int64_t>() != 0);
      }
      wrong_kind(type, value);
    case ValueKind::kByte:
      return Value(static_cast<std::uint8_t>(integer_in(type, value, 0, 255)));
    case ValueKind::kInt:
      return Value(integer_in(type, value, std::numeric_limits<std::int32_t>::min(),
                              std::numeric_limits<std::int32_t>::max()));
    case ValueKind::kInt64:
      return Value(integer_in(type, value, -9.2233720368547758e18, 9.2233720368547758e18));
    case ValueKind::kFloat:
    case ValueKind::kDouble: {
      const auto number = number_of(value);
      if (!number) {
        wrong_kind(type, value);
      }
      return Value(type.kind == ValueKind::kFloat ? static_cast<double>(static_cast<float>(*number))
                                                  : *number);
    }
    case ValueKind::kString:
    case ValueKind::kName:
    case ValueKind::kText: {
      auto text = text_of(value);
      if (!text) {
        wrong_kind(type, value);
      }
      if (type.kind == ValueKind::kName) {
        return Value(NameValue{std::move(*text)});
      }
      if (type.kind == ValueKind::kText) {
        return Value(TextValue{std::move(*text)});
      }
      return Value(std::move(*text));
    }
    case ValueKind::kEnum: {
      const auto* info = type.enum_info;
      if (value.holds<EnumValue>() && value.as<EnumValue>().type == info) {
        return value;
      }
      if (const auto text = text_of(value)) {
        auto name = std::string_view(*text);
        // "EEndPlayReason::Destroyed" as C++ and UE's text form spell it.
        if (const auto sep = name.rfind("::"); sep != std::string_view::npos) {
          name.remove_prefix(sep + 2);
        }
        if (const auto v = info->value_of(name)) {
          return Value(EnumValue{info, *v});
        }
        throw std::invalid_argument("'" + *text + "' is not a value of enum " + info->name);
      }
      if (value.holds<std::int64_t>() || value.holds<std::uint8_t>()) {
        const std::int64_t v =
            value.holds<std::int64_t>() ? value.as<std::int64_t>() : value.as<std::uint8_t>();
        if (!info->name_of(v)) {
          throw std::invalid_argument(std::to_string(v) + " is not a value of enum " + info->name);
        }
        return Value(EnumValue{info, v});
      }
      wrong_kind(type, value);
    }
    case ValueKind::kStruct: {
      const auto* info = type.struct_info;
      if (value.holds<StructBox>()) {
        if (value.as<StructBox>().get().type != info) {
          wrong_kind(type, value, "a " + value.as<StructBox>().get().type->name);
        }
        return value;
      }
      if (value.holds<ValueMap>()) {
        StructValue result = info->prototype;
        for (auto& [key, field_value] : value.as<ValueMap>()) {
          const auto field_name = text_of(key);
          const auto* field = field_name ? info->find_field(*field_name) : nullptr;
          if (!field) {
            throw std::invalid_argument("struct " + info->name + " has no field '" +
                                        field_name.value_or("?") + "'");
          }
          try {
            result.fields[field->slot] = coerce(field->type, std::move(field_value));
          } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(info->name + "." + field->name + ": " + e.what());
          }
        }
        return Value(StructBox(std::move(result)));
      }
      wrong_kind(type, value);
    }
    case ValueKind::kObject:
      if (value.holds<std::monostate>()) {
        return Value(ObjectRef{});
      }
      if (value.holds<ObjectRef>()) {
        return value;
      }
      wrong_kind(type, value);
    case ValueKind::kClass:
      if (value.holds<std::monostate>()) {
        return Value(ClassRef{});
      }
      if (value.holds<ClassRef>()) {
        const auto* cls = value.as<ClassRef>().cls;
        if (cls && type.class_info && !cls->is_a(*type.class_info)) {
          throw std::invalid_argument("expected a subclass of " + type.class_info->name + ", got " +
                                      cls->name);
        }
        return value;
      }
      wrong_kind(type, value);
    case ValueKind::kArray:
    case ValueKind::kSet: {
      if (!value.holds<ValueList>()) {
        wrong_kind(type, value);
      }
      ValueList result;
      for (auto& item : value.as<ValueList>()) {
        auto coerced = coerce(*type.item, std::move(item));
        if (type.kind == ValueKind::kSet &&
            std::find(result.begin(), result.end(), coerced) != result.end()) {
          continue;
        }
        result.push_back(std::move(coerced));
      }
      return Value(std::move(result));
    }
    case ValueKind::kMap: {
      if (!value.holds<ValueMap>()) {
        wrong_kind(type, value);
      }
      ValueMap result;
      for (auto& [key, item] : value.as<ValueMap>()) {
        auto k = coerce(*type.key, std::move(key));
        auto v = coerce(*type.item, std::move(item));
        const auto existing = std::find_if(result.begin(), result.end(),
                                           [&](const auto& entry) { return entry.first == k; });
        if (existing != result.end()) {
          existing->second = std::move(v);
        } else {
          result.emplace_back(std::move(k), std::move(v));
        }
      }
      return Value(std::move(result));
    }
  }
  wrong_kind(type, value);
}

}  // namespace understudy
