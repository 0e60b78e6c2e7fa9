// The report pages' stylesheets and script, from reports/assets/, compiled
// into the library (reports/CMakeLists.txt generates their definitions) so
// that a page carries them inline and needs no file beside it.
#pragma once

#include <string_view>

namespace understudy::reports::detail {

// Both pages: the palette, fonts and the charts' classes.
extern const std::string_view kReportCss;
// report.html's own rules and its filter script.
extern const std::string_view kSuiteReportCss;
extern const std::string_view kSuiteReportJs;
// stress.html's own rules.
extern const std::string_view kStressReportCss;

}  // namespace understudy::reports::detail
