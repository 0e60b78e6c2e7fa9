#include "redis/status.h"

namespace understudy::redis {

std::string_view to_string(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "ok";
    case Status::Code::kServerError:
      return "server error";
    case Status::Code::kTimeout:
      return "timeout";
    case Status::Code::kConnectionFailed:
      return "connection failed";
    case Status::Code::kDisconnected:
      return "disconnected";
    case Status::Code::kNotConnected:
      return "not connected";
    case Status::Code::kClosed:
      return "closed";
    case Status::Code::kInvalidState:
      return "invalid state";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) {
    return "OK";
  }
  return std::string(redis::to_string(code_)) + ": " + message_;
}

}  // namespace understudy::redis
