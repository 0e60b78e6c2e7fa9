// RpcSettings: how the engine's RPyC server listens and behaves. The server
// itself is Python (fake_engine/pylib/understudy_engine), as in Unity's
// out-of-process API; these settings reach it as `understudy_engine.settings`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace understudy {

enum class DeadlockPolicy {
  kReport,    // report the cycle at once, then let the timeout play out as the original
  kFailFast,  // make the blocked call fail at once with the report as its error
  kWait,      // detect nothing: the original behaviour
};

// What --faithful reproduces. Both variants have the original's timing (jobs
// drained once per frame for at most 1/90 s, no expiry on the coroutine and
// async paths); they differ in how a connection dispatches a request that
// waits for the main thread.
enum class FaithfulMode {
  kOff,    // the engine's own dispatch: such a request never blocks its reader
  kPfu,    // PfU 2.x: its bundled RPyC 4.0.2 releases the receive lock before
           // dispatching, so the reader waits for the main thread while other
           // threads (the main thread waiting for a reply) still receive
  kRpyc5,  // PfU's server on stock RPyC 5.x: the receive lock stays held while
           // the reader waits, so nobody receives on that connection meanwhile
};

struct RpcSettings {
  bool enabled = true;
  // false: PfU 2.x's Unix socket ($TMPDIR/com.unity.scripting.python-$USER.socket,
  // or `socket`); true: TCP on host:port.
  bool tcp = false;
  std::string host = "127.0.0.1";
  int port = 18861;                    // 0: pick a free port and print it
  std::optional<std::string> socket;   // a Unix socket path instead of TCP
  bool allow_remote = false;           // allow binding to a non-loopback address
  double call_timeout_seconds = 30.0;  // RPyC's sync_request_timeout
  DeadlockPolicy on_deadlock = DeadlockPolicy::kReport;
  double long_wait_seconds = 2.0;  // a wait this long without a cycle is a potential deadlock
  FaithfulMode faithful = FaithfulMode::kOff;
  bool allow_public_attrs = true;  // as the original server
  bool allow_setattr = true;
  bool allow_pickle = false;
  // Limits on what one peer can make the server do (SECURITY.md): a frame
  // announcing more bytes is refused, and a frame that has started arriving
  // must be complete within the deadline. 0 disables either (stock RPyC).
  std::uint64_t max_frame_bytes = 64 * 1024 * 1024;
  double frame_deadline_seconds = 10.0;
  // What all peers together can make the server hold: the bytes of frames
  // being received, across connections (a frame that would go over waits
  // briefly for room, else its connection is closed), and per message the
  // objects brine decodes and how deeply they nest (counted while decoding).
  // 0 disables any of them (stock RPyC).
  std::uint64_t max_buffered_bytes = 256 * 1024 * 1024;
  std::uint32_t max_message_objects = 20000;
  std::uint32_t max_message_depth = 100;
  // Connections open at once; one more is closed at accept, logged. Each
  // costs a thread and a file descriptor: without a cap a local program
  // opening connections in a loop exhausts the engine's threads or fds.
  // Unset: derived from RLIMIT_NOFILE and RLIMIT_NPROC when the server
  // starts (a value above what they allow is lowered, with a warning).
  // 0: no cap (stock RPyC).
  std::optional<std::uint32_t> max_connections;
  // A file holding a shared secret every TCP client must send before RPyC
  // traffic; unset: no authentication (loopback only is the protection).
  std::optional<std::string> auth_token_file;
};

}  // namespace understudy
