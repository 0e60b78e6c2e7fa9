// Fuzzes the object schema loader on arbitrary text, loaded after the
// engine's shipped Unreal schema as a project's --schema file is: every input
// either loads (and then its classes instantiate with their components) or is
// refused with a SchemaError that names the file; nothing else escapes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fake_engine/objects/object_model.h"
#include "fake_engine/objects/schema_loader.h"

namespace {

// The shipped schema's text, read once: reparsing it per input is what the
// engine does at start, and keeps each run independent.
const std::vector<std::pair<std::string, std::string>>& shipped_files() {
  static const auto files = [] {
    std::vector<std::pair<std::string, std::string>> result;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry :
         std::filesystem::directory_iterator(understudy::shipped_schema_folder("unreal"))) {
      if (entry.path().extension() == ".toml") {
        paths.push_back(entry.path());
      }
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      std::ifstream in(path);
      std::ostringstream text;
      text << in.rdbuf();
      result.emplace_back(path.string(), text.str());
    }
    return result;
  }();
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  understudy::TypeRegistry types;
  understudy::SchemaLoader loader(types);
  for (const auto& [file, contents] : shipped_files()) {
    loader.load_text(contents, file);
  }
  try {
    loader.load_text(text, "project.schema.toml");
    loader.finish();
  } catch (const understudy::SchemaError& e) {
    if (std::string_view(e.what()).empty()) {
      std::fprintf(stderr, "schema_loader_fuzzer: a SchemaError without a message\n");
      std::abort();
    }
    return 0;
  }
  // A schema that loads must be usable: every concrete class instantiates.
  understudy::ObjectStore store(types, loader.roles());
  for (const auto& cls : types.classes()) {
    if (!cls.abstract) {
      (void)store.create(cls, 0);
    }
  }
  return 0;
}
