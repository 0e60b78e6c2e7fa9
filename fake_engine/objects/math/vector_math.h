// Engine-neutral math value types with Unreal Engine's semantics: vectors,
// rotators (degrees), quaternions, transforms and colours, as UE's FVector,
// FRotator, FQuat, FTransform, FLinearColor and FColor compute them.
//
// Contract:
// - Plain aggregates of doubles (Color: bytes); copy freely, no invariants
//   beyond what each function states. Every function is pure and thread-safe.
// - Results follow UE's formulas and conventions (X forward, Y right, Z up;
//   left-handed; a rotator is pitch about Y, yaw about Z, roll about X, in
//   degrees, applied roll, then pitch, then yaw). UE4 computes in float, UE5
//   and these types in double, so results agree with UE4's to float precision.
// - Names are neutral: the Unreal binding (fake_engine/unreal) and a future
//   Unity binding share these types.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace understudy {

// UE's tolerances (UnrealMathUtility.h).
inline constexpr double kSmallNumber = 1.e-8;       // SMALL_NUMBER
inline constexpr double kKindaSmallNumber = 1.e-4;  // KINDA_SMALL_NUMBER
inline constexpr double kPi = 3.14159265358979323846;

struct Vec2 {
  double x = 0, y = 0;

  friend constexpr bool operator==(const Vec2&, const Vec2&) = default;
};

inline constexpr Vec2 operator+(Vec2 a, Vec2 b) {
  return {a.x + b.x, a.y + b.y};
}
inline constexpr Vec2 operator-(Vec2 a, Vec2 b) {
  return {a.x - b.x, a.y - b.y};
}
inline constexpr Vec2 operator*(Vec2 a, Vec2 b) {
  return {a.x * b.x, a.y * b.y};
}
inline constexpr Vec2 operator/(Vec2 a, Vec2 b) {
  return {a.x / b.x, a.y / b.y};
}
inline constexpr Vec2 operator*(Vec2 a, double s) {
  return {a.x * s, a.y * s};
}
inline constexpr Vec2 operator*(double s, Vec2 a) {
  return a * s;
}
inline constexpr Vec2 operator/(Vec2 a, double s) {
  return {a.x / s, a.y / s};
}
inline constexpr Vec2 operator-(Vec2 a) {
  return {-a.x, -a.y};
}
inline constexpr double dot(Vec2 a, Vec2 b) {
  return a.x * b.x + a.y * b.y;
}
// FVector2D::CrossProduct: the z of the 3D cross product.
inline constexpr double cross(Vec2 a, Vec2 b) {
  return a.x * b.y - a.y * b.x;
}
inline constexpr double length_squared(Vec2 v) {
  return dot(v, v);
}
inline double length(Vec2 v) {
  return std::sqrt(length_squared(v));
}
// FVector2D::Normalize: unit length, or unchanged when shorter than
// sqrt(tolerance).
Vec2 normalized(Vec2 v, double tolerance = kSmallNumber);

struct Vec3 {
  double x = 0, y = 0, z = 0;

  friend constexpr bool operator==(const Vec3&, const Vec3&) = default;
};

