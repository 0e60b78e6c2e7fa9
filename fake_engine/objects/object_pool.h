// ObjectPool: storage for the objects of an ObjectStore, in blocks, reusing
// the places destroyed objects leave: creating an object is no heap
// allocation of its own (a spawned Character is five objects) and carries no
// allocator header.
//
// Contract: single-threaded, as the store. Every object acquired must be
// released before the pool is destroyed (the store's destructor does it).
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace understudy {

template <class T>
class ObjectPool {
 public:
  ObjectPool() = default;
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  // A default-constructed T.
  T* acquire() {
    Slot* slot = free_;
    if (slot) {
      free_ = slot->next_free;
    } else {
      if (used_in_block_ == kBlock) {
        blocks_.push_back(std::make_unique<Slot[]>(kBlock));
        used_in_block_ = 0;
      }
      slot = &blocks_.back()[used_in_block_++];
    }
    return ::new (static_cast<void*>(&slot->value)) T();
  }

  void release(T* value) {
    value->~T();
    // A union and its members share their address.
    auto* slot = reinterpret_cast<Slot*>(value);
    slot->next_free = free_;
    free_ = slot;
  }

 private:
  static constexpr std::size_t kBlock = 1024;
  union Slot {
    Slot() : next_free(nullptr) {}
    ~Slot() {}
    Slot* next_free;
    T value;
  };

  std::vector<std::unique_ptr<Slot[]>> blocks_;
  std::size_t used_in_block_ = kBlock;
  Slot* free_ = nullptr;
};

}  // namespace understudy
