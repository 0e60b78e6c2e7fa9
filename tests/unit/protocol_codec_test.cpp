// The control channel's codec (protocol/codec): how
// deep a line may nest, in requests and in the responses that carry a value
// of the deepest kind a request may hold.
#define BOOST_TEST_MODULE protocol
#include <boost/test/unit_test.hpp>
#include <string>

#include "protocol/codec.h"

using namespace understudy::protocol;
using nlohmann::json;

namespace {

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

// A request object (one level) whose "args" nest `depth` more.
std::string request_with_args(int depth) {
  return R"({"id": 7, "op": "call", "args": )" + nested(depth) + "}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_request_nested_200000_deep_is_refused_naming_the_limit) {
  // 400 KB: copying or printing it recursed once per level and crashed the
  // engine.
  std::string problem;
  const auto request = parse_request(request_with_args(200'000), problem);
  BOOST_TEST(!request.has_value());
  BOOST_TEST(problem == "JSON nested deeper than 100 levels (the control channel's limit)");
}

BOOST_AUTO_TEST_CASE(a_request_exactly_as_deep_as_the_limit_is_decoded_and_one_deeper_is_not) {
  std::string problem;
  const auto at_limit = parse_request(request_with_args(kMaxNestingDepth - 1), problem);
  BOOST_TEST_REQUIRE(at_limit.has_value(), problem);
  BOOST_TEST(at_limit->id == 7);
  BOOST_TEST(!parse_request(request_with_args(kMaxNestingDepth), problem).has_value());
  BOOST_TEST(problem.find("nested deeper than 100 levels") != std::string::npos, problem);
}

BOOST_AUTO_TEST_CASE(a_response_carrying_a_value_as_deep_as_the_limit_is_read_back) {
  std::string problem;
  const auto value = parse_json(nested(kMaxNestingDepth), problem);
  BOOST_TEST_REQUIRE(value.has_value(), problem);
  const auto ok = encode_response_ok(1, {{"value", *value}});
  BOOST_TEST(parse_json(ok, problem, kMaxResponseNestingDepth).has_value(), problem);
  BOOST_TEST(!parse_json(ok, problem).has_value());
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_refused_as_such) {
  std::string problem;
  BOOST_TEST(!parse_json("[NaN]", problem).has_value());
  BOOST_TEST(problem == "not valid JSON");
  BOOST_TEST(!parse_json("[1e999]", problem).has_value());  // not a double either
  BOOST_TEST(!parse_request("[1]", problem).has_value());
  BOOST_TEST(problem == "a request must be a JSON object");
}
