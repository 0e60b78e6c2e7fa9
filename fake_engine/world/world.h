// World: the actors of the stand-in engine's level.
//
// Main thread only, like every engine object: each member checks the calling
// thread and throws WrongThreadError (naming the API) before touching state.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fake_engine/core/thread_identity.h"

namespace understudy {

using ActorId = std::uint64_t;

// An actor class, as Unreal's UClass: a name and a parent ("Character" is a
// "Pawn" is an "Actor").
struct ActorClass {
  std::string name;
  std::string parent;  // empty for Actor itself
};

struct Actor {
  ActorId id = 0;
  std::string class_name;
  std::string name;   // unique, e.g. "Character_3"
  std::string label;  // what the editor shows; defaults to the name
  std::uint64_t spawned_frame = 0;
};

class UnknownActorClassError : public std::invalid_argument {
 public:
  explicit UnknownActorClassError(std::string_view class_name);
};

class NoSuchActorError : public std::out_of_range {
 public:
  explicit NoSuchActorError(ActorId id);
};

enum class ActorEvent { kSpawned, kDestroyed, kRelabelled };
using ActorListener = std::function<void(ActorEvent, const Actor&)>;

class World {
 public:
  World(const MainThreadAffinity& affinity, std::function<std::uint64_t()> frame_source);

  // Known classes: Actor, Pawn, Character. Others may be registered.
  void register_class(ActorClass actor_class);
  std::optional<ActorClass> find_class(std::string_view name) const;
  std::vector<ActorClass> classes() const;
  bool is_a(std::string_view class_name, std::string_view ancestor) const;

  ActorId spawn(std::string_view class_name, std::optional<std::string> label = std::nullopt);
  // False when no such actor exists (already destroyed, or never spawned).
  bool destroy(ActorId id);
  void set_label(ActorId id, std::string label);

  std::optional<Actor> find(ActorId id) const;
  std::vector<Actor> find_by_label(std::string_view label) const;
  std::vector<Actor> actors() const;                          // in spawn order
  std::size_t count(std::string_view class_name = {}) const;  // of that class or a subclass

  // Called on the main thread after each change.
  void add_listener(ActorListener listener);

 private:
  void notify(ActorEvent event, const Actor& actor);

  const MainThreadAffinity& affinity_;
  const std::function<std::uint64_t()> frame_source_;
  std::map<std::string, ActorClass, std::less<>> classes_;
  std::map<ActorId, Actor> actors_;
  std::map<std::string, std::uint64_t, std::less<>> spawned_per_class_;
  ActorId next_id_ = 1;
  std::vector<ActorListener> listeners_;
};

}  // namespace understudy
