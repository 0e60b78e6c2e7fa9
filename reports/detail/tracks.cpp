#include "reports/detail/tracks.h"

#include <algorithm>

namespace understudy::reports::detail {
namespace {

std::string_view without_call_suffix(std::string_view member) {
  const auto hash = member.rfind('#');
  return hash == std::string_view::npos || hash == 0 ? member : member.substr(0, hash);
}

void add_unique(std::vector<std::string>& tracks, std::string_view track) {
  if (std::find(tracks.begin(), tracks.end(), track) == tracks.end()) {
    tracks.emplace_back(track);
  }
}

}  // namespace

std::string track_of_member(std::string_view member, const std::vector<std::string>& tracks) {
  const auto has = [&](std::string_view track) {
    return std::find(tracks.begin(), tracks.end(), track) != tracks.end();
  };
  if (has(member)) {
    return std::string(member);
  }
  const std::string_view stripped = without_call_suffix(member);
  if (has(stripped)) {
    return std::string(stripped);
  }
  const std::string* longest = nullptr;
  for (const auto& track : tracks) {
    if (!track.empty() && member.starts_with(track) &&
        (longest == nullptr || track.size() > longest->size())) {
      longest = &track;
    }
  }
  return longest != nullptr ? *longest : std::string(stripped);
}

std::vector<std::string> timeline_tracks(const ScenarioResult& scenario) {
  std::vector<std::string> tracks;
  for (const auto& event : scenario.timeline) {
    add_unique(tracks, event.track);
  }
  for (const auto& cycle : scenario.deadlocks) {
    for (const auto& member : cycle.members) {
      add_unique(tracks, track_of_member(member, tracks));
    }
  }
  return tracks;
}

}  // namespace understudy::reports::detail
