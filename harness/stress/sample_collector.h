// SampleCollector: the conductor's end of the stress workers' timing stream.
// Workers (and the plain baseline server) connect to a Unix socket and send
// batches of 24-byte call records plus a few JSON messages (wire format:
// harness/pylib/understudy_stress/collector.py); the collector folds every
// record into per-path latency histograms and per-second completion counts
// as it arrives, so a run of millions of calls costs constant memory, and a
// live progress line can read the last second.
//
// Thread-safety: every public member may be called from any thread; the
// socket is served on the collector's own thread.
#pragma once

#include <array>
#include <boost/asio.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/latency_histogram.h"
#include "common/mutex.h"

namespace understudy::harness {

// Path ids on the wire (collector.py PATHS).
enum class StressPath : std::uint8_t {
  kExecute = 0,
  kCheap = 1,
  kPipeline = 2,
  kSync = 3,
  kCoroutine = 4,
  kAsync = 5
};
inline constexpr std::size_t kStressPaths = 6;
std::string_view stress_path_name(StressPath path);

// Outcome codes on the wire.
inline constexpr std::size_t kOutcomes = 4;  // ok, error, timeout, disconnected
std::string_view outcome_name(std::size_t outcome);

struct PathTally {
  measure::LatencyHistogram latency;
  std::array<std::uint64_t, kOutcomes> outcomes{};
  std::uint64_t calls() const;
  std::uint64_t failures() const { return calls() - outcomes[0]; }
};

struct CollectorSnapshot {
  std::array<PathTally, kStressPaths> paths;
  std::vector<nlohmann::json> summaries;  // "S" messages, with "worker" added
  std::vector<nlohmann::json> errors;     // "E" messages (a few of each kind per worker)
  std::vector<std::string> problems;      // malformed messages, with the worker
  std::size_t connections = 0;
};

class SampleCollector {
 public:
  // Listens on `socket_path` at once. Throws std::runtime_error if it cannot.
  explicit SampleCollector(const std::filesystem::path& socket_path);
  ~SampleCollector();
  SampleCollector(const SampleCollector&) = delete;
  SampleCollector& operator=(const SampleCollector&) = delete;

  const std::filesystem::path& socket_path() const { return path_; }

  // Everything so far. `since_mark()` gives the tallies since the previous
  // call of it (for a live "last second" figure).
  CollectorSnapshot snapshot() const;
  std::array<PathTally, kStressPaths> since_mark();

  // Waits until `count` summaries with {"phase": phase} arrived; false on timeout.
  bool wait_summaries(const std::string& phase, std::size_t count,
                      std::chrono::milliseconds timeout) const;
  // Sends one byte ('G' go, 'Q' quit) to every connected worker.
  void send_to_all(char byte);
  std::size_t connections() const;

  // Completions per whole second since `origin` (due + latency), per path.
  std::vector<std::array<std::uint64_t, kStressPaths>> completions_per_second(
      std::chrono::steady_clock::time_point origin) const;

 private:
  class Session;
  void accept();
  void on_record(const unsigned char* record);
  void on_json(char kind, const nlohmann::json& value, int worker);
  void on_problem(std::string problem);

  std::filesystem::path path_;
  boost::asio::io_context io_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  mutable Mutex mutex_;
  mutable std::condition_variable changed_;
  CollectorSnapshot all_ GUARDED_BY(mutex_);
  std::array<PathTally, kStressPaths> mark_ GUARDED_BY(mutex_);
  std::map<std::int64_t, std::array<std::uint64_t, kStressPaths>> done_at_;  // second -> count
  std::vector<std::shared_ptr<Session>> sessions_ GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace understudy::harness
