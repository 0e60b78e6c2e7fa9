#include "fake_engine/objects/object_model.h"

namespace understudy {

ModelRoles ObjectModel::load(TypeRegistry& types, const std::vector<std::filesystem::path>& paths,
                             std::vector<std::filesystem::path>& files) {
  if (paths.empty()) {
    throw SchemaError("no schema to load: the engine needs at least its shipped schema");
  }
  SchemaLoader loader(types);
  for (const auto& path : paths) {
    loader.load(path);
  }
  loader.finish();
  files = loader.files();
  return loader.roles();
}

ObjectModel::ObjectModel(const std::vector<std::filesystem::path>& schema_paths)
    : roles_(load(types_, schema_paths, files_)), objects_(types_, roles_) {}

}  // namespace understudy
