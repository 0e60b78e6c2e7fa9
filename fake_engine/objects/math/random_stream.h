// RandomStream: UE's FRandomStream, the seeded linear congruential generator
// that Blueprint and gameplay code use for reproducible randomness. The same
// seed gives the same sequence as in UE, value for value.
//
// Algorithm (RandomStream.h, UE 4.20 and later):
//   mutate:       seed = seed * 196314165 + 907633515   (uint32, wrapping)
//   fraction:     mutate; bits 0x3F800000 | (seed >> 9) as a float in [1, 2), minus 1
//   unsigned int: mutate; seed
// and everything else is built on fraction, in float where UE computes in
// float (RandHelper, FRandRange), so that integer draws match UE's exactly.
//
// Contract: a value type; not thread-safe (UE's is "thread-safe" only in that
// each stream is owned by one caller). Default-constructed, the seed is 0, as
// UE's; generate_new_seed() draws one from the OS.
#pragma once

#include <cstdint>

#include "fake_engine/objects/math/vector_math.h"

namespace understudy {

class RandomStream {
 public:
  RandomStream() = default;
  explicit RandomStream(std::int32_t seed) { initialize(seed); }

  // Sets both the initial and the current seed.
  void initialize(std::int32_t seed);
  // Back to the initial seed: the sequence starts over.
  void reset() { seed_ = static_cast<std::uint32_t>(initial_seed_); }
  // initialize() with a seed from std::random_device, never the current seed
  // (so that a caller that checks the seed changed always sees it change).
  void generate_new_seed();

  std::int32_t initial_seed() const { return initial_seed_; }
  std::int32_t current_seed() const { return static_cast<std::int32_t>(seed_); }

  // GetFraction / FRand: uniform in [0, 1), 23 bits.
  float fraction();
  float frand() { return fraction(); }
  // GetUnsignedInt: the next raw 32-bit state.
  std::uint32_t unsigned_int();
  // RandHelper: uniform in [0, max), 0 when max <= 0.
  std::int32_t rand_helper(std::int32_t max);
  // RandRange: uniform in [min, max], both included.
  std::int32_t rand_range(std::int32_t min, std::int32_t max);
  // FRandRange: min + (max - min) * fraction, in float.
  float frand_range(float min, float max);
  // GetUnitVector / VRand: uniform on the unit sphere, by rejection sampling
  // in the cube (three fractions per try).
  Vec3 unit_vector();
  Vec3 vrand() { return unit_vector(); }
  // VRandCone: a unit vector within an elliptical cone around `direction`,
  // half-angles in radians; `direction` normalized when either angle is not
  // positive (no fractions drawn then).
  Vec3 vrand_cone(Vec3 direction, float horizontal_half_angle_rad, float vertical_half_angle_rad);
  // VRandCone with one half-angle (radians).
  Vec3 vrand_cone(Vec3 direction, float half_angle_rad);

 private:
  void mutate() { seed_ = seed_ * 196314165u + 907633515u; }

  std::int32_t initial_seed_ = 0;
  std::uint32_t seed_ = 0;
};

}  // namespace understudy
