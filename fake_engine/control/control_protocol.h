// The control channel's protocol: JSON lines over a local (Unix) socket,
// separate from the RPC port under test, between the engine and the harness.
//
//   request   {"id": 7, "op": "call", ...parameters}
//   response  {"id": 7, "ok": true, "result": ...}
//             {"id": 7, "ok": false, "error": {"type": "ServiceCallTimeout", "message": "..."}}
//   event     {"event": "console" | "deadlock" | "call" | "engine_error", "data": {...}}
//             (engine to harness; "call" announces every call outcome, whoever
//             asked for it; "engine_error" an exception engine-side Python did
//             not catch: source script|ticker|component|asyncio, file, line,
//             message, traceback)
//
// Responses may come in any order (a synchronous call answers when it
// returns); the id ties them to requests. A line that is not a JSON object
// with a 64-bit signed integer id and a string op is answered with a
// BadRequest error whose id is null, and the connection stays open.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace understudy::control {

// Lines longer than this are a protocol error: the connection is closed.
inline constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;

struct Request {
  std::int64_t id = 0;
  std::string op;
  nlohmann::json params;  // the whole request object
};

// Parses one line. On failure returns nullopt and says why in `problem`.
std::optional<Request> parse_request(std::string_view line, std::string& problem);

std::string encode_response_ok(std::int64_t id, const nlohmann::json& result);
std::string encode_response_error(std::optional<std::int64_t> id, std::string_view type,
                                  std::string_view message);
std::string encode_event(std::string_view kind, const nlohmann::json& data);

}  // namespace understudy::control
