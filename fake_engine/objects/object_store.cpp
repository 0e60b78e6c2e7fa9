#include "fake_engine/objects/object_store.h"

#include <algorithm>

namespace understudy {

NoSuchObjectError::NoSuchObjectError(ObjectId id)
    : std::out_of_range("no object with id " + std::to_string(id) +
                        " (destroyed, or never created)") {}

ObjectStore::ObjectStore(TypeRegistry& types, const ModelRoles& roles)
    : types_(types), roles_(roles), by_name_(0, IndexHash{}, IndexEqual{&objects_}) {
  objects_.emplace_back();  // id 0 is None
}

ObjectStore::~ObjectStore() {
  for (auto* object : objects_) {
    if (object) {
      pool_.release(object);
    }
  }
}

Object& ObjectStore::get(ObjectId id) {
  auto* object = find(id);
  if (!object) {
    throw NoSuchObjectError(id);
  }
  return *object;
}

const Object& ObjectStore::get(ObjectId id) const {
  const auto* object = find(id);
  if (!object) {
    throw NoSuchObjectError(id);
  }
  return *object;
}

std::string ObjectStore::unique_name(const ClassInfo& cls, ObjectId outer) {
  auto& counter = name_counters_[cls.name];
  for (;;) {
    auto name = cls.name + "_" + std::to_string(counter++);
    if (find_inner(outer, name) == 0) {
      return name;
    }
  }
}

void ObjectStore::index(const Object& object) {
  auto* outer = find(object.outer);
  if (outer) {
    outer->inners.insert(object.id);
    if (!outer->inners_indexed) {
      if (outer->inners.size() <= kScannedInners) {
        return;
      }
      outer->inners_indexed = true;
      for (const ObjectId inner : outer->inners) {
        if (inner != object.id) {
          const auto& indexed = get(inner);
          by_name_.insert(IndexEntry{inner, IndexHash{}(NameKey{indexed.outer, indexed.name})});
        }
      }
    }
  }
  by_name_.insert(IndexEntry{object.id, IndexHash{}(NameKey{object.outer, object.name})});
}

void ObjectStore::unindex(const Object& object) {
  auto* outer = find(object.outer);
  if (!outer || outer->inners_indexed) {
    by_name_.erase(IndexEntry{object.id, IndexHash{}(NameKey{object.outer, object.name})});
  }
  if (outer) {
    outer->inners.erase(object.id);
  }
}

RetiredClassError::RetiredClassError(const ClassInfo& cls)
    : std::runtime_error("class '" + cls.name + "' makes no new objects: it is no longer " +
                         "registered (" + cls.retired + ")") {}

Object& ObjectStore::create(const ClassInfo& cls, ObjectId outer, std::string name) {
  if (!cls.retired.empty()) {
    throw RetiredClassError(cls);
  }
  const auto defaults = class_defaults_.find(&cls);
  return make(cls, outer, std::move(name),
              defaults != class_defaults_.end() ? find(defaults->second) : nullptr);
}

Object& ObjectStore::make(const ClassInfo& cls, ObjectId outer, std::string name,
                          const Object* archetype) {
  if (outer != 0 && !find(outer)) {
    throw NoSuchObjectError(outer);
  }
  if (name.empty()) {
    name = unique_name(cls, outer);
  } else if (find_inner(outer, name) != 0) {
    throw std::invalid_argument("an object named '" + name + "' already exists in " +
                                (outer ? path_name(outer) : std::string("the top level")));
  }
  auto* object = pool_.acquire();
  object->id = objects_.size();
  object->cls = &cls;
  object->name = std::move(name);
  object->outer = outer;
  if (archetype && archetype->cls == &cls) {
    // Its attachment is the archetype's own, among the archetype's siblings:
    // this object's is set up by its creation.
    const auto& roles = role_slots(cls);
    object->properties.copy_from(archetype->properties, [&](std::size_t slot) {
      return !(roles.attach && roles.attach->slot == slot) &&
             !(roles.attach_children && roles.attach_children->slot == slot);
    });
  }
  auto& stored = *objects_.emplace_back(object);
  ++live_;
  index(stored);
  create_components(stored);
  return stored;
}

const ObjectStore::RoleSlots& ObjectStore::role_slots(const ClassInfo& cls) {
  const auto it = role_slots_.find(&cls);
  if (it != role_slots_.end()) {
    return it->second;
  }
  auto property = [&](const std::string& name) {
    return name.empty() ? nullptr : cls.find_property(name);
  };
  RoleSlots slots;
  const auto* scene = types_.find_class(roles_.scene_component_class);
  if (!scene || cls.is_a(*scene)) {
    slots.attach = property(roles_.attach_property);
    slots.attach_children = property(roles_.attach_children_property);
  }
  slots.root = property(roles_.root_property);
  return role_slots_.emplace(&cls, slots).first->second;
}

const Object* ObjectStore::default_subobject_archetype(const Object& owner,
                                                       const std::string& name) const {
  const auto defaults = class_defaults_.find(owner.cls);
  if (defaults == class_defaults_.end() || defaults->second == owner.id) {
    return nullptr;  // no CDO yet, or this is the CDO: the schema's defaults
  }
  return find(find_inner(defaults->second, name));
}

void ObjectStore::create_components(Object& owner) {
  if (owner.cls->components.empty()) {
    return;
  }
  const ObjectId owner_id = owner.id;
  // At most a handful: on the stack, in the order the class declares them.
  constexpr std::size_t kInline = 8;
  std::pair<const ComponentTemplate*, ObjectId> inline_made[kInline];
  std::vector<std::pair<const ComponentTemplate*, ObjectId>> more;
  const std::size_t count = owner.cls->components.size();
  if (count > kInline) {
    more.resize(count);
  }
  auto* made = count > kInline ? more.data() : inline_made;
  // What the loop below writes: one reference per component, and the root.
  owner.properties.reserve(owner.properties.size() + count + 1);
  owner.inners.reserve(owner.inners.size() + count);
  ObjectId root = 0;
  const auto& owner_roles = role_slots(*owner.cls);
  for (std::size_t i = 0; i < count; ++i) {
    const auto* component = owner.cls->components[i];
    // make() may grow objects_: look the owner up again afterwards.
    const auto* archetype = default_subobject_archetype(get(owner_id), component->name);
    const ObjectId id = make(*component->cls, owner_id, component->name, archetype).id;
    made[i] = {component, id};
    auto& self = get(owner_id);
    if (component->property_info) {
      self.write(*component->property_info) = Value(ObjectRef{id});
    }
    if (component->root) {
      root = id;
      if (owner_roles.root) {
        self.write(*owner_roles.root) = Value(ObjectRef{id});
      }
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    const auto& [component, id] = made[i];
    if (id == root || !role_slots(*component->cls).attach) {
      continue;  // the root, or not a scene component
    }
    ObjectId parent = root;
    for (std::size_t j = 0; j < count; ++j) {
      if (made[j].first->name == component->attach_to) {
        parent = made[j].second;
      }
    }
    attach(id, parent);
  }
}

ObjectId ObjectStore::class_default(const ClassInfo& cls) {
  if (const auto it = class_defaults_.find(&cls); it != class_defaults_.end()) {
    return it->second;
  }
  if (!cls.retired.empty()) {
    throw RetiredClassError(cls);
  }
  const auto* package_class = types_.find_class(roles_.package_class);
  ObjectId package = find_inner(0, kClassDefaultsPackage);
  if (package == 0) {
    package = create(*package_class, 0, kClassDefaultsPackage).id;
  }
  const ObjectId id = create(cls, package, "Default__" + cls.name).id;
  class_defaults_.emplace(&cls, id);
  return id;
}

std::vector<ObjectId> ObjectStore::retire_class(const ClassInfo& cls, std::string reason) {
  types_.retire_runtime_class(cls, std::move(reason));
  std::vector<ObjectId> destroyed;
  const auto it = class_defaults_.find(&cls);
  if (it == class_defaults_.end()) {
    return destroyed;
  }
  const ObjectId cdo = it->second;
  class_defaults_.erase(it);
  std::vector<ObjectId> pending{cdo};
  while (!pending.empty()) {
    const ObjectId id = pending.back();
    pending.pop_back();
    if (const auto* object = find(id)) {
      destroyed.push_back(id);
      for (const auto inner : object->inners) {
        pending.push_back(inner);
      }
    }
  }
  destroy(cdo);
  return destroyed;
}

void ObjectStore::attach(ObjectId child, ObjectId parent) {
  auto& object = get(child);
  const auto* attach_property = role_slots(*object.cls).attach;
  if (!attach_property) {
    return;
  }
  auto children_of = [&](ObjectId id) -> ValueList* {
    auto* owner = find(id);
    const auto* property = owner ? role_slots(*owner->cls).attach_children : nullptr;
    return property ? &owner->write(*property).as<ValueList>() : nullptr;
  };
  const ObjectId old_parent = object.read(*attach_property).as<ObjectRef>().id;
  if (old_parent == parent) {
    return;
  }
  if (auto* siblings = children_of(old_parent)) {
    siblings->erase(std::remove(siblings->begin(), siblings->end(), Value(ObjectRef{child})),
                    siblings->end());
  }
  get(child).write(*attach_property) = Value(ObjectRef{parent});
  if (auto* children = children_of(parent)) {
    children->push_back(Value(ObjectRef{child}));
  }
}

bool ObjectStore::destroy(ObjectId id) {
  auto* object = find(id);
  if (!object) {
    return false;
  }
  // Inners first, newest first, as a nested scope unwinds.
  const std::vector<ObjectId> inners(object->inners.begin(), object->inners.end());
  for (auto it = inners.rbegin(); it != inners.rend(); ++it) {
    destroy(*it);
  }
  if (role_slots(*find(id)->cls).attach) {
    attach(id, 0);  // leaves its parent's children
  }
  for (auto it = class_defaults_.begin(); it != class_defaults_.end(); ++it) {
    if (it->second == id) {
      class_defaults_.erase(it);
      break;
    }
  }
  unindex(*find(id));
  pool_.release(objects_[id]);
  objects_[id] = nullptr;
  --live_;
  return true;
}

void ObjectStore::rename(ObjectId id, std::string name) {
  move(id, get(id).outer, std::move(name));
}

void ObjectStore::move(ObjectId id, ObjectId new_outer, std::string name) {
  auto& object = get(id);
  if (new_outer != 0 && !find(new_outer)) {
    throw NoSuchObjectError(new_outer);
  }
  for (ObjectId up = new_outer; up != 0; up = get(up).outer) {
    if (up == id) {
      throw std::invalid_argument("cannot move " + path_name(id) + " inside itself");
    }
  }
  if (name.empty()) {
    name = object.name;
  }
  const auto existing = find_inner(new_outer, name);
  if (existing != 0 && existing != id) {
    throw std::invalid_argument("an object named '" + name + "' already exists in " +
                                (new_outer ? path_name(new_outer) : std::string("the top level")));
  }
  unindex(object);
  object.outer = new_outer;
  object.name = std::move(name);
  index(object);
}

ObjectId ObjectStore::find_inner(ObjectId outer, std::string_view name) const {
  if (const auto* scanned = find(outer); scanned && !scanned->inners_indexed) {
    for (const ObjectId inner : scanned->inners) {
      if (get(inner).name == name) {
        return inner;
      }
    }
    return 0;
  }
  const auto it = by_name_.find(NameKey{outer, name});
  return it == by_name_.end() ? 0 : it->id;
}

ObjectId ObjectStore::find_path(std::string_view path) const {
  // The package name runs to the first '.' or ':'; the rest are inner names.
  auto end = path.find_first_of(".:");
  ObjectId current = find_inner(0, path.substr(0, end));
  while (current != 0 && end != std::string_view::npos) {
    path.remove_prefix(end + 1);
    end = path.find_first_of(".:");
    current = find_inner(current, path.substr(0, end));
  }
  return current;
}

ObjectId ObjectStore::find_by_name(std::string_view name, const ClassInfo* of_class) const {
  for (const auto& object : objects_) {
    if (object && object->name == name && (!of_class || object->cls->is_a(*of_class))) {
      return object->id;
    }
  }
  return 0;
}

std::string ObjectStore::path_name(ObjectId id) const {
  const auto& object = get(id);
  if (object.outer == 0) {
    return object.name;
  }
  const auto& outer = get(object.outer);
  // UE's SUBOBJECT_DELIMITER: ':' after an object that sits directly in a package.
  const bool outer_in_package = outer.outer != 0 && get(outer.outer).outer == 0;
  return path_name(object.outer) + (outer_in_package ? ":" : ".") + object.name;
}

ObjectId ObjectStore::outermost(ObjectId id) const {
  while (id != 0 && get(id).outer != 0) {
    id = get(id).outer;
  }
  return id;
}

void ObjectStore::for_each(const std::function<void(const Object&)>& visit) const {
  for (const auto& object : objects_) {
    if (object) {
      visit(*object);
    }
  }
}

}  // namespace understudy
