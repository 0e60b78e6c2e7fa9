// UEP's math classes as scripts see them, on a module of their own (the
// engine's unreal_engine module adds the same classes): UnrealEnginePython's
// constructors, attributes, operators and str(), UEP's own test suite's
// expectations (tests/test_transform.py, tests/test_randomstream.py), and the
// C++ casts the object model uses.
#define BOOST_TEST_MODULE unreal_math
#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

#include "fake_engine/objects/math/random_stream.h"
#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_math_types.h"
#include "tests/support/python_engine.h"

namespace py = pybind11;
using namespace understudy;
using namespace understudy::testing;

BOOST_TEST_GLOBAL_FIXTURE(EmbeddedInterpreterFixture);

namespace {

constexpr const char* kModuleName = "unreal_math_under_test";

// A fresh module with the math classes, importable as kModuleName for the
// test's lifetime.
struct MathModule {
  MathModule() {
    module = py::reinterpret_borrow<py::module_>(
        py::module_::import("types").attr("ModuleType")(kModuleName));
    define_unreal_math_types(module);
    py::module_::import("sys").attr("modules")[kModuleName] = module;
  }
  ~MathModule() { py::module_::import("sys").attr("modules").attr("pop")(kModuleName, py::none()); }

  // Runs `code` with the module imported as `ue` and its classes as globals;
  // a Python exception (a failed assert included) fails the test with its traceback.
  void run(std::string_view code) const {
    py::dict globals;
    globals["__builtins__"] = py::module_::import("builtins");
    py::exec("import math\nimport " + std::string(kModuleName) + " as ue\nfrom " + kModuleName +
                 " import *\n",
             globals);
    try {
      py::exec(py::str(std::string(code)), globals);
    } catch (py::error_already_set& e) {
      BOOST_ERROR("Python raised:\n" << format_python_error(e) << "\nrunning:\n" << code);
    }
  }

