#include "fake_engine/world/world.h"

#include <algorithm>

namespace understudy {

UnknownActorClassError::UnknownActorClassError(std::string_view class_name, std::string_view why)
    : std::invalid_argument("unknown actor class '" + std::string(class_name) + "'" +
                            (why.empty() ? std::string() : ": " + std::string(why))) {}

NoSuchActorError::NoSuchActorError(ActorId id)
    : std::out_of_range("no actor with id " + std::to_string(id) +
                        " (destroyed, or never spawned)") {}

namespace {

const ClassInfo& required_class(const ObjectStore& objects, const std::string& name,
                                const char* role) {
  const auto* cls = objects.types().find_class(name);
  if (!cls) {
    throw SchemaError("the schema's " + std::string(role) + " '" + name + "' is not declared");
  }
  return *cls;
}

}  // namespace

World::World(const MainThreadAffinity& affinity, std::function<std::uint64_t()> frame_source,
             ObjectStore& objects)
    : affinity_(affinity),
      frame_source_(std::move(frame_source)),
      objects_(objects),
      actor_class_(required_class(objects, objects.roles().actor_class, "actor_class")) {
  // As an editor's unsaved map: /Temp/Untitled_1.Untitled_1:PersistentLevel.
  const auto& roles = objects.roles();
  const auto package = objects_
                           .create(required_class(objects, roles.package_class, "package_class"), 0,
                                   "/Temp/Untitled_1")
                           .id;
  world_object_ =
      objects_
          .create(required_class(objects, roles.world_class, "world_class"), package, "Untitled_1")
          .id;
  level_ = objects_
               .create(required_class(objects, roles.level_class, "level_class"), world_object_,
                       "PersistentLevel")
               .id;
}

ActorId World::spawn(std::string_view class_name, std::optional<std::string> label) {
  affinity_.require("World::spawn");
  const auto* cls = types().find_class(class_name);
  if (!cls) {
    throw UnknownActorClassError(class_name);
  }
  return spawn(*cls, std::move(label));
}

ActorId World::spawn(const ClassInfo& cls, std::optional<std::string> label, std::string name) {
  affinity_.require("World::spawn");
  if (!cls.is_a(actor_class_)) {
    throw UnknownActorClassError(cls.name, "it is not a subclass of " + actor_class_.name);
  }
  if (cls.abstract) {
    throw UnknownActorClassError(cls.name, "it is abstract");
  }
  const ActorId id = objects_.create(cls, level_, std::move(name)).id;
  activate_components(id);
  ActorRecord record;
  record.label = label.value_or(objects_.get(id).name);
  record.spawned_frame = frame_source_ ? frame_source_() : 0;
  by_label_.emplace(record.label, id);
  const auto& stored = actors_.emplace(id, std::move(record)).first->second;
  notify(ActorEvent::kSpawned, snapshot(id, stored));
  return id;
}

void World::activate_components(ObjectId actor) {
  const auto& roles = objects_.roles();
  if (roles.active_property.empty() || roles.auto_activate_property.empty()) {
    return;
  }
  for (const ObjectId inner : objects_.get(actor).inners) {
    auto& component = objects_.get(inner);
    const auto* automatic = component.cls->find_property(roles.auto_activate_property);
    const auto* active = component.cls->find_property(roles.active_property);
    if (automatic && active && component.read(*automatic).holds<bool>() &&
        component.read(*automatic).as<bool>() && !component.read(*active).as<bool>()) {
      component.write(*active) = Value(true);
    }
  }
}

bool World::destroy(ActorId id) {
  affinity_.require("World::destroy");
  const auto it = actors_.find(id);
  if (it == actors_.end()) {
    return false;
  }
  const auto actor = snapshot(id, it->second);
  for (auto [low, high] = by_label_.equal_range(it->second.label); low != high; ++low) {
    if (low->second == id) {
      by_label_.erase(low);
      break;
    }
  }
  actors_.erase(it);
  notify(ActorEvent::kDestroyed, actor);
  objects_.destroy(id);
  return true;
}

void World::set_label(ActorId id, std::string label) {
  affinity_.require("World::set_label");
  const auto it = actors_.find(id);
  if (it == actors_.end()) {
    throw NoSuchActorError(id);
  }
  for (auto [low, high] = by_label_.equal_range(it->second.label); low != high; ++low) {
    if (low->second == id) {
      by_label_.erase(low);
      break;
    }
  }
  it->second.label = std::move(label);
  by_label_.emplace(it->second.label, id);
  notify(ActorEvent::kRelabelled, snapshot(id, it->second));
}

Actor World::snapshot(ActorId id, const ActorRecord& record) const {
  const auto& object = objects_.get(id);
  return Actor{id, object.cls->name, object.name, record.label, record.spawned_frame};
}

bool World::is_actor(ObjectId id) const {
  affinity_.require("World::is_actor");
  return actors_.contains(id);
}

std::optional<Actor> World::find(ActorId id) const {
  affinity_.require("World::find");
  const auto it = actors_.find(id);
  if (it == actors_.end()) {
    return std::nullopt;
  }
  return snapshot(id, it->second);
}

const std::string* World::label_of(ActorId id) const {
  affinity_.require("World::label_of");
  const auto it = actors_.find(id);
  return it == actors_.end() ? nullptr : &it->second.label;
}

std::vector<Actor> World::find_by_label(std::string_view label) const {
  affinity_.require("World::find_by_label");
  std::vector<ActorId> ids;
  for (auto [low, high] = by_label_.equal_range(label); low != high; ++low) {
    ids.push_back(low->second);
  }
  std::sort(ids.begin(), ids.end());
  std::vector<Actor> result;
  for (const auto id : ids) {
    result.push_back(snapshot(id, actors_.at(id)));
  }
  return result;
}

ActorId World::first_with_label(std::string_view label) const {
  affinity_.require("World::first_with_label");
  ActorId first = 0;
  for (auto [low, high] = by_label_.equal_range(label); low != high; ++low) {
    if (first == 0 || low->second < first) {
      first = low->second;
    }
  }
  return first;
}

std::vector<Actor> World::actors() const {
  affinity_.require("World::actors");
  std::vector<Actor> result;
  result.reserve(actors_.size());
  for (const auto& [id, record] : actors_) {
    result.push_back(snapshot(id, record));
  }
  return result;
}

std::vector<ActorId> World::actor_ids() const {
  affinity_.require("World::actor_ids");
  std::vector<ActorId> result;
  result.reserve(actors_.size());
  for (const auto& [id, record] : actors_) {
    result.push_back(id);
  }
  return result;
}

std::size_t World::count(std::string_view class_name) const {
  affinity_.require("World::count");
  if (class_name.empty()) {
    return actors_.size();
  }
  const auto* cls = types().find_class(class_name);
  if (!cls) {
    return 0;
  }
  std::size_t n = 0;
  for (const auto& [id, record] : actors_) {
    n += objects_.get(id).cls->is_a(*cls) ? 1 : 0;
  }
  return n;
}

bool World::is_a(std::string_view class_name, std::string_view ancestor) const {
  affinity_.require("World::is_a");
  const auto* cls = types().find_class(class_name);
  const auto* base = types().find_class(ancestor);
  return cls && base && cls->is_a(*base);
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
