// Drives a hiredis 0.14 redisAsyncContext from a Boost.Asio io_context: the
// event hooks hiredis calls (ev.addRead/delRead/addWrite/delWrite/cleanup)
// become async_wait operations on an asio::posix::stream_descriptor over the
// context's socket, and readiness is handed back to redisAsyncHandleRead/Write.
//
// Contract:
// - Ownership: the socket belongs to hiredis (redisFree closes it). The
//   descriptor never closes it: the cleanup hook release()s it first, which
//   also takes it out of the reactor before hiredis closes the fd. The adapter
//   itself lives until hiredis calls cleanup and the last wait it had queued
//   has completed (it keeps itself alive; nothing for the caller to free).
// - Threads: every hiredis callback of the context (reply callbacks,
//   onConnect, onDisconnect) runs inside a handler of `io`, so on a thread
//   running `io`. With one such thread the context needs no locking; call the
//   redisAsync* functions only from it.
// - Lifetime: free the context (redisAsyncFree, or let hiredis free it on an
//   error) before `io` is destroyed.
// - Attach before redisAsyncSetConnectCallback: that call already asks for the
//   first write event.
#pragma once

#include <boost/asio/io_context.hpp>

#include "redis/status.h"

struct redisAsyncContext;

namespace understudy::redis {

// kInvalidState if the context already has an event library attached or has
// no socket, kConnectionFailed if the socket cannot be registered with `io`.
Status attach_to_asio(redisAsyncContext* context, boost::asio::io_context& io);

}  // namespace understudy::redis
