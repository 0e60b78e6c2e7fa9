#include "harness/scenario/key_checker.h"

#include <cmath>
#include <limits>

namespace understudy::harness {
namespace {

using nlohmann::json;
using steps::Key;
using steps::Section;
using steps::Type;

// TOML values as JSON. Dates and times have no JSON form: the first one met
// is returned in `date` for the error message.
json to_json(const toml::node& node, const toml::node*& date) {
  if (const auto* t = node.as_table()) {
    json object = json::object();
    for (const auto& [key, value] : *t) {
      object[std::string(key.str())] = to_json(value, date);
    }
    return object;
  }
  if (const auto* a = node.as_array()) {
    json array = json::array();
    for (const auto& value : *a) {
      array.push_back(to_json(value, date));
    }
    return array;
  }
  if (const auto* s = node.as_string())
    return s->get();
  if (const auto* i = node.as_integer())
    return i->get();
  if (const auto* f = node.as_floating_point())
    return f->get();
  if (const auto* b = node.as_boolean())
    return b->get();
  date = date != nullptr ? date : &node;
  return nullptr;
}

std::string number_text(double value) {
  if (std::isnan(value)) {
    return "nan";
  }
  if (std::isinf(value)) {
    return value > 0 ? "inf" : "-inf";
  }
  return json(value).dump();
}

// Quoted as JSON, at most about 60 bytes. A cut may split a UTF-8 sequence;
// dump() then replaces it instead of throwing.
std::string quoted(const std::string& text) {
  const auto cut = text.size() <= 60 ? text : text.substr(0, 57) + "...";
  return json(cut).dump(-1, ' ', false, json::error_handler_t::replace);
}

bool in_range(const Key& key, double value) {
  if (key.min && (key.min_exclusive ? !(value > *key.min) : !(value >= *key.min))) {
    return false;
  }
  return !key.max || value <= *key.max;
}

bool truthy(const json& value) {
  return (value.is_boolean() && value.get<bool>()) ||
         (value.is_number() && value.get<double>() != 0);
}

std::string quoted_names(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

}  // namespace

SourceLocation KeyChecker::at(const toml::node& node) const {
  return SourceLocation{file_, static_cast<int>(node.source().begin.line)};
}

std::string KeyChecker::label(const Section& section, const std::string& key) {
  return section.name.starts_with("[") ? section.name + " " + key : section.name + "." + key;
}

std::string KeyChecker::describe(const toml::node& node) {
  if (const auto* s = node.as_string())
    return "the string " + quoted(s->get());
  if (const auto* i = node.as_integer())
    return "the integer " + std::to_string(i->get());
  if (const auto* f = node.as_floating_point())
    return "the number " + number_text(f->get());
  if (const auto* b = node.as_boolean())
    return std::string("the boolean ") + (b->get() ? "true" : "false");
  if (node.is_array())
    return "a list";
  if (node.is_table())
    return "a table";
  if (node.is_date())
    return "a date";
  if (node.is_time())
    return "a time";
  return "a date-time";
}

void KeyChecker::wrong(const toml::node& node, const Key& key, const std::string& label,
                       const std::string& given) const {
  throw ScenarioFileError(at(node), label + " must be " + key.expected() + ", got " + given);
}

void KeyChecker::unknown_key(const toml::node& node, const std::string& key,
                             const std::string& where,
                             const std::vector<std::string>& allowed) const {
  const auto guess = steps::closest(key, allowed);
  throw ScenarioFileError(at(node), "unknown key '" + key + "' in " + where +
                                        (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                                        "; allowed: " + quoted_names(allowed));
}

json KeyChecker::string_value(const toml::node& node, const Key& key, const std::string& label,
                              const std::string& given) const {
  const auto* s = node.as_string();
  if (s == nullptr) {
    wrong(node, key, label, given);
  }
  const std::string text = s->get();
  if (key.non_empty && text.empty()) {
    wrong(node, key, label, given);
  }
  if (!key.one_of.empty() &&
      std::find(key.one_of.begin(), key.one_of.end(), text) == key.one_of.end()) {
    const auto guess = steps::closest(text, key.one_of);
    throw ScenarioFileError(at(node),
                            label + " must be " + key.expected() + ", got " + given +
                                (guess.empty() ? "" : " (did you mean \"" + guess + "\"?)"));
  }
  if (key.is_path && key.in_pfu_package && text.starts_with(kPfuPackagePlaceholder)) {
    // A file of Python for Unity's package: the run knows where that is
    // (--pfu-package) and checks it is there before it starts anything.
    return text;
  }
  if (key.is_path) {
    // A script that is not there is a file:line error now rather than a
    // process that fails to start later; so is one that cannot be looked for
    // (a name too long, a folder that cannot be read).
    const auto path = file_.parent_path() / text;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      throw ScenarioFileError(at(node),
                              label + " '" + text + "' " +
                                  (error ? "cannot be looked for (" + error.message() + ")"
                                         : std::string("not found")) +
                                  " (looked at " + path.string() + ")");
    }
    return path.string();
  }
  return text;
}

json KeyChecker::value(const toml::node& node, const Key& key, const std::string& label) const {
  const std::string given = describe(node);
  switch (key.type) {
    case Type::kString:
      return string_value(node, key, label, given);
    case Type::kNumber: {
      double number = 0;
      if (const auto* i = node.as_integer()) {
        number = static_cast<double>(i->get());
      } else if (const auto* f = node.as_floating_point()) {
        number = f->get();
      } else {
        wrong(node, key, label, given);
      }
      if (!std::isfinite(number) || !in_range(key, number)) {
        wrong(node, key, label, given);
      }
      return number;
    }
    case Type::kInteger: {
      const auto* i = node.as_integer();
      // Within int32 unless the key says otherwise: the runner keeps counts in ints.
      if (i == nullptr || !in_range(key, static_cast<double>(i->get())) ||
          (!key.max && i->get() > std::numeric_limits<std::int32_t>::max())) {
        wrong(node, key, label, given);
      }
      return i->get();
    }
    case Type::kBool:
      if (!node.is_boolean()) {
        wrong(node, key, label, given);
      }
      return node.as_boolean()->get();
    case Type::kTrue:
      if (!node.is_boolean() || !node.as_boolean()->get()) {
        wrong(node, key, label, given);
      }
      return true;
    case Type::kStringList: {
      const auto* array = node.as_array();
      if (array == nullptr) {
        wrong(node, key, label, given);
      }
      json items = json::array();
      for (std::size_t i = 0; i < array->size(); ++i) {
        const auto& item = *array->get(i);
        items.push_back(
            string_value(item, key, label,
                         "a list whose item " + std::to_string(i + 1) + " is " + describe(item)));
      }
      if (key.min && static_cast<double>(items.size()) < *key.min) {
        wrong(node, key, label, "an empty list");
      }
      return items;
    }
    case Type::kList:
    case Type::kAny: {
      if (key.type == Type::kList && !node.is_array()) {
        wrong(node, key, label, given);
      }
      const toml::node* date = nullptr;
      auto result = to_json(node, date);
      if (date != nullptr) {
        throw ScenarioFileError(at(*date), label + " holds " + describe(*date) +
                                               ", which has no JSON form (write it as a string)");
      }
      return result;
    }
  }
  wrong(node, key, label, given);
}

json KeyChecker::table(const toml::table& table, const Section& section) const {
  json values = json::object();
  for (const auto& [name, node] : table) {
    const std::string key_name(name.str());
    const Key* key = section.find(key_name);
    if (key == nullptr) {
      unknown_key(node, key_name, section.name, section.key_names());
    }
    values[key_name] = value(node, *key, label(section, key_name));
  }
  for (const auto& key : section.keys) {
    if (key.is_required && !values.contains(key.name)) {
      throw ScenarioFileError(at(table), section.name + " needs '" + key.name + "' (" +
                                             key.expected() + ": " + key.doc + ")");
    }
    if (!values.contains(key.name)) {
      continue;
    }
    const auto& node = *table.get(key.name);
    if (!key.needs.empty() && !values.contains(key.needs)) {
      throw ScenarioFileError(at(node), label(section, key.name) + " needs " +
                                            label(section, key.needs) + " too (" + key.doc + ")");
    }
    if (!key.not_with.empty() && values.contains(key.not_with) && truthy(values[key.not_with])) {
      throw ScenarioFileError(at(node), label(section, key.name) + " means nothing with " +
                                            key.not_with + " = " + values[key.not_with].dump() +
                                            "; drop one of them");
    }
  }
  check_bounds(table, section, values);
  for (const auto& key : section.keys) {
    if (!values.contains(key.name) && key.fallback) {
      values[key.name] = *key.fallback;
    }
  }
  return values;
}

void KeyChecker::check_bounds(const toml::table& table, const Section& section,
                              const json& values) const {
  for (const auto& bound : section.bounds) {
    if (values.contains(bound.low) && values.contains(bound.high) &&
        values[bound.low].get<double>() > values[bound.high].get<double>()) {
      throw ScenarioFileError(at(*table.get(bound.low)),
                              "contradictory bounds: " + label(section, bound.low) + " = " +
                                  number_text(values[bound.low].get<double>()) + " is above " +
                                  label(section, bound.high) + " = " +
                                  number_text(values[bound.high].get<double>()) +
                                  "; nothing can satisfy both");
    }
  }
}

void KeyChecker::fill_computed(json& params, const Section& section, const std::string& title) {
  for (const auto& key : section.keys) {
    if (!params.contains(key.name) && key.fallback_from) {
      params[key.name] = key.fallback_from(params, title);
    }
  }
}

}  // namespace understudy::harness
