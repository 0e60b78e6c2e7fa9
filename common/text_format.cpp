#include "common/text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace understudy::text {

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

}  // namespace understudy::text
