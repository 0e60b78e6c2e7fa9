// What the files of UEP's math classes (unreal_math_types.h) share, private
// to them: how a class reads its Python arguments and operands (numbers, the
// other classes' instances, constructor arguments by position or name), what
// an operator answers for an operand it does not take, and how UEP prints a
// number. One define_* per class, grouped by family: unreal_math_vectors.cpp,
// unreal_math_rotations.cpp, unreal_math_colors.cpp,
// unreal_math_random_stream.cpp; unreal_math_types.cpp defines them on the
// module and says where the classes differ from UEP.
//
// REQUIRES: GIL held.
#pragma once

#include <pybind11/pybind11.h>
// Every class converts std::optional & co the same way.
#include <pybind11/stl.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>

namespace understudy::unreal_math_detail {

namespace py = pybind11;

// Inline, as the templates below: every operator of every class goes through
// them, and they are cheaper than a call.

// str(float), as UEP's %S of a PyFloat shows it.
inline std::string float_text(double value) {
  char* text = PyOS_double_to_string(value, 'r', 0, Py_DTSF_ADD_DOT_0, nullptr);
  if (text == nullptr) {
    throw py::error_already_set();
  }
  std::string result(text);
  PyMem_Free(text);
  return result;
}

// A Python number (int, float, anything with __float__ or __index__) as a
// double; nothing for other objects. UEP's PyNumber_Check + PyNumber_Float.
inline std::optional<double> number_of(py::handle value) {
  PyObject* object = value.ptr();
  if (PyFloat_CheckExact(object)) {
    return PyFloat_AS_DOUBLE(object);
  }
  if (!PyLong_Check(object) && !PyFloat_Check(object) && !PyNumber_Check(object)) {
    return std::nullopt;
  }
  const double result = PyFloat_AsDouble(object);
  if (result == -1.0 && PyErr_Occurred()) {
    throw py::error_already_set();
  }
  return result;
}

// A number, or TypeError naming `what`.
inline double require_number(py::handle value, const char* what) {
  if (auto number = number_of(value)) {
    return *number;
  }
  throw py::type_error(std::string(what) + ": value is not numeric, got " +
                       py::repr(value).cast<std::string>());
}

[[noreturn]] inline void raise_zero_division() {
  PyErr_SetString(PyExc_ZeroDivisionError, "division by zero");
  throw py::error_already_set();
}

inline py::object not_implemented() {
  return py::reinterpret_borrow<py::object>(Py_NotImplemented);
}

// pybind11's record of T's class. Classes are registered once per process
// and their records live as long as the interpreter. REQUIRES: T registered.
template <class T>
const py::detail::type_info* class_record() {
  static const py::detail::type_info* record = nullptr;
  if (record == nullptr) {
    record = py::detail::get_type_info(typeid(T), /*throw_if_missing=*/true);
  }
  return record;
}

// The C++ value behind `value` when it is an instance of T's class (or of a
// subclass); nullptr otherwise. The hot path of every operator: one type
// comparison, no lookup by typeid.
template <class T>
const T* instance_of(py::handle value) {
  const py::detail::type_info* record = class_record<T>();
  PyTypeObject* type = Py_TYPE(value.ptr());
  if (type != record->type && PyType_IsSubtype(type, record->type) == 0) {
    return nullptr;
  }
  auto slot = reinterpret_cast<py::detail::instance*>(value.ptr())
                  ->get_value_and_holder(record, /*throw_if_missing=*/false);
  return slot ? static_cast<const T*>(slot.value_ptr()) : nullptr;
}

// A new Python object holding a copy of `value`, as py::cast(value) but
// without looking T's class up by typeid.
template <class T>
py::object new_instance(const T& value) {
  auto copy = [](const void* source) -> void* { return new T(*static_cast<const T*>(source)); };
  return py::reinterpret_steal<py::object>(py::detail::type_caster_generic::cast(
      &value, py::return_value_policy::copy, py::handle(), class_record<T>(), copy, nullptr));
}

template <class T>
const T& require(py::handle value, const char* what, const char* type_name) {
  if (const T* result = instance_of<T>(value)) {
    return *result;
  }
  throw py::type_error(std::string(what) + ": argument is not a " + type_name + ", got " +
                       py::repr(value).cast<std::string>());
}

// Constructor arguments: up to N numbers, positionally (as UEP) or by name.
template <std::size_t N>
struct NumberArguments {
  std::array<double, N> values;
  std::size_t positional = 0;
};

template <std::size_t N>
NumberArguments<N> number_arguments(const char* type, const py::args& args,
                                    const py::kwargs& kwargs,
                                    const std::array<const char*, N>& names,
                                    std::array<double, N> defaults) {
  NumberArguments<N> result{defaults, args.size()};
  if (args.size() > N) {
    throw py::type_error(std::string(type) + "() takes at most " + std::to_string(N) +
                         " arguments (" + std::to_string(args.size()) + " given)");
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    result.values[i] = require_number(args[i], type);
  }
  for (const auto& [key, value] : kwargs) {
    const auto name = py::str(key).cast<std::string>();
    std::size_t index = 0;
    while (index < N && name != names[index]) {
      ++index;
    }
    if (index == N) {
      throw py::type_error(std::string(type) + "() got an unexpected keyword argument '" + name +
                           "'");
    }
    if (index < args.size()) {
      throw py::type_error(std::string(type) + "() got multiple values for argument '" + name +
                           "'");
    }
    result.values[index] = require_number(value, type);
  }
  return result;
}

template <class T>
void define_copy(py::class_<T>& cls) {
  cls.def("__copy__", [](const T& self) { return self; })
      .def(
          "__deepcopy__", [](const T& self, const py::object&) { return self; }, py::arg("memo"));
}

void define_vector(py::module_& m);
void define_vector2d(py::module_& m);
void define_rotator(py::module_& m);
void define_quat(py::module_& m);
void define_transform(py::module_& m);
void define_linear_color(py::module_& m);
void define_color(py::module_& m);
void define_random_stream(py::module_& m);

}  // namespace understudy::unreal_math_detail
