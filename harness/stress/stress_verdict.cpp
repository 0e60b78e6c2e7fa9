#include "harness/stress/stress_verdict.h"

#include <iomanip>
#include <map>

#include "common/text_format.h"
#include "reports/stress_writer.h"

namespace understudy::harness {

using reports::StressPathResult;
using reports::StressStep;
using reports::StressVerdict;
using text::significant;
using text::significant_ms;

namespace {

// The engine's calls to its clients: made from its main thread, frame by frame.
bool made_on_frames(const std::string& path) {
  return path == "sync" || path == "coroutine" || path == "async";
}

const StressPathResult* path_named(const StressStep& step, const std::string& name) {
  for (const auto& p : step.paths) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

// `higher_is_better`: calls/s; otherwise a latency.
void decide(StressVerdict& v, bool higher_is_better) {
  const double engine = higher_is_better ? v.engine : -v.engine;
  const double plain = higher_is_better ? v.plain : -v.plain;
  if (v.engine <= 0 || v.plain <= 0) {
    // One side has no figure (no call completed): the other one did better.
    v.better = v.engine > 0 ? "engine" : (v.plain > 0 ? "plain RPyC" : "");
    v.factor = 0;
    return;
  }
  const double ratio = v.engine > v.plain ? v.engine / v.plain : v.plain / v.engine;
  v.factor = ratio;
  v.better = ratio < kClearWinRatio ? "" : (engine > plain ? "engine" : "plain RPyC");
}

StressVerdict path_verdict(int clients, const StressPathResult& e, const StressPathResult& p) {
  StressVerdict v;
  v.clients = clients;
  v.path = e.name;
  v.frame_bound = made_on_frames(e.name);
  const bool open_loop = e.mode.starts_with("open loop");
  v.figure = open_loop ? "p50" : "calls/s";
  v.engine = open_loop ? e.p50_ms : e.per_second;
  v.plain = open_loop ? p.p50_ms : p.per_second;
  decide(v, !open_loop);
  return v;
}

// Wide enough for "coroutine *" and a space.
constexpr int kPathColumn = 13;

// `text` indented by two spaces, in lines of at most 80 columns.
void print_wrapped(std::ostream& out, const std::string& text) {
  constexpr std::size_t kWidth = 78;
  std::string line;
  std::size_t from = 0;
  while (from < text.size()) {
    auto to = text.find(' ', from);
    if (to == std::string::npos) {
      to = text.size();
    }
    const auto word = text.substr(from, to - from);
    if (!line.empty() && line.size() + 1 + word.size() > kWidth) {
      out << "  " << line << "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    from = to + 1;
  }
  if (!line.empty()) {
    out << "  " << line << "\n";
  }
}

}  // namespace

std::vector<StressVerdict> stress_verdicts(const std::vector<StressStep>& steps) {
  std::map<int, std::pair<const StressStep*, const StressStep*>> by_clients;  // engine, plain
  for (const auto& s : steps) {
    if (s.target == "engine") {
      by_clients[s.clients].first = &s;
    } else if (s.target == "plain RPyC") {
      by_clients[s.clients].second = &s;
    }
  }
  std::vector<StressVerdict> verdicts;
  for (const auto& [clients, pair] : by_clients) {
    const auto [engine, plain] = pair;
    if (engine == nullptr || plain == nullptr) {
      continue;
    }
    if (engine->paths.size() > 1) {
      StressVerdict all;
      all.clients = clients;
      all.path = "all paths";
      all.figure = "calls/s";
      all.engine = engine->total_per_second;
      all.plain = plain->total_per_second;
      decide(all, true);
      verdicts.push_back(all);
    }
    for (const auto& e : engine->paths) {
      if (const auto* p = path_named(*plain, e.name)) {
        verdicts.push_back(path_verdict(clients, e, *p));
      }
    }
  }
  return verdicts;
}

std::vector<std::string> verdict_notes(const StressOptions& options,
                                       const std::vector<StressVerdict>& verdicts) {
  if (verdicts.empty()) {
    return {};
  }
  std::vector<std::string> notes{
      "Figures to 2 significant figures, and a gap under " + significant(kClearWinRatio) +
      "x is no verdict: runs of the same step differ by that much on a small machine."};
  bool any_frame_bound = false;
  for (const auto& v : verdicts) {
    any_frame_bound = any_frame_bound || v.frame_bound;
  }
  if (any_frame_bound) {
    const std::string frames =
        options.tick_hz > 0 ? "its frames, at " + significant(options.tick_hz) + " Hz (one every " +
                                  significant_ms(1000.0 / options.tick_hz) + ")"
                            : "its frames (run back to back with --tick-hz 0)";
    notes.push_back(
        "* frame-bound: the engine calls its clients from its main thread, as game code does, "
        "so these calls keep to " +
        frames +
        ": a call goes out at the frame after it is due, a coroutine looks for its reply once a "
        "frame and an async call completes on the main thread. The plain server calls from a "
        "thread of its own whenever it likes, which no engine's game code can.");
  }
  return notes;
}

void print_verdicts(std::ostream& out, const reports::StressReport& report) {
  if (report.verdicts.empty()) {
    return;
  }
  out << "understudy stress: verdict, the engine against the plain RPyC server\n";
  out << "  " << std::setw(7) << "clients"
      << "  " << std::left << std::setw(kPathColumn) << "path" << std::setw(18) << "engine"
      << std::setw(18) << "plain RPyC"
      << "better" << std::right << "\n";
  for (const auto& v : report.verdicts) {
    out << "  " << std::setw(7) << v.clients << "  " << std::left << std::setw(kPathColumn)
        << (v.path + (v.frame_bound ? " *" : "")) << std::setw(18)
        << reports::verdict_figure(v, v.engine) << std::setw(18)
        << reports::verdict_figure(v, v.plain) << reports::verdict_outcome(v) << std::right << "\n";
  }
  for (const auto& note : report.verdict_notes) {
    print_wrapped(out, note);
  }
}

}  // namespace understudy::harness
