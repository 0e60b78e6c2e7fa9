// FRotator, FQuat and FTransform: UE's two rotation types, which convert to
// each other and rotate FVectors, and the transform composed of a rotation,
// a translation and a scale.
#include <string>

#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_math_binding.h"

namespace understudy::unreal_math_detail {

namespace {

std::string rotator_text(const Rotator& r) {
  return "<unreal_engine.FRotator {'roll': " + float_text(r.roll) +
         ", 'pitch': " + float_text(r.pitch) + ", 'yaw': " + float_text(r.yaw) + "}>";
}

std::string triple_text(double a, double b, double c) {
  return "(" + float_text(a) + ", " + float_text(b) + ", " + float_text(c) + ")";
}

std::string quat_text(const Quat& q) {
  return "<unreal_engine.FQuat {'x': " + float_text(q.x) + ", 'y': " + float_text(q.y) +
         ", 'z': " + float_text(q.z) + ", 'w': " + float_text(q.w) + "}>";
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

}  // namespace

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

}  // namespace understudy::unreal_math_detail
