#include "reports/junit_writer.h"

#include <map>
#include <regex>
#include <string_view>
#include <vector>

#include "reports/detail/text.h"

namespace understudy::reports {
namespace {

using detail::cdata;
using detail::escape_xml;

// One suite per scenario file rather than one for the whole run: Jenkins and
// GitLab show per-suite counts and times, and "which file's scenarios fail"
// is the first question a red build raises.
struct FileSuite {
  std::string file;
  std::vector<const ScenarioResult*> scenarios;
};

std::vector<FileSuite> group_by_file(const SuiteResult& suite) {
  std::vector<FileSuite> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& scenario : suite.scenarios) {
    const auto [it, added] = index.try_emplace(scenario.file, groups.size());
    if (added) {
      groups.push_back({scenario.file, {}});
    }
    groups[it->second].scenarios.push_back(&scenario);
  }
  return groups;
}

std::string attribute(std::string_view name, std::string_view value) {
  return std::string(" ") + std::string(name) + "=\"" + escape_xml(value, true) + "\"";
}

std::string seconds(double value) {
  return detail::fixed(value < 0 ? 0 : value, 3);
}

std::string classname(std::string_view file) {
  std::string name(file);
  while (name.starts_with("./") || name.starts_with("/")) {
    name.erase(0, name.starts_with("/") ? 1 : 2);
  }
  const auto slash = name.rfind('/');
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash) && dot > 0) {
    name.erase(dot);
  }
  for (auto& c : name) {
    if (c == '/' || c == '\\') {
      c = '.';
    }
  }
  return name.empty() ? "scenarios" : name;
}

std::string testcase_name(const ScenarioResult& scenario) {
  return scenario.repeat_index > 0
             ? scenario.name + " [repeat " + std::to_string(scenario.repeat_index) + "]"
             : scenario.name;
}

// The body of <failure>/<error>: what a developer reads first in the CI UI.
std::string failure_details(const ScenarioResult& scenario) {
  std::string text;
  if (!scenario.failure_message.empty()) {
    text += scenario.failure_message + "\n";
  }
  for (const auto& expectation : scenario.expectations) {
    if (expectation.passed) {
      continue;
    }
    text += "\nFAILED: " + expectation.description + "\n";
    text += "  expected: " + expectation.expected + "\n";
    text += "  seen:     " + expectation.seen + "\n";
    if (!expectation.where.empty()) {
      text += "  where:    " + expectation.where + "\n";
    }
  }
  for (const auto& cycle : scenario.deadlocks) {
    text += std::string("\n") + (cycle.certain ? "DEADLOCK" : "SUSPECTED DEADLOCK") + " at " +
            detail::fixed(cycle.at_s, 3) + " s (frame " + std::to_string(cycle.frame) +
            "): " + cycle.summary + "\n";
    if (!cycle.text.empty()) {
      text += cycle.text + "\n";
    }
  }
  for (const auto& log : scenario.logs) {
    text += "\nlog of " + log.process + ": " + log.path;
  }
  return text;
}

std::string system_out(const ScenarioResult& scenario) {
  std::string text = "scenario: " + scenario.name + "\nfile: " + scenario.file +
                     "\nseed: " + std::to_string(scenario.seed) +
                     "\nrepeat: " + std::to_string(scenario.repeat_index);
  if (!scenario.tags.empty()) {
    text += "\ntags:";
    for (const auto& tag : scenario.tags) {
      text += " " + tag;
    }
  }
  for (const auto& [name, value] : scenario.metrics) {
    text += "\nmetric " + name + " = " + detail::number(value);
  }
  for (const auto& log : scenario.logs) {
    text += "\n\n===== " + log.process + " (" + log.path + ") =====\n" + log.tail;
  }
  return text + "\n";
}

