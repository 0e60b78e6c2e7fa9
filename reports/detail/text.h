// Text handling shared by the report writers. Everything in a SuiteResult is
// untrusted bytes: log tails carry whatever a crashing process printed, so
// every writer passes text through here before it reaches a file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/text_format.h"

namespace understudy::reports::detail {

// Valid UTF-8 that XML 1.0 and HTML accept: invalid byte sequences become
// U+FFFD, and the C0 controls other than tab, LF and CR become their Control
// Pictures (U+2400 + c, so \x01 shows as "␁") rather than vanishing, because
// a stray control byte in a log is often the clue.
std::string sanitize_text(std::string_view text);

// For XML and HTML element content and attribute values (sanitized, with
// & < > " ' escaped). With `in_attribute`, tab/LF/CR become character
// references so that attribute-value normalization keeps them.
std::string escape_xml(std::string_view text, bool in_attribute = false);

// For HTML element content: escape_xml, as the writers' pages spell it.
inline std::string html_text(std::string_view text) {
  return escape_xml(text);
}
// For HTML and SVG attribute values: escape_xml(text, true).
inline std::string html_attribute(std::string_view text) {
  return escape_xml(text, true);
}

// A file path as a relative URI reference for an href: bytes other than
// RFC 3986's unreserved ones and '/' percent-encoded, so that a space, '#'
// or '?' in a scenario's name does not cut the link short.
std::string uri_path(std::string_view path);

// Sanitized text as one or more CDATA sections: "]]>" cannot occur inside one,
// so it is split across two sections.
std::string cdata(std::string_view text);

// Numbers as every report and the harness write them (common/text_format.h).
using text::duration;
using text::fixed;
using text::milliseconds;
using text::number;
using text::significant;
using text::significant_ms;

// Writes the whole file or throws std::runtime_error naming it. Written to a
// sibling temporary first and renamed, so a CI job collecting reports never
// picks up a half-written one.
void write_file(const std::filesystem::path& path, std::string_view contents);

}  // namespace understudy::reports::detail
