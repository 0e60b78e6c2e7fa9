#include "fake_engine/objects/value.h"

#include <stdexcept>

#include "fake_engine/objects/type_registry.h"

namespace understudy {

namespace {

struct KindSpelling {
  const char* word;
  ValueKind kind;
};

constexpr KindSpelling kScalarKinds[] = {
    {"bool", ValueKind::kBool},     {"byte", ValueKind::kByte},   {"int", ValueKind::kInt},
    {"int64", ValueKind::kInt64},   {"float", ValueKind::kFloat}, {"double", ValueKind::kDouble},
    {"string", ValueKind::kString}, {"name", ValueKind::kName},   {"text", ValueKind::kText},
};

constexpr KindSpelling kNamedKinds[] = {
    {"enum", ValueKind::kEnum},
    {"struct", ValueKind::kStruct},
    {"object", ValueKind::kObject},
    {"class", ValueKind::kClass},
};

constexpr KindSpelling kContainerKinds[] = {
    {"array", ValueKind::kArray},
    {"set", ValueKind::kSet},
    {"map", ValueKind::kMap},
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return text;
}

[[noreturn]] void bad_type(std::string_view spelling, const std::string& why) {
  throw std::invalid_argument("type '" + std::string(spelling) + "': " + why +
                              " (types are bool, byte, int, int64, float, double, string, name, "
                              "text, enum:E, struct:S, object:C, class:C, array<T>, set<T>, "
                              "map<K,V>)");
}

// The comma that separates a map's key and value types, outside nested <>.
std::size_t top_level_comma(std::string_view inner) {
  int depth = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '<') {
      ++depth;
    } else if (inner[i] == '>') {
      --depth;
    } else if (inner[i] == ',' && depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

ValueType parse_value_type(std::string_view spelling) {
  const auto text = trim(spelling);
  ValueType type;
  for (const auto& scalar : kScalarKinds) {
    if (text == scalar.word) {
      type.kind = scalar.kind;
      return type;
    }
  }
  const auto open_angle = text.find('<');
  if (const auto colon = text.find(':'); colon != std::string_view::npos && colon < open_angle) {
    const auto word = text.substr(0, colon);
    const auto name = trim(text.substr(colon + 1));
    for (const auto& named : kNamedKinds) {
      if (word == named.word) {
        if (name.empty()) {
          bad_type(spelling, "'" + std::string(word) + ":' needs a type name after the colon");
        }
        type.kind = named.kind;
        type.type_name = std::string(name);
        return type;
      }
    }
    bad_type(spelling, "unknown kind '" + std::string(word) + "'");
  }
  if (const auto open = open_angle; open != std::string_view::npos) {
    if (text.back() != '>') {
      bad_type(spelling, "a container type ends with '>'");
    }
    const auto word = text.substr(0, open);
    const auto inner = text.substr(open + 1, text.size() - open - 2);
    for (const auto& container : kContainerKinds) {
      if (word != container.word) {
        continue;
      }
      type.kind = container.kind;
      if (container.kind == ValueKind::kMap) {
        const auto comma = top_level_comma(inner);
        if (comma == std::string_view::npos) {
          bad_type(spelling, "a map names a key and a value type: map<K,V>");
        }
        type.key = std::make_shared<ValueType>(parse_value_type(inner.substr(0, comma)));
        type.item = std::make_shared<ValueType>(parse_value_type(inner.substr(comma + 1)));
      } else {
        type.item = std::make_shared<ValueType>(parse_value_type(inner));
      }
      return type;
    }
    bad_type(spelling, "unknown container '" + std::string(word) + "'");
  }
  bad_type(spelling, "unknown type");
}

std::string ValueType::spelling() const {
  for (const auto& scalar : kScalarKinds) {
    if (kind == scalar.kind) {
      return scalar.word;
    }
  }
  for (const auto& named : kNamedKinds) {
    if (kind == named.kind) {
      return std::string(named.word) + ":" + type_name;
    }
  }
  if (kind == ValueKind::kMap) {
    return "map<" + key->spelling() + "," + item->spelling() + ">";
  }
  return std::string(kind == ValueKind::kArray ? "array<" : "set<") + item->spelling() + ">";
}

bool ValueType::is_numeric() const {
  switch (kind) {
    case ValueKind::kByte:
    case ValueKind::kInt:
    case ValueKind::kInt64:
    case ValueKind::kFloat:
    case ValueKind::kDouble:
      return true;
    default:
      return false;
  }
}

StructBox::StructBox(StructValue value) : value_(std::make_shared<StructValue>(std::move(value))) {}

StructBox::StructBox(const StructBox& other)
    : value_(std::make_shared<StructValue>(*other.value_)) {}

StructBox& StructBox::operator=(const StructBox& other) {
  if (this != &other) {
    *value_ = *other.value_;
  }
  return *this;
}

StructBox& StructBox::operator=(StructBox&& other) noexcept {
  if (this != &other) {
    if (value_ && other.value_) {
      *value_ = std::move(*other.value_);
    } else {
      value_ = std::move(other.value_);
    }
  }
  return *this;
}

StructBox::~StructBox() = default;

bool operator==(const StructValue& a, const StructValue& b) {
  return a.type == b.type && a.fields == b.fields;
}

bool operator==(const Value& a, const Value& b) {
  if (a.storage.index() != b.storage.index()) {
    return false;
  }
  return std::visit(
      [&b](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        const auto& y = std::get<T>(b.storage);
        if constexpr (std::is_same_v<T, std::monostate>) {
          return true;
        } else if constexpr (std::is_same_v<T, NameValue> || std::is_same_v<T, TextValue>) {
          return x.text == y.text;
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return x.type == y.type && x.value == y.value;
        } else if constexpr (std::is_same_v<T, StructBox>) {
          return x.get() == y.get();
        } else if constexpr (std::is_same_v<T, ObjectRef>) {
          return x.id == y.id;
        } else if constexpr (std::is_same_v<T, ClassRef>) {
          return x.cls == y.cls;
        } else {
          return x == y;
        }
      },
      a.storage);
}

Value default_value(const ValueType& type) {
  switch (type.kind) {
    case ValueKind::kBool:
      return Value(false);
    case ValueKind::kByte:
      return Value(std::uint8_t{0});
    case ValueKind::kInt:
    case ValueKind::kInt64:
      return Value(std::int64_t{0});
    case ValueKind::kFloat:
    case ValueKind::kDouble:
      return Value(0.0);
    case ValueKind::kString:
      return Value(std::string());
    case ValueKind::kName:
      return Value(NameValue{"None"});
    case ValueKind::kText:
      return Value(TextValue{});
    case ValueKind::kEnum: {
      const std::int64_t first = type.enum_info && !type.enum_info->values.empty()
                                     ? type.enum_info->values.front().second
                                     : 0;
      return Value(EnumValue{type.enum_info, first});
    }
    case ValueKind::kStruct:
      if (type.struct_info == nullptr) {
        throw std::logic_error("default_value of unresolved struct type " + type.spelling());
      }
      return Value(StructBox(type.struct_info->prototype));
    case ValueKind::kObject:
      return Value(ObjectRef{});
    case ValueKind::kClass:
      return Value(ClassRef{});
    case ValueKind::kArray:
    case ValueKind::kSet:
      return Value(ValueList{});
    case ValueKind::kMap:
      return Value(ValueMap{});
  }
  return Value();
}

}  // namespace understudy
