// DeadlockExplanation: what a user reads first when a step fails on a
// deadlock, built from the engine's report (the control channel's "deadlock"
// event) and the client processes' stack dumps: the cycle in one line, the
// client-side frame in the user's code (file:line), the engine-side frame,
// and the ways out with the shipped scenario that shows each. The full
// report, both sides' stacks included, stays in the scenario's result.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/run/client_stack_dump.h"

namespace understudy::harness {

// A client process in the cycle, as the runner knows it.
struct DeadlockClient {
  std::string node;  // "client:worker#1"
  pid_t pid = 0;
  std::filesystem::path log;
  ClientStackDump dump;  // empty when none arrived in time
};

struct DeadlockExplanation {
  std::string cycle;               // "main -> client:worker (service on_event) -> main (execute)"
  std::vector<std::string> lines;  // "client side: ...", "engine side: ...", "ways out:", ...

  // The lines, one per line, each after `indent` (ways out one level deeper).
  std::string text(const std::string& indent) const;
};

// `step` names the step whose engine call closed the cycle ("step 'x'
// (file:line)"); the engine side falls back to it when no engine script is
// on the main thread's stack, and a python step's code ("<control>") is
// named by it.
DeadlockExplanation explain_deadlock(const nlohmann::json& report,
                                     const std::vector<DeadlockClient>& clients,
                                     const std::string& step);

}  // namespace understudy::harness
