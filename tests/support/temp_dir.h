// TempDir for tests: understudy::TempDir (common/temp_dir.h) kept when the
// test that made it failed, so that the paths named in its failure messages
// can still be read; removed when it passed.
#pragma once

#include <string_view>

#include "common/temp_dir.h"

namespace understudy::testing {

class TempDir : public understudy::TempDir {
 public:
  explicit TempDir(std::string_view prefix) : understudy::TempDir(prefix) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace understudy::testing
