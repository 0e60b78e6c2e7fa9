// LoopbackBaseline: the floor every stress figure is read against: a raw TCP
// ping-pong on 127.0.0.1 (Boost.Asio, TCP_NODELAY, a small fixed message),
// with as many connections as the stress run has clients, each waiting for
// its echo before sending the next (closed loop), for a fixed time.
#pragma once

#include <chrono>

#include "common/latency_histogram.h"

namespace understudy::harness {

struct LoopbackResult {
  measure::LatencyHistogram round_trip;
  double seconds = 0;
  int connections = 0;
  double per_second() const {
    return seconds > 0 ? static_cast<double>(round_trip.count()) / seconds : 0.0;
  }
};

// Throws std::runtime_error if loopback TCP does not work at all.
LoopbackResult run_loopback_baseline(int connections, std::chrono::milliseconds duration,
                                     std::size_t message_bytes = 64);

}  // namespace understudy::harness
