#include "fake_engine/objects/math/random_stream.h"

#include <bit>
#include <cmath>
#include <random>

namespace understudy {
namespace {

constexpr float kPiF = 3.1415926535897932f;

// The cone's frame and rotations, shared by both VRandCone overloads once the
// two spherical angles (radians) are drawn.
Vec3 rotate_into_cone(Vec3 direction, double theta, double phi) {
  const Rotator facing = orientation_rotator(direction);
  const Vec3 cone_axis = forward_vector(facing);
  const double yaw = facing.yaw * kPi / 180.0;
  const Vec3 side_axis{-std::sin(yaw), std::cos(yaw),
                       0.0};  // the rotation matrix's Y axis, no roll
  Vec3 result = rotate_angle_axis(direction, phi * 180.0 / kPi, side_axis);
  result = rotate_angle_axis(result, theta * 180.0 / kPi, cone_axis);
  return safe_normal(result);
}

}  // namespace

void RandomStream::initialize(std::int32_t seed) {
  initial_seed_ = seed;
  seed_ = static_cast<std::uint32_t>(seed);
}

void RandomStream::generate_new_seed() {
  std::random_device device;
  std::int32_t seed = current_seed();
  while (seed == current_seed()) {
    // FMath::Rand's range: [0, RAND_MAX], 2^31 - 1 on glibc.
    seed = static_cast<std::int32_t>(device() & 0x7fffffffu);
  }
  initialize(seed);
}

float RandomStream::fraction() {
  mutate();
  return std::bit_cast<float>(0x3F800000u | (seed_ >> 9)) - 1.0f;
}

std::uint32_t RandomStream::unsigned_int() {
  mutate();
  return seed_;
}

std::int32_t RandomStream::rand_helper(std::int32_t max) {
  if (max <= 0) {
    return 0;
  }
  // The float product can round up to `max` itself for large `max`; UE 5
  // clamps it, UE 4 lets it through. Clamping keeps the documented range.
  const auto drawn = static_cast<std::int32_t>(fraction() * static_cast<float>(max));
  return drawn < max - 1 ? drawn : max - 1;
}

std::int32_t RandomStream::rand_range(std::int32_t min, std::int32_t max) {
  return min + rand_helper(max - min + 1);
}

float RandomStream::frand_range(float min, float max) {
  return min + (max - min) * frand();
}

Vec3 RandomStream::unit_vector() {
  Vec3 result;
  double squared = 0;
  do {
    result.x = fraction() * 2.0f - 1.0f;
    result.y = fraction() * 2.0f - 1.0f;
    result.z = fraction() * 2.0f - 1.0f;
    squared = length_squared(result);
  } while (squared > 1.0 || squared < kKindaSmallNumber);
  return result / std::sqrt(squared);
}

Vec3 RandomStream::vrand_cone(Vec3 direction, float horizontal_half_angle_rad,
                              float vertical_half_angle_rad) {
  if (!(vertical_half_angle_rad > 0.0f && horizontal_half_angle_rad > 0.0f)) {
    return safe_normal(direction);
  }
  const float rand_u = frand();
  const float rand_v = frand();
  // Spherical coordinates evenly spread over the sphere, then phi folded into
  // the cone, whose half-angle at theta is the radius of the ellipse with the
  // two half-angles as its semi-axes.
  const float theta = 2.0f * kPiF * rand_u;
  float phi = std::acos(2.0f * rand_v - 1.0f);
  const float cos_term = std::cos(theta) / vertical_half_angle_rad;
  const float sin_term = std::sin(theta) / horizontal_half_angle_rad;
  const float cone_half_angle = std::sqrt(1.0f / (cos_term * cos_term + sin_term * sin_term));
  phi = std::fmod(phi, cone_half_angle);
  return rotate_into_cone(direction, theta, phi);
}

Vec3 RandomStream::vrand_cone(Vec3 direction, float half_angle_rad) {
  if (!(half_angle_rad > 0.0f)) {
    return safe_normal(direction);
  }
  const float rand_u = frand();
  const float rand_v = frand();
  const float theta = 2.0f * kPiF * rand_u;
  const float phi = std::fmod(std::acos(2.0f * rand_v - 1.0f), half_angle_rad);
  return rotate_into_cone(direction, theta, phi);
}

}  // namespace understudy
