// SchemaLoader: reads the object model's declarations (classes, structs,
// enums, and the model's roles) from TOML files into a TypeRegistry. The
// format is docs/object-schema.md.
//
// Strict: an unknown key, a value of the wrong kind, a name declared twice or
// a type that does not exist is a SchemaError that names the file, the line,
// the key, what was expected and what was given. Files are loaded in the
// order given (a folder's *.toml in name order); names resolve once all are
// loaded, so a file may use what a later one declares.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "fake_engine/objects/type_registry.h"

namespace understudy {

// Which classes and properties play which part in the model: engine-specific
// names, declared by the schema's [model] table, so that the core needs none.
struct ModelRoles {
  std::string object_class;              // the root of every class ("Object")
  std::string actor_class;               // what a world spawns ("Actor")
  std::string component_class;           // what actors own ("ActorComponent")
  std::string scene_component_class;     // components with a place ("SceneComponent")
  std::string root_property;             // actor -> its root component ("RootComponent")
  std::string attach_property;           // scene component -> its parent ("AttachParent")
  std::string attach_children_property;  // scene component -> its children ("AttachChildren")
  std::string location_property;         // of a scene component ("RelativeLocation")
  std::string rotation_property;         // ("RelativeRotation")
  std::string scale_property;            // ("RelativeScale3D")
  std::string active_property;           // of a component ("bIsActive")
  std::string auto_activate_property;    // activated when spawned ("bAutoActivate")
  std::string world_class;               // ("World")
  std::string level_class;               // ("Level")
  std::string package_class;             // ("Package")
};

class SchemaLoader {
 public:
  explicit SchemaLoader(TypeRegistry& registry) : registry_(registry) {}

  // A file, or a folder's *.toml files in name order.
  void load(const std::filesystem::path& path);
  // Parses TOML text as if read from `file_name` (tests, fuzzing).
  void load_text(std::string_view text, const std::string& file_name);

  // Resolves the registry and checks the roles name what they must. Call once
  // after the last load().
  void finish();

  const ModelRoles& roles() const { return roles_; }
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  TypeRegistry& registry_;
  ModelRoles roles_;
  std::string roles_where_;
  std::vector<std::filesystem::path> files_;
};

// The model's rules for one resolved class, as finish() applies them to the
// schema's: it derives from the object class, only actor classes have
// components, which are concrete components with at most one root, and its
// functions' builtins exist. Throws SchemaError.
void check_class(const TypeRegistry& registry, const ModelRoles& roles, const ClassInfo& cls);

// Registers a class at run time (a Blueprint's generated class, a class a
// script defines) in a loaded registry: resolved and checked as the
// schema's classes are, or not registered at all (SchemaError).
const ClassInfo& register_runtime_class(TypeRegistry& registry, const ModelRoles& roles,
                                        ClassInfo info);

// The engine-side implementations a schema function may name with `builtin`
// (the binding implements each).
bool is_known_builtin(std::string_view name);
std::string known_builtins();  // "actor_location, ..."

// The schema shipped with the engine (fake_engine/schema/<binding>).
std::filesystem::path shipped_schema_folder(const std::string& binding);

}  // namespace understudy
