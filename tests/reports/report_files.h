// Reading back what the writers wrote, and where a test keeps the files a
// person should look at after it ran (the HTML screenshot).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace understudy::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// <build dir>/tests/reports/output/<test name>: kept after the test passed,
// replaced by the next run.
inline std::filesystem::path kept_output_dir(const std::string& test_name) {
  const auto dir = std::filesystem::path(UNDERSTUDY_REPORTS_TEST_OUTPUT_DIR) / test_name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace understudy::testing
