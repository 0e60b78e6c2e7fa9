// Names for threads, and the engine's main-thread rule.
//
// Engine API (world, actors, tickers) may only run on the engine's main thread,
// as in Unity and Unreal. Calls from any other thread fail with WrongThreadError
// before touching state, naming the API and the calling thread.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace understudy {

// Gives the calling thread a name used in console records, errors and reports.
// Also sets the OS thread name (truncated to 15 bytes) so that gdb and top show it.
void name_current_thread(const std::string& name);

// The name given with name_current_thread, else "thread <tid>".
std::string current_thread_name();

class WrongThreadError : public std::logic_error {
 public:
  WrongThreadError(std::string_view api, std::string_view calling_thread);
};

// Which thread is the engine's main thread. Claimed once by the frame loop when
// it starts running; until then no thread is the main thread.
//
// Thread-safety: all members may be called from any thread.
class MainThreadAffinity {
 public:
  void claim();    // the calling thread becomes the main thread
  void release();  // no thread is the main thread (the loop has returned)
  bool is_main_thread() const;

  // Throws WrongThreadError naming `api` unless called on the main thread.
  void require(std::string_view api) const;

 private:
  std::atomic<std::thread::id> owner_{};
};

}  // namespace understudy
