// World: the level the stand-in engine's actors live in, on top of the
// object model: an actor is an object of the model's actor class whose outer
// is the world's level, with an editor label and the frame it was spawned in.
//
// Main thread only, like every engine object: each member checks the calling
// thread and throws WrongThreadError (naming the API) before touching state.
// Lookups by id and by label are O(1) on average.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fake_engine/core/thread_identity.h"
#include "fake_engine/objects/object_store.h"
#include "fake_engine/world/actor_records.h"

namespace understudy {

using ActorId = ObjectId;

// A snapshot of an actor, as the control channel reports it.
struct Actor {
  ActorId id = 0;
  std::string class_name;
  std::string name;   // unique in the level, e.g. "Character_3"
  std::string label;  // what the editor shows; defaults to the name
  std::uint64_t spawned_frame = 0;
};

class UnknownActorClassError : public std::invalid_argument {
 public:
  explicit UnknownActorClassError(std::string_view class_name, std::string_view why = {});
};

class NoSuchActorError : public std::out_of_range {
 public:
  explicit NoSuchActorError(ActorId id);
};

enum class ActorEvent { kSpawned, kDestroyed, kRelabelled };
using ActorListener = std::function<void(ActorEvent, const Actor&)>;

class World {
 public:
  // Creates the world's package, world object and level in `objects`.
  World(const MainThreadAffinity& affinity, std::function<std::uint64_t()> frame_source,
        ObjectStore& objects);

  ObjectStore& objects() { return objects_; }
  const TypeRegistry& types() const { return objects_.types(); }
  ObjectId world_object() const { return world_object_; }
  ObjectId level() const { return level_; }

  // Throws UnknownActorClassError for a class that is unknown, abstract or not
  // an actor class. The actor's components that auto-activate are active.
  ActorId spawn(std::string_view class_name, std::optional<std::string> label = std::nullopt);
  ActorId spawn(const ClassInfo& cls, std::optional<std::string> label = std::nullopt,
                std::string name = {});
  // False when no such actor exists (already destroyed, or never spawned).
  bool destroy(ActorId id);
  void set_label(ActorId id, std::string label);

  bool is_actor(ObjectId id) const;
  std::optional<Actor> find(ActorId id) const;
  // nullptr if not an actor; valid until the next spawn, destroy or relabel.
  const std::string* label_of(ActorId id) const;
  std::vector<Actor> find_by_label(std::string_view label) const;  // in spawn order
  ActorId first_with_label(std::string_view label) const;          // 0 if none
  std::vector<Actor> actors() const;                               // in spawn order
  std::vector<ActorId> actor_ids() const;                          // in spawn order
  std::size_t count(std::string_view class_name = {}) const;       // of that class or a subclass
  bool is_a(std::string_view class_name, std::string_view ancestor) const;

  // Called on the main thread after each change (before a destroyed actor's
  // object goes away).
  void add_listener(ActorListener listener);

 private:
  // A class's activation properties (the roles'), or nullptr if it has none.
  struct Activation {
    const PropertyInfo* automatic = nullptr;
    const PropertyInfo* active = nullptr;
  };

  Actor snapshot(const ActorRecords::Record& record) const;
  const Activation& activation_of(const ClassInfo& cls);
  void notify(ActorEvent event, const Actor& actor);
  void activate_components(ObjectId actor);

  const MainThreadAffinity& affinity_;
  const std::function<std::uint64_t()> frame_source_;
  ObjectStore& objects_;
  const ClassInfo& actor_class_;
  ObjectId world_object_ = 0;
  ObjectId level_ = 0;
  ActorRecords actors_;
  std::unordered_map<const ClassInfo*, Activation> activation_;
  std::vector<ActorListener> listeners_;
};

}  // namespace understudy
