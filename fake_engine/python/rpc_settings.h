// RpcSettings: how the engine's RPyC server listens and behaves. The server
// itself is Python (fake_engine/pylib/understudy_engine), as in Unity's
// out-of-process API; these settings reach it as `understudy_engine.settings`.
#pragma once

#include <optional>
#include <string>

namespace understudy {

enum class DeadlockPolicy {
  kReport,    // report the cycle at once, then let the timeout play out as the original
  kFailFast,  // make the blocked call fail at once with the report as its error
  kWait,      // detect nothing: the original behaviour
};

struct RpcSettings {
  bool enabled = true;
  std::string host = "127.0.0.1";
  int port = 18861;                    // 0: pick a free port and print it
  std::optional<std::string> socket;   // a Unix socket path instead of TCP
  bool allow_remote = false;           // allow binding to a non-loopback address
  double call_timeout_seconds = 30.0;  // RPyC's sync_request_timeout
  DeadlockPolicy on_deadlock = DeadlockPolicy::kReport;
  double long_wait_seconds = 2.0;  // a wait this long without a cycle is a potential deadlock
  bool faithful = false;           // stock RPyC 5.x dispatch: a request waiting for the
                                   // main thread keeps its connection's reader blocked
  bool allow_public_attrs = true;  // as the original server
  bool allow_setattr = true;
  bool allow_pickle = false;
};

}  // namespace understudy
