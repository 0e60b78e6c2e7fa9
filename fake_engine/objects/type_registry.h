// TypeRegistry: the classes, structs and enums of the object model, as a
// schema declares them (see docs/object-schema.md).
//
// Engine-neutral: the registry knows classes with parents, typed properties,
// default subobjects (components) and functions; which class is an engine's
// actor or component is the binding's business (ModelRoles).
//
// Contract: filled by SchemaLoader (add_*), then resolve() once. After that,
// classes may still be registered at run time (a Blueprint's generated class,
// a class a script defines) through the same add_class, which then resolves
// the new class at once; infos are stable (pointers into the registry stay
// valid for its lifetime). A runtime class can be retired (its Blueprint was
// deleted): it leaves the lookups, so its name can be registered again, but
// its info stays, marked, for the objects and references that still point at
// it. Not thread-safe while filling or registering (the
// engine registers on its main thread); other use is safe from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fake_engine/objects/string_index.h"
#include "fake_engine/objects/value.h"

namespace understudy {

// Where a declaration came from, for error messages: "engine.toml:12".
struct SourceLocation {
  std::string file;
  int line = 0;
  std::string describe() const;
};

// A schema that cannot be used: names the file, the line, and what is wrong.
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class EnumInfo {
 public:
  std::string name;
  std::string doc;
  std::vector<std::pair<std::string, std::int64_t>> values;  // declared order
  SourceLocation where;

  std::optional<std::int64_t> value_of(std::string_view value_name) const;
  const std::string* name_of(std::int64_t value) const;  // nullptr if undeclared
};

struct PropertyInfo {
  std::string name;
  ValueType type;
  std::string doc;
  std::optional<Value> declared_default;  // from the schema, before resolve()
  Value default_value;                    // resolved: the declared one, or the type's zero
  std::size_t slot = 0;                   // index in an instance's (or struct's) values
  SourceLocation where;
};

class StructInfo {
 public:
  std::string name;
  std::string parent_name;
  std::string doc;
  SourceLocation where;
  std::vector<PropertyInfo> own_fields;

  // Resolved: parents' fields first.
  const StructInfo* parent = nullptr;
  std::vector<const PropertyInfo*> fields;
  StructValue prototype;  // every field at its default

  const PropertyInfo* find_field(std::string_view field) const;

 private:
  friend class TypeRegistry;
  StringIndex<const PropertyInfo*> by_name_;
  bool resolved_ = false;
};

// A default subobject, created with every instance of its class.
struct ComponentTemplate {
  std::string name;        // the subobject's name
  std::string class_name;  // its class
  std::string property;    // the owner's property that references it (may be empty)
  std::string attach_to;   // the template it attaches to (may be empty)
  bool root = false;       // the owner's root (scene) component
  SourceLocation where;
  const ClassInfo* cls = nullptr;               // resolved
  const PropertyInfo* property_info = nullptr;  // resolved: `property`, or nullptr
};

struct FunctionParam {
  std::string name;
  ValueType type;
};

struct FunctionInfo {
  std::string name;
  std::string doc;
  std::vector<FunctionParam> params;
  std::optional<ValueType> returns;
  std::string builtin;  // an engine-side implementation, or empty
  SourceLocation where;
};

class ClassInfo {
 public:
  std::string name;
  // A dotted grouping the class belongs to ("Studio.Tools"), for bindings
  // whose language has namespaces (C#); empty for none. Names stay unique
  // across namespaces.
  std::string namespace_name;
  // The assembly (DLL) the class is compiled into, for bindings that load
  // assemblies by name (C#'s clr.AddReference); empty for the project's own.
  std::string assembly;
  std::string parent_name;
  std::string doc;
  bool abstract = false;
  SourceLocation where;
  // Deques: what resolve() points at stays put when a runtime class grows.
  std::deque<PropertyInfo> own_properties;
  // Properties of the class itself (C#'s static ones), not of its instances:
  // one value per class, held by the binding. Resolved like own_properties,
  // but `slot` is the index here and no instance has them.
  std::deque<PropertyInfo> static_properties;
  std::vector<std::pair<std::string, Value>> default_overrides;  // before resolve()
  std::vector<std::pair<std::string, SourceLocation>> override_locations;
  std::deque<ComponentTemplate> own_components;
  std::vector<FunctionInfo> own_functions;
  // Registered after resolve(): a class a running script or asset made, not
  // the schema. `package` is the path of the package it belongs to, if any.
  bool runtime = false;
  std::string package;
  // Why the class left the registry (retire_runtime_class), or empty while it
  // is registered. A retired class makes no new objects.
  std::string retired;

