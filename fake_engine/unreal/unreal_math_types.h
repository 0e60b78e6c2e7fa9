// UnrealEnginePython's math classes on the `unreal_engine` module: FVector,
// FVector2D, FRotator, FQuat, FTransform, FLinearColor, FColor and
// FRandomStream, bound directly on the value types of
// fake_engine/objects/math, with UEP's constructors, attributes, methods,
// operators and str() (UEP's Private/Wrappers/UEPyF*.cpp).
//
// Each Python class is the pybind11 binding of one C++ type, so C++ code
// converts both ways with pybind11's casts:
//   py::cast(Vec3{1, 2, 3})        -> an FVector       obj.cast<Vec3>()        <- an FVector
//   Vec2 <-> FVector2D, Rotator <-> FRotator, Quat <-> FQuat,
//   Transform <-> FTransform, LinearColor <-> FLinearColor, Color <-> FColor,
//   RandomStream <-> FRandomStream.
// A cast makes a copy (UEP's objects hold their struct by value too).
#pragma once

#include <pybind11/pybind11.h>

#include <string_view>

namespace understudy {

// Adds the classes to `m`. The types are registered with pybind11 once per
// process; later calls (one per engine, and unit tests create several) add
// the same type objects to their module. REQUIRES: GIL held.
void define_unreal_math_types(pybind11::module_& m);

// Whether a UE reflection struct name ("Vector", "Vector2D", "Rotator",
// "Quat", "Transform", "LinearColor", "Color", "RandomStream") is one of the
// structs these classes stand for.
bool is_math_struct(std::string_view ue_struct_name);

// The Python class name for such a struct ("Vector" -> "FVector"); empty for
// any other name.
std::string_view math_struct_python_name(std::string_view ue_struct_name);

}  // namespace understudy
