// FVector and FVector2D. FVector's hottest operations (arithmetic, length,
// components) bypass pybind11's dispatch through CPython's own slots, since
// scripts do arithmetic with it in loops.
#include <cmath>
#include <string>

#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_math_binding.h"

namespace understudy::unreal_math_detail {

namespace {

std::string vector_text(const Vec3& v) {
  return "<unreal_engine.FVector {'x': " + float_text(v.x) + ", 'y': " + float_text(v.y) +
         ", 'z': " + float_text(v.z) + "}>";
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

std::string vector2d_text(const Vec2& v) {
  return "<unreal_engine.FVector2D {'x': " + float_text(v.x) + ", 'y': " + float_text(v.y) + "}>";
}

}  // namespace

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

}  // namespace understudy::unreal_math_detail
