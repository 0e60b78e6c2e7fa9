// ProgressLine: what a stress step shows while it runs. On a terminal (live)
// a passing figure replaces the one before it, so a long step takes one line
// that changes every second; elsewhere (a log, a pipe, CI) every line is
// kept, indented like the step's result rows that follow.
//
// Not thread-safe: the step's thread alone writes to it.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "harness/stress/sample_collector.h"
#include "protocol/messages.h"

namespace understudy::harness {

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool live) : out_(out), live_(live) {}

  // A figure the next one replaces on a terminal.
  void replace(const std::string& text);
  // A line that stays on a terminal too.
  void keep(const std::string& text);
  // Ends the line a terminal was left on, before anything else is printed.
  void end();

 private:
  std::ostream& out_;
  const bool live_;
};

// "engine, 8 clients: 3/5 s  execute 1234/s p99 1.20 ms ...  failures 0":
// each path's calls and p99 in the last second; with the engine's frames
// summary, its frame and main-thread queue.
std::string load_progress_text(const std::string& target, int clients,
                               std::chrono::steady_clock::duration elapsed,
                               std::chrono::milliseconds duration,
                               const std::array<PathTally, kStressPaths>& last_second,
                               const std::optional<protocol::FramesSummary>& engine_frames);

}  // namespace understudy::harness
