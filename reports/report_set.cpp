#include "reports/report_set.h"

#include "reports/chrome_trace_writer.h"
#include "reports/html_writer.h"
#include "reports/json_writer.h"
#include "reports/junit_writer.h"

namespace understudy::reports {

void write_reports(const SuiteResult& suite, const std::filesystem::path& dir) {
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

}  // namespace understudy::reports
