// report.html's timeline of one scenario: an SVG lane per track (the lanes
// of detail/tracks.h) with its events as bars (durations) and diamonds
// (instants), each deadlock cycle drawn as arrows between its members' lanes
// at the time it was detected, and an HTML legend of what the colours mean.
#pragma once

#include <cstddef>
#include <string>

#include "reports/results.h"

namespace understudy::reports::detail {

// `index` numbers the scenario in the page (1-based): ids inside the SVG
// carry it, so that each chart's arrowheads are its own.
std::string timeline_chart(const ScenarioResult& scenario, std::size_t index);

}  // namespace understudy::reports::detail
