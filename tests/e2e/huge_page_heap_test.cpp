// The engine's memory on transparent huge pages (fake_engine/core/huge_page_heap.h,
// fake_engine/python/huge_page_arenas.h), read from the engine's own
// /proc/self/smaps by a script: glibc's heap and Python's arenas are advised
// for huge pages by default, neither with --no-huge-page-heap, a tunable the
// user set wins, and scripts and the processes they start see the
// environment the engine was given.
#define BOOST_TEST_MODULE e2e_huge_page_heap
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "fake_engine/core/sanitized_build.h"
#include "tests/support/engine_process.h"
#include "tests/support/temp_dir.h"

using namespace understudy::testing;

namespace {

// Prints what the test checks as console lines: "heap advised: True", ...
constexpr const char* kProbe = R"(import os, subprocess
def advised(predicate):
    found, flags = False, {}
    with open('/proc/self/smaps') as smaps:
        lines = smaps.read().splitlines()
    mapping = None
    for line in lines:
        fields = line.split()
        if '-' in fields[0] and not fields[0].endswith(':'):
            start, end = (int(x, 16) for x in fields[0].split('-'))
            mapping = (fields[5] if len(fields) > 5 else '', end - start)
        elif fields[0] == 'VmFlags:' and mapping and predicate(*mapping):
            found = found or 'hg' in fields[1:]
    return found
print('heap advised:', advised(lambda name, size: name == '[heap]'))
# Python's arenas come from 32 MiB regions (huge_page_arenas.cpp).
print('arenas advised:', advised(lambda name, size: name == '' and size == 32 << 20))
print('tunables seen:', os.environ.get('GLIBC_TUNABLES'))
child = subprocess.run(['/bin/sh', '-c', 'echo "${GLIBC_TUNABLES-unset}"'],
                       capture_output=True, text=True, timeout=10)
print('tunables of a child:', child.stdout.strip())
)";

struct HugePages {
  HugePages() : dir("understudy-e2e-huge-pages") {}

  bool kernel_offers_them() const {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string modes;
    std::getline(in, modes);
    return in && modes.find("[never]") == std::string::npos;
  }

  // The probe's line that starts with `what`, after it, from an engine run with `args`.
  std::map<std::string, std::string> probe(const std::vector<std::string>& extra_args,
                                           const std::map<std::string, std::string>& env = {}) {
    const auto script = dir.write_file("probe.py", kProbe);
    std::vector<std::string> args{"--no-rpc", "--frames", "3", "--script", script.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    EngineProcess engine(UNDERSTUDY_ENGINE_EXECUTABLE, dir.path(), args, env);
    BOOST_REQUIRE(engine.wait_for_exit());
    BOOST_REQUIRE_MESSAGE(engine.exit_status()->exited && engine.exit_status()->code == 0,
                          "the engine ended with " << engine.exit_status()->describe() << "; "
                                                   << engine.diagnostics());
    std::map<std::string, std::string> seen;
    for (const auto* what :
         {"heap advised", "arenas advised", "tunables seen", "tunables of a child"}) {
      const auto records = engine.console_records_containing(std::string(what) + ": ");
      BOOST_REQUIRE_MESSAGE(records.size() == 1u, "expected one console line \""
                                                      << what << ": ...\", got " << records.size()
                                                      << "; " << engine.diagnostics());
      seen[what] = records.front().text.substr(std::string(what).size() + 2);
    }
    return seen;
  }

  TempDir dir;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(huge_page_heap, HugePages)

BOOST_AUTO_TEST_CASE(heap_and_python_arenas_are_advised_by_default) {
  if (understudy::sanitized_build() || !kernel_offers_them()) {
    BOOST_TEST_MESSAGE("skipped: a sanitized build, or transparent huge pages are off here");
    return;
  }
  auto seen = probe({});
  BOOST_TEST(seen["heap advised"] == "True");
  BOOST_TEST(seen["arenas advised"] == "True");
  // The tunable is the engine's business: scripts and children see the environment as given.
  BOOST_TEST(seen["tunables seen"] == "None");
  BOOST_TEST(seen["tunables of a child"] == "unset");
}

BOOST_AUTO_TEST_CASE(no_huge_page_heap_keeps_ordinary_pages) {
  auto seen = probe({"--no-huge-page-heap"});
  BOOST_TEST(seen["heap advised"] == "False");
  BOOST_TEST(seen["arenas advised"] == "False");
  BOOST_TEST(seen["tunables seen"] == "None");
}

BOOST_AUTO_TEST_CASE(a_tunable_the_user_set_wins) {
  auto seen = probe({}, {{"GLIBC_TUNABLES", "glibc.malloc.hugetlb=0"}});
  BOOST_TEST(seen["heap advised"] == "False");
  BOOST_TEST(seen["tunables seen"] == "glibc.malloc.hugetlb=0");
  BOOST_TEST(seen["tunables of a child"] == "glibc.malloc.hugetlb=0");
}

BOOST_AUTO_TEST_CASE(other_tunables_are_kept) {
  if (understudy::sanitized_build() || !kernel_offers_them()) {
    BOOST_TEST_MESSAGE("skipped: a sanitized build, or transparent huge pages are off here");
    return;
  }
  auto seen = probe({}, {{"GLIBC_TUNABLES", "glibc.malloc.check=0"}});
  BOOST_TEST(seen["heap advised"] == "True");
  BOOST_TEST(seen["tunables seen"] == "glibc.malloc.check=0");
  BOOST_TEST(seen["tunables of a child"] == "glibc.malloc.check=0");
}

BOOST_AUTO_TEST_SUITE_END()
