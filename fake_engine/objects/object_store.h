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
// object's ClassInfo.
//
// Contract: single-threaded (the engine's main thread; World checks it). A
// reference (Object&) stays valid until that object is destroyed; ids are
// never reused.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fake_engine/objects/schema_loader.h"
#include "fake_engine/objects/type_registry.h"
#include "fake_engine/objects/value.h"

namespace understudy {

struct Object {
  ObjectId id = 0;
  const ClassInfo* cls = nullptr;
  std::string name;
  ObjectId outer = 0;
  // By slot of cls->properties; empty until the first write, while the
  // object's values are its class prototype's (most of 100,000 spawned
  // actors' components are never written: they cost no values of their own).
  std::vector<Value> properties;
  // Objects whose outer this is, in creation order (ids grow); a set, so that
  // destroying one of a level's 100,000 actors does not scan the others.
  std::set<ObjectId> inners;

  const Value& read(const PropertyInfo& property) const {
    return properties.empty() ? cls->prototype[property.slot] : properties[property.slot];
  }
  Value& write(const PropertyInfo& property) {
    if (properties.empty()) {
      properties = cls->prototype;
    }
    return properties[property.slot];
  }
};

class NoSuchObjectError : public std::out_of_range {
 public:
  explicit NoSuchObjectError(ObjectId id);
};

class ObjectStore {
 public:
  // `types` grows while the store lives when scripts register classes.
  ObjectStore(TypeRegistry& types, const ModelRoles& roles);
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  const TypeRegistry& types() const { return types_; }
  TypeRegistry& types() { return types_; }
  const ModelRoles& roles() const { return roles_; }

  // Creates an object of `cls` in `outer` (0: a top-level object, as a
  // package is), with its default subobjects (the class's components).
  // An empty name makes one up as UE does ("StaticMesh_3"). Throws
  // std::invalid_argument if the name is taken in that outer, and
  // NoSuchObjectError for an unknown outer.
  Object& create(const ClassInfo& cls, ObjectId outer, std::string name = {});

  // Destroys the object and everything inside it (inners first). False if
  // there is no such object.
  bool destroy(ObjectId id);

  // The class default object ("Default__Chair" in /Script/Engine), made on
  // first use. Objects created after it start as a copy of its properties,
  // as UE's start as a copy of their CDO.
  ObjectId class_default(const ClassInfo& cls);
  static constexpr const char* kClassDefaultsPackage = "/Script/Engine";

  // Attaches a scene component to another (0: detaches it), keeping the
  // roles' parent and children properties consistent on both sides.
  void attach(ObjectId child, ObjectId parent);

  // Renames and/or moves an object (outer 0 keeps the current outer unless
  // `move` is set). Throws std::invalid_argument if the name is taken there.
  void rename(ObjectId id, std::string name);
  void move(ObjectId id, ObjectId new_outer, std::string name);

  Object* find(ObjectId id) { return id < objects_.size() ? objects_[id].get() : nullptr; }
  const Object* find(ObjectId id) const {
    return id < objects_.size() ? objects_[id].get() : nullptr;
  }
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
  struct InnerKey {
    ObjectId outer;
    std::string name;
  };
  struct InnerKeyView {
    ObjectId outer;
    std::string_view name;
  };
  struct InnerKeyHash {
    using is_transparent = void;
    std::size_t operator()(const InnerKey& key) const noexcept {
      return (*this)(InnerKeyView{key.outer, key.name});
    }
    std::size_t operator()(const InnerKeyView& key) const noexcept {
      return std::hash<std::string_view>{}(key.name) ^
             (std::hash<ObjectId>{}(key.outer) * 0x9E3779B97F4A7C15ull);
    }
  };
  struct InnerKeyEqual {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      return a.outer == b.outer && std::string_view(a.name) == std::string_view(b.name);
    }
  };

  void create_components(Object& owner);
  void index(const Object& object);
  void unindex(const Object& object);
  const PropertyInfo* role_property(const Object& object, const std::string& name) const;

  TypeRegistry& types_;
  const ModelRoles& roles_;
  std::vector<std::unique_ptr<Object>> objects_;  // by id; [0] stays null
  std::unordered_map<InnerKey, ObjectId, InnerKeyHash, InnerKeyEqual> inners_;
  StringIndex<std::uint64_t> name_counters_;  // per class name
  std::unordered_map<const ClassInfo*, ObjectId> class_defaults_;
  std::size_t live_ = 0;
};

}  // namespace understudy
