#include "tests/support/temp_dir.h"

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>

namespace understudy::testing {
namespace {

bool current_test_failed() {
  namespace utf = boost::unit_test;
  if (!utf::framework::test_in_progress()) {
    return false;
  }
  return !utf::results_collector.results(utf::framework::current_test_case_id()).passed();
}

}  // namespace

TempDir::~TempDir() {
  if (current_test_failed()) {
    keep();
  }
}

}  // namespace understudy::testing
