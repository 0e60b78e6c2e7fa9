// The control channel's wire codec: JSON lines over a local (Unix) socket,
// separate from the RPC port under test, between the engine and the harness.
// protocol/README.md lists every op and event; protocol/messages.h types them.
//
//   request   {"id": 7, "op": "call", ...parameters}
//   response  {"id": 7, "ok": true, "result": ...}
//             {"id": 7, "ok": false, "error": {"type": "ServiceCallTimeout", "message": "..."}}
//   event     {"event": "console" | "deadlock" | "call" | "engine_error", "data": {...}}
//             (engine to harness; "call" announces every call outcome, whoever
//             asked for it; "engine_error" an exception engine-side Python did
//             not catch: source script|ticker|component|asyncio, file, line,
//             message, traceback; "events_dropped" {count, limit_bytes}
//             stands where events were dropped because this connection read
//             them too slowly, see ControlServer)
//
// Responses may come in any order (a synchronous call answers when it
// returns); the id ties them to requests. A line that is not a JSON object
// with a 64-bit signed integer id and a string op is answered with a
// BadRequest error whose id is null, and the connection stays open. So is a
// line nested deeper than kMaxNestingDepth.
//
// Every line either end sends is valid JSON (RFC 8259): a number that JSON
// cannot carry (NaN, Infinity) is never sent as such; an answer holding one
// is an error naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace understudy::protocol {

// Lines longer than this are a protocol error: the connection is closed.
inline constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;

// Arrays and objects nested deeper than this are refused wherever a JSON text
// is decoded, in requests and in engine-side Python's answers alike: copying
// and printing a value recurses once per level (nlohmann::json, and Python's
// json module at 1,000 levels), so a 400 KB line of 200,000 '[' crashed the
// engine. No request or answer the harness makes comes near it.
inline constexpr int kMaxNestingDepth = 100;
// What the engine's lines may nest: a value of kMaxNestingDepth levels inside
// a response ({"result": {"value": ...}}, {"error": {"detail": ...}}).
inline constexpr int kMaxResponseNestingDepth = kMaxNestingDepth + 2;

// Parses one JSON text (a whole line, or Python's answer), refusing nesting
// deeper than `max_depth`. On failure returns nullopt and says why in
// `problem`; never throws.
std::optional<nlohmann::json> parse_json(std::string_view text, std::string& problem,
                                         int max_depth = kMaxNestingDepth);

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
// An error with what the op knows of it ({"error": {type, message, detail}}):
// a failed call's CallResult, engine-side Python's exception.
std::string encode_response_error(std::int64_t id, std::string_view type, std::string_view message,
                                  const nlohmann::json& detail);
std::string encode_event(std::string_view kind, const nlohmann::json& data);

}  // namespace understudy::protocol