void append_testcase(std::string& out, const ScenarioResult& scenario) {
  out += "    <testcase" + attribute("name", testcase_name(scenario)) +
         attribute("classname", classname(scenario.file)) + attribute("file", scenario.file) +
         attribute("time", seconds(scenario.duration_s)) +
         attribute("assertions", std::to_string(scenario.expectations.size())) + ">\n";
  const std::string message = scenario.failure_message;
  switch (scenario.status) {
    case Status::kPassed:
      break;
    case Status::kFailed:
      out += "      <failure" +
             attribute("message", message.empty() ? "scenario failed" : message) +
             attribute("type", failure_kind_name(reported_failure_kind(scenario))) + ">" +
             cdata(failure_details(scenario)) + "</failure>\n";
      break;
    case Status::kError:
      out += "      <error" + attribute("message", message.empty() ? "scenario error" : message) +
             attribute("type", failure_kind_name(reported_failure_kind(scenario))) + ">" +
             cdata(failure_details(scenario)) + "</error>\n";
      break;
    case Status::kSkipped:
      out += "      <skipped" + (message.empty() ? std::string() : attribute("message", message)) +
             "/>\n";
      break;
  }
  out += "      <system-out>" + cdata(system_out(scenario)) + "</system-out>\n";
  out += "    </testcase>\n";
}

// Jenkins and the Ant schema type timestamp as xs:dateTime; anything else in
// started_at is left out rather than making the whole file invalid.
std::string timestamp_attribute(const std::string& started_at) {
  static const std::regex kDateTime(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)");
  return std::regex_match(started_at, kDateTime) ? attribute("timestamp", started_at) : "";
}

struct Counts {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;

  void add(const ScenarioResult& scenario) {
    ++tests;
    failures += scenario.status == Status::kFailed ? 1 : 0;
    errors += scenario.status == Status::kError ? 1 : 0;
    skipped += scenario.status == Status::kSkipped ? 1 : 0;
    time += scenario.duration_s;
  }

  std::string attributes() const {
    return attribute("tests", std::to_string(tests)) +
           attribute("failures", std::to_string(failures)) +
           attribute("errors", std::to_string(errors)) +
           attribute("skipped", std::to_string(skipped));
  }
};

}  // namespace

std::string to_junit_xml(const SuiteResult& suite) {
  Counts total;
  for (const auto& scenario : suite.scenarios) {
    total.add(scenario);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attribute("name", suite.name) + total.attributes() +
         attribute("time", seconds(suite.duration_s > 0 ? suite.duration_s : total.time)) +
         timestamp_attribute(suite.started_at) + ">\n";
  int id = 0;
  for (const auto& group : group_by_file(suite)) {
    Counts counts;
    for (const auto* scenario : group.scenarios) {
      counts.add(*scenario);
    }
    out += "  <testsuite" + attribute("name", group.file.empty() ? suite.name : group.file) +
           counts.attributes() + attribute("time", seconds(counts.time)) +
           timestamp_attribute(suite.started_at) +
           (suite.hostname.empty() ? std::string() : attribute("hostname", suite.hostname)) +
           attribute("id", std::to_string(id++)) + attribute("package", classname(group.file)) +
           ">\n";
    out += "    <properties>\n";
    out += "      <property" + attribute("name", "suite") + attribute("value", suite.name) + "/>\n";
    out += "      <property" + attribute("name", "command_line") +
           attribute("value", suite.command_line) + "/>\n";
    if (!suite.interrupted_by.empty()) {
      out += "      <property" + attribute("name", "interrupted_by") +
             attribute("value", suite.interrupted_by) + "/>\n";
    }
    for (const auto& excluded : suite.excluded) {
      out += "      <property" + attribute("name", "excluded") +
             attribute("value", describe(excluded)) + "/>\n";
    }
    out += "    </properties>\n";
    for (const auto* scenario : group.scenarios) {
      append_testcase(out, *scenario);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

void write_junit_xml(const SuiteResult& suite, const std::filesystem::path& path) {
  detail::write_file(path, to_junit_xml(suite));
}

}  // namespace understudy::reports
