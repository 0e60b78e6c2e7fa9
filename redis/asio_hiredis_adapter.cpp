#include "redis/asio_hiredis_adapter.h"

#include <hiredis/async.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>

namespace understudy::redis {
namespace {

namespace asio = boost::asio;

// One per attached context. hiredis's hooks are level-style ("keep telling me
// while readable until delRead"), so each direction keeps at most one
// async_wait in flight and re-arms it after handing readiness to hiredis.
class AsioHiredisAdapter : public std::enable_shared_from_this<AsioHiredisAdapter> {
 public:
  AsioHiredisAdapter(asio::io_context& io, redisAsyncContext* context)
      : context_(context), descriptor_(io) {}

  ~AsioHiredisAdapter() {
    // Never close hiredis's fd, even if cleanup was somehow skipped.
    if (descriptor_.is_open()) {
      descriptor_.release();
    }
  }

  AsioHiredisAdapter(const AsioHiredisAdapter&) = delete;
  AsioHiredisAdapter& operator=(const AsioHiredisAdapter&) = delete;

  Status install(std::shared_ptr<AsioHiredisAdapter> self) {
    boost::system::error_code error;
    descriptor_.assign(context_->c.fd, error);
    if (error) {
      return {Status::Code::kConnectionFailed,
              "cannot register the Redis socket with the io_context: " + error.message()};
    }
    self_ = std::move(self);
    context_->ev.data = this;
    context_->ev.addRead = &AsioHiredisAdapter::add_read;
    context_->ev.delRead = &AsioHiredisAdapter::del_read;
    context_->ev.addWrite = &AsioHiredisAdapter::add_write;
    context_->ev.delWrite = &AsioHiredisAdapter::del_write;
    context_->ev.cleanup = &AsioHiredisAdapter::cleanup;
    return Status::ok();
  }

 private:
  enum Direction { kRead = 0, kWrite = 1 };

  static AsioHiredisAdapter& from(void* data) { return *static_cast<AsioHiredisAdapter*>(data); }

  static void add_read(void* data) { from(data).want(kRead, true); }
  static void del_read(void* data) { from(data).want(kRead, false); }
  static void add_write(void* data) { from(data).want(kWrite, true); }
  static void del_write(void* data) { from(data).want(kWrite, false); }

  // hiredis is about to close the socket and free the context (from inside
  // redisAsyncFree, or after an I/O error inside one of our handlers).
  static void cleanup(void* data) {
    auto& adapter = from(data);
    adapter.context_ = nullptr;
    adapter.wanted_[kRead] = adapter.wanted_[kWrite] = false;
    if (adapter.descriptor_.is_open()) {
      // Cancels the queued waits (they complete with operation_aborted and
      // find context_ null) and deregisters the fd without closing it.
      adapter.descriptor_.release();
    }
    // The queued waits hold their own references; this may destroy the adapter.
    auto keep_until_return = std::move(adapter.self_);
  }

  void want(Direction direction, bool wanted) {
    wanted_[direction] = wanted;
    // A stale wait left in flight after a del* is harmless: its completion
    // checks wanted_ again. Cancelling it instead would abort the other
    // direction's wait too (cancel() is per descriptor).
    if (wanted) {
      arm(direction);
    }
  }

  void arm(Direction direction) {
    if (armed_[direction] || context_ == nullptr) {
      return;
    }
    armed_[direction] = true;
    const auto wait = direction == kRead ? asio::posix::descriptor_base::wait_read
                                         : asio::posix::descriptor_base::wait_write;
    descriptor_.async_wait(
        wait, [self = shared_from_this(), direction](const boost::system::error_code& error) {
          self->on_ready(direction, error);
        });
  }

  void on_ready(Direction direction, const boost::system::error_code& error) {
    armed_[direction] = false;
    if (error || context_ == nullptr || !wanted_[direction]) {
      return;
    }
    // May run every callback of the context, and may free it (cleanup above).
    if (direction == kRead) {
      redisAsyncHandleRead(context_);
    } else {
      redisAsyncHandleWrite(context_);
    }
    if (context_ != nullptr && wanted_[direction]) {
      arm(direction);
    }
  }

  redisAsyncContext* context_;  // null once hiredis has run cleanup
  asio::posix::stream_descriptor descriptor_;
  std::shared_ptr<AsioHiredisAdapter> self_;  // from install() until cleanup
  bool wanted_[2] = {false, false};
  bool armed_[2] = {false, false};
};

}  // namespace

Status attach_to_asio(redisAsyncContext* context, boost::asio::io_context& io) {
  if (context == nullptr || context->c.fd < 0) {
    return {Status::Code::kInvalidState, "cannot attach a Redis context without a socket"};
  }
  if (context->ev.data != nullptr) {
    return {Status::Code::kInvalidState, "the Redis context already has an event library attached"};
  }
  auto adapter = std::make_shared<AsioHiredisAdapter>(io, context);
  return adapter->install(adapter);
}

}  // namespace understudy::redis
