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
// `value` to `figures` significant figures, for measurements worth no more
// (a run's noise): "6.5k" (6,543), "120k", "1.2M", "0.061", "10" (9.96).
std::string significant(double value, int figures = 2);
// A latency in milliseconds the same way, in us, ms or s: "12 us", "1.2 ms",
// "17 ms", "2.3 s".
std::string significant_ms(double ms, int figures = 2);

}  // namespace understudy::text
