#include "harness/run/step_executors/console_steps.h"

#include <algorithm>
#include <optional>

#include "common/deadline.h"
#include "common/text_format.h"

namespace understudy::harness {

void expect_console(StepContext& run, const Step& step) {
  auto& control = run.control();
  const auto contains = step.params.value("contains", std::string());
  const auto severity = step.params.value("severity", std::string());
  const bool absent = step.params.value("absent", false);
  const int min_count = step.params.value("min_count", 1);
  const double timeout = step.params.value("timeout", absent ? 0.0 : 5.0);
  auto match = [&](const ControlEvent& e) {
    return e.kind == "console" &&
           (severity.empty() || e.data.value("severity", std::string()) == severity) &&
           e.data.value("text", std::string()).find(contains) != std::string::npos;
  };
  const auto deadline = std::chrono::steady_clock::now() + seconds_as_ms(timeout);
  int count = 0;
  std::size_t from = 0;
  std::optional<ControlEvent> first;
  while (count < (absent ? 1 : min_count)) {
    std::size_t index = 0;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto found =
        control.wait_event(match, std::max(left, std::chrono::milliseconds(0)), from, &index);
    if (!found) {
      break;
    }
    first = first ? first : found;
    ++count;
    from = index + 1;
  }
  const std::string what = (severity.empty() ? "console record" : "console " + severity) +
                           " containing '" + contains + "'";
  if (absent && first) {
    run.record.fail(step, "no " + what,
                    "\"" + first->data.value("text", std::string()).substr(0, 300) + "\"");
  }
  if (!absent && count < min_count) {
    run.record.fail(
        step,
        std::to_string(min_count) + " x " + what + " within " + text::fixed(timeout, 1) + " s",
        std::to_string(count) + " among " + std::to_string(control.event_count()) + " events");
  }
  run.record.pass(
      step, absent ? "no " + what : std::to_string(min_count) + " x " + what,
      std::to_string(count) +
          (first ? ": " + first->data.value("text", std::string()).substr(0, 200) : ""));
}

void expect_deadlock(StepContext& run, const Step& step) {
  using nlohmann::json;
  auto& record = run.record;
  const bool absent = step.params.value("absent", false);
  const double timeout = step.params.value("timeout", absent ? 0.0 : 5.0);
  auto found = run.control().wait_event([](const ControlEvent& e) { return e.kind == "deadlock"; },
                                        seconds_as_ms(timeout));
  if (absent) {
    if (found) {
      record.fail(step, "no deadlock report", found->data.value("summary", std::string()));
    }
    record.pass(step, "no deadlock report", "none");
    return;
  }
  if (!found) {
    record.fail(step, "a deadlock report within " + text::fixed(timeout, 1) + " s", "none");
  }
  const auto& report = found->data;
  const auto members = report.value("members", json::array());
  for (const auto& wanted : step.params.value("members", json::array())) {
    bool hit = false;
    for (const auto& member : members) {
      hit = hit || member.get<std::string>().starts_with(wanted.get<std::string>());
    }
    if (!hit) {
      record.fail(step, "a deadlock cycle with member " + wanted.get<std::string>(),
                  "members " + members.dump());
    }
  }
  if (step.params.contains("certain") &&
      report.value("certain", false) != step.params["certain"].get<bool>()) {
    record.fail(step,
                std::string("a ") + (step.params["certain"].get<bool>() ? "certain" : "potential") +
                    " deadlock",
                report.value("summary", std::string()));
  }
  if (step.params.contains("within_frames")) {
    std::uint64_t formed = 0;
    for (const auto& edge : report.value("edges", json::array())) {
      formed = std::max(formed, edge.value("since_frame", std::uint64_t{0}));
    }
    const auto detected = report.value("detected_frame", std::uint64_t{0});
    const auto limit = step.params["within_frames"].get<std::uint64_t>();
    if (detected > formed + limit) {
      record.fail(step,
                  "the report within " + std::to_string(limit) + " frames of the cycle forming",
                  "cycle formed at frame " + std::to_string(formed) + ", reported at frame " +
                      std::to_string(detected));
    }
  }
  record.pass(step, "deadlock " + step.params.value("members", json::array()).dump(),
              report.value("summary", std::string()));
}

}  // namespace understudy::harness
