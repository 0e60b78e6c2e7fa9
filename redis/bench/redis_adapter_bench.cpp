// PUBLISH through RedisClient (hiredis driven by Asio) against a private
// redis-server: one round trip at a time, and a pipelined window; plus
// blocking hiredis without Asio as the floor the adapter is measured against.
// Compare with redis-benchmark on the same server (7.0 has no "publish" test:
// `-t publish` runs nothing, so give it the command itself):
//   UNDERSTUDY_REDIS_PORT=<port> understudy_bench_redis_adapter
//   redis-benchmark -p <port> -c 1 -P 1 -n 200000 PUBLISH understudy.bench xxx    # RoundTrip
//   redis-benchmark -p <port> -c 1 -P 16 -n 2000000 PUBLISH understudy.bench xxx  # Pipelined/16
// Without UNDERSTUDY_REDIS_PORT it starts (and stops) its own server.
#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "redis/redis_client.h"
#include "redis/redis_server.h"

namespace {

using understudy::redis::ClientOptions;
using understudy::redis::RedisClient;
using understudy::redis::Result;
using understudy::redis::Status;

int g_port = 0;

// A 3-byte payload (redis-benchmark's default size) to a channel nobody listens on.
const std::string kChannel = "understudy.bench";
const std::string kPayload = "xxx";

void run_until(boost::asio::io_context& io, const bool& done) {
  while (!done) {
    io.run_one();
  }
}

// A connected client on `io`; skips the benchmark if it cannot connect.
std::unique_ptr<RedisClient> connect(benchmark::State& state, boost::asio::io_context& io) {
  ClientOptions options;
  options.port = g_port;
  options.reconnect.enabled = false;
  auto client = std::make_unique<RedisClient>(io, options);
  bool done = false;
  Status status;
  client->connect([&](Status s) {
    status = std::move(s);
    done = true;
  });
  run_until(io, done);
  if (!status) {
    state.SkipWithError(status.to_string().c_str());
    return nullptr;
  }
  return client;
}

void BM_PublishRoundTrip(benchmark::State& state) {
  boost::asio::io_context io;
  auto client = connect(state, io);
  if (!client) {
    return;
  }
  for (auto _ : state) {
    bool done = false;
    client->publish(kChannel, kPayload, [&](Result<long long> receivers) {
      if (!receivers) {
        state.SkipWithError(receivers.status().to_string().c_str());
      }
      done = true;
    });
    run_until(io, done);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PublishRoundTrip)->UseRealTime();

// `depth` PUBLISHes kept in flight on one connection; one iteration is one reply.
void BM_PublishPipelined(benchmark::State& state) {
  const auto depth = static_cast<int>(state.range(0));
  boost::asio::io_context io;
  auto client = connect(state, io);
  if (!client) {
    return;
  }
  int in_flight = 0;
  bool replied = false;
  std::function<void(Result<long long>)> on_reply = [&](Result<long long> receivers) {
    if (!receivers) {
      state.SkipWithError(receivers.status().to_string().c_str());
    }
    --in_flight;
    replied = true;
  };
  for (auto _ : state) {
    while (in_flight < depth) {
      ++in_flight;
      client->publish(kChannel, kPayload, on_reply);
    }
    replied = false;
    run_until(io, replied);
  }
  bool drained = false;
  while (in_flight > 0 && !drained) {
    drained = io.run_one() == 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PublishPipelined)->Arg(16)->Arg(64)->UseRealTime();

// The floor: hiredis's blocking API, no event loop, no timers, no posting.
void BM_PublishRoundTripBlockingHiredis(benchmark::State& state) {
  redisContext* context = redisConnect("127.0.0.1", g_port);
  if (context == nullptr || context->err != 0) {
    state.SkipWithError("cannot connect with blocking hiredis");
    redisFree(context);
    return;
  }
  for (auto _ : state) {
    auto* reply = static_cast<redisReply*>(
        redisCommand(context, "PUBLISH %s %s", kChannel.c_str(), kPayload.c_str()));
    if (reply == nullptr) {
      state.SkipWithError(context->errstr);
      break;
    }
    freeReplyObject(reply);
  }
  redisFree(context);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PublishRoundTripBlockingHiredis)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  // Owned by main(), so that the server is stopped before exit, not by a
  // static destructor.
  std::optional<understudy::redis::RedisServer> server;
  if (const char* port = std::getenv("UNDERSTUDY_REDIS_PORT"); port != nullptr) {
    g_port = std::atoi(port);
  } else {
    server.emplace();
    g_port = server->port();
  }
  benchmark::AddCustomContext("redis_port", std::to_string(g_port));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