inline constexpr Vec3 operator+(Vec3 a, Vec3 b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline constexpr Vec3 operator-(Vec3 a, Vec3 b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline constexpr Vec3 operator*(Vec3 a, Vec3 b) {
  return {a.x * b.x, a.y * b.y, a.z * b.z};
}
inline constexpr Vec3 operator/(Vec3 a, Vec3 b) {
  return {a.x / b.x, a.y / b.y, a.z / b.z};
}
inline constexpr Vec3 operator*(Vec3 a, double s) {
  return {a.x * s, a.y * s, a.z * s};
}
inline constexpr Vec3 operator*(double s, Vec3 a) {
  return a * s;
}
inline constexpr Vec3 operator/(Vec3 a, double s) {
  return {a.x / s, a.y / s, a.z / s};
}
inline constexpr Vec3 operator-(Vec3 a) {
  return {-a.x, -a.y, -a.z};
}
inline constexpr double dot(Vec3 a, Vec3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
inline constexpr Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline constexpr double length_squared(Vec3 v) {
  return dot(v, v);
}
inline double length(Vec3 v) {
  return std::sqrt(length_squared(v));
}

// FVector::GetSafeNormal: unit length; the zero vector when the squared
// length is below `tolerance`.
Vec3 safe_normal(Vec3 v, double tolerance = kSmallNumber);
// FVector::Normalize (what UEP's FVector.normalized() calls): unit length, or
// the vector unchanged when its squared length is not above `tolerance`.
Vec3 normalized(Vec3 v, double tolerance = kSmallNumber);
// FVector::ProjectOnTo: the projection on `target` (any length).
Vec3 project_on_to(Vec3 v, Vec3 target);
// FVector::ProjectOnToNormal: the projection on a unit vector.
Vec3 project_on_to_normal(Vec3 v, Vec3 unit_normal);
// FVector::RotateAngleAxis: `v` rotated by `angle_degrees` about the unit `axis`.
Vec3 rotate_angle_axis(Vec3 v, double angle_degrees, Vec3 axis);

struct Quat;

// UE's FRotator, in degrees. Field order is UE's (pitch, yaw, roll); UEP's
// Python constructor takes (roll, pitch, yaw).
struct Rotator {
  double pitch = 0, yaw = 0, roll = 0;

  friend constexpr bool operator==(const Rotator&, const Rotator&) = default;
};

inline constexpr Rotator operator+(Rotator a, Rotator b) {
  return {a.pitch + b.pitch, a.yaw + b.yaw, a.roll + b.roll};
}
inline constexpr Rotator operator-(Rotator a, Rotator b) {
  return {a.pitch - b.pitch, a.yaw - b.yaw, a.roll - b.roll};
}
inline constexpr Rotator operator*(Rotator a, double s) {
  return {a.pitch * s, a.yaw * s, a.roll * s};
}

// FRotator::ClampAxis: into [0, 360).
double clamp_axis(double angle_degrees);
// FRotator::NormalizeAxis: into (-180, 180].
double normalize_axis(double angle_degrees);
// FRotator::GetNormalized: every axis into (-180, 180].
Rotator normalized(Rotator r);
// FRotator::Quaternion (angles reduced modulo 360 first, as UE does).
Quat to_quat(Rotator r);
// FRotator::Vector: the unit forward (X) direction the rotator points along.
Vec3 forward_vector(Rotator r);
// FRotator::Euler: (roll, pitch, yaw) as a vector.
inline constexpr Vec3 euler(Rotator r) {
  return {r.roll, r.pitch, r.yaw};
}
// FRotator::RotateVector: `v` through the rotator's rotation matrix.
Vec3 rotate_vector(Rotator r, Vec3 v);
// FRotator::UnrotateVector: the inverse rotation.
Vec3 unrotate_vector(Rotator r, Vec3 v);
// FRotator::GetInverse: through the quaternion, as UE4 does.
Rotator inverse(Rotator r);
// FVector::Rotation (ToOrientationRotator): pitch and yaw that point X along `v`; no roll.
Rotator orientation_rotator(Vec3 v);

// UE's FQuat: (x, y, z) the vector part, w the scalar part.
struct Quat {
  double x = 0, y = 0, z = 0, w = 1;

  friend constexpr bool operator==(const Quat&, const Quat&) = default;
};

inline constexpr Quat kIdentityQuat{0, 0, 0, 1};

inline constexpr Quat operator+(Quat a, Quat b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w};
}
inline constexpr Quat operator-(Quat a, Quat b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z, a.w - b.w};
}
inline constexpr Quat operator*(Quat a, double s) {
  return {a.x * s, a.y * s, a.z * s, a.w * s};
}
inline constexpr Quat operator/(Quat a, double s) {
  return {a.x / s, a.y / s, a.z / s, a.w / s};
}
// FQuat::operator*: the Hamilton product; (a * b) applies b first, then a.
inline constexpr Quat operator*(Quat a, Quat b) {
  return {
      a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y, a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
      a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w, a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z};
}
inline constexpr double dot(Quat a, Quat b) {
  return a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
}

// FQuat::Rotator, with UE's gimbal-lock handling near pitch +-90.
Rotator to_rotator(Quat q);
// FQuat::RotateVector (q must be normalized).
Vec3 rotate_vector(Quat q, Vec3 v);
// FQuat::UnrotateVector.
Vec3 unrotate_vector(Quat q, Vec3 v);
// FQuat::Inverse: the conjugate (q must be normalized).
inline constexpr Quat inverse(Quat q) {
  return {-q.x, -q.y, -q.z, q.w};
}
// FQuat::GetNormalized: unit length; the identity when the squared length is
// below `tolerance`.
Quat normalized(Quat q, double tolerance = kSmallNumber);
// FQuat::IsNormalized: |1 - size^2| < THRESH_QUAT_NORMALIZED (0.01).
bool is_normalized(Quat q);
// FQuat::AngularDistance, in radians.
double angular_distance(Quat a, Quat b);
// FQuat::Euler: to_rotator, as (roll, pitch, yaw).
inline Vec3 euler(Quat q) {
  return euler(to_rotator(q));
}
inline Vec3 axis_x(Quat q) {
  return rotate_vector(q, {1, 0, 0});
}  // forward
inline Vec3 axis_y(Quat q) {
  return rotate_vector(q, {0, 1, 0});
}  // right
inline Vec3 axis_z(Quat q) {
  return rotate_vector(q, {0, 0, 1});
}  // up

// A 4x4 matrix in UE's FMatrix layout: row vectors, m[3] holds the translation.
using Matrix44 = std::array<std::array<double, 4>, 4>;

double determinant(const Matrix44& m);
// FQuat(const FMatrix&): the rotation of a matrix without scale; the identity
// when an axis is nearly zero.
Quat quat_from_matrix(const Matrix44& m);

// UE's FTransform: scale, then rotation, then translation.
struct Transform {
  Quat rotation = kIdentityQuat;
  Vec3 translation{};
  Vec3 scale{1, 1, 1};

  friend constexpr bool operator==(const Transform&, const Transform&) = default;
};

// FTransform::operator* (a * b): a, then b. Exact for non-negative scales, as
// UE's fast path; UE goes through matrices when a scale is negative.
Transform operator*(const Transform& a, const Transform& b);
// FTransform::operator*(FQuat): a, then the rotation q.
Transform operator*(const Transform& a, Quat q);
// FTransform::Inverse: reciprocal scale (0 for nearly-zero axes).
Transform inverse(const Transform& t);
// FTransform::GetRelativeTransform: `t` in `other`'s space (t * other^-1); the
// identity when other's rotation is not normalized.
Transform relative_transform(const Transform& t, const Transform& other);
// FTransform::NormalizeRotation.
Transform with_normalized_rotation(Transform t);
// FTransform::TransformPosition / TransformPositionNoScale.
Vec3 transform_position(const Transform& t, Vec3 position);
Vec3 transform_position_no_scale(const Transform& t, Vec3 position);
// FTransform::TransformVector / TransformVectorNoScale: no translation.
Vec3 transform_vector(const Transform& t, Vec3 direction);
Vec3 transform_vector_no_scale(const Transform& t, Vec3 direction);
// FTransform::TransformRotation: t's rotation * q.
inline constexpr Quat transform_rotation(const Transform& t, Quat q) {
  return t.rotation * q;
}
// FTransform::ToMatrixWithScale.
Matrix44 to_matrix_with_scale(const Transform& t);
// FTransform::SetFromMatrix: scale from the row lengths (its X negated when
// the determinant is negative), rotation from what is left, translation m[3].
Transform transform_from_matrix(const Matrix44& m);

struct Color;

// UE's FLinearColor: linear-space floats, alpha 1 by default.
struct LinearColor {
  double r = 0, g = 0, b = 0, a = 1;

  friend constexpr bool operator==(const LinearColor&, const LinearColor&) = default;
};

inline constexpr LinearColor operator+(LinearColor p, LinearColor q) {
  return {p.r + q.r, p.g + q.g, p.b + q.b, p.a + q.a};
}

// UE's FColor: 8-bit channels, alpha 255 by default.
struct Color {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;

  friend constexpr bool operator==(const Color&, const Color&) = default;
};

// FColor::operator+=: channel-wise, saturating at 255.
Color operator+(Color p, Color q);
// FLinearColor::ToFColor: clamped to [0, 1], optionally encoded to sRGB, then
// floor(c * 255.999).
Color to_color(LinearColor c, bool srgb);
// FColor::ReinterpretAsLinear: each channel / 255, no gamma.
LinearColor reinterpret_as_linear(Color c);

}  // namespace understudy
