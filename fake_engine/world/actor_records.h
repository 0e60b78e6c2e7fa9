// ActorRecords: what a world knows of its actors beyond their objects (the
// editor label, the frame each was spawned in), by id, in spawn order and by
// label.
//
// Built for worlds of 100,000 actors spawned in a loop: records sit in one
// dense vector (an id finds its record through a vector indexed by id), and
// the label index is a flat table of 24-byte entries, one per distinct label,
// whose actors are chained through their records in id order. Spawning,
// relabelling and destroying an actor are O(1) (relabelling an actor to a
// label that a newer actor already has walks that label's chain), and none
// allocates per actor beyond the label string itself.
//
// Contract: main thread only (World's). A Record reference or label pointer
// stays valid until the next add or remove.
#pragma once

#include <boost/unordered/unordered_flat_set.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fake_engine/objects/object_id_set.h"
#include "fake_engine/objects/value.h"

namespace understudy {

class ActorRecords {
 public:
  struct Record {
    ObjectId id = 0;
    std::string label;
    std::uint64_t spawned_frame = 0;
    // The neighbours with the same label, in id order (0: none).
    ObjectId previous_with_label = 0;
    ObjectId next_with_label = 0;
  };

  ActorRecords();
  ActorRecords(const ActorRecords&) = delete;
  ActorRecords& operator=(const ActorRecords&) = delete;

  // `id` must not have a record.
  const Record& add(ObjectId id, std::string label, std::uint64_t spawned_frame);
  // False if `id` has no record.
  bool remove(ObjectId id);
  // `id` must have a record.
  const Record& relabel(ObjectId id, std::string label);

  const Record* find(ObjectId id) const {
    return id < slot_of_.size() && slot_of_[id] != 0 ? &records_[slot_of_[id] - 1] : nullptr;
  }
  bool contains(ObjectId id) const { return find(id) != nullptr; }
  std::size_t size() const { return records_.size(); }
  // The ids, in spawn order.
  const ObjectIdSet& ids() const { return spawn_order_; }

  // The first spawned (lowest id) with the label; 0 if none.
  ObjectId first_with_label(std::string_view label) const;
  // Every id with the label, in spawn order.
  std::vector<ObjectId> with_label(std::string_view label) const;

 private:
  // One per distinct label: its chain's ends. The hash is the label's; the
  // label itself is the head record's.
  struct LabelEntry {
    std::size_t hash = 0;
    mutable ObjectId head = 0;
    mutable ObjectId tail = 0;
  };
  struct LabelHash {
    using is_transparent = void;
    std::size_t operator()(const LabelEntry& entry) const noexcept { return entry.hash; }
    std::size_t operator()(std::string_view label) const noexcept {
      return std::hash<std::string_view>{}(label);
    }
  };
  struct LabelEqual {
    using is_transparent = void;
    const ActorRecords* records = nullptr;
    bool operator()(const LabelEntry& a, const LabelEntry& b) const noexcept {
      return a.head == b.head;
    }
    bool operator()(std::string_view label, const LabelEntry& entry) const noexcept {
      return records->record(entry.head).label == label;
    }
    bool operator()(const LabelEntry& entry, std::string_view label) const noexcept {
      return (*this)(label, entry);
    }
  };

  Record& record(ObjectId id) { return records_[slot_of_[id] - 1]; }
  const Record& record(ObjectId id) const { return records_[slot_of_[id] - 1]; }
  void link(Record& record);
  void unlink(Record& record);

  std::vector<Record> records_;         // dense, in no particular order
  std::vector<std::uint32_t> slot_of_;  // by id: 1 + its index in records_, or 0
  ObjectIdSet spawn_order_;
  boost::unordered_flat_set<LabelEntry, LabelHash, LabelEqual> labels_;
};

}  // namespace understudy
