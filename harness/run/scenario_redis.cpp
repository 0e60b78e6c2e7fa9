#include "harness/run/scenario_redis.h"

#include "harness/run/run_failures.h"

namespace understudy::harness {

void ScenarioRedis::start(ScenarioRecord& record) {
  if (!scenario_.redis.enabled) {
    return;
  }
  if (settings_.redis_url) {
    url_ = *settings_.redis_url;
    return;
  }
  redis::RedisServerOptions options;
  options.work_dir = settings_.work_dir / "redis";
  options.keep_work_dir = true;
  server_ = std::make_unique<redis::RedisServer>(options);
  url_ = server_->url();
  record.timeline("process", "redis-server started", "redis", 0, "ok", {{"url", url_}});
}

redis::RedisServer& ScenarioRedis::private_server(const Step& step) {
  if (!server_) {
    throw ScenarioError("step '" + step.title + "' (" + step.where.text() +
                        ") needs the scenario's private redis-server (" +
                        (settings_.redis_url ? "--redis-url gives a shared one, which the "
                                               "harness does not stop or restart"
                                             : "add [redis] enabled = true") +
                        ")");
  }
  return *server_;
}

std::map<std::string, std::string> ScenarioRedis::env() const {
  if (url_.empty()) {
    return {};
  }
  return {{"UNDERSTUDY_REDIS_URL", url_}};
}

std::pair<std::string, int> ScenarioRedis::address(const Step& step) const {
  if (url_.empty()) {
    throw ScenarioError("step '" + step.title + "' (" + step.where.text() +
                        ") needs Redis: add [redis] enabled = true");
  }
  // redis://HOST:PORT
  const auto rest = url_.substr(url_.find("://") + 3);
  const auto colon = rest.rfind(':');
  return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

void ScenarioRedis::finish(reports::ScenarioResult& result, bool failed) {
  if (server_) {
    result.logs.push_back(
        {"redis-server", server_->log_path().string(), server_->log_tail(failed ? 30 : 5)});
    server_.reset();
  }
}

}  // namespace understudy::harness
