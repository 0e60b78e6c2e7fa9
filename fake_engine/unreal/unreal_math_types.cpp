// UEP's math classes, as its wrappers define them. Where UEP is plainly
// broken the classes do what UEP meant instead, and say so here:
// - FRotator(x), FLinearColor(x), FColor(x): every colour/angle channel x
//   (UEP zeroes the rotator, and sets only r of a colour, the rest to alpha).
// - Operators given an unsupported operand return NotImplemented, so Python
//   raises TypeError (UEP returns an unchanged copy, or crashes on a reflected
//   `2 * v`); `2 * v` works.
// - == and != compare values for every class, and return False / True for
//   other types (UEP compares FVector and FVector2D only, and raises
//   NotImplementedError for other types; the rest compare identity).
// - repr() is str() (UEP defines only str()).
// - FRandomStream(seed) starts from that seed (UEP ignores arguments and always
//   draws a new seed).
// - Numbers are doubles (UE4's FVector holds floats; UEP reads arguments as floats).
// Extensions UEP lacks: unary minus, keyword arguments to constructors,
// __copy__/__deepcopy__, FTransform's rotation setter taking an FQuat.
//
// Over 500 lines as one unit: one define_* per UEP math class (FVector,
// FVector2D, FRotator, FQuat, FTransform, the colours, ...), alike in shape
// and sharing the argument, operator and text helpers at the top.
#include "fake_engine/unreal/unreal_math_types.h"

#include <pybind11/stl.h>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "fake_engine/objects/math/random_stream.h"
#include "fake_engine/objects/math/vector_math.h"

namespace py = pybind11;

