// ExternalTool: runs a program the report tests check their output with
// (xmllint, headless Chromium) and captures what it printed.
//
// The tool runs in its own process group with stdin from /dev/null and its
// stdout/stderr in files under the given directory. When it exits, or when
// its deadline passes, the whole group is killed, because Chromium leaves
// helper processes behind otherwise; only processes this helper started are
// in that group.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace understudy::testing {

struct ToolRun {
  std::string command_line;
  bool timed_out = false;
  bool exited = false;  // by exit(); otherwise killed by a signal
  int exit_code = -1;
  std::string out;
  std::string err;

  bool succeeded() const { return exited && exit_code == 0; }
  // "xmllint ... exited with code 3; stderr: ...", for failure messages.
  std::string describe() const;
};

// The program's full path, looked up on $PATH like a shell would.
std::optional<std::filesystem::path> find_program(std::string_view name);

// Throws std::system_error when the program cannot be started.
ToolRun run_tool(const std::filesystem::path& program, const std::vector<std::string>& args,
                 const std::filesystem::path& work_dir, std::chrono::milliseconds timeout);

}  // namespace understudy::testing
