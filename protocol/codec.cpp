#include "protocol/codec.h"

#include <cstdint>

namespace understudy::protocol {

using nlohmann::json;

namespace {
// Thrown by the parser callback to stop at the first container too deep: the
// parser itself is iterative, so it gets that far without recursing.
struct NestingTooDeep {};
}  // namespace

std::optional<json> parse_json(std::string_view text, std::string& problem, int max_depth) {
  // The callback sees a container start with `depth` containers around it.
  auto limit_depth = [max_depth](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_depth) {
      throw NestingTooDeep{};
    }
    return true;
  };
  try {
    json parsed = json::parse(text, limit_depth, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      problem = "not valid JSON";
      return std::nullopt;
    }
    return parsed;
  } catch (const NestingTooDeep&) {
    problem = "JSON nested deeper than " + std::to_string(max_depth) +
              " levels (the control channel's limit)";
    return std::nullopt;
  }
}

std::optional<Request> parse_request(std::string_view line, std::string& problem) {
  auto decoded = parse_json(line, problem);
  if (!decoded) {
    return std::nullopt;
  }
  json parsed = std::move(*decoded);
  if (!parsed.is_object()) {
    problem = "a request must be a JSON object";
    return std::nullopt;
  }
  const auto id = parsed.find("id");
  const auto op = parsed.find("op");
  // An id above INT64_MAX would come back wrapped to a negative one that the
  // sender never sent.
  if (id == parsed.end() || !id->is_number_integer() ||
      (id->is_number_unsigned() &&
       id->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
    problem = "a request needs an integer \"id\" from -2^63 to 2^63-1";
    return std::nullopt;
  }
  if (op == parsed.end() || !op->is_string()) {
    problem = "a request needs a string \"op\"";
    return std::nullopt;
  }
  Request request;
  request.id = id->get<std::int64_t>();
  request.op = op->get<std::string>();
  request.params = std::move(parsed);
  return request;
}

std::string encode_response_ok(std::int64_t id, const json& result) {
  json response = {{"id", id}, {"ok", true}, {"result", result}};
  return response.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string encode_response_error(std::optional<std::int64_t> id, std::string_view type,
                                  std::string_view message) {
  json response = {{"id", id ? json(*id) : json(nullptr)},
                   {"ok", false},
                   {"error", {{"type", type}, {"message", message}}}};
  return response.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string encode_response_error(std::int64_t id, std::string_view type, std::string_view message,
                                  const json& detail) {
  json response = {{"id", id},
                   {"ok", false},
                   {"error", {{"type", type}, {"message", message}, {"detail", detail}}}};
  return response.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string encode_event(std::string_view kind, const json& data) {
  json event = {{"event", kind}, {"data", data}};
  return event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace understudy::protocol
