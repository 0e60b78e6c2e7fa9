#include "fake_engine/objects/math/vector_math.h"

#include <algorithm>

namespace understudy {
namespace {

constexpr double kDegreesToRadians = kPi / 180.0;
constexpr double kRadiansToDegrees = 180.0 / kPi;

// The rows of FRotationMatrix(r): its X (forward), Y (right) and Z (up) axes.
struct RotationAxes {
  Vec3 x, y, z;
};

RotationAxes rotation_axes(Rotator r) {
  const double pitch = std::fmod(r.pitch, 360.0) * kDegreesToRadians;
  const double yaw = std::fmod(r.yaw, 360.0) * kDegreesToRadians;
  const double roll = std::fmod(r.roll, 360.0) * kDegreesToRadians;
  const double sp = std::sin(pitch), cp = std::cos(pitch);
  const double sy = std::sin(yaw), cy = std::cos(yaw);
  const double sr = std::sin(roll), cr = std::cos(roll);
  return {{cp * cy, cp * sy, sp},
          {sr * sp * cy - cr * sy, sr * sp * sy + cr * cy, -sr * cp},
          {-(cr * sp * cy + sr * sy), cy * sr - cr * sp * sy, cr * cp}};
}

Vec3 row_xyz(const Matrix44& m, int row) {
  return {m[row][0], m[row][1], m[row][2]};
}

void set_row_xyz(Matrix44& m, int row, Vec3 v) {
  m[row][0] = v.x;
  m[row][1] = v.y;
  m[row][2] = v.z;
}

Matrix44 multiply(const Matrix44& a, const Matrix44& b) {
  Matrix44 result{};
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int k = 0; k < 4; ++k) {
        result[i][j] += a[i][k] * b[k][j];
      }
    }
  }
  return result;
}

// FTransform::GetSafeScaleReciprocal.
Vec3 safe_scale_reciprocal(Vec3 scale, double tolerance = kSmallNumber) {
  auto reciprocal = [tolerance](double s) { return std::abs(s) <= tolerance ? 0.0 : 1.0 / s; };
  return {reciprocal(scale.x), reciprocal(scale.y), reciprocal(scale.z)};
}

bool any_negative(Vec3 a, Vec3 b) {
  return a.x < 0 || a.y < 0 || a.z < 0 || b.x < 0 || b.y < 0 || b.z < 0;
}

// FTransform::ConstructTransformFromMatrixWithDesiredScale.
Transform transform_from_matrix_with_scale(Matrix44 m, Vec3 desired_scale) {
  auto sign = [](double s) { return s >= 0 ? 1.0 : -1.0; };
  const double signs[3] = {sign(desired_scale.x), sign(desired_scale.y), sign(desired_scale.z)};
  for (int row = 0; row < 3; ++row) {
    const Vec3 axis = row_xyz(m, row);
    const double squared = length_squared(axis);
    const double unscale = squared > kSmallNumber ? 1.0 / std::sqrt(squared) : 1.0;
    set_row_xyz(m, row, axis * (unscale * signs[row]));
  }
  return {normalized(quat_from_matrix(m)), row_xyz(m, 3), desired_scale};
}

}  // namespace

Vec2 normalized(Vec2 v, double tolerance) {
  const double squared = length_squared(v);
  return squared > tolerance ? v / std::sqrt(squared) : v;
}

Vec3 safe_normal(Vec3 v, double tolerance) {
  const double squared = length_squared(v);
  if (squared == 1.0) {
    return v;
  }
  if (squared < tolerance) {
    return {};
  }
  return v / std::sqrt(squared);
}

Vec3 normalized(Vec3 v, double tolerance) {
  const double squared = length_squared(v);
  return squared > tolerance ? v / std::sqrt(squared) : v;
}

Vec3 project_on_to(Vec3 v, Vec3 target) {
  return target * (dot(v, target) / dot(target, target));
}

Vec3 project_on_to_normal(Vec3 v, Vec3 unit_normal) {
  return unit_normal * dot(v, unit_normal);
}

