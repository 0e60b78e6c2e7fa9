// PublishSteps: publish_load (hiredis publishers send numbered messages to
// the scenario's Redis, in the foreground or on a thread of their own) and
// expect_delivery (what they sent reconciled with what the engine's
// subscriber received).
//
// Contract:
// - Each step returns when it passed and throws StepFailure when it failed,
//   ScenarioError when it cannot run (no Redis, no publish_load before an
//   expect_delivery, two background loads at once).
// - finish() waits for a background load still running (bounded: the
//   publishers have their count and timeouts); the destructor does too.
// - Scenario thread, but for the background load's own thread.
#pragma once

#include <optional>
#include <thread>

#include "common/mutex.h"
#include "harness/run/step_executors/step_context.h"
#include "redis/publisher_load.h"

namespace understudy::harness {

class PublishSteps {
 public:
  explicit PublishSteps(StepContext& run) : run_(run) {}
  ~PublishSteps() { finish(); }
  PublishSteps(const PublishSteps&) = delete;
  PublishSteps& operator=(const PublishSteps&) = delete;

  // publish_load {publishers, count, rate, channel, in_flight, background}:
  // "pub=<i> seq=<n>" messages; with background = true the step returns at
  // once and expect_delivery waits for the publishers.
  void publish_load(const Step& step);
  // expect_delivery {timeout, exactly_once}: every message is delivered or
  // lost for a named reason. With exactly_once (default) all must be
  // delivered once, in order; otherwise losses are allowed only where
  // pub/sub loses by design (not published, nobody subscribed), never in
  // transit, and never duplicated or reordered.
  void expect_delivery(const Step& step);

  void finish();

 private:
  void record_publish_metrics(const Step& step);

  StepContext& run_;
  std::thread publisher_thread_;  // a background publish_load
  Mutex publish_mutex_;
  std::optional<redis::PublishReport> publish_report_ GUARDED_BY(publish_mutex_);
  double publish_seconds_ GUARDED_BY(publish_mutex_) = 0;
};

}  // namespace understudy::harness
