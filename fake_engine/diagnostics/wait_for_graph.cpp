#include "fake_engine/diagnostics/wait_for_graph.h"

#include <algorithm>
#include <set>
#include <utility>

namespace understudy {

std::vector<std::string> DeadlockReport::members() const {
  std::vector<std::string> result;
  for (const auto& edge : edges) {
    result.push_back(edge.waiter);
  }
  return result;
}

std::string DeadlockReport::summary() const {
  if (edges.empty()) {
    return {};
  }
  std::string text = edges.front().waiter;
  for (const auto& edge : edges) {
    text += " -> " + edge.target + " (" + edge.what + ")";
  }
  return text;
}

WaitForGraph::BeginResult WaitForGraph::begin_wait(std::string waiter, std::string target,
                                                   std::string what, std::string thread,
                                                   std::uint64_t frame) {
  MutexLock lock(mutex_);
  WaitEdge edge{next_id_++,
                std::move(waiter),
                std::move(target),
                std::move(what),
                std::move(thread),
                std::chrono::steady_clock::now(),
                frame};
  BeginResult result{edge.id, std::nullopt};
  // The new edge waiter -> target closes a cycle if target already reaches waiter.
  if (auto path = find_path(edge.target, edge.waiter)) {
    DeadlockReport report;
    report.certain = true;
    report.detected_frame = frame;
    report.edges = std::move(*path);
    report.edges.push_back(edge);
    for (const auto& e : report.edges) {
      in_cycle_.push_back(e.id);
    }
    result.deadlock = std::move(report);
  }
  edges_.push_back(std::move(edge));
  return result;
}

void WaitForGraph::end_wait(std::uint64_t id) {
  MutexLock lock(mutex_);
  std::erase_if(edges_, [id](const WaitEdge& e) { return e.id == id; });
  std::erase(reported_long_, id);
  std::erase(in_cycle_, id);
}

void WaitForGraph::forget_node(const std::string& node) {
  MutexLock lock(mutex_);
  std::erase_if(edges_, [&](const WaitEdge& e) { return e.waiter == node || e.target == node; });
  std::erase_if(quiet_pairs_, [&](const auto& pair) {
    return pair.first.first == node || pair.first.second == node;
  });
}

std::vector<WaitEdge> WaitForGraph::edges() const {
  MutexLock lock(mutex_);
  return edges_;
}

std::vector<DeadlockReport> WaitForGraph::take_long_waits(
    std::chrono::steady_clock::duration threshold, std::uint64_t frame) {
  MutexLock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(quiet_pairs_, [&](const auto& pair) {
    return pair.second.until <= now && pair.second.counted == 0;
  });
  std::vector<DeadlockReport> reports;
  for (const auto& edge : edges_) {
    const bool known =
        std::find(reported_long_.begin(), reported_long_.end(), edge.id) != reported_long_.end() ||
        std::find(in_cycle_.begin(), in_cycle_.end(), edge.id) != in_cycle_.end();
    if (known || now - edge.since < threshold) {
      continue;
    }
    reported_long_.push_back(edge.id);
    auto& quiet = quiet_pairs_[{edge.waiter, edge.target}];
    if (now < quiet.until) {
      ++quiet.counted;
      continue;
    }
    DeadlockReport report{false, {edge}, frame};
    report.also_waiting = static_cast<std::size_t>(
        std::count_if(edges_.begin(), edges_.end(), [&](const WaitEdge& other) {
          return other.id != edge.id && other.waiter == edge.waiter && other.target == edge.target;
        }));
    report.not_reported = std::exchange(quiet.counted, 0);
    quiet.until = now + threshold;
    reports.push_back(std::move(report));
  }
  return reports;
}

std::optional<std::vector<WaitEdge>> WaitForGraph::find_path(const std::string& from,
                                                             const std::string& to) const {
  // Depth-first search; the graph has a handful of nodes (main, clients, threads).
  std::vector<WaitEdge> path;
  std::set<std::string> visited;
  auto visit = [&](auto&& self, const std::string& node) REQUIRES(mutex_) -> bool {
    if (node == to) {
      return true;
    }
    if (!visited.insert(node).second) {
      return false;
    }
    for (const auto& edge : edges_) {
      if (edge.waiter != node) {
        continue;
      }
      path.push_back(edge);
      if (self(self, edge.target)) {
        return true;
      }
      path.pop_back();
    }
    return false;
  };
  if (visit(visit, from)) {
    return path;
  }
  return std::nullopt;
}

}  // namespace understudy
