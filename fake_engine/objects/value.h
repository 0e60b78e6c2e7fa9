// Property values of the object model: what a property, a struct field or an
// array element holds, typed by a ValueType.
//
// Values have value semantics: copying a Value copies nested structs and
// containers. A struct inside a value is boxed so that a Python view of it
// (UEP hands out nested structs by reference: `model.BuildSettings.bX = 1`
// must stick) can point at it for as long as its owner lives; assigning to a
// boxed struct overwrites it in place, so that such a view stays valid.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace understudy {

using ObjectId = std::uint64_t;  // 0 is "no object" (None)

class ClassInfo;
class StructInfo;
class EnumInfo;

enum class ValueKind {
  kBool,
  kByte,
  kInt,
  kInt64,
  kFloat,
  kDouble,
  kString,  // FString
  kName,    // FName
  kText,    // FText
  kEnum,
  kStruct,
  kObject,  // a reference to an object of a class (or None)
  kClass,   // a reference to a class (TSubclassOf), or None
  kArray,
  kSet,
  kMap,
};

// A property's declared type: "int", "struct:Vector", "array<object:Texture2D>".
// Named types (enum, struct, object, class) are resolved against the
// TypeRegistry once every schema file is loaded.
struct ValueType {
  ValueKind kind = ValueKind::kInt;
  std::string type_name;                  // enum, struct, object and class kinds
  std::shared_ptr<const ValueType> key;   // kMap
  std::shared_ptr<const ValueType> item;  // kArray, kSet, kMap (the value)
  // Set by TypeRegistry::resolve.
  const EnumInfo* enum_info = nullptr;
  const StructInfo* struct_info = nullptr;
  const ClassInfo* class_info = nullptr;

  // The spelling schemas use, as parse() reads it.
  std::string spelling() const;
  bool is_numeric() const;
  bool is_container() const {
    return kind == ValueKind::kArray || kind == ValueKind::kSet || kind == ValueKind::kMap;
  }
};

// Parses a schema's type spelling; throws std::invalid_argument saying what is
// wrong ("unknown type 'flaot': expected bool, byte, int, ...").
ValueType parse_value_type(std::string_view spelling);

struct StructValue;

// A boxed struct: never null, deep-copied on copy, overwritten in place on
// assignment.
class StructBox {
 public:
  explicit StructBox(StructValue value);
  StructBox(const StructBox& other);
  StructBox(StructBox&&) noexcept = default;
  StructBox& operator=(const StructBox& other);
  StructBox& operator=(StructBox&& other) noexcept;
  ~StructBox();

  StructValue& get() { return *value_; }
  const StructValue& get() const { return *value_; }
  // Shares the box's storage (for views that must outlive a reallocation).
  const std::shared_ptr<StructValue>& shared() const { return value_; }

 private:
  std::shared_ptr<StructValue> value_;
};

struct EnumValue {
  const EnumInfo* type = nullptr;
  std::int64_t value = 0;
};

struct ObjectRef {
  ObjectId id = 0;
};

struct ClassRef {
  const ClassInfo* cls = nullptr;  // nullptr is None
};

struct Value;
using ValueList = std::vector<Value>;
using ValueMap = std::vector<std::pair<Value, Value>>;  // in insertion order, keys unique

// A name and a text are strings with a kind of their own, as FName and FText.
struct NameValue {
  std::string text;
};
struct TextValue {
  std::string text;
};

struct Value {
  using Storage =
      std::variant<std::monostate, bool, std::uint8_t, std::int64_t, double, std::string, NameValue,
                   TextValue, EnumValue, StructBox, ObjectRef, ClassRef, ValueList, ValueMap>;
  Storage storage;

  Value() = default;
  template <class T>
  requires(!std::is_same_v<std::decay_t<T>, Value>) explicit Value(T&& v)
      : storage(std::forward<T>(v)) {}

  template <class T>
  bool holds() const {
    return std::holds_alternative<T>(storage);
  }
  template <class T>
  T& as() {
    return std::get<T>(storage);
  }
  template <class T>
  const T& as() const {
    return std::get<T>(storage);
  }
};

bool operator==(const Value& a, const Value& b);

// A struct's fields, in the order its StructInfo declares them (parents first).
struct StructValue {
  const StructInfo* type = nullptr;
  std::vector<Value> fields;
};

bool operator==(const StructValue& a, const StructValue& b);

// The zero value of a type: false, 0, "", None, an empty container, or a
// struct with every field at its declared default.
Value default_value(const ValueType& type);

}  // namespace understudy
