// FRandomStream: UE's seeded random numbers, so a script's draws repeat
// from a seed; FRandomStream(seed) starts from it (UEP ignores the seed).
#include <cstdint>
#include <optional>
#include <string>

#include "fake_engine/objects/math/random_stream.h"
#include "fake_engine/objects/math/vector_math.h"
#include "fake_engine/unreal/unreal_math_binding.h"

namespace understudy::unreal_math_detail {

namespace {

std::string random_stream_text(const RandomStream& r) {
  return "<unreal_engine.FRandomStream {'seed': " + std::to_string(r.current_seed()) + "}>";
}

}  // namespace

void define_random_stream(py::module_& m) {
  py::class_<RandomStream> cls(m, "FRandomStream", "Unreal Engine FRandomStream");
  cls.def(py::init([](std::optional<std::int32_t> seed) {
            RandomStream stream;
            if (seed) {
              stream.initialize(*seed);
            } else {
              stream.generate_new_seed();  // UEP's FRandomStream()
            }
            return stream;
          }),
          py::arg("seed") = py::none())
      .def("frand", [](RandomStream& r) { return double{r.frand()}; })
      .def("get_fraction", [](RandomStream& r) { return double{r.fraction()}; })
      .def(
          "frand_range",
          [](RandomStream& r, float min, float max) { return double{r.frand_range(min, max)}; },
          py::arg("min"), py::arg("max"))
      .def("generate_new_seed", &RandomStream::generate_new_seed)
      .def("get_current_seed", &RandomStream::current_seed)
      .def("get_initial_seed", &RandomStream::initial_seed)
      .def("get_unit_vector", &RandomStream::unit_vector)
      .def("vrand", &RandomStream::vrand)
      .def("get_unsigned_int", &RandomStream::unsigned_int)
      .def("initialize", &RandomStream::initialize, py::arg("seed"))
      .def("reset", &RandomStream::reset)
      .def("rand_helper", &RandomStream::rand_helper, py::arg("max"))
      .def("rand_range", &RandomStream::rand_range, py::arg("min"), py::arg("max"))
      .def(
          "vrand_cone",
          [](RandomStream& r, py::handle direction, float horizontal, float vertical) {
            // UEP: a negative (or absent) vertical half-angle is the horizontal one.
            return r.vrand_cone(require<Vec3>(direction, "FRandomStream.vrand_cone", "FVector"),
                                horizontal, vertical < 0 ? horizontal : vertical);
          },
          py::arg("direction"), py::arg("horizontal_half_angle_rad"),
          py::arg("vertical_half_angle_rad") = -1.0f)
      .def("__str__", &random_stream_text)
      .def("__repr__", &random_stream_text);
  define_copy(cls);
}

}  // namespace understudy::unreal_math_detail
