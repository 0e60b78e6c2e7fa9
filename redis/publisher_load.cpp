#include "redis/publisher_load.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace understudy::redis {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

template <class Integer>
std::optional<Integer> number_after(std::string_view text, std::string_view prefix,
                                    std::size_t& end) {
  if (text.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  Integer value{};
  const char* first = text.data() + prefix.size();
  const auto [last, error] = std::from_chars(first, text.data() + text.size(), value);
  if (error != std::errc() || last == first) {
    return std::nullopt;
  }
  end = static_cast<std::size_t>(last - text.data());
  return value;
}

// One publisher: its connection, its schedule, its report. Lives on the
// io_context's thread only.
class Publisher {
 public:
  Publisher(asio::io_context& io, const PublisherOptions& options, int id)
      : options_(options),
        client_(io, client_options(options)),
        pace_timer_(io),
        end_timer_(io),
        payload_(options.payload_size, 'x') {
    report_.publisher = id;
    client_.set_event_handler([this](const ConnectionEvent& event) { on_event(event); });
  }

  void connect(std::function<void()> done) {
    client_.connect([this, done = std::move(done)](Status status) {
      report_.connect_status = status;
      if (!status) {
        finished_ = true;
      }
      done();
    });
  }

  void start(Clock::time_point start, std::function<void()> on_finished) {
    on_finished_ = std::move(on_finished);
    start_ = start;
    started_ = true;
    if (finished_) {  // its connect failed
      on_finished_();
      return;
    }
    if (options_.duration.count() > 0) {
      end_timer_.expires_at(start_ + options_.duration);
      end_timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error) {
          pump();
        }
      });
    }
    if (paced()) {
      arm_pace_timer();
    } else {
      pump();
    }
  }

  // No new PUBLISH from now on; those in flight still get their replies.
  void request_stop() {
    stop_requested_ = true;
    pump();
  }

  void close() {
    pace_timer_.cancel();
    end_timer_.cancel();
    client_.close();
  }

  bool finished() const { return finished_; }
  PublisherReport take_report() {
    // Completions come back in sequence order except across a reconnect
    // (an immediate "not connected" can overtake an in-flight timeout).
    std::sort(report_.failed_seqs.begin(), report_.failed_seqs.end());
    std::sort(report_.unheard_seqs.begin(), report_.unheard_seqs.end());
    return std::move(report_);
  }

 private:
  static ClientOptions client_options(const PublisherOptions& options) {
    ClientOptions client = options.client;
    client.host = options.host;
    client.port = options.port;
    return client;
  }

  bool paced() const { return options_.rate_per_publisher > 0; }

  bool more_to_send() const {
    return !stop_requested_ && !gave_up_ &&
           (options_.count == 0 || report_.last_seq < options_.count) &&
           (options_.duration.count() == 0 || Clock::now() < start_ + options_.duration);
  }

  void send_one() {
    const std::uint64_t seq = ++report_.last_seq;
    ++in_flight_;
    client_.publish(options_.channel, format_load_message(report_.publisher, seq, payload_),
                    [this, seq](Result<long long> receivers) { on_reply(seq, receivers); });
  }

  void on_reply(std::uint64_t seq, const Result<long long>& receivers) {
    --in_flight_;
    if (receivers) {
      ++report_.acknowledged;
      if (receivers.value() == 0) {
        ++report_.unheard;
        report_.unheard_seqs.push_back(seq);
      }
    } else {
      const Status& error = receivers.status();
      ++report_.errors;
      report_.failed_seqs.push_back(seq);
      ++report_.errors_by_code[error.code()];
      if (report_.first_error.empty()) {
        report_.first_error = error.to_string();
      }
      if (error.code() == Status::Code::kNotConnected && !paced()) {
        waiting_for_connection_ = true;
      }
    }
    if (paced() && behind_ && more_to_send()) {
      behind_ = false;
      send_one();
      arm_pace_timer();
    }
    pump();
  }

  void on_event(const ConnectionEvent& event) {
    if (event.kind == ConnectionEvent::Kind::kConnected) {
      waiting_for_connection_ = false;
    } else if (event.kind == ConnectionEvent::Kind::kGaveUp ||
               (event.kind == ConnectionEvent::Kind::kDisconnected &&
                !options_.client.reconnect.enabled)) {
      gave_up_ = true;  // nothing will bring the connection back
    }
    pump();
  }

  // Sends what the window allows (unpaced) and notices the end.
  void pump() {
    if (finished_ || !started_) {  // connect's own kConnected event comes before start()
      return;
    }
    if (!paced()) {
      while (in_flight_ < options_.max_in_flight && !waiting_for_connection_ && more_to_send()) {
        send_one();
      }
    }
    if (in_flight_ == 0 && !more_to_send()) {
      finished_ = true;
      pace_timer_.cancel();
      end_timer_.cancel();
      on_finished_();
    }
  }

  // Message n is due at start + (n-1)/rate: a late start catches up instead of
  // drifting, so the average rate holds.
  void arm_pace_timer() {
    const auto due =
        start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                     static_cast<double>(report_.last_seq) / options_.rate_per_publisher));
    pace_timer_.expires_at(due);
    pace_timer_.async_wait([this](const boost::system::error_code& error) {
      if (error || finished_) {
        return;
      }
      if (more_to_send()) {
        if (in_flight_ < options_.max_in_flight) {
          send_one();
          arm_pace_timer();
        } else {
          behind_ = true;  // on_reply sends it
        }
      }
      pump();
    });
  }

  const PublisherOptions& options_;
  RedisClient client_;
  asio::steady_timer pace_timer_;
  asio::steady_timer end_timer_;
  const std::string payload_;
  PublisherReport report_;
  Clock::time_point start_;
  std::function<void()> on_finished_;
  std::size_t in_flight_ = 0;
  bool waiting_for_connection_ = false;
  bool behind_ = false;
  bool started_ = false;
  bool stop_requested_ = false;
  bool gave_up_ = false;
  bool finished_ = false;
};

