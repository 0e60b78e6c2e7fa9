// The math value types: UE's formulas and conventions (X forward, Y right,
// Z up; pitch up, yaw right, roll clockwise looking forward), checked against
// values worked out by hand from UE's definitions.
#define BOOST_TEST_MODULE vector_math
#include "fake_engine/objects/math/vector_math.h"

#include <boost/test/unit_test.hpp>
#include <ostream>

namespace understudy {

std::ostream& operator<<(std::ostream& out, const Vec3& v) {
  return out << "(" << v.x << ", " << v.y << ", " << v.z << ")";
}
std::ostream& operator<<(std::ostream& out, const Quat& q) {
  return out << "(" << q.x << ", " << q.y << ", " << q.z << ", " << q.w << ")";
}
std::ostream& operator<<(std::ostream& out, const Rotator& r) {
  return out << "(pitch " << r.pitch << ", yaw " << r.yaw << ", roll " << r.roll << ")";
}

}  // namespace understudy

using namespace understudy;

namespace {

constexpr double kTolerance = 1e-9;
const double kHalfSqrt2 = std::sqrt(0.5);

boost::test_tools::predicate_result near(Vec3 seen, Vec3 expected, double tolerance = kTolerance) {
  if (length(seen - expected) <= tolerance) {
    return true;
  }
  boost::test_tools::predicate_result result(false);
  result.message() << "expected " << expected << ", seen " << seen;
  return result;
}

boost::test_tools::predicate_result near(Quat seen, Quat expected, double tolerance = kTolerance) {
  const Quat d = seen - expected;
  if (std::sqrt(dot(d, d)) <= tolerance) {
    return true;
  }
  boost::test_tools::predicate_result result(false);
  result.message() << "expected " << expected << ", seen " << seen;
  return result;
}

boost::test_tools::predicate_result near(Rotator seen, Rotator expected, double tolerance = 1e-7) {
  if (std::abs(seen.pitch - expected.pitch) <= tolerance &&
      std::abs(seen.yaw - expected.yaw) <= tolerance &&
      std::abs(seen.roll - expected.roll) <= tolerance) {
    return true;
  }
  boost::test_tools::predicate_result result(false);
  result.message() << "expected " << expected << ", seen " << seen;
  return result;
}

const Rotator kSampleRotators[] = {
    {0, 0, 0},     {10, 20, 30},    {-45, 135, 60}, {80, -170, -100},
    {30, 370, 10}, {-60, -10, 200}, {5, 90, -90},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(vectors)

BOOST_AUTO_TEST_CASE(arithmetic_is_component_wise_and_scalar) {
  const Vec3 a{1, 2, 3}, b{4, 5, 6};
  BOOST_TEST((a + b == Vec3{5, 7, 9}));
  BOOST_TEST((a - b == Vec3{-3, -3, -3}));
  BOOST_TEST((a * b == Vec3{4, 10, 18}));
  BOOST_TEST((b / a == Vec3{4, 2.5, 2}));
  BOOST_TEST((a * 2.0 == Vec3{2, 4, 6}));
  BOOST_TEST((2.0 * a == Vec3{2, 4, 6}));
  BOOST_TEST((b / 2.0 == Vec3{2, 2.5, 3}));
  BOOST_TEST((-a == Vec3{-1, -2, -3}));
}

BOOST_AUTO_TEST_CASE(dot_cross_and_length) {
  const Vec3 a{1, 2, 3}, b{4, 5, 6};
  BOOST_TEST(dot(a, b) == 32.0);
  BOOST_TEST((cross(a, b) == Vec3{-3, 6, -3}));
  // Forward x right = up: UE's axes.
  BOOST_TEST((cross(Vec3{1, 0, 0}, Vec3{0, 1, 0}) == Vec3{0, 0, 1}));
  BOOST_TEST(length(Vec3{2, 3, 6}) == 7.0);
  BOOST_TEST(length_squared(Vec3{2, 3, 6}) == 49.0);
}

BOOST_AUTO_TEST_CASE(safe_normal_is_zero_and_normalize_unchanged_for_a_tiny_vector) {
  BOOST_TEST(near(safe_normal(Vec3{0, 3, 4}), Vec3{0, 0.6, 0.8}));
  BOOST_TEST((safe_normal(Vec3{1e-5, 0, 0}) == Vec3{}), "1e-10 squared is below SMALL_NUMBER");
  BOOST_TEST((normalized(Vec3{1e-5, 0, 0}) == Vec3{1e-5, 0, 0}),
             "FVector::Normalize leaves a tiny vector as it is");
  BOOST_TEST(near(normalized(Vec3{0, 3, 4}), Vec3{0, 0.6, 0.8}));
  BOOST_TEST((normalized(Vec2{3, 4}) == Vec2{0.6, 0.8}));
}

BOOST_AUTO_TEST_CASE(projection_and_rotation_about_an_axis) {
  BOOST_TEST(near(project_on_to(Vec3{2, 3, 4}, Vec3{0, 0, 10}), Vec3{0, 0, 4}));
  BOOST_TEST(near(project_on_to_normal(Vec3{2, 3, 4}, Vec3{1, 0, 0}), Vec3{2, 0, 0}));
  BOOST_TEST(near(rotate_angle_axis(Vec3{1, 0, 0}, 90, Vec3{0, 0, 1}), Vec3{0, 1, 0}));
}

BOOST_AUTO_TEST_CASE(orientation_rotator_points_x_along_the_vector) {
  BOOST_TEST(near(orientation_rotator(Vec3{0, 5, 0}), Rotator{0, 90, 0}));
  BOOST_TEST(near(orientation_rotator(Vec3{1, 0, 1}), Rotator{45, 0, 0}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rotators_and_quaternions)

BOOST_AUTO_TEST_CASE(single_axis_rotators_give_ue_quaternions) {
  // FRotator::Quaternion with one half-angle of 45 degrees: yaw is about +Z,
  // pitch about -Y (UE is left-handed: pitching up turns X towards Z), roll
  // about -X.
  BOOST_TEST(near(to_quat(Rotator{0, 90, 0}), Quat{0, 0, kHalfSqrt2, kHalfSqrt2}));
  BOOST_TEST(near(to_quat(Rotator{90, 0, 0}), Quat{0, -kHalfSqrt2, 0, kHalfSqrt2}));
  BOOST_TEST(near(to_quat(Rotator{0, 0, 90}), Quat{-kHalfSqrt2, 0, 0, kHalfSqrt2}));
}

BOOST_AUTO_TEST_CASE(angles_are_reduced_modulo_360_before_halving) {
  // Without the reduction yaw 370 would give -q of yaw 10's quaternion.
  BOOST_TEST(near(to_quat(Rotator{0, 370, 0}), to_quat(Rotator{0, 10, 0})));
  BOOST_TEST(near(to_quat(Rotator{0, -370, 0}), to_quat(Rotator{0, -10, 0})));
}

BOOST_AUTO_TEST_CASE(rotating_the_basis_follows_ue_conventions) {
  BOOST_TEST(near(rotate_vector(Rotator{0, 90, 0}, Vec3{1, 0, 0}), Vec3{0, 1, 0}), "yaw right");
  BOOST_TEST(near(rotate_vector(Rotator{90, 0, 0}, Vec3{1, 0, 0}), Vec3{0, 0, 1}), "pitch up");
  BOOST_TEST(near(rotate_vector(Rotator{0, 0, 90}, Vec3{0, 1, 0}), Vec3{0, 0, -1}),
             "roll: the right axis goes down");
  BOOST_TEST(near(forward_vector(Rotator{0, 90, 0}), Vec3{0, 1, 0}));
  BOOST_TEST(near(forward_vector(Rotator{30, 0, 0}), Vec3{std::sqrt(3.0) / 2, 0, 0.5}));
}

BOOST_AUTO_TEST_CASE(rotator_and_its_quaternion_rotate_vectors_alike) {
  const Vec3 v{3, -4, 5};
  for (const auto& r : kSampleRotators) {
    BOOST_TEST(near(rotate_vector(r, v), rotate_vector(to_quat(r), v)), "rotator " << r);
    BOOST_TEST(near(unrotate_vector(r, rotate_vector(r, v)), v), "rotator " << r);
    BOOST_TEST(near(unrotate_vector(to_quat(r), rotate_vector(to_quat(r), v)), v));
    BOOST_TEST(near(forward_vector(r), axis_x(to_quat(r))), "rotator " << r);
  }
}

BOOST_AUTO_TEST_CASE(quaternion_to_rotator_inverts_rotator_to_quaternion) {
  for (const auto& r : kSampleRotators) {
    BOOST_TEST(near(to_rotator(to_quat(r)), normalized(r)), "rotator " << r);
  }
}

BOOST_AUTO_TEST_CASE(gimbal_lock_puts_the_whole_turn_in_yaw_and_roll) {
  // At pitch 90 yaw and roll turn about the same axis; UE's FQuat::Rotator
  // pins pitch to exactly 90 and keeps the rotation itself.
  const Rotator r{90, 30, 10};
  const Rotator back = to_rotator(to_quat(r));
  BOOST_TEST(back.pitch == 90.0);
  const Vec3 v{1, 2, 3};
  BOOST_TEST(near(rotate_vector(back, v), rotate_vector(r, v), 1e-6));
}

BOOST_AUTO_TEST_CASE(hamilton_product_applies_the_right_operand_first) {
  const Quat yaw = to_quat(Rotator{0, 90, 0});
  const Quat pitch = to_quat(Rotator{90, 0, 0});
  // Pitch up first (forward -> up), then yaw: up stays up.
  BOOST_TEST(near(rotate_vector(yaw * pitch, Vec3{1, 0, 0}), Vec3{0, 0, 1}));
  // Yaw first (forward -> right), then pitch about Y: right stays right.
  BOOST_TEST(near(rotate_vector(pitch * yaw, Vec3{1, 0, 0}), Vec3{0, 1, 0}));
  // A rotator composes as yaw * pitch * roll.
  const Rotator r{20, 30, 40};
  BOOST_TEST(near(to_quat(Rotator{0, r.yaw, 0}) * to_quat(Rotator{r.pitch, 0, 0}) *
                      to_quat(Rotator{0, 0, r.roll}),
                  to_quat(r)));
}

BOOST_AUTO_TEST_CASE(normalizing_and_inverting) {
  BOOST_TEST(near(normalized(Quat{0, 0, 2, 0}), Quat{0, 0, 1, 0}));
  BOOST_TEST((normalized(Quat{0, 0, 0, 0}) == kIdentityQuat), "a zero quaternion is the identity");
  BOOST_TEST(is_normalized(Quat{0, 0, 0, 1.001}));
  BOOST_TEST(!is_normalized(Quat{0, 0, 0, 1.1}));
  const Quat q = to_quat(Rotator{10, 20, 30});
  BOOST_TEST(near(q * inverse(q), kIdentityQuat));
  BOOST_TEST(near(rotate_vector(to_quat(inverse(Rotator{10, 20, 30})), rotate_vector(q, {1, 2, 3})),
                  Vec3{1, 2, 3}, 1e-7));
  BOOST_TEST(std::abs(angular_distance(kIdentityQuat, to_quat(Rotator{0, 90, 0})) - kPi / 2) <
             1e-7);
}

BOOST_AUTO_TEST_CASE(rotator_axes_normalize_into_minus_180_to_180) {
  BOOST_TEST(normalize_axis(190) == -170.0);
  BOOST_TEST(normalize_axis(-190) == 170.0);
  BOOST_TEST(normalize_axis(180) == 180.0);
  BOOST_TEST(normalize_axis(-180) == 180.0);
  BOOST_TEST(clamp_axis(-90) == 270.0);
  BOOST_TEST((normalized(Rotator{360, 540, -720}) == Rotator{0, 180, 0}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(transforms)

BOOST_AUTO_TEST_CASE(a_default_transform_is_the_identity) {
  const Transform t;
  BOOST_TEST((t.scale == Vec3{1, 1, 1}));
  BOOST_TEST((transform_position(t, Vec3{1, 2, 3}) == Vec3{1, 2, 3}));
}

BOOST_AUTO_TEST_CASE(positions_are_scaled_then_rotated_then_translated) {
  const Transform t{to_quat(Rotator{0, 90, 0}), {10, 0, 0}, {2, 2, 2}};
  BOOST_TEST(near(transform_position(t, Vec3{1, 0, 0}), Vec3{10, 2, 0}));
  BOOST_TEST(near(transform_position_no_scale(t, Vec3{1, 0, 0}), Vec3{10, 1, 0}));
  BOOST_TEST(near(transform_vector(t, Vec3{1, 0, 0}), Vec3{0, 2, 0}));
  BOOST_TEST(near(transform_vector_no_scale(t, Vec3{1, 0, 0}), Vec3{0, 1, 0}));
}

BOOST_AUTO_TEST_CASE(a_times_b_applies_a_then_b) {
  // Exact when b's scale is uniform: a rotation then a non-uniform scale is a
  // shear, which UE's FTransform cannot hold either.
  const Transform a{to_quat(Rotator{0, 90, 0}), {1, 0, 0}, {1, 3, 0.5}};
  const Transform b{to_quat(Rotator{30, 0, 10}), {0, 5, -3}, {2, 2, 2}};
  const Vec3 p{0.5, -2, 7};
  BOOST_TEST(near(transform_position(a * b, p), transform_position(b, transform_position(a, p))));
  BOOST_TEST(near(transform_position(a * to_quat(Rotator{0, 0, 45}), p),
                  rotate_vector(to_quat(Rotator{0, 0, 45}), transform_position(a, p))));
}

BOOST_AUTO_TEST_CASE(negative_scales_compose_through_matrices) {
  const Transform a{to_quat(Rotator{0, 90, 0}), {1, 0, 0}, {-1, 1, 1}};
  const Transform b{to_quat(Rotator{0, 0, 30}), {0, 2, 0}, {1, 1, 2}};
  const Transform ab = a * b;
  BOOST_TEST((ab.scale == Vec3{-1, 1, 2}));
  const Vec3 p{1, 2, 3};
  BOOST_TEST(near(transform_position(ab, p), transform_position(b, transform_position(a, p))));
}

BOOST_AUTO_TEST_CASE(inverse_and_relative_transforms_undo_composition) {
  const Transform a{to_quat(Rotator{10, 20, 30}), {1, 2, 3}, {2, 4, 0.5}};
  const Transform b{to_quat(Rotator{-40, 5, 60}), {-7, 0, 2}, {1, 1, 1}};
  const Vec3 p{3, -1, 2};
  // The inverse is exact for a uniform scale (FTransform::Inverse inverts
  // scale and rotation separately).
  const Transform uniform{a.rotation, a.translation, {2, 2, 2}};
  BOOST_TEST(near(transform_position(inverse(uniform), transform_position(uniform, p)), p));
  // relative_transform(a * b, b) == a: a expressed in b's space.
  const Transform relative = relative_transform(a * b, b);
  BOOST_TEST(near(transform_position(relative, p), transform_position(a, p)));
  BOOST_TEST(near(relative.scale, a.scale));
  BOOST_TEST((inverse(Transform{kIdentityQuat, {}, {0, 2, 1}}).scale == Vec3{0, 0.5, 1}),
             "a zero scale has a zero reciprocal");
}

BOOST_AUTO_TEST_CASE(matrices_round_trip) {
  const Transform t{to_quat(Rotator{10, 20, 30}), {1, 2, 3}, {2, 4, 0.5}};
  const Transform back = transform_from_matrix(to_matrix_with_scale(t));
  BOOST_TEST(near(back.translation, t.translation));
  BOOST_TEST(near(back.scale, t.scale));
  BOOST_TEST(near(back.rotation, t.rotation));
  BOOST_TEST(std::abs(determinant(to_matrix_with_scale(t)) - 4.0) < 1e-9, "2 * 4 * 0.5");
  // A mirrored matrix: UE puts the reflection in the X scale.
  const Transform mirrored =
      transform_from_matrix(to_matrix_with_scale({kIdentityQuat, {}, {1, -1, 1}}));
  BOOST_TEST(mirrored.scale.x == -1.0);
  BOOST_TEST(near(transform_position(mirrored, Vec3{1, 2, 3}), Vec3{1, -2, 3}));
  BOOST_TEST(near(quat_from_matrix(Matrix44{}), kIdentityQuat), "no axes: the identity");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(colors)

BOOST_AUTO_TEST_CASE(linear_colors_quantize_as_ue_to_fcolor) {
  // floor(c * 255.999) after clamping: 0.5 -> 127; with sRGB,
  // 0.5^(1/2.4) * 1.055 - 0.055 = 0.7354 -> 188.
  BOOST_TEST((to_color(LinearColor{1, 0.5, 0, 1}, false) == Color{255, 127, 0, 255}));
  BOOST_TEST((to_color(LinearColor{2, 0.5, -1, 0.5}, true) == Color{255, 188, 0, 127}));
  BOOST_TEST((reinterpret_as_linear(Color{255, 0, 51, 255}) == LinearColor{1, 0, 0.2, 1}));
}

BOOST_AUTO_TEST_CASE(fcolor_addition_saturates) {
  BOOST_TEST((Color{200, 10, 0, 255} + Color{100, 10, 0, 1} == Color{255, 20, 0, 255}));
}

BOOST_AUTO_TEST_SUITE_END()
