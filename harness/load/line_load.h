// LineLoad: the harness's load client for line-oriented TCP servers (the
// engine's spawn server): M connections, each sending K lines
// "<prefix>-<connection>-<n>", at a chosen rate or as fast as possible, then
// closing. It reports exactly what each connection sent, so that a scenario
// can prove that every line became exactly one actor.
//
// Runs on its own Boost.Asio io_context on the calling thread; every
// connection has a deadline (connect and each write), and one failing
// connection never stops the others.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace understudy::harness {

struct LineLoadOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 1;
  int lines_per_connection = 10;  // 0: connect and close (connection churn)
  double lines_per_second = 0;    // per connection; 0: as fast as possible
  int concurrency = 256;          // connections open at once
  std::string prefix = "line";
  std::chrono::milliseconds deadline{10000};  // per connect and per write
};

struct LineLoadReport {
  std::int64_t connections_opened = 0;
  std::int64_t connections_failed = 0;
  std::int64_t lines_sent = 0;
  std::vector<std::string> errors;  // first few, with the connection's number
  double seconds = 0;
};

LineLoadReport run_line_load(const LineLoadOptions& options);

}  // namespace understudy::harness
