// The tracks (lanes) of a scenario's timeline, shared by the HTML timeline
// and the Chrome trace so that both show the same lanes in the same order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/results.h"

namespace understudy::reports::detail {

// Tracks in order of first appearance in the timeline, then any track that
// only a deadlock cycle names, so that every cycle member has a lane to
// point at even when the timeline recorded nothing for it.
std::vector<std::string> timeline_tracks(const ScenarioResult& scenario);

// The track a cycle member sits on. Members name a party more precisely than
// tracks do ("client:worker-0#3" is call #3 of the client on track
// "client:worker-0"): an exact match wins, then the member without its "#..."
// suffix, then the longest track that prefixes the member; otherwise the
// member without suffix, which timeline_tracks() has added as a lane.
std::string track_of_member(std::string_view member, const std::vector<std::string>& tracks);

}  // namespace understudy::reports::detail
