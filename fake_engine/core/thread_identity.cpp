#include "fake_engine/core/thread_identity.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace understudy {
namespace {
thread_local std::string t_thread_name;
}  // namespace

void name_current_thread(const std::string& name) {
  t_thread_name = name;
  const std::string os_name = name.substr(0, 15);
  pthread_setname_np(pthread_self(), os_name.c_str());
}

std::string current_thread_name() {
  if (!t_thread_name.empty()) {
    return t_thread_name;
  }
  // Not the OS name: threads inherit it from whoever started them, which
  // would make every unnamed thread look like "main".
  return "thread " + std::to_string(syscall(SYS_gettid));
}

WrongThreadError::WrongThreadError(std::string_view api, std::string_view calling_thread)
    : std::logic_error(std::string(api) +
                       " must be called on the engine's main thread (called from '" +
                       std::string(calling_thread) + "')") {}

void MainThreadAffinity::claim() {
  owner_.store(std::this_thread::get_id());
}

void MainThreadAffinity::release() {
  owner_.store(std::thread::id{});
}

bool MainThreadAffinity::is_main_thread() const {
  return owner_.load() == std::this_thread::get_id();
}

void MainThreadAffinity::require(std::string_view api) const {
  if (!is_main_thread()) {
    throw WrongThreadError(api, current_thread_name());
  }
}

}  // namespace understudy
