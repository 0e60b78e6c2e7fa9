// Bad input to understudy-engine: exit code 2 and exactly one line on stderr
// saying what is wrong, before any frame runs; never a crash.
#define BOOST_TEST_MODULE e2e_command_line
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/engine_process.h"
#include "tests/support/temp_dir.h"

using namespace understudy::testing;

namespace {

struct BadInput {
  BadInput() : dir("understudy-e2e-cli") {}

  // Runs the engine with `args` and checks the one-line error naming each of `names`.
  void expect_rejected(const std::vector<std::string>& args,
                       const std::vector<std::string>& names) {
    EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(), args);
    BOOST_REQUIRE(engine.wait_for_exit());
    const auto& status = *engine.exit_status();
    BOOST_TEST_CONTEXT(engine.diagnostics()) {
      BOOST_TEST(status.exited, status.describe());
      BOOST_TEST(!status.core_dumped);
      BOOST_TEST(status.code == 2, "expected exit code 2, got " << status.describe());
      const auto lines = engine.stderr_lines();
      BOOST_REQUIRE_MESSAGE(lines.size() == 1u,
                            "expected one line on stderr, got " << lines.size());
      BOOST_TEST(lines[0].starts_with("understudy-engine: error: "));
      for (const auto& name : names) {
        BOOST_TEST(lines[0].find(name) != std::string::npos,
                   "the error does not name \"" << name << "\"");
      }
      for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        BOOST_TEST(!entry.path().filename().string().starts_with("core"),
                   "core file " << entry.path());
      }
    }
  }

  TempDir dir;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bad_input, BadInput)

BOOST_AUTO_TEST_CASE(a_missing_script) {
  const auto missing = (dir.path() / "no_such_script.py").string();
  expect_rejected({"--no-rpc", "--frames", "5", "--script", missing},
                  {"--script", missing, "does not exist"});
}

BOOST_AUTO_TEST_CASE(a_script_with_a_syntax_error) {
  const auto broken = dir.write_file("broken.py", "import unreal_engine\ndef f(:\n    pass\n");
  expect_rejected({"--no-rpc", "--frames", "5", "--script", broken.string()},
                  {broken.string() + ":2: ", "syntax"});
}

BOOST_AUTO_TEST_CASE(an_unknown_flag) {
  expect_rejected({"--no-rpc", "--frames", "5", "--warp-speed"}, {"--warp-speed"});
}

BOOST_AUTO_TEST_CASE(a_negative_tick_rate) {
  expect_rejected({"--no-rpc", "--frames", "5", "--tick-hz", "-1"}, {"--tick-hz", "-1"});
}

BOOST_AUTO_TEST_SUITE_END()
