// Clang's thread-safety annotations (-Wthread-safety): what a comment such as
// "REQUIRES: mutex_ held" used to say, stated so that the clang build checks
// it. Under other compilers every macro expands to nothing.
//
//   Mutex mutex_;
//   int count_ GUARDED_BY(mutex_) = 0;   // read or written only with mutex_ held
//   void grow() REQUIRES(mutex_);        // the caller holds mutex_
//   void post() EXCLUDES(mutex_);        // the caller must not hold mutex_
//
// std::mutex carries no annotations in libstdc++: guard with Mutex and lock
// with MutexLock (common/mutex.h), which do. The names are clang's own, as in
// https://clang.llvm.org/docs/ThreadSafetyAnalysis.html.
#pragma once

#if defined(__clang__)
#define UNDERSTUDY_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define UNDERSTUDY_THREAD_ANNOTATION(x)
#endif

// A class whose objects are locks (Mutex).
#define CAPABILITY(name) UNDERSTUDY_THREAD_ANNOTATION(capability(name))
// An RAII class that holds a lock for its lifetime (MutexLock).
#define SCOPED_CAPABILITY UNDERSTUDY_THREAD_ANNOTATION(scoped_lockable)

// A data member read or written only with the lock held.
#define GUARDED_BY(x) UNDERSTUDY_THREAD_ANNOTATION(guarded_by(x))
// A pointer member whose pointee is read or written only with the lock held.
#define PT_GUARDED_BY(x) UNDERSTUDY_THREAD_ANNOTATION(pt_guarded_by(x))

// A function called with the lock held, or without it.
#define REQUIRES(...) UNDERSTUDY_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) UNDERSTUDY_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// A function that takes or lets go of the lock (Mutex's and MutexLock's own).
#define ACQUIRE(...) UNDERSTUDY_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) UNDERSTUDY_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) UNDERSTUDY_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))

// A function that returns a reference to the lock guarding what it returns.
#define RETURN_CAPABILITY(x) UNDERSTUDY_THREAD_ANNOTATION(lock_returned(x))
