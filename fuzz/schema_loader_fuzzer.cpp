// Fuzzes the object schema loader on arbitrary text, loaded after an
// engine schema as a project's --schema file is: every input
// either loads (and then its classes instantiate with their components) or is
// refused with a SchemaError that names the file; nothing else escapes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fake_engine/objects/object_model.h"
#include "fake_engine/objects/schema_loader.h"

namespace {

// A small engine schema with every [model] role, standing in for the shipped
// one (reparsing its 1,600 lines per input made the fuzzer 100x slower; the
// shipped files themselves are checked by unit_object_model_test).
constexpr const char* kBase = R"(
[model]
object_class = "Object"
actor_class = "Actor"
component_class = "ActorComponent"
scene_component_class = "SceneComponent"
root_property = "RootComponent"
attach_property = "AttachParent"
attach_children_property = "AttachChildren"
location_property = "RelativeLocation"
rotation_property = "RelativeRotation"
scale_property = "RelativeScale3D"
active_property = "bIsActive"
auto_activate_property = "bAutoActivate"
world_class = "World"
level_class = "Level"
package_class = "Package"
[[struct]]
name = "Vector"
fields = [ { name = "X", type = "float" }, { name = "Y", type = "float" }, { name = "Z", type = "float" } ]
[[enum]]
name = "EMobility"
values = ["Static", "Movable"]
[[class]]
name = "Object"
abstract = true
[[class]]
name = "Package"
parent = "Object"
[[class]]
name = "World"
parent = "Object"
[[class]]
name = "Level"
parent = "Object"
[[class]]
name = "ActorComponent"
parent = "Object"
properties = [ { name = "bIsActive", type = "bool" }, { name = "bAutoActivate", type = "bool" } ]
[[class]]
name = "SceneComponent"
parent = "ActorComponent"
properties = [
  { name = "RelativeLocation", type = "struct:Vector" },
  { name = "RelativeRotation", type = "struct:Vector" },
  { name = "RelativeScale3D", type = "struct:Vector", default = { X = 1.0, Y = 1.0, Z = 1.0 } },
  { name = "AttachParent", type = "object:SceneComponent" },
  { name = "AttachChildren", type = "array<object:SceneComponent>" },
  { name = "Mobility", type = "enum:EMobility" },
]
[[class]]
name = "Actor"
parent = "Object"
properties = [ { name = "RootComponent", type = "object:SceneComponent" }, { name = "Tags", type = "array<name>" } ]
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  understudy::TypeRegistry types;
  understudy::SchemaLoader loader(types);
  loader.load_text(kBase, "engine.toml");
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