Vec3 rotate_angle_axis(Vec3 v, double angle_degrees, Vec3 axis) {
  const double angle = angle_degrees * kDegreesToRadians;
  const double s = std::sin(angle), c = std::cos(angle);
  const double xx = axis.x * axis.x, yy = axis.y * axis.y, zz = axis.z * axis.z;
  const double xy = axis.x * axis.y, yz = axis.y * axis.z, zx = axis.z * axis.x;
  const double xs = axis.x * s, ys = axis.y * s, zs = axis.z * s;
  const double omc = 1.0 - c;
  return {(omc * xx + c) * v.x + (omc * xy - zs) * v.y + (omc * zx + ys) * v.z,
          (omc * xy + zs) * v.x + (omc * yy + c) * v.y + (omc * yz - xs) * v.z,
          (omc * zx - ys) * v.x + (omc * yz + xs) * v.y + (omc * zz + c) * v.z};
}

double clamp_axis(double angle_degrees) {
  double angle = std::fmod(angle_degrees, 360.0);
  if (angle < 0.0) {
    angle += 360.0;
  }
  return angle;
}

double normalize_axis(double angle_degrees) {
  const double angle = clamp_axis(angle_degrees);
  return angle > 180.0 ? angle - 360.0 : angle;
}

Rotator normalized(Rotator r) {
  return {normalize_axis(r.pitch), normalize_axis(r.yaw), normalize_axis(r.roll)};
}

Quat to_quat(Rotator r) {
  // Reducing modulo 360 first is not only for precision: it picks the sign of
  // the quaternion (q and -q are the same rotation), as UE does.
  const double half = kDegreesToRadians / 2.0;
  const double pitch = std::fmod(r.pitch, 360.0) * half;
  const double yaw = std::fmod(r.yaw, 360.0) * half;
  const double roll = std::fmod(r.roll, 360.0) * half;
  const double sp = std::sin(pitch), cp = std::cos(pitch);
  const double sy = std::sin(yaw), cy = std::cos(yaw);
  const double sr = std::sin(roll), cr = std::cos(roll);
  return {cr * sp * sy - sr * cp * cy, -cr * sp * cy - sr * cp * sy, cr * cp * sy - sr * sp * cy,
          cr * cp * cy + sr * sp * sy};
}

Vec3 forward_vector(Rotator r) {
  return rotation_axes(r).x;
}

Vec3 rotate_vector(Rotator r, Vec3 v) {
  const RotationAxes m = rotation_axes(r);
  return m.x * v.x + m.y * v.y + m.z * v.z;
}

Vec3 unrotate_vector(Rotator r, Vec3 v) {
  const RotationAxes m = rotation_axes(r);
  return {dot(m.x, v), dot(m.y, v), dot(m.z, v)};
}

Rotator inverse(Rotator r) {
  return to_rotator(inverse(to_quat(r)));
}

Rotator orientation_rotator(Vec3 v) {
  return {std::atan2(v.z, std::sqrt(v.x * v.x + v.y * v.y)) * kRadiansToDegrees,
          std::atan2(v.y, v.x) * kRadiansToDegrees, 0.0};
}

Rotator to_rotator(Quat q) {
  const double singularity_test = q.z * q.x - q.w * q.y;
  const double yaw_y = 2.0 * (q.w * q.z + q.x * q.y);
  const double yaw_x = 1.0 - 2.0 * (q.y * q.y + q.z * q.z);
  // UE's threshold: about 89.9 degrees of pitch.
  constexpr double kSingularityThreshold = 0.4999995;
  Rotator r;
  r.yaw = std::atan2(yaw_y, yaw_x) * kRadiansToDegrees;
  if (singularity_test < -kSingularityThreshold) {
    r.pitch = -90.0;
    r.roll = normalize_axis(-r.yaw - 2.0 * std::atan2(q.x, q.w) * kRadiansToDegrees);
  } else if (singularity_test > kSingularityThreshold) {
    r.pitch = 90.0;
    r.roll = normalize_axis(r.yaw - 2.0 * std::atan2(q.x, q.w) * kRadiansToDegrees);
  } else {
    // UE uses FMath::FastAsin, an approximation of asin within about 1e-7.
    r.pitch = std::asin(2.0 * singularity_test) * kRadiansToDegrees;
    r.roll = std::atan2(-2.0 * (q.w * q.x + q.y * q.z), 1.0 - 2.0 * (q.x * q.x + q.y * q.y)) *
             kRadiansToDegrees;
  }
  return r;
}

