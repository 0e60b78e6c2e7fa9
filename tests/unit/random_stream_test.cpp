// RandomStream: UE's FRandomStream, value for value. The pinned values below
// come from the algorithm by hand, not from running this code:
//   state' = state * 196314165 + 907633515  (mod 2^32)
//   fraction = (state' >> 9) / 2^23         (the float 1.xxx with those 23 mantissa bits, minus 1)
// e.g. from seed 0: state' = 907633515, 907633515 >> 9 = 1772721, fraction 1772721 / 8388608;
// then 907633515 * 196314165 + 907633515 = 2641306770 (mod 2^32), which is
// -1653660526 as UE's int32 GetCurrentSeed, and 2641306770 >> 9 = 5158802.
#define BOOST_TEST_MODULE random_stream
#include "fake_engine/objects/math/random_stream.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

using namespace understudy;

namespace {

constexpr float kTwoTo23 = 8388608.0f;

struct Draw {
  std::int32_t seed_after;  // GetCurrentSeed() after the draw
  std::uint32_t mantissa;   // state >> 9
};

void check_fractions(std::int32_t seed, const std::vector<Draw>& expected) {
  RandomStream stream(seed);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const float fraction = stream.fraction();
    BOOST_TEST(fraction == static_cast<float>(expected[i].mantissa) / kTwoTo23,
               "seed " << seed << ", draw " << i);
    BOOST_TEST(stream.current_seed() == expected[i].seed_after, "seed " << seed << ", draw " << i);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_default_stream_starts_from_seed_zero_as_ue) {
  RandomStream stream;
  BOOST_TEST(stream.initial_seed() == 0);
  BOOST_TEST(stream.current_seed() == 0);
}

BOOST_AUTO_TEST_CASE(fractions_follow_ue_lcg_and_float_bits) {
  check_fractions(0, {{907633515, 1772721}, {-1653660526, 5158802}, {-183681627, 8029854}});
  // 42 * 196314165 + 907633515 = 9152828445 = 562893853 (mod 2^32).
  check_fractions(42, {{562893853, 1099402}, {905216364, 1768000}, {-1762140473, 4946927}});
  // A negative seed is its two's complement: -7 is 4294967289.
  check_fractions(-7, {{-466565640, 7477346}, {-1364312125, 5723935}, {795222730, 1553169}});
}

BOOST_AUTO_TEST_CASE(unsigned_ints_are_the_raw_state) {
  RandomStream stream(42);
  BOOST_TEST(stream.unsigned_int() == 562893853u);
  BOOST_TEST(stream.unsigned_int() == 905216364u);
  BOOST_TEST(stream.unsigned_int() == 2532826823u);
}

BOOST_AUTO_TEST_CASE(rand_range_truncates_the_float_product) {
  // Seed 12345's first fractions times 6.0f, truncated, plus 1: a die.
  RandomStream stream(12345);
  std::vector<int> rolls;
  for (int i = 0; i < 5; ++i) {
    rolls.push_back(stream.rand_range(1, 6));
  }
  BOOST_TEST(rolls == (std::vector<int>{3, 4, 4, 6, 1}), boost::test_tools::per_element());
  BOOST_TEST(stream.rand_helper(0) == 0);
  BOOST_TEST(stream.rand_helper(-5) == 0);
  const auto seed_before = stream.current_seed();
  stream.rand_helper(0);
  BOOST_TEST(stream.current_seed() == seed_before, "RandHelper(0) draws nothing");
}

BOOST_AUTO_TEST_CASE(rand_helper_stays_below_its_bound) {
  RandomStream stream(1);
  for (int i = 0; i < 10000; ++i) {
    const auto drawn = stream.rand_helper(2000000000);
    BOOST_TEST_REQUIRE(drawn >= 0);
    BOOST_TEST_REQUIRE(drawn < 2000000000);
  }
}

BOOST_AUTO_TEST_CASE(frand_range_scales_the_fraction) {
  RandomStream stream(0);
  BOOST_TEST(stream.frand_range(10.0f, 20.0f) == 10.0f + 10.0f * (1772721.0f / kTwoTo23));
}

BOOST_AUTO_TEST_CASE(unit_vectors_reject_points_outside_the_unit_ball) {
  // Seed 1's first three fractions 0.2570, 0.3196, 0.0675 map to
  // (-0.486, -0.361, -0.865), squared length 1.11: rejected. The next three
  // are accepted; normalized they are (-0.26492, -0.95510, 0.13264).
  RandomStream stream(1);
  const Vec3 v = stream.unit_vector();
  BOOST_TEST(v.x == -0.2649241928157473, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(v.y == -0.9551026943217182, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(v.z == 0.13264243423700842, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(stream.current_seed() == -2001744337, "six fractions drawn");
  for (int i = 0; i < 1000; ++i) {
    BOOST_TEST_REQUIRE(std::abs(length(stream.vrand()) - 1.0) < 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(cone_vectors_stay_within_the_half_angle) {
  RandomStream stream(7);
  const Vec3 axis = safe_normal(Vec3{1, 2, 3});
  const float half_angle = 0.3f;
  for (int i = 0; i < 2000; ++i) {
    const Vec3 v = stream.vrand_cone(Vec3{1, 2, 3}, half_angle, half_angle);
    BOOST_TEST_REQUIRE(std::abs(length(v) - 1.0) < 1e-9);
    BOOST_TEST_REQUIRE(std::acos(std::min(1.0, dot(v, axis))) <= half_angle + 1e-5);
  }
  // An elliptical cone: never wider than its wider half-angle.
  for (int i = 0; i < 2000; ++i) {
    const Vec3 v = stream.vrand_cone(Vec3{0, 0, 1}, 0.5f, 0.1f);
    BOOST_TEST_REQUIRE(std::acos(std::min(1.0, v.z)) <= 0.5 + 1e-5);
  }
  const auto seed_before = stream.current_seed();
  BOOST_TEST(length(stream.vrand_cone(Vec3{0, 0, 5}, 0.0f, 0.5f) - Vec3{0, 0, 1}) < 1e-12);
  BOOST_TEST(stream.current_seed() == seed_before, "no angle: the direction, nothing drawn");
}

BOOST_AUTO_TEST_CASE(reset_replays_and_initialize_restarts) {
  RandomStream stream(99);
  const float first = stream.fraction();
  stream.fraction();
  stream.reset();
  BOOST_TEST(stream.current_seed() == 99);
  BOOST_TEST(stream.fraction() == first);
  stream.initialize(17);
  BOOST_TEST(stream.initial_seed() == 17);
  BOOST_TEST(stream.current_seed() == 17);
}

BOOST_AUTO_TEST_CASE(generate_new_seed_always_changes_the_seed) {
  RandomStream stream;
  std::set<std::int32_t> seeds;
  for (int i = 0; i < 20; ++i) {
    const auto before = stream.current_seed();
    stream.generate_new_seed();
    BOOST_TEST_REQUIRE(stream.current_seed() != before);
    BOOST_TEST_REQUIRE(stream.initial_seed() == stream.current_seed());
    BOOST_TEST_REQUIRE(stream.current_seed() >= 0, "FMath::Rand's range");
    seeds.insert(stream.current_seed());
  }
  BOOST_TEST(seeds.size() > 15u);
}