void validate(const PublisherOptions& options) {
  if (options.publishers < 1) {
    throw std::invalid_argument("run_publishers: publishers must be >= 1");
  }
  if (options.count == 0 && options.duration.count() <= 0) {
    throw std::invalid_argument("run_publishers: give a count, a duration or both");
  }
  if (options.max_in_flight < 1) {
    throw std::invalid_argument("run_publishers: max_in_flight must be >= 1");
  }
  if (options.rate_per_publisher < 0) {
    throw std::invalid_argument("run_publishers: rate_per_publisher must be >= 0");
  }
}

}  // namespace

std::string format_load_message(int publisher, std::uint64_t seq, std::string_view payload) {
  std::string text = "pub=" + std::to_string(publisher) + " seq=" + std::to_string(seq) + " ";
  text += payload;
  return text;
}

std::optional<LoadMessage> parse_load_message(std::string_view text) {
  std::size_t end = 0;
  const auto publisher = number_after<int>(text, "pub=", end);
  if (!publisher || end >= text.size() || text[end] != ' ') {
    return std::nullopt;
  }
  text.remove_prefix(end + 1);
  const auto seq = number_after<std::uint64_t>(text, "seq=", end);
  if (!seq || end >= text.size() || text[end] != ' ') {
    return std::nullopt;
  }
  return LoadMessage{*publisher, *seq, text.substr(end + 1)};
}

PublishReport run_publishers(const PublisherOptions& options) {
  validate(options);
  asio::io_context io;
  std::vector<std::unique_ptr<Publisher>> publishers;
  for (int id = 0; id < options.publishers; ++id) {
    publishers.push_back(std::make_unique<Publisher>(io, options, id));
  }

  PublishReport report;
  Clock::time_point started;
  int connecting = options.publishers;
  int running = options.publishers;
  const auto on_finished = [&] {
    if (--running == 0) {
      report.elapsed = Clock::now() - started;
      for (auto& publisher : publishers) {
        publisher->close();
      }
    }
  };
  // Everyone starts at once, after every connection is up (or has failed),
  // so that connect times do not skew the rates.
  for (auto& publisher : publishers) {
    publisher->connect([&] {
      if (--connecting > 0) {
        return;
      }
      started = Clock::now();
      for (auto& each : publishers) {
        each->start(started, on_finished);
      }
    });
  }
  const std::stop_callback on_stop(options.stop, [&] {
    asio::post(io, [&] {
      for (auto& publisher : publishers) {
        publisher->request_stop();
      }
    });
  });
  io.run();

  for (auto& publisher : publishers) {
    report.publishers.push_back(publisher->take_report());
  }
  return report;
}

std::uint64_t PublishReport::sent() const {
  std::uint64_t total = 0;
  for (const auto& publisher : publishers) {
    total += publisher.last_seq;
  }
  return total;
}

std::uint64_t PublishReport::acknowledged() const {
  std::uint64_t total = 0;
  for (const auto& publisher : publishers) {
    total += publisher.acknowledged;
  }
  return total;
}

std::uint64_t PublishReport::errors() const {
  std::uint64_t total = 0;
  for (const auto& publisher : publishers) {
    total += publisher.errors;
  }
  return total;
}