Vec3 rotate_vector(Quat q, Vec3 v) {
  const Vec3 axis{q.x, q.y, q.z};
  const Vec3 t = cross(axis, v) * 2.0;
  return v + t * q.w + cross(axis, t);
}

Vec3 unrotate_vector(Quat q, Vec3 v) {
  return rotate_vector(inverse(q), v);
}

Quat normalized(Quat q, double tolerance) {
  const double squared = dot(q, q);
  return squared >= tolerance ? q / std::sqrt(squared) : kIdentityQuat;
}

bool is_normalized(Quat q) {
  return std::abs(1.0 - dot(q, q)) < 0.01;
}

double angular_distance(Quat a, Quat b) {
  const double inner = dot(a, b);
  return std::acos(std::clamp(2.0 * inner * inner - 1.0, -1.0, 1.0));
}

double determinant(const Matrix44& m) {
  // Expansion along the first row, as FMatrix::Determinant.
  auto minor3 = [&m](int c0, int c1, int c2) {
    return m[1][c0] * (m[2][c1] * m[3][c2] - m[2][c2] * m[3][c1]) -
           m[2][c0] * (m[1][c1] * m[3][c2] - m[1][c2] * m[3][c1]) +
           m[3][c0] * (m[1][c1] * m[2][c2] - m[1][c2] * m[2][c1]);
  };
  return m[0][0] * minor3(1, 2, 3) - m[0][1] * minor3(0, 2, 3) + m[0][2] * minor3(0, 1, 3) -
         m[0][3] * minor3(0, 1, 2);
}

Quat quat_from_matrix(const Matrix44& m) {
  auto nearly_zero = [](Vec3 v) {
    return std::abs(v.x) <= kKindaSmallNumber && std::abs(v.y) <= kKindaSmallNumber &&
           std::abs(v.z) <= kKindaSmallNumber;
  };
  if (nearly_zero(row_xyz(m, 0)) || nearly_zero(row_xyz(m, 1)) || nearly_zero(row_xyz(m, 2))) {
    return kIdentityQuat;
  }
  const double trace = m[0][0] + m[1][1] + m[2][2];
  if (trace > 0.0) {
    const double root = std::sqrt(trace + 1.0);
    const double s = 0.5 / root;
    return {(m[1][2] - m[2][1]) * s, (m[2][0] - m[0][2]) * s, (m[0][1] - m[1][0]) * s, 0.5 * root};
  }
  int i = 0;
  if (m[1][1] > m[0][0]) {
    i = 1;
  }
  if (m[2][2] > m[i][i]) {
    i = 2;
  }
  const int j = (i + 1) % 3;
  const int k = (j + 1) % 3;
  const double root = std::sqrt(m[i][i] - m[j][j] - m[k][k] + 1.0);
  const double s = 0.5 / root;
  double q[4];
  q[i] = 0.5 * root;
  q[3] = (m[j][k] - m[k][j]) * s;
  q[j] = (m[i][j] + m[j][i]) * s;
  q[k] = (m[i][k] + m[k][i]) * s;
  return {q[0], q[1], q[2], q[3]};
}

Transform operator*(const Transform& a, const Transform& b) {
  if (any_negative(a.scale, b.scale)) {
    return transform_from_matrix_with_scale(
        multiply(to_matrix_with_scale(a), to_matrix_with_scale(b)), a.scale * b.scale);
  }
  return {b.rotation * a.rotation,
          rotate_vector(b.rotation, a.translation * b.scale) + b.translation, a.scale * b.scale};
}

Transform operator*(const Transform& a, Quat q) {
  return a * Transform{q, {}, {1, 1, 1}};
}

Transform inverse(const Transform& t) {
  const Quat inverse_rotation = inverse(t.rotation);
  const Vec3 inverse_scale = safe_scale_reciprocal(t.scale);
  return {inverse_rotation, rotate_vector(inverse_rotation, inverse_scale * -t.translation),
          inverse_scale};
}

