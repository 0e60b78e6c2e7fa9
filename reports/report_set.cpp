#include "reports/report_set.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "reports/chrome_trace_writer.h"
#include "reports/html_writer.h"
#include "reports/json_writer.h"
#include "reports/junit_writer.h"

namespace understudy::reports {

std::string report_relative_path(const std::string& path, const std::filesystem::path& dir) {
  const auto base = std::filesystem::absolute(dir).lexically_normal();
  const auto relative = std::filesystem::absolute(path).lexically_normal().lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") {
    return path;
  }
  return relative.generic_string();
}

namespace {

// `suite` with the log paths its reports name relative to `dir`.
SuiteResult with_log_paths_relative_to(SuiteResult suite, const std::filesystem::path& dir) {
  for (auto& scenario : suite.scenarios) {
    for (auto& log : scenario.logs) {
      log.path = report_relative_path(log.path, dir);
    }
  }
  return suite;
}

}  // namespace

void write_reports(const SuiteResult& run, const std::filesystem::path& dir) {
  const auto suite = with_log_paths_relative_to(run, dir);
  const auto traces = dir / "traces";
  std::filesystem::create_directories(traces);
  const auto trace_names = trace_file_names(suite);
  for (std::size_t i = 0; i < suite.scenarios.size(); ++i) {
    write_chrome_trace(suite.scenarios[i], traces / trace_names[i], static_cast<int>(i) + 1);
  }
  write_junit_xml(suite, dir / "junit.xml");
  write_json(suite, dir / "results.json");
  write_html(suite, dir / "report.html", HtmlOptions{.trace_dir = "traces"});
}

namespace {

// "" if a file can be created in `dir`, else why not.
std::string cannot_create_file_in(const std::filesystem::path& dir) {
  std::string pattern = (dir / ".understudy-write-test-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return std::generic_category().message(errno);
  }
  ::close(fd);
  ::unlink(pattern.c_str());
  return "";
}

std::string folder_problem(const std::filesystem::path& folder) {
  std::error_code error;
  if (std::filesystem::exists(folder, error) && !std::filesystem::is_directory(folder, error)) {
    return "it exists and is not a folder";
  }
  std::filesystem::create_directories(folder, error);
  if (error) {
    return error.message();
  }
  return cannot_create_file_in(folder);
}

}  // namespace

std::string report_dir_problem(const std::filesystem::path& dir,
                               const std::vector<std::string>& subfolders) {
  if (auto problem = folder_problem(dir); !problem.empty()) {
    return problem;
  }
  for (const auto& name : subfolders) {
    if (auto problem = folder_problem(dir / name); !problem.empty()) {
      return (dir / name).string() + ": " + problem;
    }
  }
  return "";
}

void remove_previous_reports(const std::filesystem::path& dir) {
  std::error_code ignored;
  for (const char* name : {"junit.xml", "results.json", "report.html"}) {
    std::filesystem::remove(dir / name, ignored);
  }
  const auto traces = dir / "traces";
  if (!std::filesystem::is_directory(traces, ignored)) {
    return;
  }
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : std::filesystem::directory_iterator(traces, ignored)) {
    if (entry.is_regular_file(ignored) &&
        entry.path().filename().string().ends_with(".trace.json")) {
      stale.push_back(entry.path());
    }
  }
  for (const auto& path : stale) {
    std::filesystem::remove(path, ignored);
  }
}

}  // namespace understudy::reports
