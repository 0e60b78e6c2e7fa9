// Numbers as text, the same in the reports, the harness's failure messages
// and its summaries: no locale, no "-0.000", and a precision every caller
// states, so that two places printing one figure print it alike.
#pragma once

#include <string>

namespace understudy::text {

// "%.*f" without locale surprises: fixed(2.5, 3) is "2.500".
std::string fixed(double value, int decimals);
// Compact, for tables: "12", "3.5", "0.0042", "1.25e+09".
std::string number(double value);
// For people: "840 ms", "2.31 s", "3 min 05 s".
std::string duration(double seconds);
// For latencies side by side, three figures or so: "1.25 ms", "840.0 us",
// "2.31 s".
std::string milliseconds(double ms);

}  // namespace understudy::text
