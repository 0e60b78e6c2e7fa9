// RedisClient's implementation: one state machine (connect, reconnect with
// backoff, the command queue, subscriptions restored after a reconnect) over
// hiredis's async context on the client's io_context. Over 500 lines as one
// unit: every callback below reads and changes the same connection state,
// which a split would have to expose in a shared header.
#include "redis/redis_client.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "redis/asio_hiredis_adapter.h"

namespace understudy::redis {
namespace {

namespace asio = boost::asio;
using Code = Status::Code;

// hiredis carries a void* per command; we pass a sequence number rather than
// a pointer so that a reply arriving after its command timed out finds
// nothing to call instead of freed memory.
void* id_to_privdata(std::uint64_t id) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id));
}
std::uint64_t privdata_to_id(void* privdata) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata));
}

Reply convert(const redisReply& reply) {
  Reply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(convert(*reply.element[i]));
      }
      break;
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

std::string element_text(const redisReply& reply, std::size_t index) {
  if (index >= reply.elements || reply.element[index]->str == nullptr) {
    return {};
  }
  return {reply.element[index]->str, reply.element[index]->len};
}

std::string join(const std::set<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

}  // namespace

std::chrono::milliseconds ReconnectPolicy::delay_before(int attempt) const {
  double delay = static_cast<double>(initial_delay.count());
  const auto cap = static_cast<double>(max_delay.count());
  for (int i = 1; i < attempt && delay < cap; ++i) {
    delay *= multiplier;
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(std::min(delay, cap))));
}

std::string to_string(const ConnectionEvent& event) {
  using Kind = ConnectionEvent::Kind;
  const std::string attempt = std::to_string(event.attempt);
  switch (event.kind) {
    case Kind::kConnected:
      return event.attempt == 0 ? "connected" : "connected (reconnect attempt " + attempt + ")";
    case Kind::kDisconnected:
      return "disconnected: " + event.status.to_string();
    case Kind::kReconnectScheduled:
      return "reconnect attempt " + attempt + " in " + std::to_string(event.delay.count()) + " ms";
    case Kind::kReconnectFailed:
      return "reconnect attempt " + attempt + " failed: " + event.status.to_string();
    case Kind::kResubscribed:
      return event.status.is_ok() ? "resubscribed"
                                  : "resubscribe failed: " + event.status.to_string();
    case Kind::kGaveUp:
      return "gave up reconnecting after " + attempt + " attempts: " + event.status.to_string();
  }
  return "unknown event";
}

class RedisClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, ClientOptions options)
      : io_(io), options_(std::move(options)), connect_timer_(io), reconnect_timer_(io) {
    if (options_.connect_timeout.count() <= 0 || options_.command_timeout.count() <= 0) {
      throw std::invalid_argument("RedisClient: connect_timeout and command_timeout must be > 0");
    }
    endpoint_ = options_.host + ":" + std::to_string(options_.port);
  }

  ~Impl() { close(); }

  void connect(StatusCallback done) {
    if (state_ == State::kClosed) {
      return complete(std::move(done),
                      {Code::kClosed, "the client to " + endpoint_ + " is closed"});
    }
    if (state_ != State::kIdle && state_ != State::kGaveUp) {
      return complete(std::move(done), {Code::kInvalidState,
                                        "already " + describe_state() + " (" + endpoint_ + ")"});
    }
    state_ = State::kConnecting;
    start_attempt([this, done = std::move(done)](Status status) mutable {
      if (state_ == State::kClosed) {
        return complete(std::move(done),
                        {Code::kClosed, "the client was closed while connecting to " + endpoint_});
      }
      if (!status) {
        state_ = State::kIdle;
        return complete(std::move(done), std::move(status));
      }
      on_established(0);
      complete(std::move(done), Status::ok());
    });
  }

  void command(std::vector<std::string> args, ReplyCallback done) {
    if (args.empty()) {
      throw std::invalid_argument("RedisClient::command needs at least the command name");
    }
    if (const Status refused = refuse_command(args.front()); !refused) {
      return complete(std::move(done), refused);
    }
    const std::uint64_t id = next_id_++;
    auto [entry, inserted] = pending_.try_emplace(id, std::move(done), io_, args.front());
    if (!send(args, &Impl::on_reply_thunk, id_to_privdata(id))) {
      auto callback = std::move(entry->second.done);
      pending_.erase(entry);
      return complete(std::move(callback),
                      Status{Code::kDisconnected, "cannot send " + args.front() + " to " +
                                                      endpoint_ + ": " + context_error()});
    }
    entry->second.timer.expires_after(options_.command_timeout);
    entry->second.timer.async_wait(
        [weak = weak_from_this(), id](const boost::system::error_code& error) {
          if (auto self = weak.lock(); self && !error) {
            self->on_command_timeout(id);
          }
        });
  }

  void subscribe(bool patterns, std::vector<std::string> names, MessageHandler on_message,
                 StatusCallback done) {
    if (names.empty()) {
      throw std::invalid_argument("RedisClient::subscribe needs at least one channel or pattern");
    }
    if (state_ == State::kClosed) {
      return complete(std::move(done),
                      {Code::kClosed, "the client to " + endpoint_ + " is closed"});
    }
    if (state_ != State::kConnected) {
      return complete(
          std::move(done),
          {Code::kNotConnected, "cannot subscribe: " + describe_state() + " (" + endpoint_ + ")"});
    }
    auto handler = std::make_shared<MessageHandler>(std::move(on_message));
    auto& table = patterns ? patterns_ : channels_;
    for (const auto& name : names) {
      table[name] = handler;
    }
    send_subscribe(patterns, std::set<std::string>(names.begin(), names.end()),
                   [this, done = std::move(done)](Status status) mutable {
                     complete(std::move(done), std::move(status));
                   });
  }

  void set_event_handler(EventHandler handler) { event_handler_ = std::move(handler); }

  void close() {
    if (state_ == State::kClosed) {
      return;
    }
    state_ = State::kClosed;
    connect_timer_.cancel();
    reconnect_timer_.cancel();
    if (context_ != nullptr) {
      // Null first: the callbacks hiredis runs from inside the free (NULL
      // replies, onDisconnect) must see that we, not the server, ended it.
      auto* context = std::exchange(context_, nullptr);
      redisAsyncFree(context);
    }
    if (auto attempt = std::exchange(attempt_done_, nullptr)) {
      attempt({Code::kClosed, "closed"});
    }
    fail_pending({Code::kClosed, "the client to " + endpoint_ + " was closed before the reply"});
    channels_.clear();
    patterns_.clear();
    event_handler_ = nullptr;
  }

  bool connected() const { return state_ == State::kConnected; }
  const std::string& endpoint() const { return endpoint_; }
  const ClientOptions& options() const { return options_; }

 private:
  enum class State {
    kIdle,
    kConnecting,
    kConnected,
    kReconnectWait,
    kReconnecting,
    kGaveUp,
    kClosed
  };

  struct PendingCommand {
    PendingCommand(ReplyCallback callback, asio::io_context& io, std::string command_name)
        : done(std::move(callback)), timer(io), name(std::move(command_name)) {}
    ReplyCallback done;
    asio::steady_timer timer;
    std::string name;
  };

  struct PendingSubscribe {
    PendingSubscribe(bool is_pattern, std::set<std::string> awaited, StatusCallback callback,
                     asio::io_context& io)
        : patterns(is_pattern),
          unconfirmed(std::move(awaited)),
          done(std::move(callback)),
          timer(io) {}
    bool patterns;
    std::set<std::string> unconfirmed;
    StatusCallback done;  // internal: runs synchronously, posts what it must
    asio::steady_timer timer;
  };

  // --- completions and events: always posted, see the header's contract ---

  template <class Arg>
  void complete(std::function<void(Arg)> callback, std::type_identity_t<Arg> value) {
    if (callback) {
      asio::post(io_, [callback = std::move(callback), value = std::move(value)]() mutable {
        callback(std::move(value));
      });
    }
  }

  void emit(ConnectionEvent event) {
    asio::post(io_, [weak = weak_from_this(), event = std::move(event)] {
      auto self = weak.lock();
      if (!self || self->state_ == State::kClosed || !self->event_handler_) {
        return;
      }
      auto handler = self->event_handler_;  // it may replace itself
      handler(event);
    });
  }

  void deliver(const std::shared_ptr<MessageHandler>& handler, Message message) {
    asio::post(io_, [weak = weak_from_this(), handler, message = std::move(message)] {
      if (auto self = weak.lock(); self && self->state_ != State::kClosed) {
        (*handler)(message);
      }
    });
  }

  // --- connecting ---

  // One connect attempt; `done` runs exactly once, possibly before this returns.
  void start_attempt(std::function<void(Status)> done) {
    redisAsyncContext* context = redisAsyncConnect(options_.host.c_str(), options_.port);
    if (context == nullptr) {
      return done({Code::kConnectionFailed, "cannot allocate a connection to " + endpoint_});
    }
    if (context->c.err != 0) {  // e.g. refused before connect(2) even returned
      const std::string reason = context->c.errstr;
      redisAsyncFree(context);
      return done({Code::kConnectionFailed, "cannot connect to " + endpoint_ + ": " + reason});
    }
    if (Status attached = attach_to_asio(context, io_); !attached) {
      redisAsyncFree(context);
      return done(std::move(attached));
    }
    context->data = this;
    context_ = context;
    attempt_done_ = std::move(done);
    redisAsyncSetDisconnectCallback(context, &Impl::on_disconnect_thunk);
    redisAsyncSetConnectCallback(context, &Impl::on_connect_thunk);
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
      if (auto self = weak.lock(); self && !error) {
        self->on_connect_timeout();
      }
    });
  }

  static void on_connect_thunk(const redisAsyncContext* context, int status) {
    static_cast<Impl*>(context->data)->on_connect(context, status);
  }

  void on_connect(const redisAsyncContext* context, int status) {
    connect_timer_.cancel();
    auto done = std::exchange(attempt_done_, nullptr);
    if (status != REDIS_OK) {
      // hiredis frees the context as soon as we return.
      const std::string reason = context->c.errstr;
      context_ = nullptr;
      if (done) {
        done({Code::kConnectionFailed, "cannot connect to " + endpoint_ + ": " + reason});
      }
      return;
    }
    if (done) {
      done(Status::ok());
    }
  }

  void on_connect_timeout() {
    if (!attempt_done_ || context_ == nullptr) {
      return;  // the connect callback won the race
    }
    // Not connected yet, so hiredis calls neither onConnect nor onDisconnect.
    redisAsyncFree(std::exchange(context_, nullptr));
    auto done = std::exchange(attempt_done_, nullptr);
    done({Code::kTimeout, "timed out after " + std::to_string(options_.connect_timeout.count()) +
                              " ms connecting to " + endpoint_});
  }

  // REQUIRES: the attempt succeeded and the client is not closed.
  void on_established(int attempt) {
    state_ = State::kConnected;
    emit({ConnectionEvent::Kind::kConnected, Status::ok(), attempt, {}});
    resubscribe_all();
  }

  static void on_disconnect_thunk(const redisAsyncContext* context, int /*status*/) {
    static_cast<Impl*>(context->data)->on_disconnect(context);
  }

  void on_disconnect(const redisAsyncContext* context) {
    if (context != context_) {
      return;  // we freed it ourselves (close)
    }
    context_ = nullptr;
    const std::string reason = context->c.err != 0 ? context->c.errstr : "closed";
    const Status lost{Code::kDisconnected, "lost the connection to " + endpoint_ + ": " + reason};
    // hiredis has already failed the in-flight commands (NULL replies).
    fail_subscribes(lost);
    emit({ConnectionEvent::Kind::kDisconnected, lost, 0, {}});
    if (options_.reconnect.enabled) {
      schedule_reconnect(lost);
    } else {
      state_ = State::kIdle;
    }
  }

  void schedule_reconnect(const Status& why) {
    const auto& policy = options_.reconnect;
    if (policy.max_attempts > 0 && reconnect_attempt_ >= policy.max_attempts) {
      state_ = State::kGaveUp;
      emit({ConnectionEvent::Kind::kGaveUp, why, reconnect_attempt_, {}});
      reconnect_attempt_ = 0;
      return;
    }
    ++reconnect_attempt_;
    const auto delay = policy.delay_before(reconnect_attempt_);
    state_ = State::kReconnectWait;
    emit({ConnectionEvent::Kind::kReconnectScheduled, Status::ok(), reconnect_attempt_, delay});
    reconnect_timer_.expires_after(delay);
    reconnect_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
      if (auto self = weak.lock(); self && !error) {
        self->on_reconnect_timer();
      }
    });
  }

  void on_reconnect_timer() {
    if (state_ != State::kReconnectWait) {
      return;
    }
    state_ = State::kReconnecting;
    start_attempt([this](Status status) {
      if (state_ == State::kClosed) {
        return;
      }
      const int attempt = reconnect_attempt_;
      if (!status) {
        emit({ConnectionEvent::Kind::kReconnectFailed, status, attempt, {}});
        return schedule_reconnect(status);
      }
      reconnect_attempt_ = 0;
      on_established(attempt);
    });
  }

  // --- commands ---

  Status refuse_command(const std::string& name) const {
    if (state_ == State::kClosed) {
      return {Code::kClosed, "the client to " + endpoint_ + " is closed"};
    }
    if (state_ != State::kConnected) {
      return {Code::kNotConnected,
              "cannot send " + name + ": " + describe_state() + " (" + endpoint_ + ")"};
    }
    if (!channels_.empty() || !patterns_.empty()) {
      return {Code::kInvalidState, "cannot send " + name + " to " + endpoint_ +
                                       ": the connection is in subscriber mode; use another "
                                       "client for commands"};
    }
    return Status::ok();
  }

  bool send(const std::vector<std::string>& args, redisCallbackFn* callback, void* privdata) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const auto& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    return redisAsyncCommandArgv(context_, callback, privdata, static_cast<int>(args.size()),
                                 argv.data(), lengths.data()) == REDIS_OK;
  }

  static void on_reply_thunk(redisAsyncContext* context, void* reply, void* privdata) {
    static_cast<Impl*>(context->data)
        ->on_reply(context, static_cast<const redisReply*>(reply), privdata_to_id(privdata));
  }

  void on_reply(const redisAsyncContext* context, const redisReply* reply, std::uint64_t id) {
    const auto entry = pending_.find(id);
    if (entry == pending_.end()) {
      return;  // it timed out; the reply came late
    }
    auto done = std::move(entry->second.done);
    const std::string name = std::move(entry->second.name);
    pending_.erase(entry);
    if (reply == nullptr) {
      // The context is being freed: by close(), or after an I/O error.
      if (state_ == State::kClosed || context->c.err == 0) {
        return complete(std::move(done), Status{Code::kClosed, "the client to " + endpoint_ +
                                                                   " was closed before the reply "
                                                                   "to " +
                                                                   name});
      }
      return complete(std::move(done),
                      Status{Code::kDisconnected, "lost the connection to " + endpoint_ +
                                                      " before the reply to " + name + ": " +
                                                      context->c.errstr});
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      return complete(std::move(done),
                      Status{Code::kServerError, std::string(reply->str, reply->len)});
    }
    complete(std::move(done), Result<Reply>(convert(*reply)));
  }

  void on_command_timeout(std::uint64_t id) {
    const auto entry = pending_.find(id);
    if (entry == pending_.end()) {
      return;
    }
    auto done = std::move(entry->second.done);
    const std::string name = std::move(entry->second.name);
    pending_.erase(entry);
    complete(std::move(done),
             Status{Code::kTimeout,
                    "timed out after " + std::to_string(options_.command_timeout.count()) +
                        " ms waiting for the reply to " + name + " from " + endpoint_});
  }

  // --- subscriptions ---

  void send_subscribe(bool patterns, std::set<std::string> names, StatusCallback done) {
    std::vector<std::string> args{patterns ? "PSUBSCRIBE" : "SUBSCRIBE"};
    args.insert(args.end(), names.begin(), names.end());
    if (!send(args, &Impl::on_subscription_thunk, nullptr)) {
      return done({Code::kDisconnected,
                   "cannot send " + args.front() + " to " + endpoint_ + ": " + context_error()});
    }
    const std::uint64_t id = next_id_++;
    auto [entry, inserted] =
        pending_subscribes_.try_emplace(id, patterns, std::move(names), std::move(done), io_);
    entry->second.timer.expires_after(options_.command_timeout);
    entry->second.timer.async_wait(
        [weak = weak_from_this(), id](const boost::system::error_code& error) {
          if (auto self = weak.lock(); self && !error) {
            self->on_subscribe_timeout(id);
          }
        });
  }

  void resubscribe_all() {
    if (channels_.empty() && patterns_.empty()) {
      return;
    }
    // One SUBSCRIBE and one PSUBSCRIBE; kResubscribed once both are confirmed.
    auto outstanding = std::make_shared<int>(0);
    auto failure = std::make_shared<Status>();
    auto on_done = [this, outstanding, failure](Status status) {
      if (!status && failure->is_ok()) {
        *failure = std::move(status);
      }
      if (--*outstanding == 0) {
        emit({ConnectionEvent::Kind::kResubscribed, *failure, 0, {}});
      }
    };
    const auto names_of = [](const auto& table) {
      std::set<std::string> names;
      for (const auto& [name, handler] : table) {
        names.insert(name);
      }
      return names;
    };
    *outstanding = (channels_.empty() ? 0 : 1) + (patterns_.empty() ? 0 : 1);
    if (!channels_.empty()) {
      send_subscribe(false, names_of(channels_), on_done);
    }
    if (!patterns_.empty()) {
      send_subscribe(true, names_of(patterns_), on_done);
    }
  }

  static void on_subscription_thunk(redisAsyncContext* context, void* reply, void* /*privdata*/) {
    if (reply != nullptr) {  // NULL: the context is being freed; on_disconnect handles that
      static_cast<Impl*>(context->data)->on_subscription(*static_cast<const redisReply*>(reply));
    }
  }

  void on_subscription(const redisReply& reply) {
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements < 3) {
      return;
    }
    const std::string kind = element_text(reply, 0);
    if (kind == "message") {
      if (auto handler = channels_.find(element_text(reply, 1)); handler != channels_.end()) {
        deliver(handler->second, {element_text(reply, 1), {}, element_text(reply, 2)});
      }
    } else if (kind == "pmessage" && reply.elements >= 4) {
      if (auto handler = patterns_.find(element_text(reply, 1)); handler != patterns_.end()) {
        deliver(handler->second,
                {element_text(reply, 2), element_text(reply, 1), element_text(reply, 3)});
      }
    } else if (kind == "subscribe" || kind == "psubscribe") {
      confirm(kind == "psubscribe", element_text(reply, 1));
    }
  }

  void confirm(bool patterns, const std::string& name) {
    for (auto entry = pending_subscribes_.begin(); entry != pending_subscribes_.end(); ++entry) {
      auto& pending = entry->second;
      if (pending.patterns == patterns && pending.unconfirmed.erase(name) > 0) {
        if (pending.unconfirmed.empty()) {
          auto done = std::move(pending.done);
          pending_subscribes_.erase(entry);
          done(Status::ok());
        }
        return;
      }
    }
  }

  void on_subscribe_timeout(std::uint64_t id) {
    const auto entry = pending_subscribes_.find(id);
    if (entry == pending_subscribes_.end()) {
      return;
    }
    auto done = std::move(entry->second.done);
    const std::string names = join(entry->second.unconfirmed);
    const bool patterns = entry->second.patterns;
    pending_subscribes_.erase(entry);
    done({Code::kTimeout, "timed out after " + std::to_string(options_.command_timeout.count()) +
                              " ms waiting for " + endpoint_ + " to confirm " +
                              (patterns ? "PSUBSCRIBE " : "SUBSCRIBE ") + names});
  }

  void fail_subscribes(const Status& why) {
    auto failed = std::move(pending_subscribes_);
    pending_subscribes_.clear();
    for (auto& [id, pending] : failed) {
      pending.done(why);
    }
  }

  void fail_pending(const Status& why) {
    auto failed = std::move(pending_);
    pending_.clear();
    for (auto& [id, pending] : failed) {
      complete(std::move(pending.done), why);
    }
    fail_subscribes(why);
  }

  // --- descriptions for messages ---

  std::string describe_state() const {
    switch (state_) {
      case State::kIdle:
        return "not connected";
      case State::kConnecting:
        return "connecting";
      case State::kConnected:
        return "connected";
      case State::kReconnectWait:
      case State::kReconnecting:
        return "disconnected, reconnect attempt " + std::to_string(reconnect_attempt_) +
               (state_ == State::kReconnecting ? " in progress" : " scheduled");
      case State::kGaveUp:
        return "disconnected, gave up reconnecting";
      case State::kClosed:
        return "closed";
    }
    return "in an unknown state";
  }

  std::string context_error() const {
    return context_ != nullptr && context_->c.err != 0 ? context_->c.errstr
                                                       : "the connection is closing";
  }

  asio::io_context& io_;
  const ClientOptions options_;
  std::string endpoint_;
  State state_ = State::kIdle;
  redisAsyncContext* context_ = nullptr;      // owned; null when hiredis has freed it or we did
  std::function<void(Status)> attempt_done_;  // set while a connect attempt is in flight
  asio::steady_timer connect_timer_;
  asio::steady_timer reconnect_timer_;
  int reconnect_attempt_ = 0;
  EventHandler event_handler_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, PendingCommand> pending_;
  std::map<std::uint64_t, PendingSubscribe> pending_subscribes_;
  std::map<std::string, std::shared_ptr<MessageHandler>> channels_;
  std::map<std::string, std::shared_ptr<MessageHandler>> patterns_;
};

