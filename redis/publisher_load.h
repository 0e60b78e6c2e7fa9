// Publisher load for the harness: P publishers, each on its own connection,
// PUBLISH "pub=<id> seq=<n> <payload>" on one channel at a chosen rate or as
// fast as possible, for a count or a duration; and the accounting that puts
// every message the publishers sent in exactly one bucket on the subscriber's
// side: delivered, or lost and why (not published, nobody subscribed, in transit).
//
// Contract:
// - run_publishers blocks the calling thread: it runs its own io_context on
//   it, and returns when every publisher is done (count reached, duration
//   over, stop requested, or its connection given up). Connection failures
//   and PUBLISH errors are in the report, not thrown; bad options throw
//   std::invalid_argument.
// - Sequence numbers start at 1 and every number up to last_seq was sent
//   exactly once (a failed PUBLISH is not retried: its number is in
//   failed_seqs), so a subscriber can tell a gap from a reordering.
// - DeliveryLedger may be used from any thread (one mutex): typically a
//   subscriber's message handler records, the test thread reads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "redis/redis_client.h"
#include "redis/status.h"

namespace understudy::redis {

struct LoadMessage {
  int publisher = 0;
  std::uint64_t seq = 0;
  std::string_view payload;  // into the parsed text
};

std::string format_load_message(int publisher, std::uint64_t seq, std::string_view payload);
// nullopt for anything not in the "pub=<id> seq=<n> <payload>" shape.
std::optional<LoadMessage> parse_load_message(std::string_view text);

struct PublisherOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string channel = "understudy.load";
  int publishers = 1;  // numbered 0..publishers-1
  // Stop after `count` messages per publisher and/or after `duration`,
  // whichever comes first; 0 means no such limit, but one of them is required.
  std::uint64_t count = 0;
  std::chrono::milliseconds duration{0};
  double rate_per_publisher = 0;  // messages per second; 0: as fast as possible
  std::size_t payload_size = 16;
  // PUBLISHes per connection awaiting their reply (pipelining). Order on the
  // channel stays per-publisher order whatever the window.
  std::size_t max_in_flight = 1;
  // Timeouts and reconnection of each publisher's connection (host and port
  // are taken from above). As fast as possible, a publisher that finds itself
  // disconnected waits for the reconnect instead of burning its count on
  // "not connected" errors; at a rate it keeps its schedule and counts them.
  ClientOptions client;
  std::stop_token stop;  // requests an early, clean end
};

struct PublisherReport {
  int publisher = 0;
  Status connect_status;           // the initial connect; if it failed nothing was sent
  std::uint64_t last_seq = 0;      // the last sequence number sent; 0 if none
  std::uint64_t acknowledged = 0;  // the server answered with a receiver count
  std::uint64_t unheard = 0;       // ... of 0: nobody was subscribed at that moment
  std::uint64_t errors = 0;  // no receiver count: not connected, timeout, lost connection, ...
  std::vector<std::uint64_t> failed_seqs;   // the `errors`, by sequence number
  std::vector<std::uint64_t> unheard_seqs;  // the `unheard`, by sequence number
  std::map<Status::Code, std::uint64_t> errors_by_code;
  std::string first_error;  // Status::to_string() of the first error, for messages
};

struct PublishReport {
  std::vector<PublisherReport> publishers;
  std::chrono::steady_clock::duration elapsed{};  // first PUBLISH to last reply

  std::uint64_t sent() const;
  std::uint64_t acknowledged() const;
  std::uint64_t errors() const;
  std::string describe() const;  // one line per publisher
};

PublishReport run_publishers(const PublisherOptions& options);

// What a subscriber received, per publisher and sequence number.
class DeliveryLedger {
 public:
  struct Deliveries {
    std::uint64_t received = 0;  // every arrival, duplicates included
    std::uint64_t distinct = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t out_of_order = 0;  // arrived after a higher sequence number
    std::uint64_t highest_seq = 0;
  };

  // False (and counted as foreign) if `payload` is not a load message.
  bool record(std::string_view payload);

  Deliveries deliveries(int publisher) const;
  bool received(int publisher, std::uint64_t seq) const;
  std::uint64_t total_received() const;
  std::uint64_t foreign() const;
  std::vector<int> publishers() const;

 private:
  struct Track {
    std::vector<bool> seen;  // by sequence number
    Deliveries deliveries;
  };
  mutable Mutex mutex_;
  std::map<int, Track> tracks_ GUARDED_BY(mutex_);
  std::uint64_t foreign_ GUARDED_BY(mutex_) = 0;
  std::uint64_t total_ GUARDED_BY(mutex_) = 0;
};

// Every sequence number 1..sent is either delivered or lost, and a lost one
// is lost for exactly one reason, so sent == delivered + lost() always holds.
struct PublisherAccount {
  int publisher = 0;
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;  // received at least once
  // Lost because PUBLISH failed (not connected, timeout, connection lost):
  // e.g. published while the server was down.
  std::uint64_t lost_not_published = 0;
  // Lost because the server took it with nobody subscribed: e.g. published
  // after the server came back, before the subscriber had resubscribed.
  std::uint64_t lost_no_subscriber = 0;
  // Lost although the server took it for >= 1 subscriber: a real loss.
  std::uint64_t lost_in_transit = 0;
  std::uint64_t delivered_despite_error = 0;  // e.g. the reply timed out, the message did not
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t never_sent = 0;  // arrived with a sequence number above `sent`

  std::uint64_t lost() const { return lost_not_published + lost_no_subscriber + lost_in_transit; }
  bool exactly_once_in_order() const {
    return delivered == sent && duplicates == 0 && out_of_order == 0 && never_sent == 0;
  }
};

struct DeliveryAccount {
  std::vector<PublisherAccount> publishers;
  std::uint64_t foreign = 0;  // received messages not from any reported publisher

  bool exactly_once_in_order() const;
  std::string describe() const;  // one line per publisher, for failure messages
};

DeliveryAccount reconcile(const PublishReport& sent, const DeliveryLedger& received);

}  // namespace understudy::redis
