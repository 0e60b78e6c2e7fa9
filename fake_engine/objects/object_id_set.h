// ObjectIdSet: object ids in ascending order, which is creation order (ids
// grow): an object's inners, a world's actors.
//
// One sorted vector instead of a tree node per id: a level holds its 100,000
// actors in 0.8 MB, and adding the newest id appends. Removing one marks its
// entry dead in place, so that destroying the actors of a large level one by
// one stays O(log n) each; dead entries are dropped when they outnumber the
// live ones. An entry is `id * 2 + dead`, which keeps the vector sorted by id
// whether or not an entry is dead.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#include "fake_engine/objects/value.h"

namespace understudy {

class ObjectIdSet {
 public:
  // Visits the live ids in order.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ObjectId;
    using difference_type = std::ptrdiff_t;
    using pointer = const ObjectId*;
    using reference = ObjectId;

    const_iterator() = default;
    ObjectId operator*() const { return *at_ >> 1; }
    const_iterator& operator++() {
      ++at_;
      skip_dead();
      return *this;
    }
    const_iterator operator++(int) {
      auto before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& other) const { return at_ == other.at_; }

   private:
    friend class ObjectIdSet;
    using Base = std::vector<std::uint64_t>::const_iterator;
    const_iterator(Base at, Base end) : at_(at), end_(end) { skip_dead(); }
    void skip_dead() {
      while (at_ != end_ && (*at_ & 1) != 0) {
        ++at_;
      }
    }
    Base at_{};
    Base end_{};
  };

  const_iterator begin() const { return const_iterator(entries_.begin(), entries_.end()); }
  const_iterator end() const { return const_iterator(entries_.end(), entries_.end()); }
  bool empty() const { return entries_.size() == dead_; }
  std::size_t size() const { return entries_.size() - dead_; }
  bool contains(ObjectId id) const {
    const auto it = find(id);
    return it != entries_.end() && *it == id << 1;
  }

  void reserve(std::size_t count) { entries_.reserve(count); }

  void insert(ObjectId id) {
    const std::uint64_t entry = id << 1;
    if (entries_.empty() || entries_.back() >> 1 < id) {
      entries_.push_back(entry);  // the common case: a new object, the newest id
      return;
    }
    // An older id (an object moved in from another outer).
    auto it = std::lower_bound(entries_.begin(), entries_.end(), entry);
    if (it != entries_.end() && *it >> 1 == id) {
      if ((*it & 1) != 0) {
        *it = entry;
        --dead_;
      }
      return;
    }
    entries_.insert(it, entry);
  }

  void erase(ObjectId id) {
    const auto it = find(id);
    if (it == entries_.end() || *it != id << 1) {
      return;
    }
    entries_[static_cast<std::size_t>(it - entries_.begin())] |= 1;
    if (++dead_ * 2 > entries_.size()) {
      std::erase_if(entries_, [](std::uint64_t entry) { return (entry & 1) != 0; });
      dead_ = 0;
    }
  }

 private:
  std::vector<std::uint64_t>::const_iterator find(ObjectId id) const {
    // Dead or alive, an id's entry sorts between id * 2 and id * 2 + 1.
    return std::lower_bound(entries_.begin(), entries_.end(), id << 1);
  }

  std::vector<std::uint64_t> entries_;
  std::size_t dead_ = 0;
};

}  // namespace understudy
