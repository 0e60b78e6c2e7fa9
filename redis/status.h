// Status and Result<T>: how the Redis client reports expected failures (a
// server error reply, a timeout, a lost connection) as values, the way
// LevelDB's Status does, so that callers on the io_context's thread never
// have to catch. Exceptions are kept for misuse (a programming error).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace understudy::redis {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kServerError,       // the server replied with an error; message() is its text verbatim
    kTimeout,           // no reply (or no connection) before the deadline
    kConnectionFailed,  // connect(2) failed: refused, unreachable, ...
    kDisconnected,      // the connection was lost while the request was in flight
    kNotConnected,      // the request was not sent: no connection at the time
    kClosed,            // the client was closed (or destroyed) first
    kInvalidState,      // e.g. a regular command on a connection in subscriber mode
  };

  Status() = default;  // ok
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  // For kServerError exactly what the server said ("ERR unknown command ..."),
  // otherwise a sentence naming what was expected and what happened.
  const std::string& message() const { return message_; }

  // "OK", or "<code>: <message>" ("timeout: timed out after 200 ms waiting for ...").
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view to_string(Status::Code code);

// A value or the Status saying why there is none. value() on a failed Result
// is misuse and throws std::logic_error naming the status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit, like std::optional
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.is_ok()) {
      throw std::logic_error("Result built from an ok Status carries no value");
    }
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }

  const T& value() const& {
    check();
    return *value_;
  }
  T&& value() && {
    check();
    return std::move(*value_);
  }

 private:
  void check() const {
    if (!value_) {
      throw std::logic_error("Result::value() on a failed result: " + status_.to_string());
    }
  }

  std::optional<T> value_;
  Status status_;
};

}  // namespace understudy::redis
