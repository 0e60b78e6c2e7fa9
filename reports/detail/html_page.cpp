#include "reports/detail/html_page.h"

#include "reports/detail/report_assets.h"
#include "reports/detail/text.h"

namespace understudy::reports::detail {

std::string html_document(const HtmlPage& page, std::string_view body) {
  const std::string policy = std::string("default-src 'none'; style-src 'unsafe-inline'; ") +
                             (page.script.empty() ? "" : "script-src 'unsafe-inline'; ") +
                             "img-src data:";
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
      policy + "\"><title>" + html_text(page.title) + "</title><style>" + std::string(kReportCss) +
      std::string(page.stylesheet) + "</style></head><body>";
  out += body;
  if (!page.script.empty()) {
    out += "<script>" + std::string(page.script) + "</script>";
  }
  return out + "</body></html>\n";
}

}  // namespace understudy::reports::detail