  // Resolved.
  const ClassInfo* parent = nullptr;
  std::size_t depth = 0;                             // Object is 0
  std::vector<const PropertyInfo*> properties;       // parents' first; index == slot
  std::vector<Value> prototype;                      // defaults, overrides applied
  std::vector<const ComponentTemplate*> components;  // parents' first

  const PropertyInfo* find_property(std::string_view property) const;
  // This class's own static property of that name, or nullptr.
  const PropertyInfo* find_static_property(std::string_view property) const;
  const FunctionInfo* find_function(std::string_view function) const;
  bool is_a(const ClassInfo& ancestor) const;
  // Own and inherited functions, each name once (the most derived wins).
  std::vector<const FunctionInfo*> functions() const;

 private:
  friend class TypeRegistry;
  StringIndex<const PropertyInfo*> by_name_;
  StringIndex<const FunctionInfo*> functions_by_name_;
  bool resolved_ = false;
};

class TypeRegistry {
 public:
  // Adds a declaration; a name declared twice is a SchemaError naming both places.
  // A class added after resolve() is a runtime class: it is resolved at once
  // against the classes already known (its parent, its properties' and
  // components' types must exist), or not added at all (SchemaError).
  // `check`, if given, vets a runtime class once resolved (the model's own
  // rules, SchemaLoader's check_class); what it throws also undoes the add.
  const ClassInfo& add_class(ClassInfo info,
                             const std::function<void(const ClassInfo&)>& check = {});
  StructInfo& add_struct(StructInfo info);
  EnumInfo& add_enum(EnumInfo info);

  // Resolves names, inheritance, slots and defaults. Throws SchemaError for an
  // unknown type, a parent cycle, a default of the wrong kind, ...
  void resolve();
  bool resolved() const { return resolved_; }

  // Grows a runtime class that no class derives from (a Blueprint's new
  // variable or component, compiled into its generated class). The property
  // takes the next slot: objects made before keep their values, and those
  // holding their own values lack the new slot until their owner appends the
  // returned property's default (as UE reinstances them on compile).
  // SchemaError for a schema class, a class with subclasses, a name taken
  // or a type that does not exist; the class is unchanged then.
  const PropertyInfo& add_runtime_property(const ClassInfo& cls, PropertyInfo property);
  const ComponentTemplate& add_runtime_component(const ClassInfo& cls, ComponentTemplate component);

  // Takes a runtime class out of the lookups (find_class, a new add_class may
  // take its name) and marks it retired with `reason` ("deleted with the
  // Blueprint /Game/Hero"), as UE moves a deleted Blueprint's class to the
  // transient package as TRASH_. Its info stays where it is: objects made of
  // it keep their class. SchemaError, leaving it registered, for a schema
  // class, a class not (or no longer) registered, or one a registered class
  // derives from (that class names it as its parent and would break).
  void retire_runtime_class(const ClassInfo& cls, std::string reason);

  const ClassInfo* find_class(std::string_view name) const;
  const StructInfo* find_struct(std::string_view name) const;
  const EnumInfo* find_enum(std::string_view name) const;

  // In declaration order, retired classes included (see ClassInfo::retired).
  const std::deque<ClassInfo>& classes() const { return classes_; }
  const std::deque<StructInfo>& structs() const { return structs_; }
  const std::deque<EnumInfo>& enums() const { return enums_; }

  // Converts `value` (as a schema or a script gives it) to `type`, or throws
  // std::invalid_argument saying what was expected and what was given.
  // Numbers convert between numeric kinds (a float property rounds to 32 bits,
  // as UE's float does), enum values convert from their names.
  Value coerce(const ValueType& type, Value value) const;

 private:
  void resolve_type(ValueType& type, const SourceLocation& where) const;
  void resolve_struct(StructInfo& info, std::vector<const StructInfo*>& visiting);
  void resolve_class(ClassInfo& info, std::vector<const ClassInfo*>& visiting);
  ClassInfo& growable_runtime_class(const ClassInfo& cls, const std::string& what);
  void re_resolve(ClassInfo& info);
  // Sets property.default_value: its declared default coerced to its type,
  // else the type's zero; a SchemaError naming `what` if it does not fit.
  void resolve_default(PropertyInfo& property, const std::string& what) const;

  std::deque<ClassInfo> classes_;
  std::deque<StructInfo> structs_;
  std::deque<EnumInfo> enums_;
  StringIndex<ClassInfo*> class_index_;
  StringIndex<StructInfo*> struct_index_;
  StringIndex<EnumInfo*> enum_index_;
  bool resolved_ = false;
};

}  // namespace understudy
