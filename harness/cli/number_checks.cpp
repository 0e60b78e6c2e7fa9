#include "harness/cli/number_checks.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace understudy::cli {
namespace {

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

// The text as a finite double, or false.
bool parse_double(const std::string& text, double& value) {
  if (text.empty()) {
    return false;
  }
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return *end == '\0' && errno == 0 && std::isfinite(value);
}

bool is_whole_number_text(const std::string& text) {
  std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i == text.size()) {
    return false;
  }
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

CLI::Validator whole_number(const std::string& option, long long min, long long max) {
  return CLI::Validator(
      [option, min, max](std::string& text) -> std::string {
        if (!is_whole_number_text(text)) {
          return option + " must be a whole number, got " + in_quotes(text);
        }
        errno = 0;
        const long long value = std::strtoll(text.c_str(), nullptr, 10);
        const bool overflow = errno == ERANGE;
        if (!overflow && value < min) {
          return option + " must be at least " + std::to_string(min) + ", got " + text;
        }
        if (overflow || value > max) {
          return option + " must be at most " + std::to_string(max) + ", got " + text;
        }
        return "";
      },
      "INT>=" + std::to_string(min));
}

CLI::Validator non_negative_integer(const std::string& option) {
  return CLI::Validator(
      [option](std::string& text) -> std::string {
        if (!is_whole_number_text(text)) {
          return option + " must be a non-negative integer, got " + in_quotes(text);
        }
        if (text[0] == '-') {
          return option + " must be a non-negative integer, got " + text;
        }
        errno = 0;
        (void)std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE) {
          return option + " must be at most " +
                 std::to_string(std::numeric_limits<std::uint64_t>::max()) + ", got " + text;
        }
        return "";
      },
      "UINT");
}

CLI::Validator positive_number(const std::string& option, const std::string& unit) {
  return CLI::Validator(
      [option, unit](std::string& text) -> std::string {
        double value = 0;
        if (!parse_double(text, value)) {
          return option + " must be a number of " + unit + ", got " + in_quotes(text);
        }
        if (!(value > 0)) {
          return option + " must be a positive number of " + unit + ", got " + text;
        }
        return "";
      },
      "NUMBER>0");
}

CLI::Validator non_negative_number(const std::string& option, const std::string& zero_means) {
  return CLI::Validator(
      [option, zero_means](std::string& text) -> std::string {
        double value = 0;
        if (!parse_double(text, value)) {
          return option + " must be a number, got " + in_quotes(text);
        }
        if (value < 0) {
          return option + " must be 0 (" + zero_means + ") or more, got " + text;
        }
        return "";
      },
      "NUMBER>=0");
}

std::string validation_message(const CLI::ValidationError& error) {
  const std::string text = error.what();
  const auto colon = text.find(": --");
  return colon == std::string::npos ? text : text.substr(colon + 2);
}

}  // namespace understudy::cli
