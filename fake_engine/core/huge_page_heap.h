// The engine's heap on transparent huge pages: glibc's malloc asks the kernel
// for them (the glibc.malloc.hugetlb=1 tunable) when the engine starts.
//
// Why: on the virtual machines CI and studios run on, a page fault costs
// about 15 us, and a script that builds a large world touches its memory
// once: 100,000 spawned actors fault in about 56,000 4 KiB pages, half of the
// loop's time (BENCHMARKS.md). With 2 MiB pages the same loop takes about a
// tenth of those faults. glibc reads its tunables only from the environment
// at process start, so the engine execs itself once with the tunable added
// (same pid, same arguments) and then restores the environment it was given,
// so that processes it starts see what the engine saw.
#pragma once

namespace understudy {

// Re-executes the engine with the tunable, unless it already runs with it,
// the user set glibc.malloc.hugetlb themselves, the kernel has transparent
// huge pages off, or the build is sanitized (those bring their own
// allocator). Returns when no exec happened or the exec failed (the engine
// then runs on ordinary pages). Call before any thread starts.
void relaunch_with_huge_page_heap(char** argv);

// Whether this process's malloc was asked for huge pages by that relaunch.
bool heap_on_huge_pages();

}  // namespace understudy
