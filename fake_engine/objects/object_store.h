// ObjectStore: every object of the object model (actors, components, assets,
// packages), with its class, name, outer and property values.
//
// Objects form a tree through their outer: a package has none; an asset's
// outer is its package; an actor's is its level; a component's is its actor.
// Names are unique among the objects of one outer, as UE requires. Path names
// follow UE's GetPathName: "/Game/Maps/Level.Level:PersistentLevel.Chair_0".
//
// Lookups by id are O(1) (ids index a vector), by (outer, name) O(1) on
// average, by path O(depth). Property values are stored per slot of the
// object's ClassInfo, and only for the slots that differ from its class's
// prototype (PropertyOverrides).
//
// Archetypes, as UE's: a new object starts as a copy of its class default
// object (CDO) once that exists; a default subobject (a component its owner's
// class creates) starts as a copy of the subobject of the same name in its
// owner's CDO. A script's edit of a CDO, or of a CDO's component, shows in the
// objects created after it and in none made before. A CDO's own components
// start at their class's schema defaults: UE builds every CDO at start-up,
// before a script can edit another one, so an edit of a component class's
// CDO reaches components created by name (NewObject, add_actor_component),
// not the default subobjects of actors.
//
// Contract: single-threaded (the engine's main thread; World checks it). A
// reference (Object&) stays valid until that object is destroyed; ids are
// never reused.
#pragma once

#include <boost/unordered/unordered_flat_set.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fake_engine/objects/object_id_set.h"
#include "fake_engine/objects/object_pool.h"
#include "fake_engine/objects/property_overrides.h"
#include "fake_engine/objects/schema_loader.h"
#include "fake_engine/objects/type_registry.h"
#include "fake_engine/objects/value.h"

namespace understudy {

struct Object {
  ObjectId id = 0;
  const ClassInfo* cls = nullptr;
  std::string name;
  ObjectId outer = 0;
  // The values this object has written (or took from its archetype); every
  // other slot is its class prototype's. Most of 100,000 spawned actors'
  // components are written only by their creation: they hold a few values.
  PropertyOverrides properties;
  // Objects whose outer this is, in creation order (ids grow).
  ObjectIdSet inners;
  // Whether its inners are in the store's (outer, name) index. An object
  // with a few inners (an actor's components) is searched by scanning them;
  // one that outgrows ObjectStore::kScannedInners (a level, a package) is
  // indexed from then on.
  bool inners_indexed = false;

  const Value& read(const PropertyInfo& property) const {
    const Value* own = properties.find(property.slot);
    return own ? *own : cls->prototype[property.slot];
  }
  Value& write(const PropertyInfo& property) {
    return properties.get_or_insert(property.slot, cls->prototype[property.slot]);
  }
};

class NoSuchObjectError : public std::out_of_range {
 public:
  explicit NoSuchObjectError(ObjectId id);
};

// An object of a retired class (ClassInfo::retired) was asked for: names the
// class and why it left.
class RetiredClassError : public std::runtime_error {
 public:
  explicit RetiredClassError(const ClassInfo& cls);
};

class ObjectStore {
 public:
  // `types` grows while the store lives when scripts register classes.
  ObjectStore(TypeRegistry& types, const ModelRoles& roles);
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;
  ~ObjectStore();

  const TypeRegistry& types() const { return types_; }
  TypeRegistry& types() { return types_; }
  const ModelRoles& roles() const { return roles_; }

  // Creates an object of `cls` in `outer` (0: a top-level object, as a
  // package is), with its default subobjects (the class's components).
  // An empty name makes one up as UE does ("StaticMesh_3"). Throws
  // std::invalid_argument if the name is taken in that outer, and
  // NoSuchObjectError for an unknown outer, RetiredClassError for a retired
  // class.
  Object& create(const ClassInfo& cls, ObjectId outer, std::string name = {});

  // Destroys the object and everything inside it (inners first). False if
  // there is no such object.
  bool destroy(ObjectId id);

  // The class default object ("Default__Chair" in /Script/Engine), made on
  // first use: the archetype of the objects of that class created after it
  // (see the top of this file).
  // RetiredClassError for a retired class.
  ObjectId class_default(const ClassInfo& cls);

