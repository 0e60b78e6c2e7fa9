#include "fake_engine/world/actor_records.h"

namespace understudy {

ActorRecords::ActorRecords() : labels_(0, LabelHash{}, LabelEqual{this}) {}

const ActorRecords::Record& ActorRecords::add(ObjectId id, std::string label,
                                              std::uint64_t spawned_frame) {
  if (id >= slot_of_.size()) {
    // Ids grow by the objects created between spawns (an actor's components):
    // grow geometrically, not per spawn.
    slot_of_.resize(std::max<std::size_t>(id + 1, slot_of_.size() * 2), 0);
  }
  auto& stored = records_.emplace_back();
  stored.id = id;
  stored.label = std::move(label);
  stored.spawned_frame = spawned_frame;
  slot_of_[id] = static_cast<std::uint32_t>(records_.size());
  spawn_order_.insert(id);
  link(stored);
  return stored;
}

bool ActorRecords::remove(ObjectId id) {
  if (!contains(id)) {
    return false;
  }
  unlink(record(id));
  spawn_order_.erase(id);
  // The last record takes the removed one's place.
  const std::uint32_t slot = slot_of_[id];
  if (slot != records_.size()) {
    records_[slot - 1] = std::move(records_.back());
    slot_of_[records_[slot - 1].id] = slot;
  }
  records_.pop_back();
  slot_of_[id] = 0;
  return true;
}

const ActorRecords::Record& ActorRecords::relabel(ObjectId id, std::string label) {
  auto& stored = record(id);
  unlink(stored);
  stored.label = std::move(label);
  link(stored);
  return stored;
}

void ActorRecords::link(Record& stored) {
  const auto it = labels_.find(stored.label);
  if (it == labels_.end()) {
    labels_.insert(LabelEntry{LabelHash{}(stored.label), stored.id, stored.id});
    return;
  }
  if (stored.id > it->tail) {  // the common case: the newest actor
    record(it->tail).next_with_label = stored.id;
    stored.previous_with_label = it->tail;
    it->tail = stored.id;
    return;
  }
  // An older actor relabelled: find its place in the chain.
  ObjectId after = 0;
  ObjectId before = it->head;
  while (before != 0 && before < stored.id) {
    after = before;
    before = record(before).next_with_label;
  }
  stored.previous_with_label = after;
  stored.next_with_label = before;
  if (after != 0) {
    record(after).next_with_label = stored.id;
  } else {
    it->head = stored.id;
  }
  record(before).previous_with_label = stored.id;  // before != 0: stored.id < tail
}

void ActorRecords::unlink(Record& stored) {
  const auto it = labels_.find(stored.label);
  const ObjectId previous = stored.previous_with_label;
  const ObjectId next = stored.next_with_label;
  if (previous == 0 && next == 0) {
    labels_.erase(it);
  } else {
    if (previous != 0) {
      record(previous).next_with_label = next;
    } else {
      it->head = next;
    }
    if (next != 0) {
      record(next).previous_with_label = previous;
    } else {
      it->tail = previous;
    }
  }
  stored.previous_with_label = 0;
  stored.next_with_label = 0;
}

ObjectId ActorRecords::first_with_label(std::string_view label) const {
  const auto it = labels_.find(label);
  return it == labels_.end() ? 0 : it->head;
}

std::vector<ObjectId> ActorRecords::with_label(std::string_view label) const {
  std::vector<ObjectId> ids;
  const auto it = labels_.find(label);
  for (ObjectId id = it == labels_.end() ? 0 : it->head; id != 0; id = record(id).next_with_label) {
    ids.push_back(id);
  }
  return ids;
}

}  // namespace understudy
