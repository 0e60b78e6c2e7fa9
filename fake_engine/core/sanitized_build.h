// Whether this build runs under a sanitizer, which brings its own allocator:
// the engine then leaves memory management to it (no huge-page heap or arenas).
#pragma once

namespace understudy {

constexpr bool sanitized_build() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

}  // namespace understudy
