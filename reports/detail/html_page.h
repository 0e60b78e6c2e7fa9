// The frame of both HTML report pages: doctype, head, the shared stylesheet
// followed by the page's own, the page's script at the end of the body, and
// a Content Security Policy that lets nothing be fetched, so that a page
// opened years later from a CI artifact shows exactly what it showed then,
// even if a log tail smuggles markup in.
#pragma once

#include <string>
#include <string_view>

namespace understudy::reports::detail {

struct HtmlPage {
  std::string title;            // plain text; escaped here
  std::string_view stylesheet;  // the page's rules, after report.css's
  std::string_view script;      // run after the body; empty: none, and none allowed
};

// The whole document around `body` (markup, written as it is).
std::string html_document(const HtmlPage& page, std::string_view body);

}  // namespace understudy::reports::detail