std::string PublishReport::describe() const {
  std::ostringstream text;
  text << sent() << " sent in "
       << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms";
  for (const auto& p : publishers) {
    text << "\n  publisher " << p.publisher << ": ";
    if (!p.connect_status) {
      text << "never connected: " << p.connect_status.to_string();
      continue;
    }
    text << "last seq " << p.last_seq << ", acknowledged " << p.acknowledged << " (" << p.unheard
         << " to no subscriber), errors " << p.errors;
    for (const auto& [code, count] : p.errors_by_code) {
      text << " [" << to_string(code) << ": " << count << "]";
    }
    if (!p.first_error.empty()) {
      text << ", first: " << p.first_error;
    }
  }
  return text.str();
}

bool DeliveryLedger::record(std::string_view payload) {
  const auto message = parse_load_message(payload);
  MutexLock lock(mutex_);
  ++total_;
  if (!message || message->seq == 0) {
    ++foreign_;
    return false;
  }
  auto& track = tracks_[message->publisher];
  auto& d = track.deliveries;
  ++d.received;
  if (track.seen.size() <= message->seq) {
    track.seen.resize(std::max<std::size_t>(message->seq + 1, track.seen.size() * 2));
  }
  if (track.seen[message->seq]) {
    ++d.duplicates;
    return true;
  }
  track.seen[message->seq] = true;
  ++d.distinct;
  if (message->seq < d.highest_seq) {
    ++d.out_of_order;
  }
  d.highest_seq = std::max(d.highest_seq, message->seq);
  return true;
}

DeliveryLedger::Deliveries DeliveryLedger::deliveries(int publisher) const {
  MutexLock lock(mutex_);
  const auto track = tracks_.find(publisher);
  return track == tracks_.end() ? Deliveries{} : track->second.deliveries;
}

bool DeliveryLedger::received(int publisher, std::uint64_t seq) const {
  MutexLock lock(mutex_);
  const auto track = tracks_.find(publisher);
  return track != tracks_.end() && seq < track->second.seen.size() && track->second.seen[seq];
}

std::uint64_t DeliveryLedger::total_received() const {
  MutexLock lock(mutex_);
  return total_;
}

std::uint64_t DeliveryLedger::foreign() const {
  MutexLock lock(mutex_);
  return foreign_;
}

std::vector<int> DeliveryLedger::publishers() const {
  MutexLock lock(mutex_);
  std::vector<int> ids;
  for (const auto& [id, track] : tracks_) {
    ids.push_back(id);
  }
  return ids;
}

DeliveryAccount reconcile(const PublishReport& sent, const DeliveryLedger& received) {
  DeliveryAccount account;
  account.foreign = received.foreign();
  std::vector<int> reported;
  for (const auto& publisher : sent.publishers) {
    reported.push_back(publisher.publisher);
    PublisherAccount a;
    a.publisher = publisher.publisher;
    a.sent = publisher.last_seq;
    const auto deliveries = received.deliveries(publisher.publisher);
    a.duplicates = deliveries.duplicates;
    a.out_of_order = deliveries.out_of_order;
    const std::vector<std::uint64_t>& failed = publisher.failed_seqs;    // ascending
    const std::vector<std::uint64_t>& unheard = publisher.unheard_seqs;  // ascending
    for (std::uint64_t seq = 1; seq <= a.sent; ++seq) {
      const bool did_fail = std::binary_search(failed.begin(), failed.end(), seq);
      if (received.received(publisher.publisher, seq)) {
        ++a.delivered;
        a.delivered_despite_error += did_fail ? 1 : 0;
      } else if (did_fail) {
        ++a.lost_not_published;
      } else if (std::binary_search(unheard.begin(), unheard.end(), seq)) {
        ++a.lost_no_subscriber;
      } else {
        ++a.lost_in_transit;
      }
    }
    a.never_sent = deliveries.distinct - a.delivered;
    account.publishers.push_back(a);
  }
  // Messages from publishers nobody reported count as foreign too.
  for (const int id : received.publishers()) {
    if (std::find(reported.begin(), reported.end(), id) == reported.end()) {
      account.foreign += received.deliveries(id).received;
    }
  }
  return account;
}

bool DeliveryAccount::exactly_once_in_order() const {
  return foreign == 0 && std::all_of(publishers.begin(), publishers.end(),
                                     [](const auto& a) { return a.exactly_once_in_order(); });
}

std::string DeliveryAccount::describe() const {
  std::ostringstream text;
  text << "foreign messages: " << foreign;
  for (const auto& a : publishers) {
    text << "\n  publisher " << a.publisher << ": sent " << a.sent << ", delivered " << a.delivered
         << ", lost " << a.lost() << " (not published " << a.lost_not_published
         << ", no subscriber " << a.lost_no_subscriber << ", in transit " << a.lost_in_transit
         << "); duplicates " << a.duplicates << ", out of order " << a.out_of_order
         << ", delivered despite an error " << a.delivered_despite_error << ", never sent "
         << a.never_sent;
  }
  return text.str();
}

}  // namespace understudy::redis
