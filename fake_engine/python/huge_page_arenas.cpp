#include "fake_engine/python/huge_page_arenas.h"

#include <Python.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "fake_engine/core/sanitized_build.h"

namespace understudy {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Address space reserved at a time: 32 arenas of CPython's 1 MiB.
constexpr std::size_t kRegion = std::size_t{32} << 20;

// The arenas' places: reserved regions, cut into arena-sized slices on
// demand; freed slices are reused first. CPython calls it with the GIL held;
// the mutex keeps it correct without relying on that.
class ArenaRegions {
 public:
  void* allocate(std::size_t size) {
    std::lock_guard lock(mutex_);
    if (size != slice_ && slice_ != 0) {
      return map_plain(size);  // not an arena size seen before: not from the regions
    }
    slice_ = size;
    if (!free_.empty()) {
      void* place = free_.back();
      free_.pop_back();
      return place;
    }
    if (next_ + size > end_ && !reserve_region()) {
      return map_plain(size);
    }
    void* place = next_;
    next_ += size;
    return place;
  }

  void release(void* place, std::size_t size) {
    std::lock_guard lock(mutex_);
    if (!in_regions(place) || size != slice_) {
      munmap(place, size);
      return;
    }
    madvise(place, size, MADV_DONTNEED);  // the memory goes back now; the place is kept
    free_.push_back(place);
  }

 private:
  bool reserve_region() {
    // 2 MiB more than the region, so that it can start on a huge page boundary.
    void* raw = mmap(nullptr, kRegion + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) {
      return false;
    }
    auto* start = static_cast<char*>(raw);
    auto* aligned = reinterpret_cast<char*>(
        (reinterpret_cast<std::uintptr_t>(start) + kHugePage - 1) & ~(kHugePage - 1));
    if (aligned > start) {
      munmap(start, static_cast<std::size_t>(aligned - start));
    }
    auto* tail = aligned + kRegion;
    if (auto* raw_end = start + kRegion + kHugePage; raw_end > tail) {
      munmap(tail, static_cast<std::size_t>(raw_end - tail));
    }
    madvise(aligned, kRegion, MADV_HUGEPAGE);
    regions_.push_back(aligned);
    next_ = aligned;
    end_ = tail;
    return true;
  }

  bool in_regions(void* place) const {
    const auto* p = static_cast<const char*>(place);
    for (const auto* region : regions_) {
      if (p >= region && p < region + kRegion) {
        return true;
      }
    }
    return false;
  }

  static void* map_plain(std::size_t size) {
    void* place = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return place == MAP_FAILED ? nullptr : place;
  }

  std::mutex mutex_;
  std::size_t slice_ = 0;  // CPython's arena size, learned from its first request
  std::vector<char*> regions_;
  std::vector<void*> free_;
  char* next_ = nullptr;
  char* end_ = nullptr;
};

void* allocate_arena(void* context, std::size_t size) {
  return static_cast<ArenaRegions*>(context)->allocate(size);
}

void free_arena(void* context, void* place, std::size_t size) {
  static_cast<ArenaRegions*>(context)->release(place, size);
}

}  // namespace

void use_huge_page_arenas_for_python() {
  static bool installed = false;
  if (installed || sanitized_build()) {
    return;
  }
  installed = true;
  // Lives as long as the process: arenas may be freed until the very end.
  static auto* regions = new ArenaRegions;
  PyObjectArenaAllocator allocator{regions, allocate_arena, free_arena};
  PyObject_SetArenaAllocator(&allocator);
}

}  // namespace understudy
