// Hash maps keyed by std::string that are looked up by std::string_view
// without building a string (the attribute lookups of scripts are hot).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace understudy {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

template <class V>
using StringIndex = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

template <class V>
using StringMultiIndex = std::unordered_multimap<std::string, V, StringHash, std::equal_to<>>;

}  // namespace understudy
