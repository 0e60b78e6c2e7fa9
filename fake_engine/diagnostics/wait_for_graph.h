// WaitForGraph: who in the engine is blocked waiting on whom.
//
// Nodes are named parties: "main" (the engine's main thread), "client:NAME"
// (a connected client process), "thread:NAME" (another engine thread). An edge
// is one wait in progress: the main thread inside a synchronous call to a
// client, a client's request waiting for a main-thread job, another engine
// thread waiting on a client. When a new edge closes a cycle, the cycle is a
// certain deadlock: nobody in it can move until a timeout fires. A wait that
// lasts long without a cycle is only a potential deadlock.
//
// Thread-safety: all members may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mutex.h"

namespace understudy {

struct WaitEdge {
  std::uint64_t id = 0;
  std::string waiter;  // node that is blocked
  std::string target;  // node it waits for
  std::string what;    // the service called, or the engine API requested
  std::string thread;  // engine thread doing the waiting, for the report
  std::chrono::steady_clock::time_point since;
  std::uint64_t since_frame = 0;
};

struct DeadlockReport {
  bool certain = false;         // a closed cycle (true) or a long wait (false)
  std::vector<WaitEdge> edges;  // the cycle in order, closing edge last; or the one long wait
  std::uint64_t detected_frame = 0;
  // A long wait only: the other waits of the same waiter on the same target
  // in progress when it was reported, and those past the threshold since the
  // pair's last report that were not reported on their own (see
  // take_long_waits).
  std::size_t also_waiting = 0;
  std::size_t not_reported = 0;

  std::vector<std::string> members() const;  // waiter of each edge, in cycle order
  std::string summary() const;               // one line: "main -> client:a (ping) -> main (spawn)"
};

class WaitForGraph {
 public:
  // Records that `waiter` now waits for `target`. Returns the edge id for
  // end_wait, and the deadlock report if this edge closed a cycle.
  struct BeginResult {
    std::uint64_t id = 0;
    std::optional<DeadlockReport> deadlock;
  };
  BeginResult begin_wait(std::string waiter, std::string target, std::string what,
                         std::string thread, std::uint64_t frame);
  void end_wait(std::uint64_t id);

  // Removes every edge from or to `node` (a client that disconnected).
  void forget_node(const std::string& node);

  std::vector<WaitEdge> edges() const;

  // Waits older than `threshold` that are not part of a cycle and were not
  // reported before; each is returned once. One report per waiter and
  // target per `threshold`: a client that pipelines 40 requests behind a busy
  // main thread has 40 waits pass the threshold one after another, and a
  // report costs the engine its threads' stacks under the GIL, so the
  // others are counted in the next report of that pair (not_reported), not
  // reported one by one.
  std::vector<DeadlockReport> take_long_waits(std::chrono::steady_clock::duration threshold,
                                              std::uint64_t frame);

 private:
  // A path of edges from `from` to `to`, if any.
  std::optional<std::vector<WaitEdge>> find_path(const std::string& from,
                                                 const std::string& to) const REQUIRES(mutex_);

  // Per waiter and target with a long wait reported: until when later long
  // waits of the pair are only counted, and how many were.
  struct PairQuiet {
    std::chrono::steady_clock::time_point until;
    std::size_t counted = 0;
  };

  mutable Mutex mutex_;
  std::vector<WaitEdge> edges_ GUARDED_BY(mutex_);
  std::vector<std::uint64_t> reported_long_ GUARDED_BY(mutex_);
  std::vector<std::uint64_t> in_cycle_ GUARDED_BY(mutex_);
  std::uint64_t next_id_ GUARDED_BY(mutex_) = 1;
  std::map<std::pair<std::string, std::string>, PairQuiet> quiet_pairs_ GUARDED_BY(mutex_);
};

}  // namespace understudy
