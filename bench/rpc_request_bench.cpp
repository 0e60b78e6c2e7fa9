// What the engine pays to make a call to a client's root service, against
// stock RPyC 5.3 making the same call, in the same run:
//
// BM_RootCallRequest: the bytes of one CALLATTR request to the peer's root
// (what EngineConnection.async_root_call sends), encoded by the engine's
// RootCallEncoder (request_encoding.py) and by RPyC's _async_request and
// _send, for a call without arguments (Arg 0) and with a few by-value ones
// (Arg 1). Both paths must give the same bytes, checked before timing: a
// faster encoding of other bytes would measure nothing.
//
// BM_AsyncCallSettle: an async call's bookkeeping once its reply is in, for
// the engine an AsyncCall with its EngineFuture and one done-callback,
// settled as the main thread does (calls.py), for stock RPyC the
// AsyncResult with one callback that a plain rpyc.async_ caller has. The
// engine's call has that AsyncResult too: its ratio is above 1 by design,
// and says what the engine's future costs over RPyC's own.
//
// The reported time is the engine's for kCallsPerIteration calls; the
// counters give both paths' time per call and their ratio (engine_us /
// stock_us; below 1 is faster than stock RPyC).
#include <benchmark/benchmark.h>
#include <pybind11/eval.h>

#include <cstdint>
#include <string>

namespace py = pybind11;

namespace {

constexpr int kCallsPerIteration = 4096;

// The engine's modules without the understudy_engine package's __init__,
// which needs a running engine: the package is declared by its path, and
// the native half and unreal_engine are stand-ins holding only what these
// paths touch (unreal_engine's logging, for a done-callback that raises).
constexpr const char* kSetup = R"(
import socket, sys, threading, time, types

unreal_engine = types.ModuleType("unreal_engine")
unreal_engine.log = unreal_engine.log_warning = unreal_engine.log_error = print
sys.modules["unreal_engine"] = unreal_engine
sys.modules["_understudy_engine"] = types.ModuleType("_understudy_engine")
package = types.ModuleType("understudy_engine")
package.__path__ = [pylib + "/understudy_engine"]
sys.modules["understudy_engine"] = package

import rpyc
from rpyc.core import brine, consts
from rpyc.core.async_ import AsyncResult
from rpyc.core.stream import SocketStream
from understudy_engine.calls import AsyncCall
from understudy_engine.request_encoding import RootCallEncoder
from understudy_engine.scheduler import CoroutineScheduler, EngineFuture

CALLS = [("noop", (), ()), ("move_actor", (42, "actor", (1.0, 2.0, 3.0)), ())]

class ClientService(rpyc.Service):
    def exposed_noop(self):
        pass

    def exposed_move_actor(self, actor_id, name, location):
        pass

def connect():
    """The engine's end of a connection to a client, and the client's root
    as a netref. Fetching the root takes round trips (GETROOT, then INSPECT
    for the netref's class), so the client is served on a thread until then
    and never after: nothing is sent while timing."""
    ours, theirs = socket.socketpair()
    conn = rpyc.connect_stream(SocketStream(ours), service=rpyc.VoidService)
    client = rpyc.connect_stream(SocketStream(theirs), service=ClientService)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            client.serve(0.05)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        root = conn.root
    finally:
        stop.set()
        server.join()

    def close():
        # The engine's end says goodbye; the client's end closes as on
        # reading it, without writing to a peer that is gone (the embedded
        # interpreter leaves SIGPIPE's default, which would end the run).
        conn.close()
        client._cleanup()

    return conn, root, close

def stock_request(conn, root, seq, service, args, kwargs):
    # RPyC 5.3's async_request(HANDLE_CALLATTR, root, service, args, kwargs):
    # _async_request boxes the arguments, _send dumps the message.
    return brine.dump((consts.MSG_REQUEST, seq,
                       (consts.HANDLE_CALLATTR, conn._box((root, service, args, kwargs)))))

def engine_request(encoder, seq, service, args, kwargs):
    return brine.dump((consts.MSG_REQUEST, seq, encoder.encode(service, args, kwargs)))

def request_paths(case):
    """(engine seconds(n), stock seconds(n), close) for CALLS[case], or
    (why, None, close) when the engine's bytes are not stock RPyC's."""
    conn, root, close = connect()
    service, args, kwargs = CALLS[case]
    encoder = RootCallEncoder(conn)
    # Twice: the first call encodes the prefix, the second uses the cached one.
    for attempt in ("first", "cached"):
        ours = engine_request(encoder, 7, service, args, kwargs)
        stock = stock_request(conn, root, 7, service, args, kwargs)
        if ours != stock:
            return (f"{service}{args!r} ({attempt}): engine {ours!r} != stock {stock!r}",
                    None, close)
    next_seq = conn._get_seq_id
    dump = brine.dump
    encode = encoder.encode
    box = conn._box
    perf_counter = time.perf_counter
    MSG_REQUEST, HANDLE_CALLATTR = consts.MSG_REQUEST, consts.HANDLE_CALLATTR