Transform relative_transform(const Transform& t, const Transform& other) {
  const Vec3 reciprocal_scale = safe_scale_reciprocal(other.scale);
  if (!is_normalized(other.rotation)) {
    return {};
  }
  const Quat inverse_rotation = inverse(other.rotation);
  return {inverse_rotation * t.rotation,
          rotate_vector(inverse_rotation, t.translation - other.translation) * reciprocal_scale,
          t.scale * reciprocal_scale};
}

Transform with_normalized_rotation(Transform t) {
  t.rotation = normalized(t.rotation);
  return t;
}

Vec3 transform_position(const Transform& t, Vec3 position) {
  return rotate_vector(t.rotation, t.scale * position) + t.translation;
}

Vec3 transform_position_no_scale(const Transform& t, Vec3 position) {
  return rotate_vector(t.rotation, position) + t.translation;
}

Vec3 transform_vector(const Transform& t, Vec3 direction) {
  return rotate_vector(t.rotation, t.scale * direction);
}

Vec3 transform_vector_no_scale(const Transform& t, Vec3 direction) {
  return rotate_vector(t.rotation, direction);
}

Matrix44 to_matrix_with_scale(const Transform& t) {
  const Quat& q = t.rotation;
  const double x2 = q.x + q.x, y2 = q.y + q.y, z2 = q.z + q.z;
  const double xx2 = q.x * x2, yy2 = q.y * y2, zz2 = q.z * z2;
  const double yz2 = q.y * z2, wx2 = q.w * x2;
  const double xy2 = q.x * y2, wz2 = q.w * z2;
  const double xz2 = q.x * z2, wy2 = q.w * y2;
  const Vec3& s = t.scale;
  return {{{(1.0 - (yy2 + zz2)) * s.x, (xy2 + wz2) * s.x, (xz2 - wy2) * s.x, 0.0},
           {(xy2 - wz2) * s.y, (1.0 - (xx2 + zz2)) * s.y, (yz2 + wx2) * s.y, 0.0},
           {(xz2 + wy2) * s.z, (yz2 - wx2) * s.z, (1.0 - (xx2 + yy2)) * s.z, 0.0},
           {t.translation.x, t.translation.y, t.translation.z, 1.0}}};
}

Transform transform_from_matrix(const Matrix44& m) {
  Matrix44 rotation = m;
  double scale[3];
  for (int row = 0; row < 3; ++row) {
    const Vec3 axis = row_xyz(rotation, row);
    const double squared = length_squared(axis);
    if (squared > kSmallNumber) {
      scale[row] = std::sqrt(squared);
      set_row_xyz(rotation, row, axis / scale[row]);
    } else {
      scale[row] = 0.0;
    }
  }
  if (determinant(m) < 0.0) {
    scale[0] = -scale[0];
    set_row_xyz(rotation, 0, -row_xyz(rotation, 0));
  }
  return {normalized(quat_from_matrix(rotation)), row_xyz(m, 3), {scale[0], scale[1], scale[2]}};
}

Color operator+(Color p, Color q) {
  auto add = [](std::uint8_t u, std::uint8_t v) {
    return static_cast<std::uint8_t>(std::min(u + v, 255));
  };
  return {add(p.r, q.r), add(p.g, q.g), add(p.b, q.b), add(p.a, q.a)};
}

Color to_color(LinearColor c, bool srgb) {
  auto encode = [srgb](double channel) {
    channel = std::clamp(channel, 0.0, 1.0);
    if (srgb) {
      channel =
          channel <= 0.0031308 ? channel * 12.92 : std::pow(channel, 1.0 / 2.4) * 1.055 - 0.055;
    }
    return channel;
  };
  auto quantize = [](double channel) {
    return static_cast<std::uint8_t>(std::floor(channel * 255.999));
  };
  return {quantize(encode(c.r)), quantize(encode(c.g)), quantize(encode(c.b)),
          quantize(std::clamp(c.a, 0.0, 1.0))};
}

LinearColor reinterpret_as_linear(Color c) {
  return {c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0};
}

}  // namespace understudy
