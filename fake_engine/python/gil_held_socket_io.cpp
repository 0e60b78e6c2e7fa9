#include "fake_engine/python/gil_held_socket_io.h"

#include <sys/socket.h>

#include <cerrno>

namespace py = pybind11;

namespace understudy {
namespace {

[[noreturn]] void raise_os_error() {
  PyErr_SetFromErrno(PyExc_OSError);
  throw py::error_already_set();
}

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

}  // namespace

std::size_t send_holding_gil(int fd, const py::bytes& data) {
  char* buffer = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(data.ptr(), &buffer, &size) != 0) {
    throw py::error_already_set();
  }
  for (;;) {
    // MSG_NOSIGNAL: a peer that went away is an EPIPE for the caller, not a
    // SIGPIPE for the engine.
    const ssize_t sent =
        ::send(fd, buffer, static_cast<std::size_t>(size), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) {
      return static_cast<std::size_t>(sent);
    }
    if (errno == EINTR) {
      continue;
    }
    if (would_block(errno)) {
      return 0;
    }
    raise_os_error();
  }
}

py::object recv_holding_gil(int fd, std::size_t count) {
  py::object chunk = py::reinterpret_steal<py::object>(
      PyBytes_FromStringAndSize(nullptr, static_cast<Py_ssize_t>(count)));
  if (!chunk) {
    throw py::error_already_set();
  }
  for (;;) {
    const ssize_t got = ::recv(fd, PyBytes_AS_STRING(chunk.ptr()), count, MSG_DONTWAIT);
    if (got >= 0) {
      if (static_cast<std::size_t>(got) == count) {
        return chunk;
      }
      return py::bytes(PyBytes_AS_STRING(chunk.ptr()), static_cast<std::size_t>(got));
    }
    if (errno == EINTR) {
      continue;
    }
    if (would_block(errno)) {
      return py::none();
    }
    raise_os_error();
  }
}

}  // namespace understudy
