// UE's math structs as the binding's math types (filled in with FVector & co).
#include "fake_engine/unreal/unreal_binding.h"

namespace understudy::unreal {

const MathStructCodec* math_codec(const StructInfo&) { return nullptr; }

}  // namespace understudy::unreal
