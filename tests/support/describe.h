// describe(): a container as "[a, b, c]", for failure messages that show what
// was seen rather than only that two collections differ.
#pragma once

#include <sstream>
#include <string>

namespace understudy::testing {

template <class Container>
std::string describe(const Container& items) {
  std::ostringstream text;
  text << '[';
  const char* separator = "";
  for (const auto& item : items) {
    text << separator << item;
    separator = ", ";
  }
  text << ']';
  return text.str();
}

}  // namespace understudy::testing
