// World: spawning and destroying actors, names and labels, the class
// hierarchy, listeners, and the main-thread rule.
#define BOOST_TEST_MODULE world
#include "fake_engine/world/world.h"

#include <boost/test/unit_test.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "fake_engine/objects/object_model.h"
#include "tests/support/describe.h"

using namespace understudy;
using namespace understudy::testing;

namespace {

// A world whose main thread is the test thread, at a frame the test sets.
struct WorldOnTestThread {
  WorldOnTestThread() { affinity.claim(); }

  std::vector<std::string> labels() const {
    std::vector<std::string> result;
    for (const auto& actor : world.actors()) {
      result.push_back(actor.label);
    }
    return result;
  }

  // What `call` threw on a thread named "rpc-conn-3"; empty if it did not throw.
  std::string wrong_thread_message(const std::function<void()>& call) const {
    std::string message;
    std::thread([&] {
      name_current_thread("rpc-conn-3");
      try {
        call();
      } catch (const WrongThreadError& e) {
        message = e.what();
      }
    }).join();
    return message;
  }

  MainThreadAffinity affinity;
  std::uint64_t frame = 0;
  ObjectModel model{{shipped_schema_folder("unreal")}};
  World world{affinity, [this] { return frame; }, model.objects()};
};

struct Event {
  ActorEvent kind;
  std::string name;
  std::string label;
  bool still_in_world;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(world, WorldOnTestThread)

BOOST_AUTO_TEST_CASE(spawned_actors_are_named_after_their_class) {
  frame = 12;
  const auto first = world.spawn("Character");
  const auto second = world.spawn("Character");
  const auto pawn = world.spawn("Pawn", "Player");

  const auto actor = world.find(first);
  BOOST_REQUIRE(actor.has_value());
  BOOST_TEST(actor->name == "Character_0");
  BOOST_TEST(actor->label == "Character_0", "the label defaults to the name");
  BOOST_TEST(actor->class_name == "Character");
  BOOST_TEST(actor->spawned_frame == 12u);
  BOOST_TEST(world.find(second)->name == "Character_1");
  BOOST_TEST(world.find(pawn)->name == "Pawn_0");
  BOOST_TEST(world.find(pawn)->label == "Player");
  BOOST_TEST(first != second);
}

BOOST_AUTO_TEST_CASE(actors_are_listed_in_spawn_order) {
  world.spawn("Pawn");
  world.spawn("Character");
  world.spawn("Actor");
  const std::vector<std::string> expected{"Pawn_0", "Character_0", "Actor_0"};
  BOOST_TEST(labels() == expected, "seen " << describe(labels()));
}

BOOST_AUTO_TEST_CASE(count_follows_the_class_hierarchy) {
  world.spawn("Actor");
  world.spawn("Pawn");
  world.spawn("Character");
  world.spawn("Character");

  BOOST_TEST(world.count() == 4u);
  BOOST_TEST(world.count("Actor") == 4u, "every class is an Actor");
  BOOST_TEST(world.count("Pawn") == 3u, "a Character is a Pawn");
  BOOST_TEST(world.count("Character") == 2u);
  BOOST_TEST(world.is_a("Character", "Actor"));
  BOOST_TEST(!world.is_a("Pawn", "Character"));
  BOOST_TEST(world.types().find_class("Character")->parent_name == "Pawn");
}

BOOST_AUTO_TEST_CASE(only_concrete_actor_classes_can_be_spawned) {
  BOOST_CHECK_EXCEPTION(world.spawn("Material"), UnknownActorClassError,
                        [](const UnknownActorClassError& e) {
                          return std::string(e.what()) ==
                                 "unknown actor class 'Material': it is not a subclass of Actor";
                        });
  BOOST_TEST(world.count() == 0u);
}

BOOST_AUTO_TEST_CASE(actors_are_objects_in_the_level_with_their_components) {
  const auto id = world.spawn("Character");
  const auto& store = model.objects();
  BOOST_TEST(store.path_name(id) == "/Temp/Untitled_1.Untitled_1:PersistentLevel.Character_0");
  const auto capsule = store.find_inner(id, "CollisionCylinder");
  BOOST_REQUIRE(capsule != 0u);
  BOOST_TEST(store.path_name(capsule) ==
             "/Temp/Untitled_1.Untitled_1:PersistentLevel.Character_0.CollisionCylinder");
  BOOST_TEST(world.destroy(id));
  BOOST_TEST(store.find(capsule) == nullptr, "components go with their actor");
}

BOOST_AUTO_TEST_CASE(spawning_an_unknown_class_fails_and_changes_nothing) {
  BOOST_CHECK_EXCEPTION(world.spawn("Dragon"), UnknownActorClassError,
                        [](const UnknownActorClassError& e) {
                          return std::string(e.what()) == "unknown actor class 'Dragon'";
                        });
  BOOST_TEST(world.count() == 0u);
  BOOST_TEST(world.find(world.spawn("Character"))->name == "Character_0");
}

BOOST_AUTO_TEST_CASE(destroyed_actors_are_gone_and_their_names_not_reused) {
  const auto doomed = world.spawn("Character");
  world.spawn("Character");

  BOOST_TEST(world.destroy(doomed));
  BOOST_TEST(!world.find(doomed).has_value());
  BOOST_TEST(!world.destroy(doomed), "destroying twice reports that nothing was there");
  BOOST_TEST(!world.destroy(9999));
  BOOST_TEST(world.count() == 1u);
  BOOST_TEST(world.find(world.spawn("Character"))->name == "Character_2");
}

BOOST_AUTO_TEST_CASE(labels_can_be_changed_and_searched) {
  const auto a = world.spawn("Character");
  const auto b = world.spawn("Character");
  world.spawn("Pawn");
  world.set_label(a, "hero");
  world.set_label(b, "hero");

  const auto heroes = world.find_by_label("hero");
  BOOST_REQUIRE_EQUAL(heroes.size(), 2u);
  BOOST_TEST(heroes[0].id == a);
  BOOST_TEST(heroes[1].id == b);
  BOOST_TEST(world.find_by_label("nobody").empty());
  BOOST_TEST(world.find_by_label("Pawn_0").size() == 1u);
  BOOST_CHECK_THROW(world.set_label(4242, "ghost"), NoSuchActorError);
}

// Actors sharing a label are kept in spawn order however they got it: newest
// last, an older one relabelled into the middle, any of them destroyed.
BOOST_AUTO_TEST_CASE(a_shared_label_lists_its_actors_in_spawn_order_through_every_change) {
  std::vector<ActorId> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(world.spawn("Pawn"));
  }
  auto with_label = [&](const std::string& label) {
    std::vector<ActorId> found;
    for (const auto& actor : world.find_by_label(label)) {
      found.push_back(actor.id);
    }
    return found;
  };
  world.set_label(ids[1], "tree");
  world.set_label(ids[4], "tree");
  world.set_label(ids[5], "tree");
  world.set_label(ids[0], "tree");  // older than every tree: the new first
  world.set_label(ids[2], "tree");  // between two trees
  BOOST_TEST(with_label("tree") == (std::vector<ActorId>{ids[0], ids[1], ids[2], ids[4], ids[5]}));
  BOOST_TEST(world.first_with_label("tree") == ids[0]);
  world.destroy(ids[0]);
  world.set_label(ids[4], "bush");
  BOOST_TEST(with_label("tree") == (std::vector<ActorId>{ids[1], ids[2], ids[5]}));
  BOOST_TEST(world.first_with_label("tree") == ids[1]);
  world.destroy(ids[5]);
  world.destroy(ids[1]);
  world.set_label(ids[2], "bush");
  BOOST_TEST(with_label("tree").empty());
  BOOST_TEST(world.first_with_label("tree") == 0u);
  BOOST_TEST(with_label("bush") == (std::vector<ActorId>{ids[2], ids[4]}));
  BOOST_TEST(*world.label_of(ids[3]) == "Pawn_3");
  BOOST_TEST(world.actor_ids() == (std::vector<ActorId>{ids[2], ids[3], ids[4]}));
}

BOOST_AUTO_TEST_CASE(calls_from_another_thread_throw_and_leave_the_world_untouched) {
  const auto actor = world.spawn("Character", "original");
  int events = 0;
  world.add_listener([&](ActorEvent, const Actor&) { ++events; });

  const std::vector<std::pair<std::string, std::function<void()>>> calls{
      {"World::spawn", [&] { world.spawn("Character"); }},
      {"World::destroy", [&] { world.destroy(actor); }},
      {"World::set_label", [&] { world.set_label(actor, "changed"); }},
      {"World::find", [&] { (void)world.find(actor); }},
      {"World::find_by_label", [&] { (void)world.find_by_label("original"); }},
      {"World::actors", [&] { (void)world.actors(); }},
      {"World::count", [&] { (void)world.count(); }},
      {"World::first_with_label", [&] { (void)world.first_with_label("original"); }},
      {"World::is_actor", [&] { (void)world.is_actor(actor); }},
      {"World::add_listener", [&] { world.add_listener([](ActorEvent, const Actor&) {}); }},
  };
  for (const auto& [api, call] : calls) {
    const auto message = wrong_thread_message(call);
    BOOST_TEST(message == api +
                              " must be called on the engine's main thread (called from "
                              "'rpc-conn-3')");
  }

  BOOST_TEST(world.count() == 1u);
  BOOST_TEST(world.find(actor)->label == "original");
  BOOST_TEST(events == 0);
  BOOST_TEST(world.find(world.spawn("Character"))->name == "Character_1",
             "the refused spawn must not have used up a name");
}

BOOST_AUTO_TEST_CASE(listeners_hear_every_change_after_it_happened) {
  std::vector<Event> events;
  world.add_listener([&](ActorEvent kind, const Actor& actor) {
    events.push_back({kind, actor.name, actor.label, world.find(actor.id).has_value()});
  });
  const auto id = world.spawn("Character");
  world.set_label(id, "hero");
  world.destroy(id);

  BOOST_REQUIRE_EQUAL(events.size(), 3u);
  BOOST_TEST((events[0].kind == ActorEvent::kSpawned));
  BOOST_TEST(events[0].still_in_world);
  BOOST_TEST((events[1].kind == ActorEvent::kRelabelled));
  BOOST_TEST(events[1].label == "hero");
  BOOST_TEST((events[2].kind == ActorEvent::kDestroyed));
  BOOST_TEST(events[2].name == "Character_0");
  BOOST_TEST(!events[2].still_in_world);
}

BOOST_AUTO_TEST_SUITE_END()
