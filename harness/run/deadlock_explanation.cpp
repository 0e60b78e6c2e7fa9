#include "harness/run/deadlock_explanation.h"

namespace understudy::harness {
namespace {

using nlohmann::json;

std::string client_side(const DeadlockClient& client) {
  const std::string process =
      client.node + ", pid " + std::to_string(client.pid) + ", log " + client.log.string();
  if (client.dump.empty()) {
    return "client side: no stack dump from " + process +
           " within 1 s of SIGUSR1 (is the client built on understudy_client?)";
  }
  if (const auto frame = client.dump.user_frame()) {
    return "client side: " + frame->where() + " (" + process + ")";
  }
  return "client side: no thread of " + process +
         " was in a service when its stack was taken (with --on-deadlock fail-fast the engine "
         "releases the client at once)";
}

std::string engine_side(const json& report, const std::string& step) {
  const auto frame = report.value("engine_frame", json()).is_string()
                         ? report["engine_frame"].get<std::string>()
                         : std::string();
  // A python step's code runs as "<control>"; its line is the code's own.
  if (const std::string control = "<control>:"; frame.starts_with(control)) {
    const auto rest = frame.substr(control.size());
    return "line " + rest.substr(0, rest.find(' ')) + " of the code of " + step;
  }
  if (!frame.empty()) {
    return frame;
  }
  return "the engine's main thread, calling for " + step + " (no engine script on its stack)";
}

}  // namespace

std::string DeadlockExplanation::text(const std::string& indent) const {
  std::string out;
  for (const auto& line : lines) {
    out += indent + line + "\n";
  }
  return out;
}

DeadlockExplanation explain_deadlock(const json& report, const std::vector<DeadlockClient>& clients,
                                     const std::string& step) {
  DeadlockExplanation explanation;
  explanation.cycle = report.value("cycle", std::string());
  if (explanation.cycle.empty()) {
    explanation.cycle = report.value("summary", std::string());
  }
  for (const auto& client : clients) {
    explanation.lines.push_back(client_side(client));
  }
  explanation.lines.push_back("engine side: " + engine_side(report, step));
  const auto ways = report.value("ways_out", json::array());
  if (!ways.empty()) {
    explanation.lines.push_back("ways out:");
    for (const auto& way : ways) {
      explanation.lines.push_back("  " + way.get<std::string>());
    }
  }
  return explanation;
}

}  // namespace understudy::harness
