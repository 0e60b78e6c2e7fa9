// Checks for the command line's numeric options, each failing with a message
// in words that names the option, the range and what was given
// ("--jobs must be at least 1, got 0"), for every value that is not a number
// of the option's kind too. CLI11 runs them on the text before converting it.
#pragma once

#include <CLI/CLI.hpp>
#include <limits>
#include <string>

namespace understudy::cli {

// A whole number from `min` to `max`.
CLI::Validator whole_number(const std::string& option, long long min,
                            long long max = std::numeric_limits<int>::max());

// A whole number >= 0 that fits 64 bits (seeds).
CLI::Validator non_negative_integer(const std::string& option);

// A number > 0, in `unit` ("seconds").
CLI::Validator positive_number(const std::string& option, const std::string& unit);

// A number >= 0; `zero_means` says what 0 does ("closed loop").
CLI::Validator non_negative_number(const std::string& option, const std::string& zero_means);

// The message of a ValidationError from one of these, without the option
// name CLI11 puts in front ("--jobs: --jobs must be ..." -> "--jobs must be ...").
std::string validation_message(const CLI::ValidationError& error);

}  // namespace understudy::cli
