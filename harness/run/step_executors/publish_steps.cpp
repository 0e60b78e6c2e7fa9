#include "harness/run/step_executors/publish_steps.h"

#include "common/deadline.h"
#include "harness/run/run_failures.h"
#include "harness/timeouts.h"

namespace understudy::harness {

void PublishSteps::publish_load(const Step& step) {
  redis::PublisherOptions options;
  const auto [host, port] = run_.redis.address(step);
  options.host = host;
  options.port = port;
  options.client.host = host;
  options.client.port = port;
  options.channel = step.params.value("channel", std::string("understudy"));
  options.publishers = step.params.value("publishers", 1);
  options.count = step.params.value("count", std::uint64_t{100});
  options.rate_per_publisher = step.params.value("rate", 0.0);
  options.max_in_flight = step.params.value("in_flight", std::size_t{1});
  if (publisher_thread_.joinable()) {
    throw ScenarioError("publish_load at " + step.where.text() +
                        " starts while another background publish_load still runs");
  }
  auto run = [this, options] {
    const auto started = run_.record.now_s();
    auto report = redis::run_publishers(options);
    MutexLock lock(publish_mutex_);
    publish_report_ = std::move(report);
    publish_seconds_ = run_.record.now_s() - started;
  };
  if (step.params.value("background", false)) {
    publisher_thread_ = std::thread(run);
    return;
  }
  run();
  record_publish_metrics(step);
  MutexLock lock(publish_mutex_);
  if (publish_report_->sent() == 0) {
    run_.record.fail(step, "publishers to send messages", "sent 0: " + publish_report_->describe());
  }
}

void PublishSteps::record_publish_metrics(const Step& step) {
  MutexLock lock(publish_mutex_);
  if (!publish_report_) {
    return;
  }
  auto& metrics = run_.record.result().metrics;
  metrics["publish.sent"] = static_cast<double>(publish_report_->sent());
  metrics["publish.acknowledged"] = static_cast<double>(publish_report_->acknowledged());
  metrics["publish.errors"] = static_cast<double>(publish_report_->errors());
  metrics["publish.seconds"] = publish_seconds_;
  run_.record.timeline("load", step.title, "redis", publish_seconds_, "ok",
                       {{"sent", std::to_string(publish_report_->sent())}});
}

void PublishSteps::finish() {
  if (publisher_thread_.joinable()) {
    publisher_thread_.join();  // bounded: the publishers have their count and timeouts
  }
}

void PublishSteps::expect_delivery(const Step& step) {
  auto& record = run_.record;
  if (publisher_thread_.joinable()) {
    publisher_thread_.join();
    record_publish_metrics(step);
  }
  std::optional<redis::PublishReport> sent;
  {
    MutexLock lock(publish_mutex_);
    sent = publish_report_;
  }
  if (!sent) {
    throw ScenarioError("expect_delivery at " + step.where.text() +
                        " has no publish_load before it");
  }
  if (sent->sent() == 0) {
    record.fail(step, "publishers to send messages", "sent 0, delivered 0: " + sent->describe());
  }
  const bool exactly_once = step.params.value("exactly_once", true);
  const double timeout = step.params.value("timeout", 10.0);
  redis::DeliveryAccount account;
  // Judged below, from the last accounting.
  (void)poll_until(
      [&] {
        nlohmann::json received;
        try {
          received = run_.control().python(
              "import subscriber_accounting as a\n{k: v for k, v in a.received.items()}",
              kEngineCodeTimeout);
        } catch (const EngineRefusal& e) {
          throw ScenarioError(std::string("the engine's subscriber_accounting cannot be read: ") +
                              e.what());
        }
        redis::DeliveryLedger ledger;
        for (const auto& [publisher, seqs] : received.items()) {
          for (const auto& seq : seqs) {
            ledger.record(
                redis::format_load_message(std::stoi(publisher), seq.get<std::uint64_t>(), ""));
          }
        }
        account = redis::reconcile(*sent, ledger);
        bool settled = account.exactly_once_in_order();
        if (!exactly_once) {
          settled = true;
          for (const auto& p : account.publishers) {
            settled = settled && p.lost_in_transit == 0;
          }
        }
        return settled;
      },
      "every message accounted for", {}, seconds_as_ms(timeout), kLargeControlPollInterval);
  std::uint64_t lost_not_published = 0;
  std::uint64_t lost_no_subscriber = 0;
  std::uint64_t delivered = 0;
  for (const auto& p : account.publishers) {
    delivered += p.delivered;
  }
  // Losses by design are allowed, but not a run where nothing got through.
  if (delivered == 0) {
    record.fail(step, "the engine's subscriber to receive messages",
                "sent " + std::to_string(sent->sent()) + ", delivered 0: " + account.describe());
  }
  for (const auto& p : account.publishers) {
    lost_not_published += p.lost_not_published;
    lost_no_subscriber += p.lost_no_subscriber;
    if (p.duplicates > 0 || p.out_of_order > 0 || p.never_sent > 0 || p.lost_in_transit > 0 ||
        (exactly_once && !p.exactly_once_in_order())) {
      record.fail(step,
                  exactly_once ? "every message delivered exactly once, in order"
                               : "no message lost in transit, duplicated or reordered",
                  account.describe());
    }
  }
  record.result().metrics["delivery.lost_not_published"] = static_cast<double>(lost_not_published);
  record.result().metrics["delivery.lost_no_subscriber"] = static_cast<double>(lost_no_subscriber);
  record.pass(step,
              exactly_once ? "exactly once, in order" : "losses only where pub/sub loses by design",
              account.describe());
}

}  // namespace understudy::harness
