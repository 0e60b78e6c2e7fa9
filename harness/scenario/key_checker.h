// Checks the tables of a scenario file against the step catalog
// (harness/steps/step_catalog.h): every key known, of its declared type and
// range, the required ones present, bounds not contradicting each other.
// Problems are ScenarioFileErrors naming file:line, the key, what it must be
// and what it was.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/scenario/scenario.h"
#include "harness/steps/step_catalog.h"

namespace understudy::harness {

class KeyChecker {
 public:
  explicit KeyChecker(std::filesystem::path file) : file_(std::move(file)) {}

  SourceLocation at(const toml::node& node) const;

  // The table's values as JSON, each of its key's type, with the fixed
  // defaults filled in; paths are resolved against the file's folder.
  nlohmann::json table(const toml::table& table, const steps::Section& section) const;

  // One value, named `label` in errors ("wait", "[engine] tick_hz").
  nlohmann::json value(const toml::node& node, const steps::Key& key,
                       const std::string& label) const;

  // Fills in the defaults computed from the other keys and the step's title.
  static void fill_computed(nlohmann::json& params, const steps::Section& section,
                            const std::string& title);

  // "unknown key 'x' in WHERE (did you mean 'y'?; allowed: ...)"
  [[noreturn]] void unknown_key(const toml::node& node, const std::string& key,
                                const std::string& where,
                                const std::vector<std::string>& allowed) const;

  // What a TOML value is, in words: `the string "x"`, `the integer 2`, `a table`.
  static std::string describe(const toml::node& node);

  static std::string label(const steps::Section& section, const std::string& key);

 private:
  [[noreturn]] void wrong(const toml::node& node, const steps::Key& key, const std::string& label,
                          const std::string& given) const;
  nlohmann::json string_value(const toml::node& node, const steps::Key& key,
                              const std::string& label, const std::string& given) const;
  void check_bounds(const toml::table& table, const steps::Section& section,
                    const nlohmann::json& values) const;

  std::filesystem::path file_;
};

}  // namespace understudy::harness
