// Conversions between the object model's values and Python, and the cache of
// Python objects for engine objects.
#include <pybind11/stl.h>

#include "fake_engine/unreal/not_emulated.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy::unreal {

namespace {

[[noreturn]] void type_error(std::string_view what, const ValueType& type, py::handle value) {
  throw py::type_error(std::string(what) + ": expected " + type.spelling() + ", got " +
                       python_type_name(value) + " " + py::repr(value).cast<std::string>());
}

std::int64_t integer_of(std::string_view what, const ValueType& type, py::handle value,
                        std::int64_t low, std::int64_t high) {
  if (!PyLong_Check(value.ptr())) {
    type_error(what, type, value);
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow != 0 || v < low || v > high) {
    throw py::value_error(std::string(what) + ": " + py::repr(value).cast<std::string>() +
                          " does not fit " + type.spelling() + " [" + std::to_string(low) + ", " +
                          std::to_string(high) + "]");
  }
  return v;
}

py::object cached(std::unordered_map<const void*, py::object>& cache, const void* key,
                  UObjectHandle handle) {
  auto& slot = cache[key];
  if (!slot) {
    slot = py::cast(std::move(handle));
  }
  return slot;
}

}  // namespace

std::string python_thread_name() {
  return py::str(py::module_::import("threading").attr("current_thread")().attr("name"));
}

std::shared_ptr<PythonEngineState> engine_for(const WeakState& weak, std::string_view api) {
  auto state = weak.lock();
  if (!state) {
    throw std::runtime_error(std::string(api) + ": the engine that owned this object has stopped");
  }
  if (!state->affinity.is_main_thread()) {
    throw WrongThreadError(api, python_thread_name());
  }
  return state;
}

