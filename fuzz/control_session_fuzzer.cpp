// Fuzzes whole control-channel exchanges: the input's bytes are written as
// they are to a real ControlServer's Unix socket (its framing, decoding,
// dispatch, per-connection queue and encoding), followed by "\n" and a
// sentinel request, and every line that comes back is read as the harness's
// ControlClient reads it. The handler answers each request with its own
// parameters and broadcasts an event for it, so that answers and events share
// the connection's queue as they do in the engine.
//
// For every line of the input, in order, exactly one answer must come back:
// a BadRequest with a null id for a line parse_request refuses, else the
// request's parameters under the very id the line carried. Every line the
// server writes must be one JSON object within kMaxResponseNestingDepth, and
// the server must keep serving the connection after any input.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fake_engine/control/control_server.h"
#include "protocol/codec.h"

namespace {

using nlohmann::json;
using namespace understudy::control;
using namespace understudy::protocol;

constexpr std::int64_t kSentinelId = -424242;

[[noreturn]] void broken_contract(const std::string& what) {
  std::fprintf(stderr, "control_session_fuzzer: %s\n", what.c_str());
  std::abort();
}

class EchoHandler : public ControlHandler {
 public:
  ControlServer* server = nullptr;

  void handle(const Request& request, Responder respond) override {
    server->broadcast(encode_event("console", {{"text", request.op}}));
    respond(encode_response_ok(request.id, request.params));
  }
};

// One server for the whole run, on a socket in a private folder.
struct Fixture {
  Fixture() {
    char folder[] = "/tmp/understudy-fuzz-XXXXXX";
    if (::mkdtemp(folder) == nullptr) {
      broken_contract("cannot make a folder for the socket");
    }
    path = std::filesystem::path(folder) / "control.sock";
    server = std::make_unique<ControlServer>(path, handler);
    handler.server = server.get();
    server->start();
  }
  ~Fixture() {
    server->stop();
    std::filesystem::remove_all(path.parent_path());
  }

  std::filesystem::path path;
  EchoHandler handler;
  std::unique_ptr<ControlServer> server;
};

int connect_to(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", path.c_str());
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    broken_contract("cannot connect to the control server");
  }
  return fd;
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) {
      continue;  // libFuzzer's -timeout alarm
    }
    if (written <= 0) {
      broken_contract("the control server stopped reading");
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

// The answers (events skipped) up to the sentinel's, each checked as the
// harness reads a line.
std::vector<json> read_answers(int fd) {
  std::vector<json> answers;
  std::string buffered;
  char chunk[65536];
  while (true) {
    for (auto end = buffered.find('\n'); end != std::string::npos; end = buffered.find('\n')) {
      const std::string line = buffered.substr(0, end);
      buffered.erase(0, end + 1);
      std::string problem;
      auto message = parse_json(line, problem, kMaxResponseNestingDepth);
      if (!message || !message->is_object()) {
        broken_contract("the server wrote a line the harness cannot read (" + problem +
                        "): " + line.substr(0, 200));
      }
      if (message->contains("event")) {
        continue;
      }
      if ((*message)["id"] == kSentinelId) {
        return answers;
      }
      answers.push_back(std::move(*message));
    }
    const auto got = ::read(fd, chunk, sizeof(chunk));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      broken_contract("the server closed the connection before answering the sentinel");
    }
    buffered.append(chunk, static_cast<std::size_t>(got));
  }
}

void check_answer(std::string_view line, const json& answer) {
  std::string problem;
  const auto request = parse_request(line, problem);
  if (!request) {
    if (!answer["id"].is_null() || answer["ok"] != false ||
        answer["error"]["type"] != "BadRequest" || answer["error"]["message"] != problem) {
      broken_contract("a refused line's answer is not its BadRequest: " + answer.dump());
    }
    return;
  }
  // Compared as text: json's operator== calls 18446744073709551615 and -1
  // equal, and the harness matches ids as it reads them.
  if (answer["id"].dump() != json::parse(line)["id"].dump() || answer["ok"] != true ||
      answer["result"] != request->params) {
    broken_contract("an answer is not its request's: " + answer.dump().substr(0, 200));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const int fd = connect_to(fixture.path);
  write_all(fd, input);
  write_all(fd, "\n{\"id\": " + std::to_string(kSentinelId) + ", \"op\": \"sentinel\"}\n");
  const auto answers = read_answers(fd);
  ::close(fd);

  // The lines the server saw: the input's, its last one ended by our "\n".
  std::vector<std::string_view> lines;
  std::string_view rest = input;
  for (auto end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
    lines.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  lines.push_back(rest);
  std::size_t next = 0;
  for (const auto line : lines) {
    if (line.empty()) {
      continue;  // skipped, unanswered
    }
    if (next == answers.size()) {
      broken_contract("a line got no answer: " + std::string(line.substr(0, 200)));
    }
    check_answer(line, answers[next++]);
  }
  if (next != answers.size()) {
    broken_contract("more answers than lines");
  }
  return 0;
}
