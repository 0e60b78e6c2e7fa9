#include "harness/run/engine_event_record.h"

#include <map>
#include <string>

namespace understudy::harness {

void record_engine_events(const EngineClient& control, ScenarioClients& clients,
                          ScenarioRecord& record) {
  using nlohmann::json;
  auto& result = record.result();
  std::map<pid_t, std::size_t> reports_naming;  // per client pid, the reports so far
  for (const auto& event : control.events()) {
    const double at = record.seconds_since_start(event.received);
    if (event.kind == "deadlock") {
      reports::DeadlockCycle cycle;
      cycle.certain = event.data.value("certain", false);
      cycle.summary = event.data.value("summary", std::string());
      cycle.text = event.data.value("text", std::string());
      cycle.frame = event.data.value("detected_frame", std::uint64_t{0});
      cycle.at_s = at;
      for (const auto& member : event.data.value("members", json::array())) {
        cycle.members.push_back(member.get<std::string>());
      }
      for (const auto& client :
           clients.deadlock_clients(event.data, std::chrono::milliseconds(0), reports_naming)) {
        ++reports_naming[client.pid];
        cycle.text += "\n  client stack of " + client.node + " (pid " + std::to_string(client.pid) +
                      ", from its log " + client.log.string() + "), your code first:\n" +
                      (client.dump.empty() ? std::string("    (no stack dump in the log; is the "
                                                         "client built on understudy_client?)\n")
                                           : client.dump.render("    "));
      }
      result.deadlocks.push_back(cycle);
      result.timeline.push_back({"deadlock", cycle.summary, "main", at, 0, "", {}});
      for (const auto& edge : event.data.value("edges", json::array())) {
        const double waited = edge.value("waited_seconds", 0.0);
        result.timeline.push_back({"wait",
                                   edge.value("waiter", std::string()) + " waits for " +
                                       edge.value("target", std::string()) + " (" +
                                       edge.value("what", std::string()) + ")",
                                   edge.value("waiter", std::string()),
                                   at - waited,
                                   waited,
                                   "",
                                   {}});
      }
    } else if (event.kind == "console" && event.data.value("severity", "") == "error") {
      auto text = event.data.value("text", std::string());
      result.timeline.push_back(
          {"console", text.substr(0, text.find('\n')), "console", at, 0, "error", {}});
    }
  }
}

}  // namespace understudy::harness