std::string python_type_name(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

const ClassInfo& class_argument(py::handle cls, std::string_view api) {
  if (py::isinstance<UObjectHandle>(cls)) {
    if (const auto* info = cls.cast<const UObjectHandle&>().cls) {
      return *info;
    }
  }
  // As UEP: a class, never its name.
  throw py::type_error(std::string(api) + ": argument is not a UClass (got " +
                       python_type_name(cls) + " " + py::repr(cls).cast<std::string>() + ")");
}

py::object wrap_object(PythonEngineState& state, const WeakState& weak, ObjectId id) {
  if (id == 0) {
    return py::none();
  }
  auto& slot = state.object_wrappers[id];
  if (!slot) {
    UObjectHandle handle;
    handle.state = weak;
    handle.id = id;
    const auto* object = state.world.objects().find(id);
    handle.object_class = object ? object->cls : nullptr;
    slot = py::cast(std::move(handle));
  }
  return slot;
}

py::object wrap_class(PythonEngineState& state, const WeakState& weak, const ClassInfo* cls) {
  if (!cls) {
    return py::none();
  }
  UObjectHandle handle;
  handle.state = weak;
  handle.cls = cls;
  return cached(state.type_wrappers, cls, std::move(handle));
}

py::object wrap_struct_type(PythonEngineState& state, const WeakState& weak,
                            const StructInfo* info) {
  if (!info) {
    return py::none();
  }
  UObjectHandle handle;
  handle.state = weak;
  handle.script_struct = info;
  return cached(state.type_wrappers, info, std::move(handle));
}

py::object wrap_enum(PythonEngineState& state, const WeakState& weak, const EnumInfo* info) {
  if (!info) {
    return py::none();
  }
  UObjectHandle handle;
  handle.state = weak;
  handle.enumeration = info;
  return cached(state.type_wrappers, info, std::move(handle));
}

void forget_wrapper(PythonEngineState& state, ObjectId id) {
  state.object_wrappers.erase(id);
}

py::object to_python(PythonEngineState& state, const WeakState& weak, const ValueType& type,
                     const Value& value, bool nested_view) {
  switch (type.kind) {
    case ValueKind::kBool:
      return py::bool_(value.as<bool>());
    case ValueKind::kByte:
      return py::int_(value.as<std::uint8_t>());
    case ValueKind::kInt:
    case ValueKind::kInt64:
      return py::int_(value.as<std::int64_t>());
    case ValueKind::kFloat:
    case ValueKind::kDouble:
      return py::float_(value.as<double>());
    case ValueKind::kString:
      return py::str(value.as<std::string>());
    case ValueKind::kName:
      return py::str(value.as<NameValue>().text);
    case ValueKind::kText:
      return py::str(value.as<TextValue>().text);
    case ValueKind::kEnum:
      return py::int_(value.as<EnumValue>().value);
    case ValueKind::kStruct: {
      const auto& box = value.as<StructBox>();
      if (const auto* codec = math_codec(*type.struct_info)) {
        return codec->to_python(box.get());
      }
      if (nested_view) {
        return py::cast(StructInstance{box.shared(), weak});
      }
      return py::cast(StructInstance{std::make_shared<StructValue>(box.get()), weak});
    }
    case ValueKind::kObject:
      return wrap_object(state, weak, value.as<ObjectRef>().id);
    case ValueKind::kClass:
      return wrap_class(state, weak, value.as<ClassRef>().cls);
    case ValueKind::kArray: {
      py::list list;
      for (const auto& item : value.as<ValueList>()) {
        list.append(to_python(state, weak, *type.item, item));
      }
      return list;
    }
    case ValueKind::kSet: {
      py::set set;
      for (const auto& item : value.as<ValueList>()) {
        set.add(to_python(state, weak, *type.item, item));
      }
      return set;
    }
    case ValueKind::kMap: {
      py::dict dict;
      for (const auto& [key, item] : value.as<ValueMap>()) {
        dict[to_python(state, weak, *type.key, key)] = to_python(state, weak, *type.item, item);
      }
      return dict;
    }
  }
  return py::none();
}

Value from_python(PythonEngineState& state, const ValueType& type, py::handle value,
                  std::string_view what) {
  switch (type.kind) {
    case ValueKind::kBool:
      if (PyBool_Check(value.ptr())) {
        return Value(value.ptr() == Py_True);
      }
      if (PyLong_Check(value.ptr())) {
        return Value(integer_of(what, type, value, INT64_MIN, INT64_MAX) != 0);
      }
      type_error(what, type, value);
    case ValueKind::kByte:
      return Value(static_cast<std::uint8_t>(integer_of(what, type, value, 0, 255)));
    case ValueKind::kInt:
      return Value(integer_of(what, type, value, INT32_MIN, INT32_MAX));
    case ValueKind::kInt64:
      return Value(integer_of(what, type, value, INT64_MIN, INT64_MAX));
    case ValueKind::kFloat:
    case ValueKind::kDouble: {
      if (!PyFloat_Check(value.ptr()) && !PyLong_Check(value.ptr())) {
        type_error(what, type, value);
      }
      const double number = PyFloat_AsDouble(value.ptr());
      if (number == -1.0 && PyErr_Occurred()) {
        throw py::error_already_set();
      }
      // UE's float is 32 bits: what a script reads back is what UE stored.
      return Value(type.kind == ValueKind::kFloat ? static_cast<double>(static_cast<float>(number))
                                                  : number);
    }
    case ValueKind::kString:
    case ValueKind::kName:
    case ValueKind::kText: {
      if (!PyUnicode_Check(value.ptr())) {
        type_error(what, type, value);
      }
      auto text = value.cast<std::string>();
      if (type.kind == ValueKind::kName) {
        return Value(NameValue{std::move(text)});
      }
      if (type.kind == ValueKind::kText) {
        return Value(TextValue{std::move(text)});
      }
      return Value(std::move(text));
    }
    case ValueKind::kEnum: {
      if (PyUnicode_Check(value.ptr())) {
        try {
          return state.world.types().coerce(type, Value(value.cast<std::string>()));
        } catch (const std::invalid_argument& e) {
          throw py::value_error(std::string(what) + ": " + e.what());
        }
      }
      const auto v = integer_of(what, type, value, INT64_MIN, INT64_MAX);
      if (!type.enum_info->name_of(v)) {
        throw py::value_error(std::string(what) + ": " + std::to_string(v) +
                              " is not a value of enum " + type.enum_info->name);
      }
      return Value(EnumValue{type.enum_info, v});
    }
    case ValueKind::kStruct: {
      const auto* info = type.struct_info;
      if (py::isinstance<StructInstance>(value)) {
        const auto& instance = value.cast<const StructInstance&>();
        if (instance.value->type != info) {
          throw py::type_error(std::string(what) + ": expected struct " + info->name + ", got " +
                               instance.value->type->name);
        }
        return Value(StructBox(*instance.value));
      }
      if (const auto* codec = math_codec(*info)) {
        StructValue out = info->prototype;
        if (codec->from_python(value, out)) {
          return Value(StructBox(std::move(out)));
        }
      }
      type_error(what, type, value);
    }
    case ValueKind::kObject: {
      if (value.is_none()) {
        return Value(ObjectRef{});
      }
      if (!py::isinstance<UObjectHandle>(value)) {
        type_error(what, type, value);
      }
      const auto& handle = value.cast<const UObjectHandle&>();
      if (!handle.is_object()) {
        // UE's UClass is a UObject; the object model keeps types apart from
        // objects, so an object property cannot hold one.
        throw_not_emulated(std::string(what) +
                           " (a UClass, UScriptStruct or UEnum held in an "
                           "object property)");
      }
      const auto* object = state.world.objects().find(handle.id);
      if (!object) {
        throw py::value_error(std::string(what) + ": the object given is no longer valid");
      }
      if (type.class_info && !object->cls->is_a(*type.class_info)) {
        throw py::type_error(std::string(what) + ": expected an object of class " +
                             type.class_info->name + ", got a " + object->cls->name);
      }
      return Value(ObjectRef{handle.id});
    }
    case ValueKind::kClass: {
      if (value.is_none()) {
        return Value(ClassRef{});
      }
      if (!py::isinstance<UObjectHandle>(value)) {
        type_error(what, type, value);
      }
      const auto& given = value.cast<const UObjectHandle&>();
      if (!given.cls && (given.script_struct || given.enumeration)) {
        // UE's UObject fields that hold a class (EdGraphPinType's
        // PinSubCategoryObject) hold a UScriptStruct or UEnum as well.
        throw_not_emulated(std::string(what) +
                           " (a UScriptStruct or UEnum held where the model holds a class)");
      }
      if (!given.cls) {
        type_error(what, type, value);
      }
      const auto* cls = given.cls;
      if (type.class_info && !cls->is_a(*type.class_info)) {
        throw py::type_error(std::string(what) + ": expected a subclass of " +
                             type.class_info->name + ", got " + cls->name);
      }
      return Value(ClassRef{cls});
    }
    case ValueKind::kArray:
    case ValueKind::kSet: {
      if (!py::isinstance<py::list>(value) && !py::isinstance<py::tuple>(value) &&
          !py::isinstance<py::set>(value) && !py::isinstance<py::frozenset>(value)) {
        type_error(what, type, value);
      }
      ValueList list;
      std::size_t index = 0;
      for (const auto item : value) {
        auto converted = from_python(state, *type.item, item,
                                     std::string(what) + "[" + std::to_string(index++) + "]");
        if (type.kind == ValueKind::kSet &&
            std::find(list.begin(), list.end(), converted) != list.end()) {
          continue;
        }
        list.push_back(std::move(converted));
      }
      return Value(std::move(list));
    }
    case ValueKind::kMap: {
      if (!py::isinstance<py::dict>(value)) {
        type_error(what, type, value);
      }
      ValueMap map;
      for (const auto& [key, item] : value.cast<py::dict>()) {
        const auto where = std::string(what) + "[" + py::repr(key).cast<std::string>() + "]";
        map.emplace_back(from_python(state, *type.key, key, where),
                         from_python(state, *type.item, item, where));
      }
      return Value(std::move(map));
    }
  }
  type_error(what, type, value);
}

}  // namespace understudy::unreal
