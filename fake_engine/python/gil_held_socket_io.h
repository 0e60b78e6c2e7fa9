// Non-blocking socket I/O that keeps the GIL.
//
// Python's socket methods release the GIL around every system call. With
// many RPyC connection threads and the main thread sharing one interpreter,
// the thread that released it must then queue to take it back: profiling the
// main thread under 8 pipelining clients showed 114 us per reply in
// socket.send, 74% of its time, for a send that takes a few microseconds.
// A send or receive that cannot block needs no release: these do the system
// call with MSG_DONTWAIT while the caller keeps the GIL, and say when the
// caller must fall back to a blocking call (which does release it).
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>

namespace understudy {

// Sends what the socket takes now of `data`; returns how many bytes that was
// (0 when the socket's buffer is full). Raises OSError on a socket error.
// REQUIRES: GIL held.
std::size_t send_holding_gil(int fd, const pybind11::bytes& data);

// Up to `count` bytes that have already arrived: b"" at the end of the
// stream, None when nothing has arrived. Raises OSError on a socket error.
// REQUIRES: GIL held.
pybind11::object recv_holding_gil(int fd, std::size_t count);

}  // namespace understudy
