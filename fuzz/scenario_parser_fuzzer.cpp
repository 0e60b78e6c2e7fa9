// Fuzzes the scenario-file parser. Its contract (harness/scenario/scenario.h):
// any text either becomes a Scenario with at least one step, each with an
// action, or is refused with a ScenarioFileError naming the file and a line
// that exists. Any other exception, a crash, a leak or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness/scenario/scenario.h"

namespace {

using understudy::harness::parse_scenario_text;
using understudy::harness::Scenario;
using understudy::harness::ScenarioFileError;

[[noreturn]] void broken_contract(const std::string& what) {
  std::fprintf(stderr, "scenario_parser_fuzzer: %s\n", what.c_str());
  std::abort();
}

// "FILE:LINE: problem" with 1 <= LINE <= the text's line count (+1 for a
// problem found at the end of a last line without a newline).
void check_error_location(const std::string& message, std::string_view text) {
  const std::string prefix = std::string(UNDERSTUDY_FUZZ_SCENARIO_FILE) + ":";
  if (!message.starts_with(prefix)) {
    broken_contract("error does not start with the file name: " + message);
  }
  const auto colon = message.find(": ", prefix.size());
  if (colon == std::string::npos) {
    broken_contract("error has no 'file:line: ' prefix: " + message);
  }
  const std::string line_text = message.substr(prefix.size(), colon - prefix.size());
  if (line_text.empty() || line_text.find_first_not_of("0123456789") != std::string::npos) {
    broken_contract("error's line is not a number: " + message);
  }
  const auto line = std::stoull(line_text);
  std::size_t lines = 1;
  for (const char c : text) {
    lines += c == '\n' ? 1 : 0;
  }
  if (line < 1 || line > lines) {
    broken_contract("error names line " + line_text + " of a " + std::to_string(lines) +
                    "-line text: " + message);
  }
}

void check_scenario(const Scenario& scenario) {
  if (scenario.steps.empty()) {
    broken_contract("a scenario without steps was accepted");
  }
  for (const auto& step : scenario.steps) {
    if (step.action.empty() || step.where.line < 1) {
      broken_contract("a step without an action or a line was accepted");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_scenario(parse_scenario_text(text, UNDERSTUDY_FUZZ_SCENARIO_FILE));
  } catch (const ScenarioFileError& error) {
    check_error_location(error.what(), text);
  }
  // Anything else thrown escapes and ends the run: the harness would not
  // report it as a scenario-file error with file:line.
  return 0;
}
