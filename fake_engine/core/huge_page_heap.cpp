#include "fake_engine/core/huge_page_heap.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "fake_engine/core/sanitized_build.h"

namespace understudy {
namespace {

constexpr const char* kTunables = "GLIBC_TUNABLES";
constexpr const char* kHugeTlb = "glibc.malloc.hugetlb=1";
// Set across the exec: the tunables the engine was started with ("-" for
// none), so that the relaunched engine can put them back.
constexpr const char* kOriginalTunables = "UNDERSTUDY_ORIGINAL_GLIBC_TUNABLES";
constexpr const char* kNoOriginal = "-";

bool kernel_offers_huge_pages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(in, modes);
  // "always [madvise] never": malloc's madvise is honoured unless "never" is chosen.
  return in && modes.find("[never]") == std::string::npos;
}

bool relaunched = false;

}  // namespace

void relaunch_with_huge_page_heap(char** argv) {
  if (const char* original = std::getenv(kOriginalTunables)) {
    // The relaunched engine: glibc has read the tunables; give children the original ones.
    relaunched = true;
    if (std::string(original) == kNoOriginal) {
      unsetenv(kTunables);
    } else {
      setenv(kTunables, original, 1);
    }
    unsetenv(kOriginalTunables);
    return;
  }
  const char* current = std::getenv(kTunables);
  const std::string given = current ? current : "";
  if (sanitized_build() || given.find("glibc.malloc.hugetlb") != std::string::npos ||
      !kernel_offers_huge_pages()) {
    return;
  }
  setenv(kOriginalTunables, current ? given.c_str() : kNoOriginal, 1);
  setenv(kTunables, (given.empty() ? std::string(kHugeTlb) : given + ":" + kHugeTlb).c_str(), 1);
  execv("/proc/self/exe", argv);
  // Not relaunched (no /proc, say): run as started, with the environment as given.
  if (current) {
    setenv(kTunables, given.c_str(), 1);
  } else {
    unsetenv(kTunables);
  }
  unsetenv(kOriginalTunables);
}

bool heap_on_huge_pages() {
  return relaunched;
}

}  // namespace understudy
