#include "fake_engine/load/client_call_load.h"

#include <stdexcept>

#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;
using nlohmann::json;

namespace understudy {

namespace {

std::uint64_t nanoseconds_since(Clock::time_point start) {
  const auto elapsed = Clock::now() - start;
  return elapsed.count() < 0
             ? 0
             : static_cast<std::uint64_t>(
                   std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
}

std::string exception_type(const py::handle& exception) {
  return py::str(py::type::handle_of(exception).attr("__name__"));
}

}  // namespace

CallLoadPlan CallLoadPlan::from_json(const json& value) {
  CallLoadPlan plan;
  try {
    plan.clients = value.at("clients").get<std::vector<std::string>>();
    plan.service = value.value("service", plan.service);
    plan.timeout_seconds = value.value("timeout_s", plan.timeout_seconds);
    for (const auto& [name, settings] : value.at("paths").items()) {
      CallLoadPath path;
      const auto known = protocol::call_path_from_name(name);
      if (!known) {
        throw std::invalid_argument("unknown call path '" + name + "' (" +
                                    protocol::call_path_choices() + ")");
      }
      path.path = *known;
      path.rate_per_second = settings.value("rate", 0.0);
      path.depth = settings.value("depth", 1);
      if (path.rate_per_second < 0 || path.depth < 1) {
        throw std::invalid_argument("path '" + name + "' needs rate >= 0 and depth >= 1");
      }
      plan.paths.push_back(path);
    }
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("bad load plan: ") + e.what());
  }
  if (plan.clients.empty()) {
    throw std::invalid_argument("bad load plan: no clients to call");
  }
  if (plan.timeout_seconds <= 0) {
    throw std::invalid_argument("bad load plan: timeout_s must be positive");
  }
  return plan;
}

struct ClientCallLoad::PathState {
  CallLoadPath settings;
  measure::LatencyHistogram latency;  // from the call's due time
  measure::LatencyHistogram service;  // from when it was sent
  std::uint64_t issued = 0;
  std::uint64_t completed = 0;
  std::map<std::string, std::uint64_t> outcomes;  // "ok" or the exception's type name
  std::vector<int> in_flight;                     // per client
  Clock::time_point next_due{};                   // open loop
  std::size_t next_client = 0;                    // open loop: round robin