  // Retires a runtime class (TypeRegistry::retire_runtime_class) and destroys
  // its class default object, whose name a class registered under the same
  // name takes. The objects of the class live on with it. Returns the ids of
  // the objects destroyed (the CDO and its inners), for a binding's wrappers.
  std::vector<ObjectId> retire_class(const ClassInfo& cls, std::string reason);
  static constexpr const char* kClassDefaultsPackage = "/Script/Engine";

  // Attaches a scene component to another (0: detaches it), keeping the
  // roles' parent and children properties consistent on both sides.
  void attach(ObjectId child, ObjectId parent);

  // Renames and/or moves an object (outer 0 keeps the current outer unless
  // `move` is set). Throws std::invalid_argument if the name is taken there.
  void rename(ObjectId id, std::string name);
  void move(ObjectId id, ObjectId new_outer, std::string name);

  Object* find(ObjectId id) { return id < objects_.size() ? objects_[id] : nullptr; }
  const Object* find(ObjectId id) const { return id < objects_.size() ? objects_[id] : nullptr; }
  Object& get(ObjectId id);
  const Object& get(ObjectId id) const;

  ObjectId find_inner(ObjectId outer, std::string_view name) const;
  // "/Game/Pkg.Asset", "/Game/Pkg.Asset:Sub.Sub2", or a package "/Game/Pkg"; 0 if none.
  ObjectId find_path(std::string_view path) const;
  // The first object (lowest id) with that name anywhere, optionally of a class.
  ObjectId find_by_name(std::string_view name, const ClassInfo* of_class = nullptr) const;
  std::string path_name(ObjectId id) const;
  // The outermost object (the package).
  ObjectId outermost(ObjectId id) const;

  // A name UE would give a new object of `cls`: "<Class>_<n>", unique in `outer`.
  std::string unique_name(const ClassInfo& cls, ObjectId outer);

  std::size_t size() const { return live_; }
  // Every live object, in creation order.
  void for_each(const std::function<void(const Object&)>& visit) const;

 private:
  // The (outer, name) index of the top-level objects and of the inners of
  // objects with more than kScannedInners: one entry per object with the hash
  // of its outer and name; a lookup compares against the object itself, so
  // that no name is stored twice and no entry is a heap node of its own.
  static constexpr std::size_t kScannedInners = 8;
  struct NameKey {
    ObjectId outer;
    std::string_view name;
  };
  struct IndexEntry {
    ObjectId id;
    std::size_t hash;
  };
  struct IndexHash {
    using is_transparent = void;
    std::size_t operator()(const IndexEntry& entry) const noexcept { return entry.hash; }
    std::size_t operator()(const NameKey& key) const noexcept {
      return std::hash<std::string_view>{}(key.name) ^ (key.outer * 0x9E3779B97F4A7C15ull);
    }
  };
  struct IndexEqual {
    using is_transparent = void;
    const std::vector<Object*>* objects = nullptr;
    bool operator()(const IndexEntry& a, const IndexEntry& b) const noexcept {
      return a.id == b.id;
    }
    bool operator()(const NameKey& key, const IndexEntry& entry) const noexcept {
      const auto& object = *(*objects)[entry.id];
      return object.outer == key.outer && object.name == key.name;
    }
    bool operator()(const IndexEntry& entry, const NameKey& key) const noexcept {
      return (*this)(key, entry);
    }
  };

  // The properties the model's roles name, as one class has them (or nullptr).
  struct RoleSlots {
    const PropertyInfo* attach = nullptr;           // the parent of a scene component
    const PropertyInfo* attach_children = nullptr;  // its children
    const PropertyInfo* root = nullptr;             // an actor's root component
  };

  Object& make(const ClassInfo& cls, ObjectId outer, std::string name, const Object* archetype);
  void create_components(Object& owner);
  void index(const Object& object);
  void unindex(const Object& object);
  const RoleSlots& role_slots(const ClassInfo& cls);
  const Object* default_subobject_archetype(const Object& owner, const std::string& name) const;

  TypeRegistry& types_;
  const ModelRoles& roles_;
  ObjectPool<Object> pool_;
  std::vector<Object*> objects_;  // by id (from pool_); [0] stays null
  boost::unordered_flat_set<IndexEntry, IndexHash, IndexEqual> by_name_;
  StringIndex<std::uint64_t> name_counters_;  // per class name
  std::unordered_map<const ClassInfo*, ObjectId> class_defaults_;
  std::unordered_map<const ClassInfo*, RoleSlots> role_slots_;
  std::size_t live_ = 0;
};

}  // namespace understudy