namespace understudy {
namespace {

// str(float), as UEP's %S of a PyFloat shows it.
std::string float_text(double value) {
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
std::optional<double> number_of(py::handle value) {
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

double require_number(py::handle value, const char* what) {
  if (auto number = number_of(value)) {
    return *number;
  }
  throw py::type_error(std::string(what) + ": value is not numeric, got " +
                       py::repr(value).cast<std::string>());
}

[[noreturn]] void raise_zero_division() {
  PyErr_SetString(PyExc_ZeroDivisionError, "division by zero");
  throw py::error_already_set();
}

py::object not_implemented() {
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

std::uint8_t color_channel(py::handle value, const char* what) {
  // UEP stores a C long into a uint8: it wraps modulo 256.
  if (!PyNumber_Check(value.ptr())) {
    throw py::type_error(std::string(what) + ": value is not numeric");
  }
  const auto number = py::reinterpret_steal<py::object>(PyNumber_Long(value.ptr()));
  if (!number) {
    throw py::error_already_set();
  }
  return static_cast<std::uint8_t>(PyLong_AsLong(number.ptr()));
}

std::string vector_text(const Vec3& v) {
  return "<unreal_engine.FVector {'x': " + float_text(v.x) + ", 'y': " + float_text(v.y) +
         ", 'z': " + float_text(v.z) + "}>";
}

std::string rotator_text(const Rotator& r) {
  return "<unreal_engine.FRotator {'roll': " + float_text(r.roll) +
         ", 'pitch': " + float_text(r.pitch) + ", 'yaw': " + float_text(r.yaw) + "}>";
}

std::string triple_text(double a, double b, double c) {
  return "(" + float_text(a) + ", " + float_text(b) + ", " + float_text(c) + ")";
}

// FVector's operators, shared by its __add__ (...) methods and the number
// slots set_fast_vector_slots installs.
py::object vector_add(const Vec3& v, py::handle other) {
  if (const Vec3* w = instance_of<Vec3>(other)) {
    return new_instance(v + *w);
  }
  if (auto s = number_of(other)) {
    return new_instance(v + Vec3{*s, *s, *s});
  }
  return not_implemented();
}

py::object vector_sub(const Vec3& v, py::handle other) {
  if (const Vec3* w = instance_of<Vec3>(other)) {
    return new_instance(v - *w);
  }
  if (auto s = number_of(other)) {
    return new_instance(v - Vec3{*s, *s, *s});
  }
  return not_implemented();
}

py::object vector_mul(const Vec3& v, py::handle other) {
  if (auto s = number_of(other)) {
    return new_instance(v * *s);
  }
  if (const Vec3* w = instance_of<Vec3>(other)) {
    return new_instance(v * *w);
  }
  if (const Rotator* r = instance_of<Rotator>(other)) {
    return new_instance(rotate_vector(*r, v));
  }
  if (const Quat* q = instance_of<Quat>(other)) {
    return new_instance(rotate_vector(*q, v));
  }
  return not_implemented();
}

py::object vector_rmul(const Vec3& v, py::handle other) {
  if (auto s = number_of(other)) {
    return new_instance(v * *s);
  }
  return not_implemented();
}

py::object vector_truediv(const Vec3& v, py::handle other) {
  if (const Vec3* w = instance_of<Vec3>(other)) {
    if (w->x == 0 || w->y == 0 || w->z == 0) {
      raise_zero_division();
    }
    return new_instance(v / *w);
  }
  if (auto s = number_of(other)) {
    if (*s == 0) {
      raise_zero_division();
    }
    return new_instance(v / *s);
  }
  return not_implemented();
}

// A C++ exception as the Python error a pybind11 binding would raise.
void set_python_error() {
  try {
    throw;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (py::builtin_exception& e) {
    e.set_error();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

// A number slot: CPython calls it with the operands in source order, for the
// reflected operation (2 * v) too.
template <py::object (*forward)(const Vec3&, py::handle),
          py::object (*reflected)(const Vec3&, py::handle)>
PyObject* vector_number_slot(PyObject* left, PyObject* right) noexcept {
  try {
    if (const Vec3* v = instance_of<Vec3>(left)) {
      return forward(*v, right).release().ptr();
    }
    if (const Vec3* v = instance_of<Vec3>(right); v != nullptr && reflected != nullptr) {
      return reflected(*v, left).release().ptr();
    }
    Py_RETURN_NOTIMPLEMENTED;
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

const Vec3* vector_self(PyObject* self) {
  const Vec3* v = instance_of<Vec3>(self);
  if (v == nullptr) {
    PyErr_SetString(PyExc_TypeError, "FVector method called on an uninitialized object");
  }
  return v;
}

PyObject* vector_length_method(PyObject* self, PyObject*) noexcept {
  const Vec3* v = vector_self(self);
  return v == nullptr ? nullptr : PyFloat_FromDouble(length(*v));
}

PyObject* vector_length_squared_method(PyObject* self, PyObject*) noexcept {
  const Vec3* v = vector_self(self);
  return v == nullptr ? nullptr : PyFloat_FromDouble(length_squared(*v));
}

template <double Vec3::*component>
PyObject* vector_get_component(PyObject* self, void*) noexcept {
  const Vec3* v = vector_self(self);
  return v == nullptr ? nullptr : PyFloat_FromDouble(v->*component);
}

template <double Vec3::*component>
int vector_set_component(PyObject* self, PyObject* value, void*) noexcept {
  const Vec3* v = vector_self(self);
  if (v == nullptr) {
    return -1;
  }
  if (value == nullptr) {
    PyErr_SetString(PyExc_AttributeError, "FVector components cannot be deleted");
    return -1;
  }
  try {
    const_cast<Vec3*>(v)->*component = require_number(value, "FVector");
    return 0;
  } catch (...) {
    set_python_error();
    return -1;
  }
}

// CPython keeps pointers to these for the class's lifetime.
PyMethodDef kVectorFastMethods[] = {
    {"length", vector_length_method, METH_NOARGS, "The vector's length (FVector::Size)."},
    {"size", vector_length_method, METH_NOARGS, "The vector's length (FVector::Size)."},
    {"length_squared", vector_length_squared_method, METH_NOARGS, "FVector::SizeSquared."},
    {"size_squared", vector_length_squared_method, METH_NOARGS, "FVector::SizeSquared."},
};
PyGetSetDef kVectorComponents[] = {
    {"x", vector_get_component<&Vec3::x>, vector_set_component<&Vec3::x>, "X (forward)", nullptr},
    {"y", vector_get_component<&Vec3::y>, vector_set_component<&Vec3::y>, "Y (right)", nullptr},
    {"z", vector_get_component<&Vec3::z>, vector_set_component<&Vec3::z>, "Z (up)", nullptr},
};

// FVector is the class scripts do arithmetic with in loops. pybind11's own
// dispatch (an argument tuple, overload resolution, a typeid lookup per cast)
// costs more than the arithmetic, so its hottest operations go straight
// through CPython's slots and descriptors, with the same semantics as the
// pybind11 methods of the same names.
void set_fast_vector_slots(const py::object& cls) {
  auto* type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  PyNumberMethods* number = type->tp_as_number;
  number->nb_add = vector_number_slot<vector_add, nullptr>;
  number->nb_subtract = vector_number_slot<vector_sub, nullptr>;
  number->nb_multiply = vector_number_slot<vector_mul, vector_rmul>;
  number->nb_true_divide = vector_number_slot<vector_truediv, nullptr>;
  for (auto& method : kVectorFastMethods) {
    cls.attr(method.ml_name) = py::reinterpret_steal<py::object>(PyDescr_NewMethod(type, &method));
  }
  for (auto& component : kVectorComponents) {
    cls.attr(component.name) =
        py::reinterpret_steal<py::object>(PyDescr_NewGetSet(type, &component));
  }
  PyType_Modified(type);
}

void define_vector(py::module_& m) {
  py::class_<Vec3> cls(m, "FVector", "Unreal Engine FVector");
  cls.def(py::init([](const py::args& args, const py::kwargs& kwargs) {
       const auto parsed = number_arguments<3>("FVector", args, kwargs, {"x", "y", "z"}, {0, 0, 0});
       const auto& v = parsed.values;
       // One number is all three components, as UEP.
       return parsed.positional == 1 && kwargs.empty() ? Vec3{v[0], v[0], v[0]}
                                                       : Vec3{v[0], v[1], v[2]};
     }))
      .def(
          "normalized", [](const Vec3& v) { return normalized(v); },
          "Unit length; unchanged when nearly zero (FVector::Normalize).")
      .def("rotation", [](const Vec3& v) { return orientation_rotator(v); })
      .def(
          "dot",
          [](const Vec3& v, py::handle other) {
            return dot(v, require<Vec3>(other, "FVector.dot", "FVector"));
          },
          py::arg("other"))
      .def(
          "cross",
          [](const Vec3& v, py::handle other) {
            return cross(v, require<Vec3>(other, "FVector.cross", "FVector"));
          },
          py::arg("other"))
      .def(
          "project_on_to",
          [](const Vec3& v, py::handle other) {
            return project_on_to(v, require<Vec3>(other, "FVector.project_on_to", "FVector"));
          },
          py::arg("target"))
      .def(
          "project_on_to_normal",
          [](const Vec3& v, py::handle other) {
            return project_on_to_normal(
                v, require<Vec3>(other, "FVector.project_on_to_normal", "FVector"));
          },
          py::arg("normal"))
      .def("__add__", &vector_add)
      .def("__sub__", &vector_sub)
      .def("__mul__", &vector_mul)
      .def("__rmul__", &vector_rmul)
      .def("__truediv__", &vector_truediv)
      .def(
          "__floordiv__",
          [](const Vec3& v, py::handle other) -> py::object {
            auto s = number_of(other);
            if (!s) {
              return not_implemented();
            }
            if (*s == 0) {
              raise_zero_division();
            }
            return py::cast(Vec3{std::floor(v.x / *s), std::floor(v.y / *s), std::floor(v.z / *s)});
          })
      .def("__neg__", [](const Vec3& v) { return -v; })
      .def("__eq__",
           [](const Vec3& v, py::handle other) {
             const Vec3* w = instance_of<Vec3>(other);
             return w != nullptr && v == *w;
           })
      .def("__ne__",
           [](const Vec3& v, py::handle other) {
             const Vec3* w = instance_of<Vec3>(other);
             return w == nullptr || v != *w;
           })
      .def("__len__", [](const Vec3&) { return 3; })
      .def("__getitem__",
           [](const Vec3& v, Py_ssize_t i) {
             switch (i < 0 ? i + 3 : i) {
               case 0:
                 return v.x;
               case 1:
                 return v.y;
               case 2:
                 return v.z;
               default:
                 throw py::index_error("FVector has only 3 items");
             }
           })
      .def("__str__", &vector_text)
      .def("__repr__", &vector_text);
  define_copy(cls);
  set_fast_vector_slots(cls);
  cls.attr("forward") = Vec3{1, 0, 0};
  cls.attr("right") = Vec3{0, 1, 0};
  cls.attr("up") = Vec3{0, 0, 1};
}

std::string vector2d_text(const Vec2& v) {
  return "<unreal_engine.FVector2D {'x': " + float_text(v.x) + ", 'y': " + float_text(v.y) + "}>";
}

void define_vector2d(py::module_& m) {
  py::class_<Vec2> cls(m, "FVector2D", "Unreal Engine FVector2D");
  cls.def(py::init([](const py::args& args, const py::kwargs& kwargs) {
       const auto parsed = number_arguments<2>("FVector2D", args, kwargs, {"x", "y"}, {0, 0});
       const auto& v = parsed.values;
       return parsed.positional == 1 && kwargs.empty() ? Vec2{v[0], v[0]} : Vec2{v[0], v[1]};
     }))
      .def_readwrite("x", &Vec2::x)
      .def_readwrite("y", &Vec2::y)
      .def("length", [](const Vec2& v) { return length(v); })
      .def("size", [](const Vec2& v) { return length(v); })
      .def("length_squared", [](const Vec2& v) { return length_squared(v); })
      .def("size_squared", [](const Vec2& v) { return length_squared(v); })
      .def("normalized", [](const Vec2& v) { return normalized(v); })
      .def(
          "dot",
          [](const Vec2& v, py::handle other) {
            return dot(v, require<Vec2>(other, "FVector2D.dot", "FVector2D"));
          },
          py::arg("other"))
      .def(
          "cross",
          [](const Vec2& v, py::handle other) {
            return cross(v, require<Vec2>(other, "FVector2D.cross", "FVector2D"));
          },
          py::arg("other"))
      .def("__add__",
           [](const Vec2& v, py::handle other) -> py::object {
             if (const Vec2* w = instance_of<Vec2>(other)) {
               return py::cast(v + *w);
             }
             if (auto s = number_of(other)) {
               return py::cast(v + Vec2{*s, *s});
             }
             return not_implemented();
           })
      .def("__sub__",
           [](const Vec2& v, py::handle other) -> py::object {
             if (const Vec2* w = instance_of<Vec2>(other)) {
               return py::cast(v - *w);
             }
             if (auto s = number_of(other)) {
               return py::cast(v - Vec2{*s, *s});
             }
             return not_implemented();
           })
      .def("__mul__",
           [](const Vec2& v, py::handle other) -> py::object {
             if (auto s = number_of(other)) {
               return py::cast(v * *s);
             }
             if (const Vec2* w = instance_of<Vec2>(other)) {
               return py::cast(v * *w);
             }
             return not_implemented();
           })
      .def("__rmul__",
           [](const Vec2& v, py::handle other) -> py::object {
             if (auto s = number_of(other)) {
               return py::cast(v * *s);
             }
             return not_implemented();
           })
      .def("__truediv__",
           [](const Vec2& v, py::handle other) -> py::object {
             if (const Vec2* w = instance_of<Vec2>(other)) {
               if (w->x == 0 || w->y == 0) {
                 raise_zero_division();
               }
               return py::cast(v / *w);
             }
             if (auto s = number_of(other)) {
               if (*s == 0) {
                 raise_zero_division();
               }
               return py::cast(v / *s);
             }
             return not_implemented();
           })
      .def("__floordiv__",
           [](const Vec2& v, py::handle other) -> py::object {
             auto s = number_of(other);
             if (!s) {
               return not_implemented();
             }
             if (*s == 0) {
               raise_zero_division();
             }
             return py::cast(Vec2{std::floor(v.x / *s), std::floor(v.y / *s)});
           })
      .def("__neg__", [](const Vec2& v) { return -v; })
      .def("__eq__",
           [](const Vec2& v, py::handle other) {
             const Vec2* w = instance_of<Vec2>(other);
             return w != nullptr && v == *w;
           })
      .def("__ne__",
           [](const Vec2& v, py::handle other) {
             const Vec2* w = instance_of<Vec2>(other);
             return w == nullptr || v != *w;
           })
      .def("__len__", [](const Vec2&) { return 2; })
      .def("__getitem__",
           [](const Vec2& v, Py_ssize_t i) {
             switch (i < 0 ? i + 2 : i) {
               case 0:
                 return v.x;
               case 1:
                 return v.y;
               default:
                 throw py::index_error("FVector2D has only 2 items");
             }
           })
      .def("__str__", &vector2d_text)
      .def("__repr__", &vector2d_text);
  define_copy(cls);
}

void define_rotator(py::module_& m) {
  py::class_<Rotator> cls(m, "FRotator", "Unreal Engine FRotator: FRotator(roll, pitch, yaw)");
  cls.def(py::init([](const py::args& args, const py::kwargs& kwargs) {
       if (args.size() == 1 && kwargs.empty()) {
         if (const Quat* q = instance_of<Quat>(args[0])) {
           return to_rotator(*q);
         }
       }
       // UEP's order: roll, pitch, yaw.
       const auto parsed =
           number_arguments<3>("FRotator", args, kwargs, {"roll", "pitch", "yaw"}, {0, 0, 0});
       const auto& v = parsed.values;
       if (parsed.positional == 1 && kwargs.empty()) {
         return Rotator{v[0], v[0], v[0]};
       }
       return Rotator{v[1], v[2], v[0]};
     }))
      .def_readwrite("pitch", &Rotator::pitch)
      .def_readwrite("yaw", &Rotator::yaw)
      .def_readwrite("roll", &Rotator::roll)
      .def("get_vector", [](const Rotator& r) { return forward_vector(r); })
      .def("get_euler", [](const Rotator& r) { return euler(r); })
      .def("normalized", [](const Rotator& r) { return normalized(r); })
      .def("inversed", [](const Rotator& r) { return inverse(r); })
      .def("quaternion", [](const Rotator& r) { return to_quat(r); })
      .def("__add__",
           [](const Rotator& r, py::handle other) -> py::object {
             if (const Rotator* o = instance_of<Rotator>(other)) {
               return py::cast(r + *o);
             }
             if (auto s = number_of(other)) {
               return py::cast(r + Rotator{*s, *s, *s});
             }
             return not_implemented();
           })
      .def("__sub__",
           [](const Rotator& r, py::handle other) -> py::object {
             if (const Rotator* o = instance_of<Rotator>(other)) {
               return py::cast(r - *o);
             }
             if (auto s = number_of(other)) {
               return py::cast(r - Rotator{*s, *s, *s});
             }
             return not_implemented();
           })
      .def("__mul__",
           [](const Rotator& r, py::handle other) -> py::object {
             if (const Vec3* v = instance_of<Vec3>(other)) {
               return py::cast(rotate_vector(r, *v));
             }
             if (auto s = number_of(other)) {
               return py::cast(r * *s);
             }
             return not_implemented();
           })
      .def("__rmul__",
           [](const Rotator& r, py::handle other) -> py::object {
             if (auto s = number_of(other)) {
               return py::cast(r * *s);
             }
             return not_implemented();
           })
      .def("__truediv__",
           [](const Rotator& r, py::handle other) -> py::object {
             auto s = number_of(other);
             if (!s) {
               return not_implemented();
             }
             if (*s == 0) {
               raise_zero_division();
             }
             return py::cast(Rotator{r.pitch / *s, r.yaw / *s, r.roll / *s});
           })
      .def("__neg__",
           [](const Rotator& r) {
             return Rotator{-r.pitch, -r.yaw, -r.roll};
           })
      .def("__eq__",
           [](const Rotator& r, py::handle other) {
             const Rotator* o = instance_of<Rotator>(other);
             return o != nullptr && r == *o;
           })
      .def("__ne__",
           [](const Rotator& r, py::handle other) {
             const Rotator* o = instance_of<Rotator>(other);
             return o == nullptr || r != *o;
           })
      .def("__len__", [](const Rotator&) { return 3; })
      .def("__getitem__",
           [](const Rotator& r, Py_ssize_t i) {
             switch (i < 0 ? i + 3 : i) {
               case 0:
                 return r.roll;
               case 1:
                 return r.pitch;
               case 2:
                 return r.yaw;
               default:
                 throw py::index_error("FRotator has only 3 items");
             }
           })
      .def("__str__", &rotator_text)
      .def("__repr__", &rotator_text);
  define_copy(cls);
}

std::string quat_text(const Quat& q) {
  return "<unreal_engine.FQuat {'x': " + float_text(q.x) + ", 'y': " + float_text(q.y) +
         ", 'z': " + float_text(q.z) + ", 'w': " + float_text(q.w) + "}>";
}

void define_quat(py::module_& m) {
  py::class_<Quat> cls(m, "FQuat", "Unreal Engine FQuat");
  cls.def(py::init([](const py::args& args, const py::kwargs& kwargs) {
       const auto v =
           number_arguments<4>("FQuat", args, kwargs, {"x", "y", "z", "w"}, {0, 0, 0, 1}).values;
       return Quat{v[0], v[1], v[2], v[3]};
     }))
      .def_readwrite("x", &Quat::x)
      .def_readwrite("y", &Quat::y)
      .def_readwrite("z", &Quat::z)
      .def_readwrite("w", &Quat::w)
      .def("angular_distance",
           [](const Quat& q, const py::args& args) {
             if (args.size() == 1) {
               return angular_distance(q,
                                       require<Quat>(args[0], "FQuat.angular_distance", "FQuat"));
             }
             const auto v = number_arguments<4>("angular_distance", args, {}, {"x", "y", "z", "w"},
                                                {0, 0, 0, 1})
                                .values;
             if (args.size() != 4) {
               throw py::type_error("angular_distance() takes an FQuat or 4 numbers");
             }
             return angular_distance(q, Quat{v[0], v[1], v[2], v[3]});
           })
      .def("euler", [](const Quat& q) { return euler(q); })
      // UEP binds rotator() to the same function as euler(): an FVector of (roll, pitch, yaw).
      .def("rotator", [](const Quat& q) { return euler(q); })
      .def("get_axis_x", [](const Quat& q) { return axis_x(q); })
      .def("get_axis_y", [](const Quat& q) { return axis_y(q); })
      .def("get_axis_z", [](const Quat& q) { return axis_z(q); })
      .def("get_forward_vector", [](const Quat& q) { return axis_x(q); })
      .def("get_right_vector", [](const Quat& q) { return axis_y(q); })
      .def("get_up_vector", [](const Quat& q) { return axis_z(q); })
      .def("vector", [](const Quat& q) { return axis_x(q); })
      .def("inverse", [](const Quat& q) { return inverse(q); })
      .def("get_normalized", [](const Quat& q) { return normalized(q); })
      .def("__add__",
           [](const Quat& q, py::handle other) -> py::object {
             if (const Quat* o = instance_of<Quat>(other)) {
               return py::cast(q + *o);
             }
             return not_implemented();
           })
      .def("__sub__",
           [](const Quat& q, py::handle other) -> py::object {
             if (const Quat* o = instance_of<Quat>(other)) {
               return py::cast(q - *o);
             }
             return not_implemented();
           })
      .def("__mul__",
           [](const Quat& q, py::handle other) -> py::object {
             if (const Vec3* v = instance_of<Vec3>(other)) {
               return py::cast(rotate_vector(q, *v));
             }
             if (const Quat* o = instance_of<Quat>(other)) {
               return py::cast(q * *o);
             }
             if (auto s = number_of(other)) {
               return py::cast(q * *s);
             }
             return not_implemented();
           })
      .def("__rmul__",
           [](const Quat& q, py::handle other) -> py::object {
             if (auto s = number_of(other)) {
               return py::cast(q * *s);
             }
             return not_implemented();
           })
      .def("__truediv__",
           [](const Quat& q, py::handle other) -> py::object {
             auto s = number_of(other);
             if (!s) {
               return not_implemented();
             }
             if (*s == 0) {
               raise_zero_division();
             }
             return py::cast(q / *s);
           })
      .def("__neg__", [](const Quat& q) { return q * -1.0; })
      .def("__eq__",
           [](const Quat& q, py::handle other) {
             const Quat* o = instance_of<Quat>(other);
             return o != nullptr && q == *o;
           })
      .def("__ne__",
           [](const Quat& q, py::handle other) {
             const Quat* o = instance_of<Quat>(other);
             return o == nullptr || q != *o;
           })
      .def("__len__", [](const Quat&) { return 4; })
      .def("__getitem__",
           [](const Quat& q, Py_ssize_t i) {
             switch (i < 0 ? i + 4 : i) {
               case 0:
                 return q.x;
               case 1:
                 return q.y;
               case 2:
                 return q.z;
               case 3:
                 return q.w;
               default:
                 throw py::index_error("FQuat has only 4 items");
             }
           })
      .def("__str__", &quat_text)
      .def("__repr__", &quat_text);
  define_copy(cls);
}

// FTransform's rotation argument: an FRotator or an FQuat.
Quat rotation_of(py::handle value, const char* what) {
  if (const Rotator* r = instance_of<Rotator>(value)) {
    return to_quat(*r);
  }
  if (const Quat* q = instance_of<Quat>(value)) {
    return *q;
  }
  throw py::type_error(std::string(what) + ": argument is not a FRotator or a FQuat, got " +
                       py::repr(value).cast<std::string>());
}

// UEP's matrix form: an iterable of 16 numbers, row by row (FMatrix's rows).
Matrix44 matrix_of(py::handle value) {
  Matrix44 m{};
  auto iterator = py::iter(value);
  for (auto& row : m) {
    for (double& cell : row) {
      if (iterator == py::iterator::sentinel()) {
        throw py::value_error("FTransform(): matrix is not 4x4 (expected 16 numbers)");
      }
      cell = require_number(*iterator, "FTransform(): matrix can contain only numbers");
      ++iterator;
    }
  }
  return m;
}

std::string transform_text(const Transform& t) {
  const Rotator r = to_rotator(t.rotation);
  return "<unreal_engine.FTransform {'translation': " +
         triple_text(t.translation.x, t.translation.y, t.translation.z) +
         ", 'rotation': " + triple_text(r.roll, r.pitch, r.yaw) +
         ", 'scale': " + triple_text(t.scale.x, t.scale.y, t.scale.z) + "}>";
}

void define_transform(py::module_& m) {
  py::class_<Transform> cls(m, "FTransform", "Unreal Engine FTransform");
  cls.def(py::init([](const py::object& translation, const py::object& rotation,
                      const py::object& scale) {
            Transform t;
            if (!translation.is_none()) {
              if (const Vec3* v = instance_of<Vec3>(translation)) {
                t.translation = *v;
              } else if (py::isinstance<py::iterable>(translation)) {
                return transform_from_matrix(matrix_of(translation));
              } else {
                throw py::type_error(
                    "FTransform(): argument is not a FVector or a 4x4 float matrix");
              }
            }
            if (!rotation.is_none()) {
              t.rotation = rotation_of(rotation, "FTransform()");
            }
            if (!scale.is_none()) {
              t.scale = require<Vec3>(scale, "FTransform()", "FVector");
            }
            return t;
          }),
          py::arg("translation") = py::none(), py::arg("rotation") = py::none(),
          py::arg("scale") = py::none())
      // Getters return copies, as UEP's: t.translation.x = 1 leaves t unchanged.
      .def_property(
          "translation", [](const Transform& t) { return t.translation; },
          [](Transform& t, py::handle v) {
            t.translation = require<Vec3>(v, "FTransform.translation", "FVector");
          })
      .def_property(
          "scale", [](const Transform& t) { return t.scale; },
          [](Transform& t, py::handle v) {
            t.scale = require<Vec3>(v, "FTransform.scale", "FVector");
          })
      .def_property(
          "rotation", [](const Transform& t) { return to_rotator(t.rotation); },
          [](Transform& t, py::handle v) { t.rotation = rotation_of(v, "FTransform.rotation"); })
      .def_property(
          "quaternion", [](const Transform& t) { return t.rotation; },
          [](Transform& t, py::handle v) {
            t.rotation = require<Quat>(v, "FTransform.quaternion", "FQuat");
          })
      .def("inverse", [](const Transform& t) { return inverse(t); })
      .def("normalize_rotation", [](const Transform& t) { return with_normalized_rotation(t); })
      .def(
          "get_relative_transform",
          [](const Transform& t, py::handle other) {
            return relative_transform(
                t, require<Transform>(other, "FTransform.get_relative_transform", "FTransform"));
          },
          py::arg("other"))
      .def(
          "transform_vector",
          [](const Transform& t, py::handle v) {
            return transform_vector(t, require<Vec3>(v, "FTransform.transform_vector", "FVector"));
          },
          py::arg("vector"))
      .def(
          "transform_vector_no_scale",
          [](const Transform& t, py::handle v) {
            return transform_vector_no_scale(
                t, require<Vec3>(v, "FTransform.transform_vector_no_scale", "FVector"));
          },
          py::arg("vector"))
      .def(
          "transform_position",
          [](const Transform& t, py::handle v) {
            return transform_position(t,
                                      require<Vec3>(v, "FTransform.transform_position", "FVector"));
          },
          py::arg("position"))
      .def(
          "transform_position_no_scale",
          [](const Transform& t, py::handle v) {
            return transform_position_no_scale(
                t, require<Vec3>(v, "FTransform.transform_position_no_scale", "FVector"));
          },
          py::arg("position"))
      .def(
          "transform_rotation",
          [](const Transform& t, py::handle q) {
            return transform_rotation(t,
                                      require<Quat>(q, "FTransform.transform_rotation", "FQuat"));
          },
          py::arg("quat"))
      .def("__mul__",
           [](const Transform& t, py::handle other) -> py::object {
             if (const Quat* q = instance_of<Quat>(other)) {
               return py::cast(t * *q);
             }
             if (const Rotator* r = instance_of<Rotator>(other)) {
               return py::cast(t * to_quat(*r));
             }
             if (const Transform* o = instance_of<Transform>(other)) {
               return py::cast(t * *o);
             }
             return not_implemented();
           })
      .def("__eq__",
           [](const Transform& t, py::handle other) {
             const Transform* o = instance_of<Transform>(other);
             return o != nullptr && t == *o;
           })
      .def("__ne__",
           [](const Transform& t, py::handle other) {
             const Transform* o = instance_of<Transform>(other);
             return o == nullptr || t != *o;
           })
      .def("__str__", &transform_text)
      .def("__repr__", &transform_text);
  define_copy(cls);
}

std::string linear_color_text(const LinearColor& c) {
  return "<unreal_engine.FLinearColor {'r': " + float_text(c.r) + ", 'g': " + float_text(c.g) +
         ", 'b': " + float_text(c.b) + ", 'a': " + float_text(c.a) + "}>";
}

void define_linear_color(py::module_& m) {
  py::class_<LinearColor> cls(m, "FLinearColor", "Unreal Engine FLinearColor");
  cls.def(py::init([](const py::args& args, const py::kwargs& kwargs) {
       const auto parsed =
           number_arguments<4>("FLinearColor", args, kwargs, {"r", "g", "b", "a"}, {0, 0, 0, 1});
       const auto& v = parsed.values;
       if (parsed.positional == 1 && kwargs.empty()) {
         return LinearColor{v[0], v[0], v[0], 1};
       }
       return LinearColor{v[0], v[1], v[2], v[3]};
     }))
      .def_readwrite("r", &LinearColor::r)
      .def_readwrite("g", &LinearColor::g)
      .def_readwrite("b", &LinearColor::b)
      .def_readwrite("a", &LinearColor::a)
      .def(
          "to_fcolor",
          [](const LinearColor& c, const py::object& srgb) {
            return to_color(c, PyObject_IsTrue(srgb.ptr()) == 1);
          },
          py::arg("srgb") = false)
      .def("__add__",
           [](const LinearColor& c, py::handle other) -> py::object {
             if (const LinearColor* o = instance_of<LinearColor>(other)) {
               return py::cast(c + *o);
             }
             if (auto s = number_of(other)) {
               return py::cast(c + LinearColor{*s, *s, *s, *s});
             }
             return not_implemented();
           })
      .def("__eq__",
           [](const LinearColor& c, py::handle other) {
             const LinearColor* o = instance_of<LinearColor>(other);
             return o != nullptr && c == *o;
           })
      .def("__ne__",
           [](const LinearColor& c, py::handle other) {
             const LinearColor* o = instance_of<LinearColor>(other);
             return o == nullptr || c != *o;
           })
      .def("__len__", [](const LinearColor&) { return 4; })
      .def("__getitem__",
           [](const LinearColor& c, Py_ssize_t i) {
             switch (i < 0 ? i + 4 : i) {
               case 0:
                 return c.r;
               case 1:
                 return c.g;
               case 2:
                 return c.b;
               case 3:
                 return c.a;
               default:
                 throw py::index_error("FLinearColor has only 4 items");
             }
           })
      .def("__str__", &linear_color_text)
      .def("__repr__", &linear_color_text);
  define_copy(cls);
  // FLinearColor's named constants.
  cls.attr("Black") = LinearColor{0, 0, 0, 1};
  cls.attr("Blue") = LinearColor{0, 0, 1, 1};
  cls.attr("Gray") = LinearColor{0.5, 0.5, 0.5, 1};
  cls.attr("Green") = LinearColor{0, 1, 0, 1};
  cls.attr("Red") = LinearColor{1, 0, 0, 1};
  cls.attr("White") = LinearColor{1, 1, 1, 1};
  cls.attr("Yellow") = LinearColor{1, 1, 0, 1};
}

std::string color_text(const Color& c) {
  return "<unreal_engine.FColor {'r': " + std::to_string(c.r) + ", 'g': " + std::to_string(c.g) +
         ", 'b': " + std::to_string(c.b) + ", 'a': " + std::to_string(c.a) + "}>";
}

template <std::uint8_t Color::*channel>
void define_color_channel(py::class_<Color>& cls, const char* name) {
  cls.def_property(
      name, [](const Color& c) { return static_cast<int>(c.*channel); },
      [name](Color& c, py::handle value) { c.*channel = color_channel(value, name); });
}

void define_color(py::module_& m) {
  py::class_<Color> cls(m, "FColor", "Unreal Engine FColor");
  cls.def(py::init([](const py::args& args, const py::kwargs& kwargs) {
    const auto parsed =
        number_arguments<4>("FColor", args, kwargs, {"r", "g", "b", "a"}, {0, 0, 0, 255});
    std::array<std::uint8_t, 4> c{};
    for (std::size_t i = 0; i < 4; ++i) {
      c[i] = static_cast<std::uint8_t>(static_cast<long>(parsed.values[i]));
    }
    if (parsed.positional == 1 && kwargs.empty()) {
      return Color{c[0], c[0], c[0], 255};
    }
    return Color{c[0], c[1], c[2], c[3]};
  }));
  define_color_channel<&Color::r>(cls, "r");
  define_color_channel<&Color::g>(cls, "g");
  define_color_channel<&Color::b>(cls, "b");
  define_color_channel<&Color::a>(cls, "a");
  // UEP's to_hex returns FColor::ToString(), "(R=..,G=..,B=..,A=..)", not hex digits.
  cls.def("to_hex",
          [](const Color& c) {
            return "(R=" + std::to_string(c.r) + ",G=" + std::to_string(c.g) +
                   ",B=" + std::to_string(c.b) + ",A=" + std::to_string(c.a) + ")";
          })
      .def("to_linear", [](const Color& c) { return reinterpret_as_linear(c); })
      .def("__add__",
           [](const Color& c, py::handle other) -> py::object {
             if (const Color* o = instance_of<Color>(other)) {
               return py::cast(c + *o);
             }
             if (PyNumber_Check(other.ptr())) {
               const std::uint8_t s = color_channel(other, "FColor.__add__");
               return py::cast(c + Color{s, s, s, s});
             }
             return not_implemented();
           })
      .def("__eq__",
           [](const Color& c, py::handle other) {
             const Color* o = instance_of<Color>(other);
             return o != nullptr && c == *o;
           })
      .def("__ne__",
           [](const Color& c, py::handle other) {
             const Color* o = instance_of<Color>(other);
             return o == nullptr || c != *o;
           })
      .def("__len__", [](const Color&) { return 4; })
      .def("__getitem__",
           [](const Color& c, Py_ssize_t i) -> int {
             switch (i < 0 ? i + 4 : i) {
               case 0:
                 return c.r;
               case 1:
                 return c.g;
               case 2:
                 return c.b;
               case 3:
                 return c.a;
               default:
                 throw py::index_error("FColor has only 4 items");
             }
           })
      .def("__str__", &color_text)
      .def("__repr__", &color_text);
  define_copy(cls);
  // FColor's named constants, alpha 255.
  const std::pair<const char*, Color> named[] = {
      {"Black", {0, 0, 0, 255}},          {"Blue", {0, 0, 255, 255}},
      {"Cyan", {0, 255, 255, 255}},       {"Emerald", {80, 200, 120, 255}},
      {"Green", {0, 255, 0, 255}},        {"Magenta", {255, 0, 255, 255}},
      {"Orange", {243, 156, 18, 255}},    {"Purple", {169, 7, 228, 255}},
      {"Red", {255, 0, 0, 255}},          {"Silver", {189, 195, 199, 255}},
      {"Turquoise", {26, 188, 156, 255}}, {"White", {255, 255, 255, 255}},
      {"Yellow", {255, 255, 0, 255}},
  };
  for (const auto& [name, color] : named) {
    cls.attr(name) = color;
  }
}

std::string random_stream_text(const RandomStream& r) {
  return "<unreal_engine.FRandomStream {'seed': " + std::to_string(r.current_seed()) + "}>";
}

void define_random_stream(py::module_& m) {
  py::class_<RandomStream> cls(m, "FRandomStream", "Unreal Engine FRandomStream");
  cls.def(py::init([](std::optional<std::int32_t> seed) {
            RandomStream stream;
            if (seed) {
              stream.initialize(*seed);
            } else {
              stream.generate_new_seed();  // UEP's FRandomStream()
            }
            return stream;
          }),
          py::arg("seed") = py::none())
      .def("frand", [](RandomStream& r) { return double{r.frand()}; })
      .def("get_fraction", [](RandomStream& r) { return double{r.fraction()}; })
      .def(
          "frand_range",
          [](RandomStream& r, float min, float max) { return double{r.frand_range(min, max)}; },
          py::arg("min"), py::arg("max"))
      .def("generate_new_seed", &RandomStream::generate_new_seed)
      .def("get_current_seed", &RandomStream::current_seed)
      .def("get_initial_seed", &RandomStream::initial_seed)
      .def("get_unit_vector", &RandomStream::unit_vector)
      .def("vrand", &RandomStream::vrand)
      .def("get_unsigned_int", &RandomStream::unsigned_int)
      .def("initialize", &RandomStream::initialize, py::arg("seed"))
      .def("reset", &RandomStream::reset)
      .def("rand_helper", &RandomStream::rand_helper, py::arg("max"))
      .def("rand_range", &RandomStream::rand_range, py::arg("min"), py::arg("max"))
      .def(
          "vrand_cone",
          [](RandomStream& r, py::handle direction, float horizontal, float vertical) {
            // UEP: a negative (or absent) vertical half-angle is the horizontal one.
            return r.vrand_cone(require<Vec3>(direction, "FRandomStream.vrand_cone", "FVector"),
                                horizontal, vertical < 0 ? horizontal : vertical);
          },
          py::arg("direction"), py::arg("horizontal_half_angle_rad"),
          py::arg("vertical_half_angle_rad") = -1.0f)
      .def("__str__", &random_stream_text)
      .def("__repr__", &random_stream_text);
  define_copy(cls);
}

struct MathStruct {
  std::string_view ue_name;
  std::string_view python_name;
};

constexpr MathStruct kMathStructs[] = {
    {"Vector", "FVector"}, {"Vector2D", "FVector2D"},         {"Rotator", "FRotator"},
    {"Quat", "FQuat"},     {"Transform", "FTransform"},       {"LinearColor", "FLinearColor"},
    {"Color", "FColor"},   {"RandomStream", "FRandomStream"},
};

}  // namespace

void define_unreal_math_types(py::module_& m) {
  if (py::detail::get_type_info(typeid(Vec3)) != nullptr) {
    m.attr("FVector") = py::type::of<Vec3>();
    m.attr("FVector2D") = py::type::of<Vec2>();
    m.attr("FRotator") = py::type::of<Rotator>();
    m.attr("FQuat") = py::type::of<Quat>();
    m.attr("FTransform") = py::type::of<Transform>();
    m.attr("FLinearColor") = py::type::of<LinearColor>();
    m.attr("FColor") = py::type::of<Color>();
    m.attr("FRandomStream") = py::type::of<RandomStream>();
    return;
  }
  define_vector(m);
  define_vector2d(m);
  define_rotator(m);
  define_quat(m);
  define_transform(m);
  define_linear_color(m);
  define_color(m);
  define_random_stream(m);
}

bool is_math_struct(std::string_view ue_struct_name) {
  return !math_struct_python_name(ue_struct_name).empty();
}

std::string_view math_struct_python_name(std::string_view ue_struct_name) {
  for (const auto& known : kMathStructs) {
    if (known.ue_name == ue_struct_name) {
      return known.python_name;
    }
  }
  return {};
}

}  // namespace understudy
