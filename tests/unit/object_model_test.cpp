// The object model's core: schema files into types (and the errors a bad one
// gets), inheritance of properties, defaults and components, and the store's
// names, paths and lifetimes.
#define BOOST_TEST_MODULE object_model
#include "fake_engine/objects/object_model.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "fake_engine/objects/schema_loader.h"
#include "fake_engine/world/world.h"

using namespace understudy;

namespace {

constexpr const char* kModel = R"(
[model]
object_class = "Object"
actor_class = "Thing"
component_class = "Part"
scene_component_class = "PlacedPart"
root_property = "Root"
attach_property = "Parent"
location_property = "Where"
rotation_property = "Where"
scale_property = "Where"
active_property = "On"
auto_activate_property = "AutoOn"
world_class = "Place"
level_class = "Room"
package_class = "Box"

[[class]]
name = "Object"
[[class]]
name = "Box"
parent = "Object"
[[class]]
name = "Place"
parent = "Object"
[[class]]
name = "Room"
parent = "Object"
[[struct]]
name = "Point"
fields = [ { name = "X", type = "float" }, { name = "Y", type = "float", default = 2.5 } ]
[[enum]]
name = "EMood"
values = ["Calm", { name = "Angry", value = 7 }, "Furious"]
[[class]]
name = "Part"
parent = "Object"
properties = [ { name = "On", type = "bool" }, { name = "AutoOn", type = "bool" } ]
[[class]]
name = "PlacedPart"
parent = "Part"
properties = [ { name = "Where", type = "struct:Point" }, { name = "Parent", type = "object:PlacedPart" } ]
[[class]]
name = "Thing"
parent = "Object"
properties = [
  { name = "Root", type = "object:PlacedPart" },
  { name = "Mood", type = "enum:EMood", default = "Angry" },
  { name = "Tags", type = "array<name>", default = ["a", "b"] },
  { name = "Scores", type = "map<name,int>", default = { best = 3 } },
  { name = "Weight", type = "float", default = 0.1 },
]
components = [
  { name = "Body", class = "PlacedPart", root = true },
  { name = "Handle", class = "PlacedPart", attach_to = "Body" },
]
[[class]]
name = "Chair"
parent = "Thing"
defaults = { Mood = "Furious" }
)";

struct LoadedModel {
  TypeRegistry types;
  SchemaLoader loader{types};
  LoadedModel() {
    loader.load_text(kModel, "model.toml");
    loader.finish();
  }
};

