#include "harness/stress/loopback_baseline.h"

#include <boost/asio.hpp>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace understudy::harness {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// The echo side: one io_context thread, any number of connections.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~EchoServer() {
    io_.stop();
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    explicit Session(tcp::socket s) : socket(std::move(s)) {}
    void read() {
      auto self = shared_from_this();
      socket.async_read_some(
          asio::buffer(data), [self](boost::system::error_code e, std::size_t n) {
            if (!e) {
              asio::async_write(self->socket, asio::buffer(self->data, n),
                                [self](boost::system::error_code e2, std::size_t) {
                                  if (!e2) {
                                    self->read();
                                  }
                                });
            }
          });
    }
    tcp::socket socket;
    std::array<char, 4096> data{};
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code e, tcp::socket socket) {
      if (e) {
        return;
      }
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket))->read();
      accept();
    });
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace

LoopbackResult run_loopback_baseline(int connections, std::chrono::milliseconds duration,
                                     std::size_t message_bytes) {
  EchoServer server;
  LoopbackResult result;
  result.connections = connections;
  std::vector<measure::LatencyHistogram> histograms(static_cast<std::size_t>(connections));
  std::vector<std::string> errors(static_cast<std::size_t>(connections));
  std::vector<std::thread> clients;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + duration;
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&, c] {
      try {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), server.port()));
        socket.set_option(tcp::no_delay(true));
        std::vector<char> message(message_bytes, 'x');
        std::vector<char> echo(message_bytes);
        auto& histogram = histograms[static_cast<std::size_t>(c)];
        while (std::chrono::steady_clock::now() < deadline) {
          const auto sent = std::chrono::steady_clock::now();
          asio::write(socket, asio::buffer(message));
          asio::read(socket, asio::buffer(echo));
          histogram.record(
              static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::steady_clock::now() - sent)
                                             .count()));
        }
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(c)] = e.what();
      }
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& h : histograms) {
    result.round_trip.merge(h);
  }
  for (const auto& e : errors) {
    if (!e.empty()) {
      throw std::runtime_error("loopback TCP ping-pong failed: " + e);
    }
  }
  return result;
}

}  // namespace understudy::harness
