// UE's math structs (Vector, Rotator, ...) as the binding's math types
// (FVector, FRotator, ...): UEP returns FVector for an FVector UPROPERTY, and
// takes one to set it. The object model stores them as ordinary structs with
// UE's field names; the codecs map fields by name.
#include <pybind11/stl.h>

#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_binding.h"

namespace py = pybind11;

namespace understudy::unreal {

namespace {

double number(const StructValue& value, std::string_view field) {
  const auto& v = value.fields[value.type->find_field(field)->slot];
  if (v.holds<double>()) {
    return v.as<double>();
  }
  if (v.holds<std::uint8_t>()) {
    return v.as<std::uint8_t>();
  }
  return static_cast<double>(v.as<std::int64_t>());
}

// Stores `x` as the field's own kind (float fields round to 32 bits, as UE's do).
void set_number(StructValue& value, std::string_view field, double x) {
  const auto* info = value.type->find_field(field);
  auto& slot = value.fields[info->slot];
  switch (info->type.kind) {
    case ValueKind::kFloat:
      slot = Value(static_cast<double>(static_cast<float>(x)));
      break;
    case ValueKind::kByte:
      slot = Value(static_cast<std::uint8_t>(x));
      break;
    case ValueKind::kInt:
    case ValueKind::kInt64:
      slot = Value(static_cast<std::int64_t>(x));
      break;
    default:
      slot = Value(x);
  }
}

const StructValue& nested(const StructValue& value, std::string_view field) {
  return value.fields[value.type->find_field(field)->slot].as<StructBox>().get();
}

StructValue& nested(StructValue& value, std::string_view field) {
  return value.fields[value.type->find_field(field)->slot].as<StructBox>().get();
}

Vec3 vec3_of(const StructValue& v) {
  return {number(v, "X"), number(v, "Y"), number(v, "Z")};
}
void store_vec3(StructValue& v, Vec3 x) {
  set_number(v, "X", x.x);
  set_number(v, "Y", x.y);
  set_number(v, "Z", x.z);
}
Quat quat_of(const StructValue& v) {
  return {number(v, "X"), number(v, "Y"), number(v, "Z"), number(v, "W")};
}
void store_quat(StructValue& v, Quat q) {
  set_number(v, "X", q.x);
  set_number(v, "Y", q.y);
  set_number(v, "Z", q.z);
  set_number(v, "W", q.w);
}

template <class T>
bool load(py::handle value, T& out) {
  if (!py::isinstance<T>(value)) {
    return false;
  }
  out = value.cast<T>();
  return true;
}

const MathStructCodec kVector{
    [](const StructValue& v) -> py::object { return py::cast(vec3_of(v)); },
    [](py::handle value, StructValue& out) {
      Vec3 x;
      if (!load(value, x))
        return false;
      store_vec3(out, x);
      return true;
    }};

const MathStructCodec kVector2D{[](const StructValue& v) -> py::object {
                                  return py::cast(Vec2{number(v, "X"), number(v, "Y")});
                                },
                                [](py::handle value, StructValue& out) {
                                  Vec2 x;
                                  if (!load(value, x))
                                    return false;
                                  set_number(out, "X", x.x);
                                  set_number(out, "Y", x.y);
                                  return true;
                                }};

const MathStructCodec kRotator{
    [](const StructValue& v) -> py::object {
      return py::cast(Rotator{number(v, "Pitch"), number(v, "Yaw"), number(v, "Roll")});
    },
    [](py::handle value, StructValue& out) {
      Rotator r;
      Quat q;
      if (load(value, q)) {
        r = to_rotator(q);  // UEP accepts an FQuat where an FRotator goes
      } else if (!load(value, r)) {
        return false;
      }
      set_number(out, "Pitch", r.pitch);
      set_number(out, "Yaw", r.yaw);
      set_number(out, "Roll", r.roll);
      return true;
    }};

const MathStructCodec kQuat{[](const StructValue& v) -> py::object { return py::cast(quat_of(v)); },
                            [](py::handle value, StructValue& out) {
                              Quat q;
                              if (!load(value, q))
                                return false;
                              store_quat(out, q);
                              return true;
                            }};

const MathStructCodec kTransform{[](const StructValue& v) -> py::object {
                                   Transform t;
                                   t.rotation = quat_of(nested(v, "Rotation"));
                                   t.translation = vec3_of(nested(v, "Translation"));
                                   t.scale = vec3_of(nested(v, "Scale3D"));
                                   return py::cast(t);
                                 },
                                 [](py::handle value, StructValue& out) {
                                   Transform t;
                                   if (!load(value, t))
                                     return false;
                                   store_quat(nested(out, "Rotation"), t.rotation);
                                   store_vec3(nested(out, "Translation"), t.translation);
                                   store_vec3(nested(out, "Scale3D"), t.scale);
                                   return true;
                                 }};

const MathStructCodec kLinearColor{
    [](const StructValue& v) -> py::object {
      return py::cast(LinearColor{number(v, "R"), number(v, "G"), number(v, "B"), number(v, "A")});
    },
    [](py::handle value, StructValue& out) {
      LinearColor c;
      if (!load(value, c))
        return false;
      set_number(out, "R", c.r);
      set_number(out, "G", c.g);
      set_number(out, "B", c.b);
      set_number(out, "A", c.a);
      return true;
    }};

const MathStructCodec kColor{[](const StructValue& v) -> py::object {
                               Color c;
                               c.r = static_cast<std::uint8_t>(number(v, "R"));
                               c.g = static_cast<std::uint8_t>(number(v, "G"));
                               c.b = static_cast<std::uint8_t>(number(v, "B"));
                               c.a = static_cast<std::uint8_t>(number(v, "A"));
                               return py::cast(c);
                             },
                             [](py::handle value, StructValue& out) {
                               Color c;
                               if (!load(value, c))
                                 return false;
                               set_number(out, "R", c.r);
                               set_number(out, "G", c.g);
                               set_number(out, "B", c.b);
                               set_number(out, "A", c.a);
                               return true;
                             }};

}  // namespace

const MathStructCodec* math_codec(const StructInfo& info) {
  // Struct names are UE's reflected names; a project struct of another name
  // stays a UScriptStruct even if it has X, Y, Z fields.
  static const StringIndex<const MathStructCodec*> codecs{
      {"Vector", &kVector}, {"Vector2D", &kVector2D},   {"Rotator", &kRotator},
      {"Quat", &kQuat},     {"Transform", &kTransform}, {"LinearColor", &kLinearColor},
      {"Color", &kColor},
  };
  const auto it = codecs.find(info.name);
  return it == codecs.end() ? nullptr : it->second;
}

}  // namespace understudy::unreal
