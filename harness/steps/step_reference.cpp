// The steps reference, printed from the catalog (scenarios/README.md keeps a
// copy between markers; a test fails when the copy is out of date).
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "harness/steps/step_catalog.h"

namespace understudy::harness::steps {
namespace {

// Table cells: a '|' would end the cell.
std::string cell(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  }
  return escaped;
}

std::string default_text(const Key& key) {
  if (key.is_required) {
    return "required";
  }
  if (key.fallback) {
    return "`" + key.fallback->dump() + "`";
  }
  return key.fallback_text.empty() ? "unset" : key.fallback_text;
}

std::string key_list(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

std::string usage(const Action& action) {
  std::string text;
  if (action.value) {
    switch (action.value->type) {
      case Type::kTrue:
        text = action.name + " = true";
        break;
      case Type::kString:
        text = action.name + " = \"code\"";
        break;
      default:
        text = action.name + " = " + action.value->unit;
    }
  }
  if (action.table) {
    text += (text.empty() ? "" : "` or `") + action.name + " = {" +
            key_list(action.table->key_names()) + "}";
  }
  return "`" + text + "`";
}

void print_keys(std::ostream& out, const Section& section) {
  out << "| key | must be | default | meaning |\n| --- | --- | --- | --- |\n";
  for (const auto& key : section.keys) {
    std::string meaning = key.doc;
    if (key.is_path) {
      meaning += key.in_pfu_package ? " (must exist), or `{pfu_package}/...` in PfU's package"
                                    : " (must exist)";
    }
    if (!key.needs.empty()) {
      meaning += "; only with `" + key.needs + "`";
    }
    if (!key.not_with.empty()) {
      meaning += "; not with `" + key.not_with + "`";
    }
    out << "| `" << key.name << "` | " << cell(key.expected()) << " | " << cell(default_text(key))
        << " | " << cell(meaning) << " |\n";
  }
  for (const auto& bound : section.bounds) {
    out << "\n`" << bound.low << "` may not be above `" << bound.high << "`.\n";
  }
}

}  // namespace

void print_step_reference(std::ostream& out) {
  out << kReferenceBegin << "\n\n";
  out << "| action | what it does | `expect` keys |\n| --- | --- | --- |\n";
  for (const auto& action : actions()) {
    out << "| " << cell(usage(action)) << " | " << cell(action.doc) << " | "
        << (action.expect.empty() ? "none" : key_list(action.expect)) << " |\n";
  }
  out << "\nThe keys of each action's table, and of `expect`:\n";
  for (const auto& action : actions()) {
    if (action.table && !action.table->keys.empty()) {
      out << "\n`" << action.name << "`";
      if (action.value) {
        out << " (`" << action.name << " = true` takes the defaults)";
      }
      out << "\n\n";
      print_keys(out, *action.table);
    }
  }
  out << "\n`expect`\n\n";
  print_keys(out, expect_section());
  out << "\nThe other tables:\n";
  for (const auto* section :
       {&scenario_section(), &engine_section(), &redis_section(), &clients_section()}) {
    out << "\n`" << section->name << "`\n\n";
    print_keys(out, *section);
  }
  out << "\n" << kReferenceEnd << "\n";
}

void update_step_reference(const std::string& markdown_file) {
  std::ifstream in(markdown_file);
  if (!in) {
    throw std::runtime_error(markdown_file + ": cannot be read");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const auto begin = text.find(kReferenceBegin);
  const auto end = text.find(kReferenceEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    throw std::runtime_error(markdown_file + ": no steps reference markers ('" +
                             std::string(kReferenceBegin) + "' ... '" + std::string(kReferenceEnd) +
                             "')");
  }
  std::ostringstream reference;
  print_step_reference(reference);
  auto after = end + kReferenceEnd.size();
  if (after < text.size() && text[after] == '\n') {
    ++after;
  }
  std::ofstream out(markdown_file, std::ios::trunc);
  out << text.substr(0, begin) << reference.str() << text.substr(after);
  if (!out) {
    throw std::runtime_error(markdown_file + ": cannot be written");
  }
}

}  // namespace understudy::harness::steps
