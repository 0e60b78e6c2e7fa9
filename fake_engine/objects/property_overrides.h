// PropertyOverrides: the property values an object holds of its own, by slot.
//
// An object reads every other slot from its class's prototype, so an object
// costs only what differs from its class defaults: a spawned Character's five
// objects hold the handful of values their creation wrote (attachment,
// activation, the location) instead of 194 copies. Entries are kept sorted by
// slot in one vector: a lookup is a binary search over the few written slots,
// and there is no allocation per value beyond the value's own.
//
// Contract: a reference returned by find() or get_or_insert() stays valid
// until the next insertion into the same overrides (values may move then;
// no one keeps a reference into an object's values across a write: Python
// reads copy a struct out, and struct views point into structs, not here).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "fake_engine/objects/value.h"

namespace understudy {

class PropertyOverrides {
 public:
  struct Entry {
    std::uint32_t slot = 0;
    Value value;
  };

  const Value* find(std::size_t slot) const {
    const auto it = lower_bound(slot);
    return it != entries_.end() && it->slot == slot ? &it->value : nullptr;
  }

  // The slot's value; inserted as a copy of `initial` when the slot has none.
  Value& get_or_insert(std::size_t slot, const Value& initial) {
    auto it = lower_bound(slot);
    if (it == entries_.end() || it->slot != slot) {
      it = entries_.insert(it, Entry{static_cast<std::uint32_t>(slot), initial});
    }
    return it->value;
  }

  // Becomes a copy of `from`'s entries whose slot `keep` accepts (an
  // object taking its archetype's values).
  template <class Keep>
  void copy_from(const PropertyOverrides& from, Keep keep) {
    entries_.clear();
    for (const auto& entry : from.entries_) {
      if (keep(entry.slot)) {
        entries_.push_back(entry);
      }
    }
  }

  void reserve(std::size_t count) { entries_.reserve(count); }
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  // In slot order.
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry>::const_iterator lower_bound(std::size_t slot) const {
    return std::lower_bound(entries_.begin(), entries_.end(), slot,
                            [](const Entry& entry, std::size_t s) { return entry.slot < s; });
  }
  std::vector<Entry>::iterator lower_bound(std::size_t slot) {
    return std::lower_bound(entries_.begin(), entries_.end(), slot,
                            [](const Entry& entry, std::size_t s) { return entry.slot < s; });
  }

  std::vector<Entry> entries_;
};

}  // namespace understudy
