// Fuzzes the control channel's request decoder the way ControlSession feeds
// it: the bytes up to each '\n' (Asio's read_until framing), empty lines
// skipped. For every line parse_request either says why it refused it, and
// the BadRequest answer is one JSON line, or returns the request, and a
// response to it carries the very id the harness sent, in one JSON line.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.h"

namespace {

using nlohmann::json;
using namespace understudy::protocol;

[[noreturn]] void broken_contract(const std::string& what, std::string_view line) {
  std::fprintf(stderr, "control_request_fuzzer: %s (line of %zu bytes)\n", what.c_str(),
               line.size());
  std::abort();
}

// One '\n'-terminated JSON object, as the harness's ControlClient reads it.
json read_back(const std::string& encoded, std::string_view line) {
  if (encoded.empty() || encoded.back() != '\n' || encoded.find('\n') != encoded.size() - 1) {
    broken_contract("an encoded answer is not exactly one line", line);
  }
  json answer = json::parse(encoded, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) {
    broken_contract("an encoded answer is not a JSON object: " + encoded, line);
  }
  return answer;
}

void check_line(std::string_view line) {
  std::string problem;
  const auto request = parse_request(line, problem);
  if (!request) {
    if (problem.empty()) {
      broken_contract("a refused request has no reason", line);
    }
    const json answer = read_back(encode_response_error(std::nullopt, "BadRequest", problem), line);
    if (!answer["id"].is_null() || answer["ok"] != false) {
      broken_contract("a BadRequest answer is malformed", line);
    }
    return;
  }
  const json sent_id = json::parse(line)["id"];
  const json answer = read_back(encode_response_ok(request->id, request->params), line);
  // Compared as text: json's operator== calls 18446744073709551615 and -1
  // equal, and the harness matches ids as it reads them.
  if (answer["id"].dump() != sent_id.dump()) {
    broken_contract(
        "the response's id " + answer["id"].dump() + " is not the request's " + sent_id.dump(),
        line);
  }
  if (answer["result"] != request->params || request->params["op"] != request->op) {
    broken_contract("the request did not survive a round trip", line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  // As ControlSession::read_line: a line is what precedes a '\n'; bytes after
  // the last '\n' wait for more input and are never decoded.
  for (auto end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
    if (end > 0) {
      check_line(rest.substr(0, end));
    }
    rest.remove_prefix(end + 1);
  }
  return 0;
}
