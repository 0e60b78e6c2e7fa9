#include "harness/control/control_client.h"

#include "protocol/codec.h"

namespace understudy::harness {

namespace asio = boost::asio;
using nlohmann::json;
using stream_protocol = asio::local::stream_protocol;

ControlClient::ControlClient(const std::filesystem::path& socket_path,
                             std::chrono::milliseconds timeout,
                             std::function<std::optional<std::string>()> gone)
    : socket_(io_) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  boost::system::error_code error;
  while (true) {
    socket_.close(error);
    socket_.connect(stream_protocol::endpoint(socket_path.string()), error);
    if (!error) {
      break;
    }
    if (gone) {
      if (auto reason = gone()) {
        throw ControlError("could not connect to the engine's control socket " +
                           socket_path.string() + ": " + *reason);
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw ControlError("could not connect to the engine's control socket " +
                         socket_path.string() + " within " + std::to_string(timeout.count()) +
                         " ms: " + error.message());
    }
    // The engine creates the socket shortly after it starts; retry briefly.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader_ = std::thread([this] { read_loop(); });
}

ControlClient::~ControlClient() {
  boost::system::error_code ignored;
  socket_.shutdown(stream_protocol::socket::shutdown_both, ignored);
  if (reader_.joinable()) {
    reader_.join();
  }
  socket_.close(ignored);
}

void ControlClient::read_loop() {
  asio::streambuf buffer;
  std::string reason = "the engine closed the control channel";
  while (true) {
    boost::system::error_code error;
    asio::read_until(socket_, buffer, '\n', error);
    if (error) {
      if (error != asio::error::eof) {
        reason = "control channel read failed: " + error.message();
      }
      break;
    }
    std::istream in(&buffer);
    std::string line;
    std::getline(in, line);
    MutexLock lock(mutex_);
    take_line(line);
    changed_.notify_all();
  }
  MutexLock lock(mutex_);
  closed_ = true;
  closed_at_ = std::chrono::steady_clock::now();
  close_reason_ = reason;
  changed_.notify_all();
}

void ControlClient::take_line(std::string_view line) {
  std::string problem;
  auto message = protocol::parse_json(line, problem, protocol::kMaxResponseNestingDepth);
  if (message && message->is_object() && message->contains("event")) {
    events_.push_back(ControlEvent{message->value("event", ""), message->value("data", json()),
                                   std::chrono::steady_clock::now()});
    if (event_hook_) {
      event_hook_(events_.back());
    }
    return;
  }
  if (message && message->is_object() && message->contains("id") &&
      (*message)["id"].is_number_integer()) {
    const auto id = (*message)["id"].get<std::int64_t>();
    responses_[id] = std::move(*message);
    return;
  }
  if (message && message->is_object() && message->contains("id") && (*message)["id"].is_null()) {
    return;  // a BadRequest whose request had no usable id: none waits for it
  }
  if (problem.empty()) {
    problem = "neither an event nor an answer with an integer id";
  }
  constexpr std::size_t kShown = 200;
  ++unreadable_lines_;
  unreadable_ = "the engine sent a control line that is " + problem + ": '" +
                std::string(line.substr(0, kShown)) +
                (line.size() > kShown ? "...' (" + std::to_string(line.size()) + " bytes)" : "'");
  unreadable_up_to_id_ = next_id_ - 1;
}

std::optional<json> ControlClient::take_response(std::int64_t id) {
  const auto it = responses_.find(id);
  if (it == responses_.end()) {
    return std::nullopt;
  }
  json response = std::move(it->second);
  responses_.erase(it);
  return response;
}

std::int64_t ControlClient::send(json request) {
  std::int64_t id = 0;
  {
    MutexLock lock(mutex_);
    if (closed_) {
      throw ControlError("cannot send '" + request.value("op", std::string("?")) +
                         "': " + close_reason_);
    }
    id = next_id_++;
  }
  request["id"] = id;
  const std::string line = request.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard write_lock(write_mutex_);
  boost::system::error_code error;
  asio::write(socket_, asio::buffer(line), error);
  if (error) {
    throw ControlError("control channel write failed: " + error.message());
  }
  return id;
}

json ControlClient::await_response(std::int64_t id, std::chrono::milliseconds timeout) {
  MutexLock lock(mutex_);
  const bool arrived = lock.wait_for(changed_, timeout, [&]() REQUIRES(mutex_) {
    return responses_.contains(id) || closed_ || id <= unreadable_up_to_id_;
  });
  if (auto response = take_response(id)) {
    return *response;
  }
  if (id <= unreadable_up_to_id_) {
    throw ControlError("no answer to control request " + std::to_string(id) + ": " + unreadable_ +
                       "; it may have been the answer");
  }
  if (!arrived) {
    throw ControlTimeout("no answer to control request " + std::to_string(id) + " within " +
                         std::to_string(timeout.count()) +
                         " ms (is the engine's main thread stuck?)");
  }
  throw ControlError("no answer to control request " + std::to_string(id) + ": " + close_reason_);
}

std::optional<json> ControlClient::try_response(std::int64_t id) {
  MutexLock lock(mutex_);
  if (auto response = take_response(id)) {
    return response;
  }
  if (id <= unreadable_up_to_id_) {
    throw ControlError("no answer to control request " + std::to_string(id) + ": " + unreadable_ +
                       "; it may have been the answer");
  }
  if (closed_) {
    throw ControlError("no answer to control request " + std::to_string(id) + ": " + close_reason_);
  }
  return std::nullopt;
}

json ControlClient::request(json request, std::chrono::milliseconds timeout) {
  return await_response(send(std::move(request)), timeout);
}

std::optional<ControlEvent> ControlClient::wait_event(
    const std::function<bool(const ControlEvent&)>& match, std::chrono::milliseconds timeout,
    std::size_t from, std::size_t* index_out) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(mutex_);
  std::size_t checked = from;
  while (true) {
    for (; checked < events_.size(); ++checked) {
      if (match(events_[checked])) {
        if (index_out != nullptr) {
          *index_out = checked;
        }
        return events_[checked];
      }
    }
    if (closed_ || lock.wait_until(changed_, deadline) == std::cv_status::timeout) {
      if (checked == events_.size()) {
        return std::nullopt;
      }
    }
  }
}

void ControlClient::set_event_hook(std::function<void(const ControlEvent&)> hook) {
  MutexLock lock(mutex_);
  event_hook_ = std::move(hook);
}

std::vector<ControlEvent> ControlClient::events() const {
  MutexLock lock(mutex_);
  return events_;
}

std::size_t ControlClient::event_count() const {
  MutexLock lock(mutex_);
  return events_.size();
}

std::size_t ControlClient::unreadable_lines() const {
  MutexLock lock(mutex_);
  return unreadable_lines_;
}

std::optional<std::chrono::steady_clock::time_point> ControlClient::closed_at() const {
  MutexLock lock(mutex_);
  if (!closed_) {
    return std::nullopt;
  }
  return closed_at_;
}

bool ControlClient::connected() const {
  MutexLock lock(mutex_);
  return !closed_;
}

}  // namespace understudy::harness
