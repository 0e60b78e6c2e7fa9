// SampleCollector against real Unix-socket peers: records fold into
// per-path histograms, and a peer sending garbage is cut off and named
// without disturbing the others.
#define BOOST_TEST_MODULE sample_collector
#include "harness/stress/sample_collector.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using understudy::harness::SampleCollector;
using understudy::harness::StressPath;

namespace {

class Peer {
 public:
  explicit Peer(const std::filesystem::path& path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    BOOST_TEST_REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0,
                       "cannot connect to " << path << ": " << std::strerror(errno));
  }
  ~Peer() { ::close(fd_); }
  void send(char kind, const std::string& payload) {
    std::string message(1, kind);
    const auto length = static_cast<std::uint32_t>(payload.size());
    message.append(reinterpret_cast<const char*>(&length), sizeof length);
    message += payload;
    BOOST_TEST_REQUIRE(::write(fd_, message.data(), message.size()) ==
                       static_cast<ssize_t>(message.size()));
  }
  static std::string record(std::uint8_t path, std::uint8_t outcome, std::int64_t due,
                            std::int64_t latency) {
    std::string r(24, '\0');
    r[0] = static_cast<char>(path);
    r[1] = static_cast<char>(outcome);
    std::memcpy(r.data() + 8, &due, 8);
    std::memcpy(r.data() + 16, &latency, 8);
    return r;
  }

 private:
  int fd_;
};

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(records_from_several_peers_fold_into_per_path_tallies) {
  understudy::testing::TempDir dir("collector");
  SampleCollector collector(dir.path() / "c.sock");
  Peer a(collector.socket_path());
  Peer b(collector.socket_path());
  a.send('H', R"({"worker": 0, "pid": 1, "connections": 1})");
  b.send('H', R"({"worker": 1, "pid": 2, "connections": 1})");
  a.send('R', Peer::record(0, 0, 1'000'000'000, 2'000'000) + Peer::record(0, 2, 1'000'000'000, 5));
  b.send('R', Peer::record(5, 0, 2'000'000'000, 3'000'000));
  b.send('S', R"({"phase": "done", "cpu_seconds": 0.5})");
  BOOST_TEST_REQUIRE(collector.wait_summaries("done", 1, 5000ms));
  BOOST_TEST_REQUIRE(eventually([&] { return collector.snapshot().paths[0].calls() == 2; }));
  const auto snap = collector.snapshot();
  BOOST_TEST(snap.paths[0].outcomes[0] == 1u);
  BOOST_TEST(snap.paths[0].outcomes[2] == 1u);  // a timeout
  BOOST_TEST(snap.paths[static_cast<int>(StressPath::kAsync)].calls() == 1u);
  BOOST_TEST(snap.summaries.at(0)["worker"] == 1);
  BOOST_TEST(snap.problems.empty());
}

BOOST_AUTO_TEST_CASE(a_peer_sending_garbage_is_cut_off_and_named_while_others_go_on) {
  understudy::testing::TempDir dir("collector");
  SampleCollector collector(dir.path() / "c.sock");
  Peer good(collector.socket_path());
  Peer bad(collector.socket_path());
  bad.send('H', R"({"worker": 7, "pid": 3, "connections": 1})");
  bad.send('R', std::string(25, 'x'));  // not a whole number of records
  BOOST_TEST_REQUIRE(eventually([&] { return !collector.snapshot().problems.empty(); }));
  const auto problem = collector.snapshot().problems.front();
  BOOST_TEST(problem.find("worker 7 sent a malformed message") != std::string::npos, problem);
  good.send('R', Peer::record(1, 0, 1'000'000'000, 1'000));
  BOOST_TEST(eventually([&] { return collector.snapshot().paths[1].calls() == 1; }));
}
