#include "harness/run/own_child.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace understudy::harness {

bool is_own_child(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto after_name = text.rfind(')');
  if (after_name == std::string::npos) {
    return false;
  }
  std::istringstream fields(text.substr(after_name + 1));
  std::string state;
  pid_t parent = 0;
  fields >> state >> parent;
  return parent == ::getpid();
}

}  // namespace understudy::harness