  py::module_ module;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(uep_own_tests, MathModule)

BOOST_AUTO_TEST_CASE(vectors_add_and_scale_as_uep_tests_expect) {
  run(R"(
assert FVector(1, 2, 3) + FVector(4, 5, 6) == FVector(5, 7, 9)
assert FVector(1, 2, 3) + FVector(-4, -5, -6) == FVector(-3, -3, -3)
assert FVector(1, 2, -3) * 2 == FVector(2, 4, -6)
)");
}

BOOST_AUTO_TEST_CASE(rotator_arguments_are_roll_pitch_yaw) {
  run(R"(
r = FRotator(10, 20, 30)
assert (r.roll, r.pitch, r.yaw) == (10, 20, 30), str(r)
assert FRotator(0, 0, 90).yaw == 90
)");
}

BOOST_AUTO_TEST_CASE(a_default_transform_is_the_identity) {
  run(R"(
t = FTransform()
assert t.translation == FVector(0, 0, 0)
assert (t.rotation.roll, t.rotation.pitch, t.rotation.yaw) == (0, 0, 0)
assert t.scale == FVector(1, 1, 1)
)");
}

BOOST_AUTO_TEST_CASE(random_streams_behave_as_uep_tests_expect) {
  run(R"(
r = FRandomStream()
assert type(r.frand()) is float
assert 17 <= r.frand_range(17, 22) <= 22
fraction = r.get_fraction()
assert type(fraction) is float and 0.0 <= fraction <= 1.0
assert 1.0 - r.get_unit_vector().length() < 0.1
assert 1.0 - r.vrand().length() < 0.1
assert 1.0 - r.vrand_cone(FVector(0, 0, 1), 30, 22).length() < 0.1
value = r.get_unsigned_int()
assert type(value) is int and value >= 0
value = r.rand_helper(30)
assert type(value) is int and 0 <= value <= 30
value = r.rand_range(17, 30)
assert type(value) is int and 17 <= value <= 30

fresh = FRandomStream()
assert fresh.get_current_seed() == fresh.get_initial_seed()
first = fresh.get_current_seed()
fresh.generate_new_seed()
assert fresh.get_current_seed() != first
fresh.frand()
fresh.reset()
assert fresh.get_current_seed() == fresh.get_initial_seed()
fresh.initialize(17)
assert fresh.get_initial_seed() == 17
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(fvector, MathModule)

BOOST_AUTO_TEST_CASE(constructors_take_up_to_three_numbers_and_one_is_all_three) {
  run(R"(
assert (FVector().x, FVector().y, FVector().z) == (0.0, 0.0, 0.0)
assert tuple(FVector(7)) == (7.0, 7.0, 7.0)
assert tuple(FVector(1, 2)) == (1.0, 2.0, 0.0)
assert tuple(FVector(z=3)) == (0.0, 0.0, 3.0)
assert type(FVector(1, 2, 3).x) is float
try:
    FVector(1, 2, 3, 4)
    raise AssertionError('four numbers accepted')
except TypeError:
    pass
try:
    FVector('a')
    raise AssertionError('a string accepted')
except TypeError:
    pass
)");
}

BOOST_AUTO_TEST_CASE(attributes_methods_and_sequence_protocol) {
  run(R"(
v = FVector(2, 3, 6)
v.x = 2
assert v.length() == 7.0 and v.size() == 7.0
assert v.length_squared() == 49.0 and v.size_squared() == 49.0
n = FVector(0, 3, 4).normalized()
assert abs(n.y - 0.6) < 1e-12 and abs(n.z - 0.8) < 1e-12
assert FVector(0, 0, 0).normalized() == FVector(0, 0, 0)
assert FVector(1, 2, 3).dot(FVector(4, 5, 6)) == 32.0
assert FVector(1, 0, 0).cross(FVector(0, 1, 0)) == FVector(0, 0, 1)
assert FVector(2, 3, 4).project_on_to(FVector(0, 0, 10)) == FVector(0, 0, 4)
assert FVector(2, 3, 4).project_on_to_normal(FVector(1, 0, 0)) == FVector(2, 0, 0)
r = FVector(0, 5, 0).rotation()
assert abs(r.yaw - 90) < 1e-9 and r.pitch == 0 and r.roll == 0
assert len(v) == 3 and v[0] == 2 and v[2] == 6 and v[-1] == 6
x, y, z = v
assert (x, y, z) == (2, 3, 6)
try:
    v[3]
    raise AssertionError('index 3 accepted')
except IndexError:
    pass
try:
    v.dot(3)
    raise AssertionError('dot with a number accepted')
except TypeError as e:
    assert 'FVector' in str(e)
assert FVector.forward == FVector(1, 0, 0)
assert FVector.right == FVector(0, 1, 0)
assert FVector.up == FVector(0, 0, 1)
)");
}

BOOST_AUTO_TEST_CASE(operators_take_vectors_numbers_rotators_and_quaternions) {
  run(R"(
a, b = FVector(1, 2, 3), FVector(4, 5, 6)
assert a - b == FVector(-3, -3, -3)
assert a + 1 == FVector(2, 3, 4)
assert a - 1 == FVector(0, 1, 2)
assert a * b == FVector(4, 10, 18)
assert a * 2.5 == FVector(2.5, 5, 7.5)
assert 2 * a == FVector(2, 4, 6)
assert b / 2 == FVector(2, 2.5, 3)
assert b / a == FVector(4, 2.5, 2)
assert FVector(5, 7, -1) // 2 == FVector(2, 3, -1)
assert -a == FVector(-1, -2, -3)
turned = FVector(1, 0, 0) * FRotator(0, 0, 90)
assert abs(turned.x) < 1e-12 and abs(turned.y - 1) < 1e-12, str(turned)
turned = FVector(1, 0, 0) * FRotator(0, 0, 90).quaternion()
assert abs(turned.x) < 1e-12 and abs(turned.y - 1) < 1e-12, str(turned)
for bad in (lambda: a / 0, lambda: a / FVector(1, 0, 1), lambda: a // 0):
    try:
        bad()
        raise AssertionError('division by zero accepted')
    except ZeroDivisionError:
        pass
try:
    a + 'x'
    raise AssertionError('a string added')
except TypeError:
    pass
assert a != b and a == FVector(1, 2, 3) and not (a == (1, 2, 3)) and a != None
)");
}

BOOST_AUTO_TEST_CASE(fast_slots_keep_the_methods_semantics) {
  // FVector's arithmetic, length and components bypass pybind11's dispatch.
  run(R"py(
a = FVector(1, 2, 3)
assert FVector.__add__(a, FVector(1, 1, 1)) == a + FVector(1, 1, 1) == FVector(2, 3, 4)
assert FVector.__mul__(a, 2) == a * 2
class Tagged(FVector):
    pass
t = Tagged(1, 1, 1)
assert t + a == FVector(2, 3, 4) and a - t == FVector(0, 1, 2) and t.length() == math.sqrt(3)
a.y = 5
assert a.y == 5.0 and type(a.y) is float
for bad in ("a.x = 'one'", "del a.x", "FVector.length(3)", "a / 'x'", "'x' * a"):
    try:
        exec(bad)
        raise AssertionError(bad + ' accepted')
    except (TypeError, AttributeError):
        pass
)py");
}

BOOST_AUTO_TEST_CASE(str_and_repr_are_uep_str) {
  run(R"(
assert str(FVector(1, 2.5, -3)) == "<unreal_engine.FVector {'x': 1.0, 'y': 2.5, 'z': -3.0}>", str(FVector(1, 2.5, -3))
assert repr(FVector(0.1, 0, 0)) == "<unreal_engine.FVector {'x': 0.1, 'y': 0.0, 'z': 0.0}>"
assert str(FVector2D(1, 2)) == "<unreal_engine.FVector2D {'x': 1.0, 'y': 2.0}>"
assert str(FRotator(10, 20, 30)) == "<unreal_engine.FRotator {'roll': 10.0, 'pitch': 20.0, 'yaw': 30.0}>"
assert str(FQuat()) == "<unreal_engine.FQuat {'x': 0.0, 'y': 0.0, 'z': 0.0, 'w': 1.0}>"
# The identity's roll is atan2(-2 * 0, 1): -0.0, in UE too.
assert str(FTransform(FVector(1, 2, 3))) == "<unreal_engine.FTransform {'translation': (1.0, 2.0, 3.0), 'rotation': (-0.0, 0.0, 0.0), 'scale': (1.0, 1.0, 1.0)}>", str(FTransform(FVector(1, 2, 3)))
assert str(FLinearColor(1, 0.5, 0)) == "<unreal_engine.FLinearColor {'r': 1.0, 'g': 0.5, 'b': 0.0, 'a': 1.0}>"
assert str(FColor(1, 2, 3)) == "<unreal_engine.FColor {'r': 1, 'g': 2, 'b': 3, 'a': 255}>"
s = FRandomStream(-5)
assert str(s) == "<unreal_engine.FRandomStream {'seed': -5}>"
)");
}

BOOST_AUTO_TEST_CASE(copies_are_independent) {
  run(R"(
import copy
a = FVector(1, 2, 3)
b = copy.copy(a)
b.x = 9
assert a.x == 1
c = copy.deepcopy({'v': a})['v']
assert c == a and c is not a
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(fvector2d, MathModule)

BOOST_AUTO_TEST_CASE(vector2d_mirrors_fvector_in_two_dimensions) {
  run(R"(
assert tuple(FVector2D(4)) == (4.0, 4.0)
v = FVector2D(3, 4)
assert v.length() == 5.0 and v.size_squared() == 25.0
assert v.normalized() == FVector2D(0.6, 0.8)
assert v.dot(FVector2D(1, 1)) == 7.0
assert v.cross(FVector2D(1, 0)) == -4.0
assert v + FVector2D(1, 1) == FVector2D(4, 5) and v - 1 == FVector2D(2, 3)
assert v * 2 == FVector2D(6, 8) and v / 2 == FVector2D(1.5, 2) and v // 2 == FVector2D(1, 2)
assert len(v) == 2 and list(v) == [3.0, 4.0]
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(frotator_and_fquat, MathModule)

BOOST_AUTO_TEST_CASE(rotators_convert_rotate_and_combine) {
  run(R"(
r = FRotator(0, 0, 90)            # yaw 90
f = r.get_vector()
assert abs(f.x) < 1e-12 and abs(f.y - 1) < 1e-12 and abs(f.z) < 1e-12
assert r.get_euler() == FVector(0, 0, 90)
q = r.quaternion()
assert abs(q.z - math.sqrt(0.5)) < 1e-12 and abs(q.w - math.sqrt(0.5)) < 1e-12
back = FRotator(q)
assert abs(back.yaw - 90) < 1e-9 and abs(back.pitch) < 1e-9 and abs(back.roll) < 1e-9
turned = r * FVector(1, 0, 0)
assert abs(turned.y - 1) < 1e-12
n = FRotator(0, 0, 270).normalized()
assert n.yaw == -90
inv = FRotator(0, 0, 30).inversed()
assert abs(inv.yaw + 30) < 1e-9
assert FRotator(1, 2, 3) + FRotator(1, 1, 1) == FRotator(2, 3, 4)
assert FRotator(1, 2, 3) - 1 == FRotator(0, 1, 2)
assert FRotator(1, 2, 3) * 2 == FRotator(2, 4, 6)
assert FRotator(2, 4, 6) / 2 == FRotator(1, 2, 3)
assert tuple(FRotator(7)) == (7.0, 7.0, 7.0)
assert list(FRotator(10, 20, 30)) == [10.0, 20.0, 30.0], 'roll, pitch, yaw'
k = FRotator(pitch=5)
assert k.pitch == 5 and k.roll == 0 and k.yaw == 0
)");
}

BOOST_AUTO_TEST_CASE(quaternions_multiply_rotate_and_describe_themselves) {
  run(R"(
q = FQuat()
assert tuple(q) == (0.0, 0.0, 0.0, 1.0)
yaw = FRotator(0, 0, 90).quaternion()
pitch = FRotator(0, 90, 0).quaternion()
up = (yaw * pitch) * FVector(1, 0, 0)
assert abs(up.z - 1) < 1e-12, str(up)
assert abs(yaw.get_forward_vector().y - 1) < 1e-12
assert abs(yaw.get_right_vector().x + 1) < 1e-12
assert abs(yaw.get_up_vector().z - 1) < 1e-12
assert yaw.vector() == yaw.get_axis_x()
e = yaw.euler()
assert abs(e.z - 90) < 1e-9
# UEP's rotator() is euler(): an FVector of (roll, pitch, yaw).
assert isinstance(yaw.rotator(), FVector)
assert abs(yaw.angular_distance(FQuat()) - math.pi / 2) < 1e-9
assert abs(yaw.angular_distance(0, 0, 0, 1) - math.pi / 2) < 1e-9
i = yaw * yaw.inverse()
assert abs(i.w - 1) < 1e-12
g = FQuat(0, 0, 2, 0).get_normalized()
assert g == FQuat(0, 0, 1, 0)
assert FQuat(1, 2, 3, 4) + FQuat(1, 1, 1, 1) == FQuat(2, 3, 4, 5)
assert FQuat(1, 2, 3, 4) * 2 == FQuat(2, 4, 6, 8)
assert FQuat(2, 4, 6, 8) / 2 == FQuat(1, 2, 3, 4)
assert len(q) == 4
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(ftransform, MathModule)

BOOST_AUTO_TEST_CASE(constructed_positionally_by_keyword_or_from_a_matrix) {
  run(R"(
t = FTransform(FVector(1, 2, 3), FRotator(0, 0, 90), FVector(2, 2, 2))
assert t.translation == FVector(1, 2, 3) and t.scale == FVector(2, 2, 2)
assert abs(t.rotation.yaw - 90) < 1e-9
k = FTransform(scale=FVector(3, 3, 3), rotation=FRotator(0, 0, 90).quaternion())
assert k.translation == FVector() and k.scale == FVector(3, 3, 3)
assert abs(k.quaternion.z - math.sqrt(0.5)) < 1e-12
m = FTransform([2, 0, 0, 0,  0, 2, 0, 0,  0, 0, 2, 0,  5, 6, 7, 1])
assert m.translation == FVector(5, 6, 7) and m.scale == FVector(2, 2, 2), str(m)
for bad in (lambda: FTransform([1, 2, 3]), lambda: FTransform(FVector(), 5),
            lambda: FTransform(FVector(), None, FRotator())):
    try:
        bad()
        raise AssertionError('bad arguments accepted')
    except (TypeError, ValueError):
        pass
)");
}

BOOST_AUTO_TEST_CASE(attributes_are_copies_and_setters_replace) {
  run(R"(
t = FTransform()
t.translation.x = 5              # a copy, as in UEP
assert t.translation.x == 0
t.translation = FVector(5, 0, 0)
t.rotation = FRotator(0, 0, 90)
t.scale = FVector(2, 2, 2)
p = t.transform_position(FVector(1, 0, 0))
assert abs(p.x - 5) < 1e-12 and abs(p.y - 2) < 1e-12, str(p)
t.quaternion = FQuat()
assert t.rotation.yaw == 0
try:
    t.scale = 3
    raise AssertionError('a number accepted as a scale')
except TypeError:
    pass
)");
}

BOOST_AUTO_TEST_CASE(composition_inverse_and_relative_transforms) {
  run(R"(
a = FTransform(FVector(1, 0, 0), FRotator(0, 0, 90), FVector(2, 2, 2))
b = FTransform(FVector(0, 5, 0), FRotator(10, 0, 0))
p = FVector(1, 2, 3)
ab = (a * b).transform_position(p)
step = b.transform_position(a.transform_position(p))
assert (ab - step).length() < 1e-9, (str(ab), str(step))
back = a.inverse().transform_position(a.transform_position(p))
assert (back - p).length() < 1e-9
rel = (a * b).get_relative_transform(b)
assert (rel.transform_position(p) - a.transform_position(p)).length() < 1e-9
assert (a.transform_vector(FVector(1, 0, 0)) - FVector(0, 2, 0)).length() < 1e-12
assert (a.transform_vector_no_scale(FVector(1, 0, 0)) - FVector(0, 1, 0)).length() < 1e-12
assert (a.transform_position_no_scale(FVector(1, 0, 0)) - FVector(1, 1, 0)).length() < 1e-12
r = a.transform_rotation(FQuat())
assert abs(r.z - math.sqrt(0.5)) < 1e-12
turned = a * FRotator(0, 0, 90)
assert abs(turned.rotation.yaw - 180) < 1e-9 or abs(turned.rotation.yaw + 180) < 1e-9
assert all(abs(x - y) < 1e-12 for x, y in zip(a.normalize_rotation().quaternion, a.quaternion))
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(colors, MathModule)

BOOST_AUTO_TEST_CASE(linear_colors_and_colors_convert_as_ue) {
  run(R"(
c = FLinearColor()
assert tuple(c) == (0.0, 0.0, 0.0, 1.0)
assert tuple(FLinearColor(0.5)) == (0.5, 0.5, 0.5, 1.0)
assert FLinearColor(1, 0.5, 0).to_fcolor() == FColor(255, 127, 0, 255)
assert FLinearColor(1, 0.5, 0).to_fcolor(True) == FColor(255, 188, 0, 255)
assert FLinearColor(0.1, 0.2, 0.3, 0.4) + FLinearColor(0.1, 0.1, 0.1, 0.1) == FLinearColor(0.2, 0.30000000000000004, 0.4, 0.5)
assert FLinearColor.Red == FLinearColor(1, 0, 0, 1) and FLinearColor.Gray.r == 0.5
k = FColor(10, 20, 30)
assert (k.r, k.g, k.b, k.a) == (10, 20, 30, 255) and type(k.r) is int
k.r = 300                          # a byte, as in UEP
assert k.r == 44
assert FColor(200, 0, 0) + FColor(100, 0, 0) == FColor(255, 0, 0, 255)
assert k.to_hex() == '(R=44,G=20,B=30,A=255)'
assert FColor(255, 0, 51, 255).to_linear() == FLinearColor(1, 0, 0.2, 1)
assert FColor.Orange == FColor(243, 156, 18) and list(FColor.White) == [255, 255, 255, 255]
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(frandomstream, MathModule)

BOOST_AUTO_TEST_CASE(a_seeded_stream_gives_ue_sequence) {
  // From seed 0 the first state is 907633515, whose top 23 bits are 1772721.
  run(R"(
s = FRandomStream(0)
assert s.get_fraction() == 1772721 / 8388608
assert s.get_current_seed() == 907633515
s.reset()
assert s.get_unsigned_int() == 907633515
s.initialize(12345)
assert [s.rand_range(1, 6) for _ in range(5)] == [3, 4, 4, 6, 1]
assert FRandomStream(5).vrand_cone(FVector(0, 0, 2), 0) == FVector(0, 0, 1)
)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(cpp_casts, MathModule)

BOOST_AUTO_TEST_CASE(value_types_cast_to_their_classes_and_back) {
  const py::object vector = py::cast(Vec3{1, 2, 3});
  BOOST_TEST(py::isinstance(vector, module.attr("FVector")));
  BOOST_TEST((vector.cast<Vec3>() == Vec3{1, 2, 3}));
  const py::object rotator = module.attr("FRotator")(10, 20, 30);
  const auto r = rotator.cast<Rotator>();
  BOOST_TEST(r.roll == 10.0);
  BOOST_TEST(r.pitch == 20.0);
  BOOST_TEST(r.yaw == 30.0);
  BOOST_TEST(py::isinstance(py::cast(Transform{}), module.attr("FTransform")));
  BOOST_TEST(py::isinstance(py::cast(Quat{}), module.attr("FQuat")));
  BOOST_TEST(py::isinstance(py::cast(Vec2{}), module.attr("FVector2D")));
  BOOST_TEST(py::isinstance(py::cast(LinearColor{}), module.attr("FLinearColor")));
  BOOST_TEST(py::isinstance(py::cast(Color{}), module.attr("FColor")));
  BOOST_TEST(py::isinstance(py::cast(RandomStream(3)), module.attr("FRandomStream")));
  BOOST_TEST((module.attr("FColor")(1, 2, 3).cast<Color>() == Color{1, 2, 3, 255}));
}

BOOST_AUTO_TEST_CASE(a_second_module_gets_the_same_classes) {
  auto other = py::reinterpret_borrow<py::module_>(
      py::module_::import("types").attr("ModuleType")("unreal_math_second"));
  define_unreal_math_types(other);
  for (const char* name : {"FVector", "FVector2D", "FRotator", "FQuat", "FTransform",
                           "FLinearColor", "FColor", "FRandomStream"}) {
    BOOST_TEST(other.attr(name).is(module.attr(name)), name);
  }
}

BOOST_AUTO_TEST_CASE(ue_struct_names_map_to_classes) {
  BOOST_TEST(is_math_struct("Vector"));
  BOOST_TEST(is_math_struct("Transform"));
  BOOST_TEST(!is_math_struct("Key"));
  BOOST_TEST(math_struct_python_name("Rotator") == "FRotator");
  BOOST_TEST(math_struct_python_name("LinearColor") == "FLinearColor");
  BOOST_TEST(math_struct_python_name("Matrix").empty());
}

BOOST_AUTO_TEST_SUITE_END()
