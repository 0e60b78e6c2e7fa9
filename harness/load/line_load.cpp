#include "harness/load/line_load.h"

#include <boost/asio.hpp>
#include <memory>

namespace understudy::harness {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class LineSender : public std::enable_shared_from_this<LineSender> {
 public:
  LineSender(asio::io_context& io, const LineLoadOptions& options, int index,
             LineLoadReport& report, std::function<void()> done)
      : options_(options),
        index_(index),
        report_(report),
        done_(std::move(done)),
        socket_(io),
        timer_(io) {}

  void start(const tcp::endpoint& endpoint) {
    arm_deadline("connect");
    socket_.async_connect(endpoint, [self = shared_from_this()](boost::system::error_code error) {
      if (error) {
        return self->fail("connect: " + error.message());
      }
      ++self->report_.connections_opened;
      self->send_next();
    });
  }

 private:
  void arm_deadline(const char* what) {
    timer_.expires_after(options_.deadline);
    timer_.async_wait([self = shared_from_this(), what](boost::system::error_code error) {
      if (!error) {
        boost::system::error_code ignored;
        self->socket_.close(ignored);
        self->fail(std::string(what) + " did not finish within " +
                   std::to_string(self->options_.deadline.count()) + " ms");
      }
    });
  }

  void send_next() {
    if (sent_ >= options_.lines_per_connection) {
      return finish();
    }
    line_ = options_.prefix + "-" + std::to_string(index_) + "-" + std::to_string(sent_) + "\n";
    if (options_.lines_per_second > 0 && sent_ > 0) {
      timer_.expires_after(std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(1.0 / options_.lines_per_second)));
      timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
        if (!error) {
          self->write_line();
        }
      });
      return;
    }
    write_line();
  }

  void write_line() {
    arm_deadline("write");
    asio::async_write(socket_, asio::buffer(line_),
                      [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                        if (error) {
                          return self->fail("write: " + error.message());
                        }
                        ++self->sent_;
                        ++self->report_.lines_sent;
                        self->send_next();
                      });
  }

  void finish() {
    if (finished_) {
      return;
    }
    finished_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
    done_();
  }

  void fail(const std::string& what) {
    if (finished_) {
      return;
    }
    ++report_.connections_failed;
    if (report_.errors.size() < 10) {
      report_.errors.push_back("connection " + std::to_string(index_) + ": " + what);
    }
    finish();
  }

  const LineLoadOptions& options_;
  const int index_;
  LineLoadReport& report_;
  std::function<void()> done_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::string line_;
  int sent_ = 0;
  bool finished_ = false;
};

}  // namespace

LineLoadReport run_line_load(const LineLoadOptions& options) {
  LineLoadReport report;
  asio::io_context io;
  const tcp::endpoint endpoint(asio::ip::make_address(options.host),
                               static_cast<unsigned short>(options.port));
  int next = 0;
  int open = 0;
  // Starts connections until `concurrency` are open; each finished one starts the next.
  std::function<void()> start_more = [&] {
    while (next < options.connections && open < options.concurrency) {
      ++open;
      std::make_shared<LineSender>(io, options, next++, report, [&] {
        --open;
        asio::post(io, start_more);
      })->start(endpoint);
    }
  };
  const auto started = std::chrono::steady_clock::now();
  start_more();
  io.run();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace understudy::harness
