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
  const auto& record = actors_.add(id, label ? std::move(*label) : objects_.get(id).name,
                                   frame_source_ ? frame_source_() : 0);
  notify(ActorEvent::kSpawned, snapshot(record));
  return id;
}

void World::activate_components(ObjectId actor) {
  for (const ObjectId inner : objects_.get(actor).inners) {
    auto& component = objects_.get(inner);
    const auto& activation = activation_of(*component.cls);
    if (activation.automatic && component.read(*activation.automatic).holds<bool>() &&
        component.read(*activation.automatic).as<bool>() &&
        !component.read(*activation.active).as<bool>()) {
      component.write(*activation.active) = Value(true);
    }
  }
}

const World::Activation& World::activation_of(const ClassInfo& cls) {
  const auto it = activation_.find(&cls);
  if (it != activation_.end()) {
    return it->second;
  }
  const auto& roles = objects_.roles();
  Activation activation;
  if (!roles.active_property.empty() && !roles.auto_activate_property.empty()) {
    activation.automatic = cls.find_property(roles.auto_activate_property);
    activation.active = cls.find_property(roles.active_property);
    if (!activation.active) {
      activation.automatic = nullptr;
    }
  }
  return activation_.emplace(&cls, activation).first->second;
}

bool World::destroy(ActorId id) {
  affinity_.require("World::destroy");
  const auto* record = actors_.find(id);
  if (!record) {
    return false;
  }
  const auto actor = snapshot(*record);
  actors_.remove(id);
  notify(ActorEvent::kDestroyed, actor);
  objects_.destroy(id);
  return true;
}

void World::set_label(ActorId id, std::string label) {
  affinity_.require("World::set_label");
  if (!actors_.contains(id)) {
    throw NoSuchActorError(id);
  }
  notify(ActorEvent::kRelabelled, snapshot(actors_.relabel(id, std::move(label))));
}

Actor World::snapshot(const ActorRecords::Record& record) const {
  const auto& object = objects_.get(record.id);
  return Actor{record.id, object.cls->name, object.name, record.label, record.spawned_frame};
}

bool World::is_actor(ObjectId id) const {
  affinity_.require("World::is_actor");
  return actors_.contains(id);
}

std::optional<Actor> World::find(ActorId id) const {
  affinity_.require("World::find");
  const auto* record = actors_.find(id);
  if (!record) {
    return std::nullopt;
  }
  return snapshot(*record);
}

const std::string* World::label_of(ActorId id) const {
  affinity_.require("World::label_of");
  const auto* record = actors_.find(id);
  return record ? &record->label : nullptr;
}

std::vector<Actor> World::find_by_label(std::string_view label) const {
  affinity_.require("World::find_by_label");
  std::vector<Actor> result;
  for (const auto id : actors_.with_label(label)) {
    result.push_back(snapshot(*actors_.find(id)));
  }
  return result;
}

ActorId World::first_with_label(std::string_view label) const {
  affinity_.require("World::first_with_label");
  return actors_.first_with_label(label);
}

std::vector<Actor> World::actors() const {
  affinity_.require("World::actors");
  std::vector<Actor> result;
  result.reserve(actors_.size());
  for (const ActorId id : actors_.ids()) {
    result.push_back(snapshot(*actors_.find(id)));
  }
  return result;
}

std::vector<ActorId> World::actor_ids() const {
  affinity_.require("World::actor_ids");
  return std::vector<ActorId>(actors_.ids().begin(), actors_.ids().end());
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
  for (const ActorId id : actors_.ids()) {
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