// The SchemaError the text gives, or "" if it loads.
std::string schema_error(const std::string& extra) {
  TypeRegistry types;
  SchemaLoader loader(types);
  try {
    loader.load_text(kModel, "model.toml");
    loader.load_text(extra, "project.toml");
    loader.finish();
  } catch (const SchemaError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(classes_inherit_properties_defaults_and_components) {
  LoadedModel m;
  const auto* chair = m.types.find_class("Chair");
  BOOST_REQUIRE(chair);
  BOOST_TEST(chair->is_a(*m.types.find_class("Thing")));
  BOOST_TEST(!m.types.find_class("Thing")->is_a(*chair));
  BOOST_TEST(chair->properties.size() == 5u);
  const auto* mood = chair->find_property("Mood");
  BOOST_REQUIRE(mood);
  BOOST_TEST(chair->prototype[mood->slot].as<EnumValue>().value == 8, "Furious follows Angry = 7");
  BOOST_TEST(m.types.find_class("Thing")->prototype[mood->slot].as<EnumValue>().value == 7);
  BOOST_TEST(chair->components.size() == 2u);
  const auto* weight = chair->find_property("Weight");
  BOOST_TEST(chair->prototype[weight->slot].as<double>() == static_cast<double>(0.1f),
             "a float default is stored as UE's 32-bit float");
  const auto* point = m.types.find_struct("Point");
  BOOST_TEST(point->prototype.fields[1].as<double>() == 2.5);
}

BOOST_AUTO_TEST_CASE(a_class_may_name_its_namespace_in_dotted_identifiers) {
  TypeRegistry types;
  SchemaLoader loader(types);
  loader.load_text(kModel, "model.toml");
  loader.load_text(
      "[[class]]\nname = \"Sign\"\nnamespace = \"Studio.Signs2\"\nparent = \"Thing\"\n",
      "project.toml");
  loader.finish();
  BOOST_TEST(types.find_class("Sign")->namespace_name == "Studio.Signs2");
  BOOST_TEST(types.find_class("Thing")->namespace_name == "");
  for (const char* bad : {"Studio..Signs", ".Studio", "Studio.", "Studio.2Signs", "Stu dio"}) {
    BOOST_TEST(schema_error(std::string("[[class]]\nname = \"Sign\"\nnamespace = \"") + bad +
                            "\"\nparent = \"Thing\"\n") ==
                   "project.toml:3: 'namespace' of class 'Sign' must be dotted identifiers "
                   "(\"Studio.Tools\"), got '" +
                       std::string(bad) + "'",
               bad);
  }
}

BOOST_AUTO_TEST_CASE(the_shipped_unity_schema_makes_a_scene_of_game_objects_with_transforms) {
  ObjectModel model({shipped_schema_folder("unity")});
  MainThreadAffinity affinity;
  affinity.claim();
  World scene(
      affinity, [] { return std::uint64_t{0}; }, model.objects());
  const auto go = scene.spawn("GameObject", std::string("Cube"));
  const auto& object = model.objects().get(go);
  BOOST_REQUIRE(object.inners.size() == 1u);
  const auto transform = *object.inners.begin();
  BOOST_TEST(model.objects().get(transform).cls->name == "Transform");
  const auto* root = object.cls->find_property("m_Transform");
  BOOST_TEST(object.read(*root).as<ObjectRef>().id == transform);
  BOOST_TEST(scene.first_with_label("Cube") == go);
  const auto child = scene.spawn("GameObject", std::string("Cube"));
  const auto child_transform = *model.objects().get(child).inners.begin();
  model.objects().attach(child_transform, transform);
  const auto& parent = model.objects().get(transform);
  BOOST_TEST(parent.read(*parent.cls->find_property("m_Children")).as<ValueList>().size() == 1u);
  BOOST_TEST(scene.find_by_label("Cube").size() == 2u, "Unity's names need not be unique");
}

BOOST_AUTO_TEST_CASE(type_spellings_parse_and_print_back) {
  for (const char* spelling : {"bool", "int", "struct:Vector", "array<object:Texture2D>",
                               "map<name,array<int>>", "set<enum:EMood>"}) {
    BOOST_TEST(parse_value_type(spelling).spelling() == spelling);
  }
  BOOST_CHECK_THROW(parse_value_type("flaot"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_value_type("map<int>"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_value_type("struct:"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(bad_schemas_are_errors_that_name_the_file_the_line_and_the_problem) {
  BOOST_TEST(schema_error("") == "");
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\ncolour = 1\n") ==
             "project.toml:4: unknown key 'colour' in class 'Lamp' (allowed: name, namespace, "
             "parent, abstract, doc, properties, defaults, components, functions)");
  BOOST_TEST(
      schema_error("[[class]]\nname = \"Chair\"\nparent = \"Thing\"\n")
          .starts_with("project.toml:1: class 'Chair' is declared twice (first at model.toml:"));
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\nproperties = [\n"
                          "  { name = \"Glow\", type = \"flaot\" } ]\n")
                 .starts_with("project.toml:5: property 'Glow' of class 'Lamp': type 'flaot': "
                              "unknown type"));
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\nproperties = [\n"
                          "  { name = \"Bulb\", type = \"object:Bulb\" } ]\n") ==
             "project.toml:5: unknown class 'Bulb' in type object:Bulb");
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\n"
                          "defaults = { Mood = \"Sleepy\" }\n") ==
             "project.toml:4: default of Lamp.Mood: 'Sleepy' is not a value of enum EMood");
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\nproperties = [\n"
                          "  { name = \"Weight\", type = \"int\" } ]\n")
                 .starts_with("project.toml:5: class 'Lamp' declares property 'Weight', which "
                              "model.toml:"));
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Lamp\"\n") ==
             "project.toml:1: class 'Lamp' is its own ancestor");
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Ghost\"\n") ==
             "project.toml:1: class 'Lamp' has unknown parent 'Ghost'");
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\nproperties = [\n"
                          "  { name = \"Count\", type = \"int\", default = \"three\" } ]\n") ==
             "project.toml:5: default of Lamp.Count: expected int, got a string");
  BOOST_TEST(schema_error("[[class]\n").starts_with("project.toml:1: not valid TOML: "));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(objects_get_unique_names_paths_and_their_default_components) {
  LoadedModel m;
  ObjectStore store(m.types, m.loader.roles());
  const auto& box = *m.types.find_class("Box");
  const auto package = store.create(box, 0, "/Game/Props").id;
  const auto& chair = store.create(*m.types.find_class("Chair"), package);
  BOOST_TEST(chair.name == "Chair_0");
  BOOST_TEST(store.path_name(chair.id) == "/Game/Props.Chair_0");
  const auto handle = store.find_inner(chair.id, "Handle");
  BOOST_REQUIRE(handle != 0u);
  BOOST_TEST(store.path_name(handle) == "/Game/Props.Chair_0:Handle", "UE's ':' after an asset");
  BOOST_TEST(store.find_path("/Game/Props.Chair_0:Handle") == handle);
  const auto body = store.find_inner(chair.id, "Body");
  const auto& roles = m.loader.roles();
  BOOST_TEST(chair.read(*chair.cls->find_property(roles.root_property)).as<ObjectRef>().id == body);
  const auto& handle_object = store.get(handle);
  BOOST_TEST(handle_object.read(*handle_object.cls->find_property(roles.attach_property))
                 .as<ObjectRef>()
                 .id == body);
  BOOST_TEST(store.create(*m.types.find_class("Chair"), package).name == "Chair_1");
  BOOST_CHECK_THROW(store.create(box, 0, "/Game/Props"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(renaming_moving_and_destroying_keep_the_indexes_right) {
  LoadedModel m;
  ObjectStore store(m.types, m.loader.roles());
  const auto& box = *m.types.find_class("Box");
  const auto a = store.create(box, 0, "/Game/A").id;
  const auto b = store.create(box, 0, "/Game/B").id;
  const auto chair = store.create(*m.types.find_class("Chair"), a).id;
  store.rename(chair, "Throne");
  BOOST_TEST(store.find_path("/Game/A.Throne") == chair);
  BOOST_TEST(store.find_path("/Game/A.Chair_0") == 0u);
  store.move(chair, b, "");
  BOOST_TEST(store.find_path("/Game/B.Throne:Body") != 0u, "inners move with their outer");
  BOOST_TEST(store.get(a).inners.empty());
  BOOST_CHECK_THROW(store.move(b, chair, ""), std::invalid_argument);
  const auto before = store.size();
  BOOST_TEST(store.destroy(b));
  BOOST_TEST(store.size() == before - 4, "the package, the chair and its two parts");
  BOOST_TEST(store.find(chair) == nullptr);
  BOOST_TEST(!store.destroy(b));
}

BOOST_AUTO_TEST_CASE(the_shipped_unreal_schema_loads) {
  ObjectModel model({shipped_schema_folder("unreal")});
  BOOST_TEST(model.types().classes().size() > 50u);
  BOOST_TEST(model.types().find_class("Character")->is_a(*model.types().find_class("Actor")));
  BOOST_TEST(model.types().find_struct("MeshBuildSettings") != nullptr);
  BOOST_TEST(model.roles().actor_class == "Actor");
}

BOOST_AUTO_TEST_SUITE_END()
