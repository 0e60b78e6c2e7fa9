// The harness's ControlClient (harness/control) against a stand-in engine
// on a real Unix socket: a line that is not a control message fails the
// requests waiting at once, naming the line, instead of waiting out their
// deadline as if the engine's main thread were stuck.
#define BOOST_TEST_MODULE control_client
#include "harness/control/control_client.h"

#include <boost/asio.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

using namespace std::chrono_literals;
using namespace understudy::harness;
using understudy::testing::TempDir;
namespace asio = boost::asio;
using stream_protocol = asio::local::stream_protocol;

namespace {

// Accepts one connection, reads one request line and answers each of
// `answers` (whole lines, '\n' included), then keeps the connection open
// until the client closes it.
class StandInEngine {
 public:
  StandInEngine(const std::filesystem::path& socket_path, std::vector<std::string> answers)
      : acceptor_(io_, stream_protocol::endpoint(socket_path.string())),
        thread_([this, answers = std::move(answers)] { serve(answers); }) {}
  ~StandInEngine() { thread_.join(); }

 private:
  void serve(const std::vector<std::string>& answers) {
    stream_protocol::socket peer(io_);
    acceptor_.accept(peer);
    asio::streambuf request;
    asio::read_until(peer, request, '\n');
    for (const auto& line : answers) {
      asio::write(peer, asio::buffer(line));
    }
    boost::system::error_code closed;
    char byte = 0;
    peer.read_some(asio::buffer(&byte, 1), closed);  // until the client goes
  }

  asio::io_context io_;
  stream_protocol::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(an_answer_that_is_not_json_fails_the_request_at_once_naming_it) {
  TempDir dir("control-client");
  const auto path = dir.path() / "control.sock";
  // As the engine answered a python value of NaN before it refused them.
  StandInEngine engine(path, {"{\"id\":1,\"ok\":true,\"result\":<discarded>}\n"});
  ControlClient client(path, 5s);
  const auto started = std::chrono::steady_clock::now();
  try {
    (void)client.request({{"op", "python"}, {"code", "float('nan')"}}, 20s);
    BOOST_FAIL("a line that is not JSON was taken for an answer");
  } catch (const ControlTimeout& e) {
    BOOST_FAIL("the request waited out its deadline: " << e.what());
  } catch (const ControlError& e) {
    const std::string message = e.what();
    BOOST_TEST(message.find("the engine sent a control line that is not valid JSON: "
                            "'{\"id\":1,\"ok\":true,\"result\":<discarded>}'") != std::string::npos,
               message);
  }
  const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - started;
  BOOST_TEST(waited.count() < 5.0, "the request failed after " << waited.count() << " s");
  BOOST_TEST(client.unreadable_lines() == 1u);
}

BOOST_AUTO_TEST_CASE(an_event_and_an_answer_after_it_are_read_as_they_were_before) {
  TempDir dir("control-client");
  const auto path = dir.path() / "control.sock";
  StandInEngine engine(
      path, {"{\"event\":\"events_dropped\",\"data\":{\"count\":3,\"limit_bytes\":8388608}}\n",
             "{\"id\":1,\"ok\":true,\"result\":42}\n"});
  ControlClient client(path, 5s);
  const auto answer = client.request({{"op", "ping"}}, 5s);
  BOOST_TEST(answer["result"] == 42);
  const auto events = client.events();
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].kind == "events_dropped");
  BOOST_TEST(events[0].data["count"] == 3);
  BOOST_TEST(client.unreadable_lines() == 0u);
}