    def engine_seconds(n):
        start = perf_counter()
        for _ in range(n):
            dump((MSG_REQUEST, next_seq(), encode(service, args, kwargs)))
        return perf_counter() - start

    def stock_seconds(n):
        start = perf_counter()
        for _ in range(n):
            dump((MSG_REQUEST, next_seq(), (HANDLE_CALLATTR, box((root, service, args, kwargs)))))
        return perf_counter() - start

    return engine_seconds, stock_seconds, close

def settle_paths():
    """(engine seconds(n), stock seconds(n), close), or (why, None, close)
    when either path does not hand its callback the reply. The reply's
    arrival posts to the engine's main thread (AsyncCall.reply_arrived):
    that needs a running engine, is left out here, and is what
    understudy_bench_main_thread_queue times."""
    conn, _, close = connect()
    scheduler = CoroutineScheduler()
    client, service, reply = "bench", "noop", 42
    monotonic, perf_counter = time.monotonic, time.perf_counter

    def engine_call(on_done):
        result = AsyncResult(conn)
        call = AsyncCall(EngineFuture(f"{client}.{service}", scheduler), conn, result, client,
                         service, monotonic(), None)
        call.future.add_done_callback(on_done)
        result(False, reply)  # what the reader does with the reply
        call.settle()

    def stock_call(on_reply):
        result = AsyncResult(conn)
        result.add_callback(on_reply)
        result(False, reply)

    seen = []
    engine_call(lambda future: seen.append(future.result()))
    stock_call(lambda result: seen.append(result.value))
    if seen != [reply, reply]:
        return f"callbacks saw {seen!r}, not the reply {reply!r} twice", None, close

    def on_done(future):
        future.result()

    def on_reply(result):
        result.value

    def engine_seconds(n):
        start = perf_counter()
        for _ in range(n):
            engine_call(on_done)
        return perf_counter() - start

    def stock_seconds(n):
        start = perf_counter()
        for _ in range(n):
            stock_call(on_reply)
        return perf_counter() - start

    return engine_seconds, stock_seconds, close
)";

py::dict setup_globals() {
  py::dict globals;
  globals["__builtins__"] = py::module_::import("builtins");
  globals["pylib"] = UNDERSTUDY_PYLIB_DIR;
  py::exec(kSetup, globals);
  return globals;
}

// Both paths run in every iteration, one after the other, so that they see
// the same load: on a busy machine the times move but the ratio holds.
void run_paths(benchmark::State& state, const py::tuple& paths) {
  if (paths[1].is_none()) {
    state.SkipWithError(paths[0].cast<std::string>().c_str());
    return;
  }
  const py::object engine = paths[0];
  const py::object stock = paths[1];
  double engine_total = 0;
  double stock_total = 0;
  for (auto _ : state) {
    const auto engine_seconds = engine(kCallsPerIteration).cast<double>();
    const auto stock_seconds = stock(kCallsPerIteration).cast<double>();
    engine_total += engine_seconds;
    stock_total += stock_seconds;
    state.SetIterationTime(engine_seconds);
  }
  const double calls = static_cast<double>(state.iterations()) * kCallsPerIteration;
  state.counters["engine_us"] = engine_total / calls * 1e6;
  state.counters["stock_us"] = stock_total / calls * 1e6;
  state.counters["ratio"] = engine_total / stock_total;
  state.SetItemsProcessed(static_cast<std::int64_t>(calls));
}

// A setup that raises (a module that no longer imports, a connection that
// does not come up) fails the benchmark rather than the whole run.
template <typename Setup>
void run_guarded(benchmark::State& state, Setup setup) {
  py::object close = py::none();
  try {
    const py::tuple paths = setup();
    close = paths[2];
    run_paths(state, paths);
    close();
  } catch (const py::error_already_set& e) {
    state.SkipWithError(e.what());
    if (!close.is_none()) {
      close();
    }
  }
}

void BM_RootCallRequest(benchmark::State& state) {
  state.SetLabel(state.range(0) == 0 ? "no arguments" : "int, str, 3 floats");
  run_guarded(state, [&] { return setup_globals()["request_paths"](state.range(0)); });
}
BENCHMARK(BM_RootCallRequest)->Arg(0)->Arg(1)->UseManualTime();

void BM_AsyncCallSettle(benchmark::State& state) {
  run_guarded(state, [] { return setup_globals()["settle_paths"](); });
}
BENCHMARK(BM_AsyncCallSettle)->UseManualTime();

}  // namespace
