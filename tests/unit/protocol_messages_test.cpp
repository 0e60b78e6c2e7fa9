// The control channel's typed messages (protocol/messages): each comes back
// from its JSON as it went, with the field names protocol/README.md lists.
#include <boost/test/unit_test.hpp>

#include "protocol/messages.h"

using namespace understudy::protocol;
using nlohmann::json;

BOOST_AUTO_TEST_CASE(call_paths_and_outcomes_have_one_name_each) {
  for (const auto path : kCallPaths) {
    BOOST_TEST((call_path_from_name(call_path_name(path)) == path));
  }
  BOOST_TEST(!call_path_from_name("later").has_value());
  for (const auto kind : kCallOutcomeKinds) {
    BOOST_TEST((call_outcome_from_name(call_outcome_name(kind)) == kind));
  }
  BOOST_TEST((call_outcome_from_name("something new") == CallOutcomeKind::kError));
  BOOST_CHECK_THROW(json("later").get<CallPath>(), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_call_request_carries_its_timeout_in_seconds_as_timeout_s) {
  CallRequest request{"worker", "noop", json::array({1, "two"}), CallPath::kCoroutine, 2.5};
  const json wire = request;
  BOOST_TEST(wire["timeout_s"].get<double>() == 2.5);
  BOOST_TEST(wire["path"] == "coroutine");
  const auto back = wire.get<CallRequest>();
  BOOST_TEST(back.client == "worker");
  BOOST_TEST(back.args == request.args);
  BOOST_TEST((back.path == CallPath::kCoroutine));
  BOOST_TEST(back.timeout_s.value_or(0) == 2.5);
  BOOST_TEST(!json(CallRequest{}).contains("timeout_s"));
}

BOOST_AUTO_TEST_CASE(a_call_result_keeps_its_value_or_its_error) {
  CallResult ok{CallPath::kAsync, "c", "s", CallOutcomeKind::kOk, 0.25, 3, 5, {{"x", 1}}, "", ""};
  const auto ok_back = json(ok).get<CallResult>();
  BOOST_TEST(ok_back.ok());
  BOOST_TEST(ok_back.value == ok.value);
  BOOST_TEST(ok_back.finished_frame == 5U);
  CallResult failed{CallPath::kSync,      "c",        "s", CallOutcomeKind::kTimeout, 1.0, 3, 9, {},
                    "ServiceCallTimeout", "no answer"};
  const json wire = failed;
  BOOST_TEST(wire["kind"] == "timeout");
  BOOST_TEST(wire["type"] == "ServiceCallTimeout");
  BOOST_TEST(!wire.contains("value"));
  BOOST_TEST(json(failed).get<CallResult>().message == "no answer");
  BOOST_TEST(!call_event_data(failed).contains("message"));
}

BOOST_AUTO_TEST_CASE(frames_actors_console_and_deadlocks_round_trip) {
  FramesSummary frames;
  frames.frames = 120;
  frames.work_p99_ms = 1.5;
  frames.current_frame = 130;
  const auto frames_back = json(frames).get<FramesSummary>();
  BOOST_TEST(frames_back.frames == 120U);
  BOOST_TEST(frames_back.work_p99_ms == 1.5);
  BOOST_TEST(frames_back.current_frame == 130U);

  const json actor = ActorInfo{7, "AActor", "hero", "Hero", 2};
  BOOST_TEST(actor["class"] == "AActor");
  BOOST_TEST(actor.get<ActorInfo>().label == "Hero");

  const json record = ConsoleEvent{4, "warning", 10, "main", 0.5, "careful"};
  BOOST_TEST(record.get<ConsoleEvent>().text == "careful");

  DeadlockEvent deadlock;
  deadlock.certain = true;
  deadlock.edges.push_back({1, "main", "client:a#1", "ping", "main", 3, 0.75});
  deadlock.client_pids["client:a#1"] = 4242;
  const auto deadlock_back = json(deadlock).get<DeadlockEvent>();
  BOOST_TEST(deadlock_back.certain);
  BOOST_TEST(deadlock_back.edges.at(0).target == "client:a#1");
  BOOST_TEST(deadlock_back.client_pids.at("client:a#1") == 4242);
}

BOOST_AUTO_TEST_CASE(a_hello_says_the_protocol_version_and_may_have_no_rpc_address) {
  const json with = Hello{kProtocolVersion, 123, "tcp://127.0.0.1:5000"};
  BOOST_TEST(with["rpc_address"] == "tcp://127.0.0.1:5000");
  BOOST_TEST(with.get<Hello>().pid == 123);
  const json without = Hello{kProtocolVersion, 123, std::nullopt};
  BOOST_TEST(without["rpc_address"].is_null());
  BOOST_TEST(!without.get<Hello>().rpc_address.has_value());
  BOOST_TEST(json::object().get<Hello>().protocol_version == kProtocolVersion);
}

BOOST_AUTO_TEST_CASE(an_engine_exit_counts_the_errors_and_names_the_first) {
  const json wire = EngineExit{120, 3, 1, "tool.py:7: ValueError: boom"};
  BOOST_TEST(wire["engine_errors"] == 3);
  BOOST_TEST(wire["script_errors"] == 1);
  const auto back = wire.get<EngineExit>();
  BOOST_TEST(back.frames == 120U);
  BOOST_TEST(back.first_error == "tool.py:7: ValueError: boom");
}
