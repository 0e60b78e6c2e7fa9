#include "fake_engine/world/world.h"

namespace understudy {

UnknownActorClassError::UnknownActorClassError(std::string_view class_name)
    : std::invalid_argument("unknown actor class '" + std::string(class_name) + "'") {}

NoSuchActorError::NoSuchActorError(ActorId id)
    : std::out_of_range("no actor with id " + std::to_string(id) +
                        " (destroyed, or never spawned)") {}

World::World(const MainThreadAffinity& affinity, std::function<std::uint64_t()> frame_source)
    : affinity_(affinity), frame_source_(std::move(frame_source)) {
  classes_.emplace("Actor", ActorClass{"Actor", ""});
  classes_.emplace("Pawn", ActorClass{"Pawn", "Actor"});
  classes_.emplace("Character", ActorClass{"Character", "Pawn"});
}

void World::register_class(ActorClass actor_class) {
  affinity_.require("World::register_class");
  if (!actor_class.parent.empty() && !classes_.contains(actor_class.parent)) {
    throw UnknownActorClassError(actor_class.parent);
  }
  classes_.insert_or_assign(actor_class.name, actor_class);
}

std::optional<ActorClass> World::find_class(std::string_view name) const {
  affinity_.require("World::find_class");
  const auto it = classes_.find(name);
  if (it == classes_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<ActorClass> World::classes() const {
  affinity_.require("World::classes");
  std::vector<ActorClass> result;
  for (const auto& [name, actor_class] : classes_) {
    result.push_back(actor_class);
  }
  return result;
}

bool World::is_a(std::string_view class_name, std::string_view ancestor) const {
  affinity_.require("World::is_a");
  for (auto it = classes_.find(class_name); it != classes_.end();
       it = classes_.find(it->second.parent)) {
    if (it->first == ancestor) {
      return true;
    }
  }
  return false;
}

ActorId World::spawn(std::string_view class_name, std::optional<std::string> label) {
  affinity_.require("World::spawn");
  if (!classes_.contains(class_name)) {
    throw UnknownActorClassError(class_name);
  }
  Actor actor;
  actor.id = next_id_++;
  actor.class_name = std::string(class_name);
  const auto ordinal = spawned_per_class_[actor.class_name]++;
  actor.name = actor.class_name + "_" + std::to_string(ordinal);
  actor.label = label.value_or(actor.name);
  actor.spawned_frame = frame_source_ ? frame_source_() : 0;
  const auto& stored = actors_.emplace(actor.id, std::move(actor)).first->second;
  notify(ActorEvent::kSpawned, stored);
  return stored.id;
}

bool World::destroy(ActorId id) {
  affinity_.require("World::destroy");
  auto node = actors_.extract(id);
  if (node.empty()) {
    return false;
  }
  notify(ActorEvent::kDestroyed, node.mapped());
  return true;
}

void World::set_label(ActorId id, std::string label) {
  affinity_.require("World::set_label");
  const auto it = actors_.find(id);
  if (it == actors_.end()) {
    throw NoSuchActorError(id);
  }
  it->second.label = std::move(label);
  notify(ActorEvent::kRelabelled, it->second);
}

std::optional<Actor> World::find(ActorId id) const {
  affinity_.require("World::find");
  const auto it = actors_.find(id);
  if (it == actors_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<Actor> World::find_by_label(std::string_view label) const {
  affinity_.require("World::find_by_label");
  std::vector<Actor> result;
  for (const auto& [id, actor] : actors_) {
    if (actor.label == label) {
      result.push_back(actor);
    }
  }
  return result;
}

std::vector<Actor> World::actors() const {
  affinity_.require("World::actors");
  std::vector<Actor> result;
  result.reserve(actors_.size());
  for (const auto& [id, actor] : actors_) {
    result.push_back(actor);
  }
  return result;
}

std::size_t World::count(std::string_view class_name) const {
  affinity_.require("World::count");
  if (class_name.empty()) {
    return actors_.size();
  }
  std::size_t n = 0;
  for (const auto& [id, actor] : actors_) {
    n += is_a(actor.class_name, class_name) ? 1 : 0;
  }
  return n;
}

void World::add_listener(ActorListener listener) {
  affinity_.require("World::add_listener");
  listeners_.push_back(std::move(listener));
}

void World::notify(ActorEvent event, const Actor& actor) {
  for (const auto& listener : listeners_) {
    listener(event, actor);
  }
}

}  // namespace understudy
