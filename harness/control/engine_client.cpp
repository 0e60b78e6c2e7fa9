#include "harness/control/engine_client.h"

namespace understudy::harness {

using nlohmann::json;
namespace protocol = understudy::protocol;

EngineRefusal::EngineRefusal(const std::string& op, std::string type, std::string message,
                             json detail)
    : ControlError("the engine refused control op '" + op + "': " + type + ": " + message),
      type_(std::move(type)),
      message_(std::move(message)),
      detail_(std::move(detail)) {}

json EngineClient::ask(const std::string& op, json fields, Timeout timeout) {
  fields["op"] = op;
  json answer = request(std::move(fields), timeout);
  if (!answer.value("ok", false)) {
    const json error = answer.value("error", json::object());
    throw EngineRefusal(op, error.value("type", std::string("Error")),
                        error.value("message", answer.dump()), error.value("detail", json()));
  }
  return std::move(answer["result"]);
}

std::uint64_t EngineClient::ping(Timeout timeout) {
  return ask("ping", json::object(), timeout).value("frame", std::uint64_t{0});
}

protocol::Hello EngineClient::hello(Timeout timeout) {
  return ask("hello", json::object(), timeout).get<protocol::Hello>();
}

json EngineClient::startup(Timeout timeout) {
  return ask("startup", json::object(), timeout);
}

protocol::FramesSummary EngineClient::frames(Timeout timeout, std::optional<std::uint64_t> since) {
  json fields = json::object();
  if (since) {
    fields["since"] = *since;
  }
  return ask("frames", std::move(fields), timeout).get<protocol::FramesSummary>();
}

std::vector<protocol::ActorInfo> EngineClient::world(Timeout timeout) {
  return ask("world", json::object(), timeout).get<std::vector<protocol::ActorInfo>>();
}

std::map<std::string, int> EngineClient::registry(Timeout timeout) {
  return ask("registry", json::object(), timeout).get<std::map<std::string, int>>();
}

json EngineClient::python(const std::string& code, Timeout timeout) {
  return ask("python", {{"code", code}}, timeout);
}

void EngineClient::reload(Timeout timeout) {
  (void)ask("reload", json::object(), timeout);
}

void EngineClient::stop(Timeout timeout) {
  (void)ask("stop", json::object(), timeout);
}

void EngineClient::load_start(const CallLoadRequest& load, Timeout timeout) {
  json paths = json::object();
  for (const auto& p : load.paths) {
    paths[std::string(protocol::call_path_name(p.path))] =
        p.rate > 0 ? json{{"rate", p.rate}} : json{{"depth", p.depth}};
  }
  (void)ask("load_start",
            {{"clients", load.clients},
             {"service", load.service},
             {"paths", paths},
             {"timeout_s", load.timeout_s}},
            timeout);
}

json EngineClient::load_stop(Timeout timeout) {
  return ask("load_stop", json::object(), timeout);
}

std::int64_t EngineClient::send_call(const protocol::CallRequest& call) {
  json request = call;
  request["op"] = "call";
  return send(std::move(request));
}

std::int64_t EngineClient::send_python(const std::string& code) {
  return send({{"op", "python"}, {"code", code}});
}

std::int64_t EngineClient::send_reload() {
  return send({{"op", "reload"}});
}

namespace {

// A failed op's outcome: the kind its error's detail names ("error" if
// none), with the error's type and message.
protocol::CallResult failed_result(const json& response) {
  const json error = response.value("error", json::object());
  const json detail = error.value("detail", json());
  protocol::CallResult result;
  if (detail.is_object()) {
    result = detail.get<protocol::CallResult>();
  }
  if (result.ok()) {
    result.kind = protocol::CallOutcomeKind::kError;  // an error answer is never ok
  }
  result.error_type = error.value("type", result.error_type);
  result.message = error.value("message", result.message);
  return result;
}

}  // namespace

protocol::CallResult call_result(const json& response) {
  if (!response.value("ok", false)) {
    return failed_result(response);
  }
  auto result = response.value("result", json::object()).get<protocol::CallResult>();
  result.kind = protocol::CallOutcomeKind::kOk;
  return result;
}

protocol::CallResult python_result(const json& response) {
  if (!response.value("ok", false)) {
    return failed_result(response);
  }
  protocol::CallResult result;
  result.kind = protocol::CallOutcomeKind::kOk;
  result.value = response.value("result", json());
  return result;
}

}  // namespace understudy::harness
