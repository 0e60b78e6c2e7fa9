// Python's object arenas on transparent huge pages.
//
// CPython's small-object allocator takes memory from the system in 1 MiB
// arenas (mmap), each faulted in 4 KiB at a time as objects fill it. A
// script that builds a large world (100,000 actors, their wrappers, vectors
// and labels) makes tens of MiB of Python objects at once, and on a virtual
// machine each fault costs about 15 us. These arenas are carved out of
// regions the kernel may back with 2 MiB pages (madvise(MADV_HUGEPAGE)), as
// the engine's malloc is (fake_engine/core/huge_page_heap.h).
//
// An arena Python frees gives its memory back at once (MADV_DONTNEED) and
// its place is reused; the address space of a region is kept, so RSS
// follows what Python holds as with Python's own arenas, in steps of up to
// 2 MiB.
#pragma once

namespace understudy {

// Installs the arena allocator (PyObject_SetArenaAllocator). Call before the
// interpreter starts; later calls do nothing. Not in sanitized builds.
void use_huge_page_arenas_for_python();

}  // namespace understudy
