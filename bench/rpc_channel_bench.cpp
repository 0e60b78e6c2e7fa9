// What the engine's RPC channel (understudy_engine.channel.BoundedChannel)
// costs to receive a small message, against stock RPyC 5.3's Channel reading
// the same frames in the same run: each message is polled for and then
// received, as RPyC's Connection.serve() does. The messages are replies of
// an async pipeline (a `noop` returning None), already in the socket when
// timing starts, in bursts of Arg(0): 1, a reply read as it arrives, or 16,
// the replies of a pipeline 16 deep that arrived together.
//
// The reported time is the engine's per message; the counters give both
// channels' time per message and their ratio (engine_us / stock_us; below 1
// is faster than stock RPyC).
#include <benchmark/benchmark.h>
#include <pybind11/eval.h>

#include <cstdint>
#include <string>

#include "fake_engine/python/gil_held_socket_io.h"

namespace py = pybind11;

namespace {

constexpr int kMessagesPerIteration = 4096;

// The channel module without the understudy_engine package's __init__, which
// needs a running engine: the package is declared by its path, its native
// half holds only the socket I/O the channel uses, and unreal_engine only
// the logging its outbox uses.
constexpr const char* kSetup = R"(
import socket, sys, time, types

unreal_engine = types.ModuleType("unreal_engine")
unreal_engine.log = unreal_engine.log_warning = unreal_engine.log_error = print
sys.modules["unreal_engine"] = unreal_engine
sys.modules["_understudy_engine"] = native
package = types.ModuleType("understudy_engine")
package.__path__ = [pylib + "/understudy_engine"]
sys.modules["understudy_engine"] = package

from rpyc.core import brine, consts
from rpyc.core.channel import Channel
from rpyc.core.stream import SocketStream
from understudy_engine.channel import BoundedChannel

reply = brine.dump((consts.MSG_REPLY, 7, (consts.LABEL_VALUE, None)))
frame = Channel.FRAME_HEADER.pack(len(reply), 0) + reply + Channel.FLUSHER

def channels():
    """(engine channel, its writer), (stock channel, its writer)."""
    pairs = []
    for make in (lambda s: BoundedChannel(s, "bench", 1 << 20, 10.0, lambda peer, why: None),
                 Channel):
        reader, writer = socket.socketpair()
        pairs.append((make(SocketStream(reader)), writer))
    return pairs

def seconds(channel, writer, burst, messages):
    """Time to poll for and receive `messages` messages, written `burst` at a time."""
    data = frame * burst
    total = 0.0
    for _ in range(messages // burst):
        writer.sendall(data)
        start = time.perf_counter()
        for _ in range(burst):
            channel.poll(0)
            if channel.recv() != reply:
                raise AssertionError("the channel returned another message")
        total += time.perf_counter() - start
    return total
)";

void BM_ChannelReceive(benchmark::State& state) {
  const auto burst = static_cast<int>(state.range(0));
  py::module_ native = py::reinterpret_borrow<py::module_>(
      py::module_::import("types").attr("ModuleType")("_understudy_engine"));
  native.def("recv_holding_gil", &understudy::recv_holding_gil, py::arg("fd"), py::arg("count"));
  native.def("send_holding_gil", &understudy::send_holding_gil, py::arg("fd"), py::arg("data"));
  py::dict globals;
  globals["__builtins__"] = py::module_::import("builtins");
  globals["native"] = native;
  globals["pylib"] = UNDERSTUDY_PYLIB_DIR;
  py::exec(kSetup, globals);
  const py::object seconds = globals["seconds"];
  const py::tuple pairs = globals["channels"]();
  const py::tuple engine = pairs[0];
  const py::tuple stock = pairs[1];
  double engine_total = 0;
  double stock_total = 0;
  for (auto _ : state) {
    const auto engine_seconds =
        seconds(engine[0], engine[1], burst, kMessagesPerIteration).cast<double>();
    const auto stock_seconds =
        seconds(stock[0], stock[1], burst, kMessagesPerIteration).cast<double>();
    engine_total += engine_seconds;
    stock_total += stock_seconds;
    state.SetIterationTime(engine_seconds);
  }
  const double messages = static_cast<double>(state.iterations()) * kMessagesPerIteration;
  state.counters["engine_us"] = engine_total / messages * 1e6;
  state.counters["stock_us"] = stock_total / messages * 1e6;
  state.counters["ratio"] = engine_total / stock_total;
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}
BENCHMARK(BM_ChannelReceive)->Arg(1)->Arg(16)->UseManualTime();

}  // namespace
