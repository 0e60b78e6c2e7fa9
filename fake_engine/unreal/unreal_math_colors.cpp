// FLinearColor and FColor: float channels, and 8-bit channels that wrap
// modulo 256 as UEP stores them; each has UE's named constants.
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_math_binding.h"

namespace understudy::unreal_math_detail {

namespace {

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

std::string linear_color_text(const LinearColor& c) {
  return "<unreal_engine.FLinearColor {'r': " + float_text(c.r) + ", 'g': " + float_text(c.g) +
         ", 'b': " + float_text(c.b) + ", 'a': " + float_text(c.a) + "}>";
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

// c[i] of a colour, r g b a, negative i from the end as in Python.
template <class Rgba>
auto rgba_item(const Rgba& c, Py_ssize_t i, const char* name) {
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
      throw py::index_error(std::string(name) + " has only 4 items");
  }
}

}  // namespace

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
           [](const LinearColor& c, Py_ssize_t i) { return rgba_item(c, i, "FLinearColor"); })
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
           [](const Color& c, Py_ssize_t i) -> int { return rgba_item(c, i, "FColor"); })
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

}  // namespace understudy::unreal_math_detail
