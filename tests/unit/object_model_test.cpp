// The object model's core: schema files into types (and the errors a bad one
// gets), inheritance of properties, defaults and components, and the store's
// names, paths and lifetimes.
// Over 500 lines: one test module per binary is this suite's convention; its
// cases share the schema fixtures at the top.
#define BOOST_TEST_MODULE object_model
#include "fake_engine/objects/object_model.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

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

BOOST_AUTO_TEST_CASE(a_class_may_name_its_assembly_and_declare_static_properties) {
  TypeRegistry types;
  SchemaLoader loader(types);
  loader.load_text(kModel, "model.toml");
  loader.load_text(
      "[[class]]\nname = \"Fixture\"\nnamespace = \"rpycTests\"\n"
      "assembly = \"Assembly-CSharp-Editor\"\nparent = \"Object\"\n"
      "static_properties = [\n"
      "  { name = \"ContactFlag\", type = \"bool\", default = true },\n"
      "  { name = \"Count\", type = \"int\" },\n]\n",
      "project.toml");
  loader.finish();
  const auto& fixture = *types.find_class("Fixture");
  BOOST_TEST(fixture.assembly == "Assembly-CSharp-Editor");
  BOOST_TEST(types.find_class("Thing")->assembly == "");
  BOOST_REQUIRE(fixture.find_static_property("Count"));
  BOOST_TEST(fixture.find_static_property("Count")->slot == 1u);
  BOOST_TEST(fixture.find_static_property("ContactFlag")->default_value.as<bool>());
  BOOST_TEST(fixture.find_static_property("Count")->default_value.as<std::int64_t>() == 0);
  BOOST_TEST(!fixture.find_property("ContactFlag"), "instances have no slot for it");
  BOOST_TEST(!fixture.find_static_property("Nope"));
  BOOST_TEST(fixture.prototype.size() == types.find_class("Object")->prototype.size());

  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\n"
                          "static_properties = [\n  { name = \"Flag\", type = \"boool\" } ]\n")
                 .starts_with("project.toml:5: static property 'Flag' of class 'Lamp': type "
                              "'boool': unknown type"));
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\n"
                          "static_properties = [\n  { name = \"Flag\", type = \"bool\", "
                          "default = \"yes\" } ]\n")
                 .starts_with("project.toml:5: default of static Lamp.Flag: "));
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\n"
                          "static_properties = [\n  { name = \"Weight\", type = \"int\" } ]\n")
                 .starts_with("project.toml:5: class 'Lamp' declares static property 'Weight', "
                              "which model.toml:"));
  BOOST_TEST(schema_error("[[class]]\nname = \"Lamp\"\nparent = \"Thing\"\n"
                          "static_properties = [\n  { name = \"A\", type = \"int\" },\n"
                          "  { name = \"A\", type = \"bool\" } ]\n")
                 .starts_with("project.toml:6: class 'Lamp' declares static property 'A', which "
                              "project.toml:5 already declares"));
  for (const char* bad : {"-Tests", "Tests..Editor", "Tests/Editor", ""}) {
    BOOST_TEST(
        schema_error(std::string("[[class]]\nname = \"Sign\"\nassembly = \"") + bad +
                     "\"\nparent = \"Thing\"\n")
                .starts_with(std::string("project.toml:3: 'assembly' of class 'Sign' must be "
                                         "an assembly name")) == (*bad != '\0'),
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
             "assembly, parent, abstract, doc, properties, static_properties, defaults, "
             "components, functions)");
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

// Objects share their class's values until written: the sharing must never
// show. A value written on one object (or its component) changes that object
// only; a CDO or a CDO's component is the archetype of what is created after
// it, not of what exists.
BOOST_AUTO_TEST_CASE(writing_one_object_changes_that_object_only) {
  LoadedModel m;
  ObjectStore store(m.types, m.loader.roles());
  const auto package = store.create(*m.types.find_class("Box"), 0, "/Game/Props").id;
  const auto& chair_class = *m.types.find_class("Chair");
  const auto first = store.create(chair_class, package).id;
  const auto second = store.create(chair_class, package).id;
  const auto& weight = *chair_class.find_property("Weight");
  const auto& tags = *chair_class.find_property("Tags");
  store.get(first).write(weight) = Value(2.0);
  store.get(first).write(tags).as<ValueList>().push_back(Value(NameValue{"c"}));
  BOOST_TEST(store.get(first).read(weight).as<double>() == 2.0);
  BOOST_TEST(store.get(second).read(weight).as<double>() == static_cast<double>(0.1f));
  BOOST_TEST(store.get(second).read(tags).as<ValueList>().size() == 2u);
  BOOST_TEST(chair_class.prototype[tags.slot].as<ValueList>().size() == 2u,
             "the class prototype is untouched");

  // A component's value, written after creation, on one chair's handle.
  const auto first_handle = store.find_inner(first, "Handle");
  const auto second_handle = store.find_inner(second, "Handle");
  const auto& part = *store.get(first_handle).cls;
  const auto& where = *part.find_property("Where");
  store.get(first_handle).write(where).as<StructBox>().get().fields[0] = Value(5.0);
  BOOST_TEST(store.get(first_handle).read(where).as<StructBox>().get().fields[0].as<double>() ==
             5.0);
  BOOST_TEST(store.get(second_handle).read(where).as<StructBox>().get().fields[0].as<double>() ==
             0.0);
  BOOST_TEST(store.get(store.find_inner(first, "Body"))
                     .read(where)
                     .as<StructBox>()
                     .get()
                     .fields[0]
                     .as<double>() == 0.0,
             "a sibling component of the same class is not written");
  const auto& parent = *part.find_property("Parent");
  BOOST_TEST(
      store.get(second_handle).read(parent).as<ObjectRef>().id == store.find_inner(second, "Body"),
      "each chair's handle is attached to its own body");
}

BOOST_AUTO_TEST_CASE(a_cdo_and_its_components_are_the_archetype_of_later_objects_only) {
  LoadedModel m;
  ObjectStore store(m.types, m.loader.roles());
  const auto package = store.create(*m.types.find_class("Box"), 0, "/Game/Props").id;
  const auto& chair_class = *m.types.find_class("Chair");
  const auto& weight = *chair_class.find_property("Weight");
  const auto before = store.create(chair_class, package).id;
  const auto cdo = store.class_default(chair_class);
  BOOST_TEST(store.path_name(cdo) == "/Script/Engine.Default__Chair");
  store.get(cdo).write(weight) = Value(7.0);
  const auto cdo_handle = store.find_inner(cdo, "Handle");
  BOOST_REQUIRE(cdo_handle != 0u);
  const auto& part = *store.get(cdo_handle).cls;
  const auto& where = *part.find_property("Where");
  const auto& parent = *part.find_property("Parent");
  store.get(cdo_handle).write(where).as<StructBox>().get().fields[1] = Value(9.0);

  const auto after = store.create(chair_class, package).id;
  BOOST_TEST(store.get(after).read(weight).as<double>() == 7.0, "UE: a new object copies its CDO");
  BOOST_TEST(store.get(before).read(weight).as<double>() == static_cast<double>(0.1f),
             "an object made before the edit keeps its value");
  const auto after_handle = store.find_inner(after, "Handle");
  BOOST_TEST(
      store.get(after_handle).read(where).as<StructBox>().get().fields[1].as<double>() == 9.0,
      "UE: a default subobject copies the same-named subobject of its owner's CDO");
  BOOST_TEST(store.get(store.find_inner(before, "Handle"))
                 .read(where)
                 .as<StructBox>()
                 .get()
                 .fields[1]
                 .as<double>() == 2.5);
  BOOST_TEST(
      store.get(after_handle).read(parent).as<ObjectRef>().id == store.find_inner(after, "Body"),
      "its attachment is its own, not the CDO component's");
  BOOST_TEST(store.get(cdo_handle).read(parent).as<ObjectRef>().id ==
             store.find_inner(cdo, "Body"));

  // Writing the new object leaves the CDO (and the next object) alone.
  store.get(after).write(weight) = Value(1.0);
  BOOST_TEST(store.get(cdo).read(weight).as<double>() == 7.0);
  BOOST_TEST(store.get(store.create(chair_class, package).id).read(weight).as<double>() == 7.0);

  // A component class's CDO is the archetype of components made by name, not
  // of the default subobjects of objects whose class (Chair) has a CDO.
  const auto part_cdo = store.class_default(part);
  store.get(part_cdo).write(where).as<StructBox>().get().fields[0] = Value(3.0);
  const auto loose = store.create(part, after, "Extra").id;
  BOOST_TEST(store.get(loose).read(where).as<StructBox>().get().fields[0].as<double>() == 3.0);
  const auto latest = store.create(chair_class, package).id;
  BOOST_TEST(store.get(store.find_inner(latest, "Body"))
                 .read(where)
                 .as<StructBox>()
                 .get()
                 .fields[0]
                 .as<double>() == 0.0);
}

BOOST_AUTO_TEST_CASE(an_outer_with_many_inners_finds_them_by_name_before_and_after_indexing) {
  LoadedModel m;
  ObjectStore store(m.types, m.loader.roles());
  const auto package = store.create(*m.types.find_class("Box"), 0, "/Game/Many").id;
  const auto& part = *m.types.find_class("Part");
  std::vector<ObjectId> made;
  for (int i = 0; i < 40; ++i) {
    made.push_back(store.create(part, package, "P" + std::to_string(i)).id);
    for (int j = 0; j <= i; j += 7) {
      BOOST_TEST(store.find_inner(package, "P" + std::to_string(j)) == made[j]);
    }
  }
  store.rename(made[3], "Renamed");
  BOOST_TEST(store.find_inner(package, "P3") == 0u);
  BOOST_TEST(store.find_inner(package, "Renamed") == made[3]);
  BOOST_CHECK_THROW(store.create(part, package, "P4"), std::invalid_argument);
  for (int i = 0; i < 40; i += 2) {
    store.destroy(made[i]);
  }
  BOOST_TEST(store.get(package).inners.size() == 20u);
  BOOST_TEST(store.find_inner(package, "P4") == 0u);
  BOOST_TEST(store.find_inner(package, "P5") == made[5]);
  BOOST_TEST(store.find_path("/Game/Many.P39") == made[39]);
}

BOOST_AUTO_TEST_CASE(the_shipped_unreal_schema_loads) {
  ObjectModel model({shipped_schema_folder("unreal")});
  BOOST_TEST(model.types().classes().size() > 50u);
  BOOST_TEST(model.types().find_class("Character")->is_a(*model.types().find_class("Actor")));
  BOOST_TEST(model.types().find_struct("MeshBuildSettings") != nullptr);
  BOOST_TEST(model.roles().actor_class == "Actor");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(runtime_classes)

// A class registered after the schema: resolved at once, as the schema's are.
ClassInfo runtime_class(const std::string& name, const std::string& parent) {
  ClassInfo info;
  info.name = name;
  info.parent_name = parent;
  info.package = "/Game/Blueprints/" + name;
  info.where = SourceLocation{info.package, 0};
  return info;
}

BOOST_AUTO_TEST_CASE(a_runtime_class_inherits_its_parents_properties_and_components) {
  LoadedModel m;
  const auto& chair = *m.types.find_class("Chair");
  const auto& stool =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Stool_C", "Chair"));
  BOOST_TEST(stool.runtime);
  BOOST_TEST(!chair.runtime, "the schema's classes are not runtime classes");
  BOOST_TEST(m.types.find_class("Stool_C") == &stool);
  BOOST_TEST(stool.is_a(chair));
  BOOST_TEST(stool.properties.size() == chair.properties.size());
  BOOST_TEST(stool.components.size() == 2u);
  const auto* mood = stool.find_property("Mood");
  BOOST_TEST(stool.prototype[mood->slot].as<EnumValue>().value == 8, "the parent's override");
  ObjectStore store(m.types, m.loader.roles());
  const auto package = store.create(*m.types.find_class("Box"), 0, "/Game/Props").id;
  const auto& made = store.create(stool, package);
  BOOST_TEST(made.name == "Stool_C_0");
  BOOST_TEST(store.find_inner(made.id, "Handle") != 0u, "the parent's components are made");
}

BOOST_AUTO_TEST_CASE(a_runtime_class_that_does_not_resolve_is_not_registered) {
  LoadedModel m;
  const auto before = m.types.classes().size();
  BOOST_CHECK_EXCEPTION(
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Ghost_C", "Nothing")),
      SchemaError, [](const SchemaError& e) {
        return std::string(e.what()) ==
               "/Game/Blueprints/Ghost_C: class 'Ghost_C' has unknown parent 'Nothing'";
      });
  BOOST_TEST(m.types.find_class("Ghost_C") == nullptr);
  BOOST_TEST(m.types.classes().size() == before);
  // The model's rules apply too: only actor classes have components.
  auto part = runtime_class("Gadget_C", "Part");
  part.own_components.push_back(
      ComponentTemplate{"Knob", "PlacedPart", "", "", false, {}, nullptr});
  BOOST_CHECK_THROW(register_runtime_class(m.types, m.loader.roles(), std::move(part)),
                    SchemaError);
  BOOST_TEST(m.types.find_class("Gadget_C") == nullptr);
  BOOST_CHECK_THROW(
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Chair", "Thing")),
      SchemaError);  // the name is the schema's
  // Before the schema is loaded there is nothing to register against.
  TypeRegistry empty;
  BOOST_CHECK_THROW(
      register_runtime_class(empty, m.loader.roles(), runtime_class("Early_C", "Object")),
      SchemaError);
}

BOOST_AUTO_TEST_CASE(a_runtime_class_grows_properties_and_components_in_new_slots) {
  LoadedModel m;
  const auto& stool =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Stool_C", "Chair"));
  const auto slots = stool.properties.size();
  PropertyInfo legs;
  legs.name = "Legs";
  legs.type = parse_value_type("int");
  legs.declared_default = Value(std::int64_t{3});
  const auto& added = m.types.add_runtime_property(stool, std::move(legs));
  BOOST_TEST(added.slot == slots, "a new property takes the next slot");
  BOOST_TEST(stool.find_property("Legs") == &added);
  BOOST_TEST(stool.prototype[added.slot].as<std::int64_t>() == 3);
  BOOST_TEST(stool.find_property("Mood")->slot < slots, "the others keep theirs");
  PropertyInfo wrong;
  wrong.name = "Colour";
  wrong.type = parse_value_type("struct:Colour");
  BOOST_CHECK_THROW(m.types.add_runtime_property(stool, std::move(wrong)), SchemaError);
  BOOST_TEST(stool.find_property("Colour") == nullptr, "a failed add leaves the class as it was");
  BOOST_TEST(stool.find_property("Legs") == &added);
  PropertyInfo twice;
  twice.name = "Legs";
  twice.type = parse_value_type("int");
  BOOST_CHECK_THROW(m.types.add_runtime_property(stool, std::move(twice)), SchemaError);

  m.types.add_runtime_component(
      stool, ComponentTemplate{"Cushion", "PlacedPart", "", "Body", false, {}, nullptr});
  BOOST_TEST(stool.components.size() == 3u);
  ObjectStore store(m.types, m.loader.roles());
  const auto package = store.create(*m.types.find_class("Box"), 0, "/Game/Props").id;
  const auto& made = store.create(stool, package);
  const auto cushion = store.find_inner(made.id, "Cushion");
  BOOST_REQUIRE(cushion != 0u);
  const auto& roles = m.loader.roles();
  const auto& cushion_object = store.get(cushion);
  BOOST_TEST(cushion_object.read(*cushion_object.cls->find_property(roles.attach_property))
                 .as<ObjectRef>()
                 .id == store.find_inner(made.id, "Body"));
}

BOOST_AUTO_TEST_CASE(a_retired_class_leaves_the_lookups_and_its_name_can_be_registered_again) {
  LoadedModel m;
  ObjectStore store(m.types, m.loader.roles());
  const auto package = store.create(*m.types.find_class("Box"), 0, "/Game/Props").id;
  const auto& stool =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Stool_C", "Chair"));
  const auto cdo = store.class_default(stool);
  const auto cdo_inners = store.get(cdo).inners.size();
  const auto live = store.create(stool, package).id;
  const auto destroyed = store.retire_class(stool, "deleted with the Blueprint /Game/Stool");
  BOOST_TEST(destroyed.size() == 1u + cdo_inners, "the CDO and its components");
  BOOST_TEST(destroyed.front() == cdo);
  BOOST_TEST(store.find(cdo) == nullptr);
  BOOST_TEST(m.types.find_class("Stool_C") == nullptr);
  BOOST_TEST(stool.retired == "deleted with the Blueprint /Game/Stool");
  BOOST_TEST(store.get(live).cls == &stool, "objects of it keep their class");
  BOOST_CHECK_EXCEPTION(store.create(stool, package), RetiredClassError,
                        [](const RetiredClassError& e) {
                          return std::string(e.what()) ==
                                 "class 'Stool_C' makes no new objects: it is no longer "
                                 "registered (deleted with the Blueprint /Game/Stool)";
                        });
  BOOST_CHECK_THROW(store.class_default(stool), RetiredClassError);
  BOOST_CHECK_THROW(m.types.retire_runtime_class(stool, "twice"), SchemaError);

  const auto& again =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Stool_C", "Part"));
  BOOST_TEST(&again != &stool);
  BOOST_TEST(m.types.find_class("Stool_C") == &again);
  BOOST_TEST(again.retired.empty());
  BOOST_TEST(store.get(store.class_default(again)).name == "Default__Stool_C",
             "the new class's CDO takes the name the old one left");
}

BOOST_AUTO_TEST_CASE(only_runtime_classes_nothing_derives_from_retire) {
  LoadedModel m;
  BOOST_CHECK_THROW(m.types.retire_runtime_class(*m.types.find_class("Chair"), "no"), SchemaError);
  BOOST_TEST(m.types.find_class("Chair") != nullptr);
  const auto& stool =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Stool_C", "Chair"));
  const auto& bar =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("BarStool_C", "Stool_C"));
  BOOST_CHECK_EXCEPTION(
      m.types.retire_runtime_class(stool, "deleted"), SchemaError, [](const SchemaError& e) {
        return std::string(e.what()).find("class 'BarStool_C'") != std::string::npos;
      });
  BOOST_TEST(m.types.find_class("Stool_C") == &stool, "a refused retire changes nothing");
  BOOST_TEST(stool.retired.empty());
  m.types.retire_runtime_class(bar, "deleted");
  m.types.retire_runtime_class(stool, "deleted");
  BOOST_TEST(m.types.find_class("Stool_C") == nullptr);
}

BOOST_AUTO_TEST_CASE(only_runtime_classes_without_subclasses_grow) {
  LoadedModel m;
  PropertyInfo legs;
  legs.name = "Legs";
  legs.type = parse_value_type("int");
  BOOST_CHECK_THROW(m.types.add_runtime_property(*m.types.find_class("Chair"), legs), SchemaError);
  const auto& stool =
      register_runtime_class(m.types, m.loader.roles(), runtime_class("Stool_C", "Chair"));
  register_runtime_class(m.types, m.loader.roles(), runtime_class("BarStool_C", "Stool_C"));
  BOOST_CHECK_EXCEPTION(
      m.types.add_runtime_property(stool, legs), SchemaError, [](const SchemaError& e) {
        return std::string(e.what()).find("'BarStool_C' derives from") != std::string::npos;
      });
}

BOOST_AUTO_TEST_SUITE_END()
