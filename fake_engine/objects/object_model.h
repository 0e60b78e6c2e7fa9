// ObjectModel: the types a schema declares and the objects made from them,
// loaded once at start-up. The engine owns one; bindings (unreal_engine) and
// the world are views of it.
#pragma once

#include <filesystem>
#include <vector>

#include "fake_engine/objects/object_store.h"
#include "fake_engine/objects/schema_loader.h"
#include "fake_engine/objects/type_registry.h"

namespace understudy {

class ObjectModel {
 public:
  // Loads each path (a file, or a folder of *.toml) in order. Throws
  // SchemaError naming the file and line of the first problem.
  explicit ObjectModel(const std::vector<std::filesystem::path>& schema_paths);
  ObjectModel(const ObjectModel&) = delete;
  ObjectModel& operator=(const ObjectModel&) = delete;

  const TypeRegistry& types() const { return types_; }
  const ModelRoles& roles() const { return roles_; }
  ObjectStore& objects() { return objects_; }
  const ObjectStore& objects() const { return objects_; }
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  static ModelRoles load(TypeRegistry& types, const std::vector<std::filesystem::path>& paths,
                         std::vector<std::filesystem::path>& files);

  TypeRegistry types_;
  std::vector<std::filesystem::path> files_;
  ModelRoles roles_;
  ObjectStore objects_;
};

}  // namespace understudy
