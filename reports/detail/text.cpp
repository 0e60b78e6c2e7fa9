#include "reports/detail/text.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace understudy::reports::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it is
// not well-formed (overlong forms and surrogates included, as RFC 3629 says).
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
    code_point = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
    code_point = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
    code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) {
      return 0;
    }
    code_point = (code_point << 6) | (byte(k) & 0x3Fu);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

}  // namespace

std::string sanitize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t code_point = 0;
    const std::size_t length = decode(text, i, code_point);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (code_point < 0x20 && code_point != '\t' && code_point != '\n' && code_point != '\r') {
      append_utf8(out, 0x2400 + code_point);
    } else if (code_point == 0xFFFE || code_point == 0xFFFF) {
      out += kReplacement;  // not XML 1.0 Chars
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string escape_xml(std::string_view text, bool in_attribute) {
  const std::string clean = sanitize_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (const char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
        out += in_attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += in_attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";  // a raw CR would be folded into the following LF by any XML parser
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string uri_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string cdata(std::string_view text) {
  const std::string clean = sanitize_text(text);
  std::string out = "<![CDATA[";
  std::size_t from = 0;
  for (std::size_t at = clean.find("]]>"); at != std::string::npos; at = clean.find("]]>", from)) {
    out.append(clean, from, at + 2 - from);
    out += "]]><![CDATA[";
    from = at + 2;
  }
  out.append(clean, from);
  out += "]]>";
  return out;
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string out = buffer;
  if (out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) {
    out.erase(0, 1);  // no "-0.000" for tiny negatives
  }
  return out;
}

std::string number(double value) {
  if (!std::isfinite(value)) {
    return fixed(value, 0);
  }
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e15 || (magnitude < 1e-4 && magnitude > 0)) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
  }
  if (value == std::floor(value)) {
    return fixed(value, 0);
  }
  std::string out = fixed(value, magnitude >= 100 ? 1 : (magnitude >= 1 ? 2 : 4));
  while (out.back() == '0') {
    out.pop_back();
  }
  if (out.back() == '.') {
    out.pop_back();
  }
  return out;
}

std::string duration(double seconds) {
  if (!std::isfinite(seconds)) {
    return fixed(seconds, 0);
  }
  if (seconds < 1) {
    return fixed(seconds * 1000, seconds < 0.01 ? 1 : 0) + " ms";
  }
  if (seconds < 60) {
    return fixed(seconds, 2) + " s";
  }
  const auto whole = static_cast<long long>(std::llround(seconds));
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%lld min %02lld s", whole / 60, whole % 60);
  return buffer;
}

std::string milliseconds(double ms) {
  if (ms >= 1000) {
    return fixed(ms / 1000, 2) + " s";
  }
  if (ms >= 1) {
    return fixed(ms, 2) + " ms";
  }
  return fixed(ms * 1000, 1) + " us";
}

std::string significant(double value, int figures) {
  if (!std::isfinite(value) || value == 0) {
    return fixed(value, 0);
  }
  const double magnitude = std::fabs(value);
  // What rounds up to the next unit counts in it: 999.6 is "1.0k".
  const double rounds_up = 1 - 0.5 * std::pow(10.0, -figures);
  const char* suffix = "";
  double scaled = value;
  if (magnitude >= 1e6 * rounds_up) {
    scaled = value / 1e6;
    suffix = "M";
  } else if (magnitude >= 1e3 * rounds_up) {
    scaled = value / 1e3;
    suffix = "k";
  }
  // Round to `figures` significant digits first: 9.96 with two is "10", not "10.0".
  const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(scaled))));
  const double unit = std::pow(10.0, exponent - figures + 1);
  const double rounded = std::round(scaled / unit) * unit;
  const int rounded_exponent = static_cast<int>(std::floor(std::log10(std::fabs(rounded))));
  const int decimals = std::max(0, figures - 1 - rounded_exponent);
  return fixed(rounded, decimals) + suffix;
}

std::string significant_ms(double ms, int figures) {
  const double magnitude = std::fabs(ms);
  const double rounds_up = 1 - 0.5 * std::pow(10.0, -figures);
  if (magnitude >= 1000 * rounds_up) {
    return significant(ms / 1000, figures) + " s";
  }
  if (magnitude >= rounds_up || ms == 0) {
    return significant(ms, figures) + " ms";
  }
  return significant(ms * 1000, figures) + " us";
}

void write_file(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path temporary = path;
  temporary += ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw std::runtime_error("cannot write report " + path.string() + " (via " +
                               temporary.string() + ")");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error("cannot write report " + path.string() + ": " + error.message());
  }
}

}  // namespace understudy::reports::detail
