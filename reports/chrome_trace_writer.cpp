#include "reports/chrome_trace_writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "reports/detail/text.h"
#include "reports/detail/tracks.h"

namespace understudy::reports {
namespace {

using nlohmann::ordered_json;

// Trace timestamps are microseconds; nanosecond resolution is more than any
// recorded event has, and fewer digits keep the file small.
double microseconds(double seconds) {
  return std::round(seconds * 1e9) / 1e3;
}

ordered_json metadata(std::string_view name, int pid, int tid, ordered_json args) {
  return {{"name", name}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", std::move(args)}};
}

std::string lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::string to_chrome_trace(const ScenarioResult& scenario, int pid) {
  const auto tracks = detail::timeline_tracks(scenario);
  std::map<std::string, int> tid_of;
  ordered_json events = ordered_json::array();

  std::string process_name = scenario.name;
  if (scenario.repeat_index > 0) {
    process_name += " [repeat " + std::to_string(scenario.repeat_index) + "]";
  }
  events.push_back(metadata("process_name", pid, 0, {{"name", process_name}}));
  events.push_back(metadata("process_sort_index", pid, 0, {{"sort_index", pid}}));
  events.push_back(metadata("process_labels", pid, 0, {{"labels", status_name(scenario.status)}}));
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const int tid = static_cast<int>(i) + 1;
    tid_of[tracks[i]] = tid;
    events.push_back(metadata("thread_name", pid, tid, {{"name", tracks[i]}}));
    events.push_back(metadata("thread_sort_index", pid, tid, {{"sort_index", tid}}));
  }

  for (const auto& event : scenario.timeline) {
    ordered_json args(event.args);
    if (!event.outcome.empty()) {
      args["outcome"] = event.outcome;
    }
    ordered_json trace_event = {{"name", event.name},
                                {"cat", event.kind.empty() ? "event" : event.kind},
                                {"ph", event.duration_s > 0 ? "X" : "i"},
                                {"ts", microseconds(event.start_s)},
                                {"pid", pid},
                                {"tid", tid_of.at(event.track)}};
    if (event.duration_s > 0) {
      trace_event["dur"] = microseconds(event.duration_s);
    } else {
      trace_event["s"] = "t";
    }
    if (event.outcome == "error" || event.outcome == "timeout") {
      trace_event["cname"] = "terrible";  // the legacy viewer's red; Perfetto ignores it
    }
    trace_event["args"] = std::move(args);
    events.push_back(std::move(trace_event));
  }

  for (std::size_t c = 0; c < scenario.deadlocks.size(); ++c) {
    const auto& cycle = scenario.deadlocks[c];
    const double ts = microseconds(cycle.at_s);
    const std::string title = cycle.certain ? "deadlock" : "suspected deadlock";
    events.push_back({{"name", title + ": " + cycle.summary},
                      {"cat", "deadlock"},
                      {"ph", "i"},
                      {"s", "p"},
                      {"ts", ts},
                      {"pid", pid},
                      {"tid", cycle.members.empty() ? 0
                                                    : tid_of.at(detail::track_of_member(
                                                          cycle.members.front(), tracks))},
                      {"args",
                       {{"summary", cycle.summary},
                        {"certain", cycle.certain},
                        {"members", cycle.members},
                        {"frame", cycle.frame},
                        {"report", cycle.text}}}});
    // Flow v1 events bound to the enclosing slice: at detection time every
    // member is blocked inside some wait or call, so the arrows connect those.
    // The flow returns to the first member to close the cycle.
    const std::size_t n = cycle.members.size();
    for (std::size_t i = 0; i <= n && n > 1; ++i) {
      const auto& member = cycle.members[i % n];
      const int tid = tid_of.at(detail::track_of_member(member, tracks));
      if (i < n) {
        events.push_back({{"name", "in deadlock cycle: " + member},
                          {"cat", "deadlock"},
                          {"ph", "i"},
                          {"s", "t"},
                          {"ts", ts},
                          {"pid", pid},
                          {"tid", tid},
                          {"args",
                           {{"member", member},
                            {"position", std::to_string(i + 1) + " of " + std::to_string(n)},
                            {"waits_for", cycle.members[(i + 1) % n]},
                            {"summary", cycle.summary}}}});
      }
      events.push_back({{"name", "deadlock cycle"},
                        {"cat", "deadlock"},
                        {"ph", i == 0 ? "s" : (i == n ? "f" : "t")},
                        {"bp", "e"},
                        {"id", pid * 1000 + static_cast<int>(c) + 1},  // unique when merged
                        {"ts", ts},
                        {"pid", pid},
                        {"tid", tid}});
    }
  }

  // Viewers sort by ts themselves, but a stable order makes the file diffable
  // and keeps metadata first.
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    const bool a_meta = a["ph"] == "M";
    const bool b_meta = b["ph"] == "M";
    if (a_meta != b_meta) {
      return a_meta;
    }
    return !a_meta && a["ts"].template get<double>() < b["ts"].template get<double>();
  });

  const ordered_json trace = {
      {"traceEvents", std::move(events)},
      {"displayTimeUnit", "ms"},
      {"otherData",
       {{"scenario", scenario.name},
        {"file", scenario.file},
        {"status", status_name(scenario.status)},
        {"repeat_index", scenario.repeat_index},
        {"seed", std::to_string(scenario.seed)},
        {"failure_message", scenario.failure_message}}},
  };
  return trace.dump(1, ' ', /*ensure_ascii=*/false, ordered_json::error_handler_t::replace) + "\n";
}

std::vector<std::string> trace_file_names(const SuiteResult& suite) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // compared in lower case: the reports may land on macOS
  for (const auto& scenario : suite.scenarios) {
    std::string stem;
    for (const char c : scenario.name) {
      const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
      if (keep) {
        stem += c;
      } else if (!stem.empty() && stem.back() != '_') {
        stem += '_';
      }
    }
    while (!stem.empty() && (stem.back() == '_' || stem.back() == '.')) {
      stem.pop_back();
    }
    while (!stem.empty() && stem.front() == '.') {
      stem.erase(0, 1);  // no hidden files
    }
    stem = stem.substr(0, 100);
    if (stem.empty()) {
      stem = "scenario";
    }
    if (scenario.repeat_index > 0) {
      stem += "-" + std::to_string(scenario.repeat_index);
    }
    std::string name = stem;
    for (int n = 2; !taken.insert(lower(name)).second; ++n) {
      name = stem + "~" + std::to_string(n);
    }
    names.push_back(name + ".trace.json");
  }
  return names;
}

void write_chrome_trace(const ScenarioResult& scenario, const std::filesystem::path& path,
                        int pid) {
  detail::write_file(path, to_chrome_trace(scenario, pid));
}

}  // namespace understudy::reports
