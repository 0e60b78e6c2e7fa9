// ClientStackDump: a client process's thread stacks as understudy_client
// writes them to its log on SIGUSR1 (faulthandler's format: "Thread 0x...
// (most recent call first):" then one `  File "F", line N in FUNC` per frame,
// innermost first), and the frame in the user's own code among them.
//
// A frame is the libraries' (not the user's) when it is in RPyC, in
// understudy_client, or in the standard library (threading included); frozen
// modules too. Everything else, the client script and the user's packages,
// is the user's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace understudy::harness {

struct StackFrame {
  std::string file;
  int line = 0;
  std::string function;

  bool in_libraries() const;
  std::string where() const;  // "file:line in function"
};

struct ThreadStack {
  std::string header;              // "Thread 0x00007f... (most recent call first):"
  std::vector<StackFrame> frames;  // innermost first
};

class ClientStackDump {
 public:
  // The first complete dump in `text` (part of a log); empty if none.
  static ClientStackDump parse(const std::string& text);
  // The first complete dump written to `log` at or after byte `offset`.
  static ClientStackDump read(const std::filesystem::path& log, std::uintmax_t offset = 0);

  bool empty() const { return threads_.empty(); }
  const std::vector<ThreadStack>& threads() const { return threads_; }

  // The innermost user frame of the thread that is serving a request from
  // the engine and waiting in a library for an answer (user code called by
  // RPyC, calling into RPyC): where a re-entrant deadlock's client side is.
  // Failing that, the innermost user frame of a thread in a service.
  // nullopt when no thread is in a service (the client was released before
  // its stack was taken, as fail-fast does at once).
  std::optional<StackFrame> user_frame() const;

  // Each thread's frames, the user's first, the libraries' after (both
  // innermost first), indented by `indent`.
  std::string render(const std::string& indent) const;

 private:
  std::vector<ThreadStack> threads_;
};

}  // namespace understudy::harness
