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
// This file puts the classes on the module and knows UE's struct names for
// them; the classes are defined by family (unreal_math_vectors.cpp,
// unreal_math_rotations.cpp, unreal_math_colors.cpp,
// unreal_math_random_stream.cpp) on the shared helpers of
// unreal_math_binding.h, so that the list above stays in one place.
#include "fake_engine/unreal/unreal_math_types.h"

#include "fake_engine/objects/math/random_stream.h"
#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_math_binding.h"

namespace py = pybind11;

namespace understudy {
namespace {

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
  unreal_math_detail::define_vector(m);
  unreal_math_detail::define_vector2d(m);
  unreal_math_detail::define_rotator(m);
  unreal_math_detail::define_quat(m);
  unreal_math_detail::define_transform(m);
  unreal_math_detail::define_linear_color(m);
  unreal_math_detail::define_color(m);
  unreal_math_detail::define_random_stream(m);
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