  std::uint64_t total_in_flight() const {
    std::uint64_t n = 0;
    for (const int i : in_flight) {
      n += static_cast<std::uint64_t>(i);
    }
    return n;
  }
};

// One load from start() to stop(). Completion callbacks held by Python keep
// it alive after stop(); `active` tells them not to record or re-issue.
struct ClientCallLoad::Run {
  CallLoadPlan plan;
  std::vector<PathState> paths;
  bool active = true;
  bool started = false;
  Clock::time_point start_time{};
  py::object call_sync;
  py::object call_coroutine;
  py::object call_async;
};

ClientCallLoad::~ClientCallLoad() {
  if (run_) {
    py::gil_scoped_acquire gil;
    run_.reset();
  }
}

void ClientCallLoad::start(CallLoadPlan plan) {
  py::gil_scoped_acquire gil;
  auto run = std::make_shared<Run>();
  try {
    auto engine = py::module_::import("understudy_engine");
    run->call_sync = engine.attr("call_service_on_client");
    run->call_coroutine = engine.attr("call_coroutine_service_on_client");
    run->call_async = engine.attr("call_async_service_on_client");
  } catch (py::error_already_set& e) {
    throw std::runtime_error("the RPC server is not running: " + format_python_error(e));
  }
  for (const auto& settings : plan.paths) {
    PathState state;
    state.settings = settings;
    state.in_flight.assign(plan.clients.size(), 0);
    run->paths.push_back(std::move(state));
  }
  run->plan = std::move(plan);
  if (run_) {
    run_->active = false;
  }
  run_ = std::move(run);
  running_ = true;
}

json ClientCallLoad::stop() {
  py::gil_scoped_acquire gil;
  json result = json::object();
  if (!run_) {
    return result;
  }
  run_->active = false;
  const double seconds =
      run_->started ? std::chrono::duration<double>(Clock::now() - run_->start_time).count() : 0.0;
  for (const auto& path : run_->paths) {
    result[std::string(call_path_name(path.settings.path))] = {
        {"mode", path.settings.rate_per_second > 0 ? "open" : "closed"},
        {"rate", path.settings.rate_per_second},
        {"depth", path.settings.depth},
        {"issued", path.issued},
        {"completed", path.completed},
        {"in_flight", path.total_in_flight()},
        {"outcomes", path.outcomes},
        {"elapsed_s", seconds},
        {"latency", path.latency.to_json()},
        {"service", path.service.to_json()}};
  }
  run_.reset();
  running_ = false;
  return result;
}

void ClientCallLoad::on_frame() {
  if (!running_.load()) {
    return;
  }
  py::gil_scoped_acquire gil;
  const auto run = run_;  // a sync call below may run a job that stops this load
  const auto now = Clock::now();
  if (!run->started) {
    run->started = true;
    run->start_time = now;
    for (auto& path : run->paths) {
      path.next_due = now;
    }
  }
  const auto clients = run->plan.clients.size();
  for (auto& path : run->paths) {
    if (!run->active) {
      return;
    }
    if (path.settings.rate_per_second > 0) {
      // Open loop: every call due by the start of this frame, each timed from
      // its own due time.
      const auto period = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(1.0 / path.settings.rate_per_second));
      while (path.next_due <= now && run->active) {
        const auto due = path.next_due;
        path.next_due += period;
        issue(path, run, path.next_client++ % clients, due);
      }
    } else if (path.settings.path == CallPath::kSync) {
      for (std::size_t c = 0; c < clients && run->active; ++c) {
        issue(path, run, c, Clock::now());
      }
    } else {
      // Closed loop: completions re-issue at once; this tops up after errors
      // that ended a call before it was sent.
      for (std::size_t c = 0; c < clients && run->active; ++c) {
        while (path.in_flight[c] < path.settings.depth && run->active) {
          if (!issue(path, run, c, Clock::now())) {
            break;  // it failed before it was sent: try again next frame
          }
        }
      }
    }
  }
}

bool ClientCallLoad::issue(PathState& path, const std::shared_ptr<Run>& run, std::size_t client,
                           Clock::time_point intended) {
  const auto& name = run->plan.clients[client];
  const auto& service = run->plan.service;
  ++path.issued;
  ++path.in_flight[client];
  const auto sent = Clock::now();
  auto finish = [&path, run, client, intended, sent](const std::string& outcome) {
    if (!run->active) {
      return;
    }
    path.latency.record(nanoseconds_since(intended));
    path.service.record(nanoseconds_since(sent));
    ++path.completed;
    --path.in_flight[client];
    ++path.outcomes[outcome];
  };
  if (path.settings.path == CallPath::kSync) {
    try {
      run->call_sync(name, service, py::arg("timeout") = run->plan.timeout_seconds);
      finish("ok");
    } catch (py::error_already_set& e) {
      finish(exception_type(e.value()));
    }
    return true;
  }
  const bool closed_loop = path.settings.rate_per_second <= 0;
  auto on_done = py::cpp_function([this, &path, run, client, finish, closed_loop](py::object done) {
    py::object exception = done.attr("exception")();
    finish(exception.is_none() ? std::string("ok") : exception_type(exception));
    if (closed_loop && run->active) {
      issue(path, run, client, Clock::now());
    }
  });
  try {
    const auto& call =
        path.settings.path == CallPath::kAsync ? run->call_async : run->call_coroutine;
    py::object outcome = call(name, service, py::arg("timeout") = run->plan.timeout_seconds);
    outcome.attr("add_done_callback")(on_done);
    return true;
  } catch (py::error_already_set& e) {
    finish(exception_type(e.value()));
    return false;
  }
}

}  // namespace understudy
