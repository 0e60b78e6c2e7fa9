// MainThreadAffinity and WrongThreadError: which thread is the main thread,
// and what a call from any other thread is told.
#define BOOST_TEST_MODULE thread_affinity
#include <pthread.h>

#include <array>
#include <boost/test/unit_test.hpp>
#include <functional>
#include <string>
#include <thread>

#include "fake_engine/core/main_thread_queue.h"
#include "fake_engine/core/thread_identity.h"

using namespace understudy;

namespace {

// Runs `fn` on a new thread named `name` and returns what it returned.
template <class F>
auto on_thread(const std::string& name, F fn) {
  decltype(fn()) result{};
  std::thread([&] {
    name_current_thread(name);
    result = fn();
  }).join();
  return result;
}

std::string os_thread_name() {
  std::array<char, 16> name{};
  pthread_getname_np(pthread_self(), name.data(), name.size());
  return name.data();
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_thread_is_the_main_thread_until_one_claims_it) {
  MainThreadAffinity affinity;
  BOOST_TEST(!affinity.is_main_thread());
  BOOST_TEST(!on_thread("other", [&] { return affinity.is_main_thread(); }));

  affinity.claim();
  BOOST_TEST(affinity.is_main_thread());
  BOOST_TEST(!on_thread("other", [&] { return affinity.is_main_thread(); }));

  affinity.release();
  BOOST_TEST(!affinity.is_main_thread());
}

BOOST_AUTO_TEST_CASE(the_last_claim_wins) {
  MainThreadAffinity affinity;
  affinity.claim();
  on_thread("new-main", [&] {
    affinity.claim();
    return 0;
  });
  BOOST_TEST(!affinity.is_main_thread());
}

BOOST_AUTO_TEST_CASE(require_passes_on_the_main_thread) {
  MainThreadAffinity affinity;
  affinity.claim();
  BOOST_CHECK_NO_THROW(affinity.require("World::spawn"));
}

BOOST_AUTO_TEST_CASE(wrong_thread_error_names_the_api_and_the_calling_thread) {
  MainThreadAffinity affinity;
  affinity.claim();
  const auto message = on_thread("rpc-conn-7", [&]() -> std::string {
    try {
      affinity.require("World::spawn");
      return "require() did not throw";
    } catch (const WrongThreadError& e) {
      return e.what();
    }
  });
  BOOST_TEST(message ==
             "World::spawn must be called on the engine's main thread (called from 'rpc-conn-7')");
}

BOOST_AUTO_TEST_CASE(wrong_thread_error_is_a_logic_error) {
  const WrongThreadError error("Api", "thread");
  const std::logic_error& as_logic_error = error;
  BOOST_TEST(std::string(as_logic_error.what()).find("Api") == 0u);
}

BOOST_AUTO_TEST_CASE(thread_names_are_kept_whole_and_given_to_the_os_truncated) {
  const auto names = on_thread("connection-thread-42", [] {
    return std::array<std::string, 2>{current_thread_name(), os_thread_name()};
  });
  BOOST_TEST(names[0] == "connection-thread-42");
  BOOST_TEST(names[1] == "connection-thre", "gdb and top show the first 15 bytes");
}

BOOST_AUTO_TEST_CASE(an_unnamed_thread_is_named_by_its_id_not_by_its_creator) {
  // The OS name is inherited from the creating thread, so it would lie.
  const auto name = on_thread("creator", [] {
    std::string result;
    std::thread([&] { result = current_thread_name(); }).join();
    return result;
  });
  BOOST_TEST(name.starts_with("thread "), "an unnamed thread is called '" << name << "'");
}

BOOST_AUTO_TEST_CASE(main_thread_only_queue_members_check_the_thread) {
  MainThreadAffinity affinity;
  MainThreadQueue queue(affinity);
  affinity.claim();
  const auto message = on_thread("worker", [&]() -> std::string {
    try {
      queue.drain();
      return "drain() did not throw";
    } catch (const WrongThreadError& e) {
      return e.what();
    }
  });
  BOOST_TEST(message.find("MainThreadQueue::drain") == 0u, "message: " << message);
  BOOST_TEST(message.find("'worker'") != std::string::npos, "message: " << message);
}
