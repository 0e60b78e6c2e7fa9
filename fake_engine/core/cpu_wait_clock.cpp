#include "fake_engine/core/cpu_wait_clock.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdlib>

namespace understudy {

CpuWaitClock::CpuWaitClock() : fd_(::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) {}

CpuWaitClock::~CpuWaitClock() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

std::optional<Clock::duration> CpuWaitClock::total() const {
  if (fd_ < 0) {
    return std::nullopt;
  }
  // "<ns on a CPU> <ns waiting for one> <time slices>\n"
  std::array<char, 128> text{};
  const ssize_t got = ::pread(fd_, text.data(), text.size() - 1, 0);
  if (got <= 0) {
    return std::nullopt;
  }
  char* end = nullptr;
  std::strtoull(text.data(), &end, 10);
  const char* waiting = end;
  const unsigned long long waited_ns = std::strtoull(waiting, &end, 10);
  if (end == waiting) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(waited_ns));
}

}  // namespace understudy