RedisClient::RedisClient(boost::asio::io_context& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

RedisClient::~RedisClient() {
  impl_->close();
}

void RedisClient::connect(StatusCallback done) {
  impl_->connect(std::move(done));
}

void RedisClient::command(std::vector<std::string> args, ReplyCallback done) {
  impl_->command(std::move(args), std::move(done));
}

void RedisClient::publish(std::string channel, std::string message, IntegerCallback done) {
  impl_->command({"PUBLISH", std::move(channel), std::move(message)},
                 [done = std::move(done)](Result<Reply> reply) {
                   if (!reply) {
                     return done(reply.status());
                   }
                   if (reply.value().type != Reply::Type::kInteger) {
                     return done(Status{Status::Code::kServerError,
                                        "PUBLISH answered with something other than an integer"});
                   }
                   done(reply.value().integer);
                 });
}

void RedisClient::subscribe(std::vector<std::string> channels, MessageHandler on_message,
                            StatusCallback done) {
  impl_->subscribe(false, std::move(channels), std::move(on_message), std::move(done));
}

void RedisClient::psubscribe(std::vector<std::string> patterns, MessageHandler on_message,
                             StatusCallback done) {
  impl_->subscribe(true, std::move(patterns), std::move(on_message), std::move(done));
}

void RedisClient::set_event_handler(EventHandler handler) {
  impl_->set_event_handler(std::move(handler));
}

void RedisClient::close() {
  impl_->close();
}

bool RedisClient::connected() const {
  return impl_->connected();
}

std::string RedisClient::endpoint() const {
  return impl_->endpoint();
}

const ClientOptions& RedisClient::options() const {
  return impl_->options();
}

}  // namespace understudy::redis
