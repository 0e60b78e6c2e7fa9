"""EngineConnection: an RPyC 5.x connection that never keeps its reader
blocked while a request waits for the engine's main thread.

Stock RPyC 5.x holds a connection's receive lock while it dispatches the
request it just received. If that request waits for the main thread, nobody
can receive on the connection meanwhile, not even the main thread waiting for
a reply from that very client, which quietly turns the documented client-side
fixes (`rpyc.async_`, polling an AsyncResult) back into deadlocks. RPyC 6
changed this (its pull request #531). Here a request that needs the main
thread becomes a main-thread job that sends its own reply, and the reader goes
back to receiving at once.

Faithful modes (the server's `faithful`) dispatch as the original does: the
request waits for the main thread on the reader thread. "pfu" is Python for
Unity 2.x, whose bundled RPyC 4.0.2 released the receive lock before
dispatching a request, so the main thread waiting for a reply still receives
it while the reader waits (and the documented client-side fixes work);
"rpyc5" is the same server on stock RPyC 5.x, where the reader keeps the lock
and those fixes deadlock.

A message the peer garbled (not brine, an unknown message type, a reply that
does not unbox), or one that decodes to more objects or nests deeper than
the server's `message_bounds` allow (bounded_brine.py, which counts them
while decoding), closes this connection only, logged with the peer and the
reason by the connection's BoundedChannel; stock RPyC raises it out of
whichever thread happened to be receiving, with the connection's receive lock
still held."""

import collections
import sys
import threading

import rpyc
from rpyc.core import brine, consts
from rpyc.core.async_ import AsyncResult
from rpyc.lib import Timeout

import _understudy_engine as native
import unreal_engine as ue

from . import bounded_brine
from .channel import LEAVE_TO_READER
from .inline_requests import runs_inline
from .request_encoding import RootCallEncoder

MAIN_THREAD_MARK = "_understudy_main_thread"
# The UnityEngine binding's modules (fake_engine/unity/pylib): their calls run
# on the main thread, but for those marked fast (Debug.Log*, value types).
UNITY_ENGINE_MODULES = ("UnityEngine", "UnityEditor")
FAST_CALL_MARK = "_understudy_fast_call"
ATTRIBUTE_API_HOOK = "_understudy_attribute_api"


def main_thread(api_name):
    """Marks a service method as touching engine state: it runs on the main thread."""

    def mark(fn):
        setattr(fn, MAIN_THREAD_MARK, api_name)
        return fn

    return mark


def main_thread_api(target):
    """The engine API name if calling `target` needs the main thread, else None:
    methods marked with @main_thread, and everything of the unreal_engine module
    (its functions and the methods of its objects)."""
    mark = getattr(target, MAIN_THREAD_MARK, None)
    if mark is not None:
        return mark
    func = getattr(target, "__func__", None)
    if func is not None and getattr(func, MAIN_THREAD_MARK, None) is not None:
        return getattr(func, MAIN_THREAD_MARK)
    owner = getattr(target, "__self__", None)
    module = getattr(target, "__module__", None) or getattr(type(owner), "__module__", None)
    if module == "unreal_engine":
        name = getattr(target, "__qualname__", None) or getattr(target, "__name__", "call")
        return f"unreal_engine.{name}"
    if module in UNITY_ENGINE_MODULES and not getattr(target, FAST_CALL_MARK, False):
        name = getattr(target, "__qualname__", None) or getattr(target, "__name__", "call")
        return f"{module}.{name}"
    return None


def main_thread_attribute(obj, name):
    """The engine API name if reading or writing attribute `name` of `obj`
    needs the main thread (the object's type says so: UnityEngine's objects
    and classes, whose properties read the scene), else None."""
    hook = getattr(type(obj), ATTRIBUTE_API_HOOK, None)
    return hook(obj, name) if hook is not None else None


class _GarbledMessage(Exception):
    """The peer sent a frame that is not a valid RPyC message."""


class EngineConnection(rpyc.Connection):
    """`hooks` is the server: it knows this connection's client name, the
    deadlock monitor and whether dispatch is faithful. `channel` is a
    BoundedChannel."""

    def __init__(self, root, channel, config, hooks):
        self._hooks = hooks
        # Made on the session's thread, which reads the connection: it may
        # hand it to the main thread (main_thread_reading.py).
        self._reader_ident = threading.get_ident()
        self._park = threading.Condition()
        self._main_reads = False  # the main thread reads the connection now
        # Its reader waits in park() while the main thread reads: until then it
        # still holds the receive lock, finishing the dispatch that handed the
        # connection over.
        self._reader_parked = False
        # Main-thread requests still to come before the main thread may read
        # the connection again, after it gave one of its requests back.
        self._regrant_after = 0
        # What the main thread read and leaves to the reader: the requests
        # that run off the main thread, each as a call that runs and replies.
        self._requests_from_main = collections.deque()
        # One entry per main-thread job of this connection queued and not yet
        # started: while any is, a request the main thread reads itself waits
        # behind them (the connection's requests run in the order sent). A
        # deque, whose append and pop are atomic, as the reader appends and
        # the main thread pops.
        self._queued_main_jobs = collections.deque()
        self._fileno = channel.stream.sock.fileno()
        super().__init__(root, channel, config)
        if self._bind_threads:
            raise ValueError("EngineConnection does not support RPyC's bind_threads")
        self._root_calls = RootCallEncoder(self)
        self._exposed_prefix = self._config["allow_exposed_attrs"] and \
            self._config["exposed_prefix"]

    def async_root_call(self, service, args, kwargs_items):
        """async_request(HANDLE_CALLATTR, <the peer's root>, service, args,
        kwargs_items), the same request with less work (request_encoding.py).
        The faithful modes call async_request itself."""
        encoded = self._root_calls.encode(service, args, kwargs_items)
        if encoded is None:
            return self.async_request(consts.HANDLE_CALLATTR, self._remote_root, service, args,
                                      kwargs_items)
        # Stock async_request without its boxing: the callback is registered
        # before the request leaves, and dropped if it could not be sent.
        result = AsyncResult(self)
        seq = self._get_seq_id()
        self._request_callbacks[seq] = result
        try:
            self._send(consts.MSG_REQUEST, seq, encoded)
        except Exception:
            self._request_callbacks.pop(seq, None)
            raise
        return result

    def serve(self, timeout=1, wait_for_lock=True):
        if self._main_reads or self._requests_from_main:
            if threading.get_ident() == self._reader_ident:
                self._hooks.main_reading.park(self)
                self._dispatch_requests_from_main()
                return True
            if self._main_reads and native.is_main_thread():
                self._hooks.main_reading.read(self)  # never waits on the socket
                return False
        try:
            if self._hooks.faithful == "pfu":
                return self._serve_pfu(timeout, wait_for_lock)
            return super().serve(timeout, wait_for_lock)
        except _GarbledMessage as exc:
            raise self._rejected(exc) from None

    def _rejected(self, garbled):
        """Closes the connection on a garbled message; the error to raise.
        The socket closes first: nothing the peer sent after the garbage (a
        reply another thread is waiting for) may be read. Then the receive
        lock, which serve() still holds when dispatching raises, goes back,
        so that no other thread waits on a dead connection, which closes as
        for a peer that went away."""
        rejected = self._channel.reject(str(garbled))
        self._release_recvlock()
        self.close()
        return rejected

    def _release_recvlock(self):
        self._recvlock.release()
        with self._recv_event:
            self._recv_event.notify_all()

    def _serve_pfu(self, timeout, wait_for_lock, ready=None):
        """serve() as PfU 2.x's RPyC 4.0.2 did it: the receive lock is held
        while a message is received and goes back before a request is
        dispatched, so while that request waits (for the main thread) other
        threads can receive on this connection.

        A reply is handed over before the lock goes back, and then the
        threads waiting to receive are woken: the effect of the interrupt
        socket PfU 2.1 added (RPyC issues #354, #345), which wakes a thread
        whose reply another thread received. With `ready`, a waiter that
        cannot miss its reply (see serve_until): it is checked before
        waiting and once this thread holds the lock."""
        timeout = Timeout(timeout)
        with self._recv_event:
            if ready is not None and ready():
                return True
            if not self._recvlock.acquire(False):
                if wait_for_lock:
                    return self._recv_event.wait(timeout.timeleft())
                return False
        try:
            if ready is not None and ready():
                self._release_recvlock()
                return True
            data = self._channel.poll(timeout) and self._channel.recv()
        except BaseException as exc:
            if isinstance(exc, EOFError):
                self.close()
            self._release_recvlock()
            raise
        if not data:
            self._recvlock.release()
            return False
        msg, seq, args = self._load(data)
        if msg == consts.MSG_REQUEST:
            self._release_recvlock()
            self._dispatch_request(seq, args)
            return True
        self._dispatch_loaded(msg, seq, args)
        self._release_recvlock()
        return True

    def serve_until(self, ready, timeout):
        """serve() for a thread waiting for its reply, which cannot miss it.

        Stock AsyncResult.wait() checks for its reply, then calls serve(): if
        the connection's reader dispatches the reply in between, the waiter
        goes on to poll the socket (or to wait for the reader's next notice)
        for a reply that has already come, until more data arrives or the
        timeout passes (RPyC issues #354 and #530: the "30-second lag").
        Here `ready()` is checked under the receive-event lock, which the
        reader takes to announce each message it dispatched, and again once
        this thread holds the receive lock, which the reader releases only
        after dispatching. Returns True when ready() holds or a message was
        served or announced, False when `timeout` passed without any.

        Outside --faithful the main thread does not read here at all: it
        waits for the connection's reader, which serves the connection for
        as long as it is open, to announce a message. Reading, it would wait
        for the rest of a frame the client had begun, up to the frame
        deadline and past the call's timeout; the main thread never waits on
        a socket. What it would have read goes where it goes anyway: a
        request that needs the main thread is queued as a job while it waits
        in a call (_dispatch_request), and a reply goes to its AsyncResult.

        Under faithful "pfu" the receive lock is not kept across the serve:
        a request this thread receives is dispatched without it, as there."""
        if self._hooks.faithful == "pfu":
            try:
                return self._serve_pfu(timeout, True, ready)
            except _GarbledMessage as exc:
                raise self._rejected(exc) from None
        if not self._hooks.faithful and native.is_main_thread():
            if self._main_reads:
                # Its reader is parked: this wait needs it back.
                self._hooks.main_reading.release(self)
            with self._recv_event:
                if ready():
                    return True
                if self.closed:
                    raise EOFError("connection closed")
                return self._recv_event.wait(timeout)
        with self._recv_event:
            if ready():
                return True
            if not self._recvlock.acquire(False):
                return self._recv_event.wait(timeout)
        try:
            if ready():
                return True
            return self.serve(timeout, True)
        finally:
            self._recvlock.release()
            with self._recv_event:
                self._recv_event.notify_all()

    def _read_whole_message(self):
        """(msg, seq, args) of a message wholly arrived, None if there is
        none yet, or LEAVE_TO_READER (main_thread_reading.py; the receive
        lock held). A garbled message closes the connection, as with
        serve(), and its reader sees the end."""
        data = self._channel.recv_whole()
        if data is None or data is LEAVE_TO_READER:
            return data
        try:
            return self._load(data)
        except _GarbledMessage as exc:
            self._channel.reject(str(exc))
            return LEAVE_TO_READER

    def _dispatch_reply_on_main(self, msg, seq, args):
        """The main thread dispatches a reply it read; threads waiting for
        theirs look again."""
        try:
            self._dispatch_loaded(msg, seq, args)
        except _GarbledMessage as exc:
            self._channel.reject(str(exc))
            self._hooks.main_reading.release(self)
        with self._recv_event:
            self._recv_event.notify_all()

    def _dispatch_requests_from_main(self):
        requests = self._requests_from_main
        while requests:
            requests.popleft()()

    def _take_request_on_main(self, seq, raw_args):
        """The main thread read a request while it holds the connection.
        True: it needs the main thread, and ran (or was queued behind this
        connection's jobs still queued); False: it ran, as one that runs no
        code of the object's (inline_requests.py); None: it is left to the
        reader (_requests_from_main). An undecodable request is answered
        with its error here (False)."""
        decoded = self._decode_request(seq, raw_args)
        if decoded is None:
            return False
        handler, args, main = decoded
        if main is None:
            def run():
                return self._HANDLERS[handler](self, *args)

            if runs_inline(handler, args, self._exposed_prefix):
                self._run_and_reply(seq, run)
                return False
            self._requests_from_main.append(lambda: self._run_and_reply(seq, run))
            return None
        api, call = main
        if self._queued_main_jobs:
            self._post_main_thread_request(seq, api, call)
        else:
            self._run_and_reply(seq, call)
        return True

    def _dispatch(self, data):
        # RPyC 5.3's Connection._dispatch without bind_threads, with what the
        # peer can get wrong turned into _GarbledMessage.
        self._dispatch_loaded(*self._load(data))

    def _load(self, data):
        max_objects, max_depth = self._hooks.message_bounds
        try:
            if max_objects or max_depth:
                msg, seq, args = bounded_brine.load(data, max_objects, max_depth)
            else:
                msg, seq, args = brine.load(data)
            return msg, seq, args
        except bounded_brine.MessageBoundExceeded as exc:
            raise _GarbledMessage(f"message of {len(data)} bytes {exc}") from None
        except Exception as exc:
            raise _GarbledMessage(f"undecodable message of {len(data)} bytes "
                                  f"({type(exc).__name__}: {exc})") from None

    def _dispatch_loaded(self, msg, seq, args):
        if msg == consts.MSG_REQUEST:
            self._dispatch_request(seq, args)
            return
        if msg not in (consts.MSG_REPLY, consts.MSG_EXCEPTION):
            raise _GarbledMessage(f"unknown message type {msg!r}")
        is_exc = msg == consts.MSG_EXCEPTION
        try:
            obj = self._unbox_exc(args) if is_exc else self._unbox(args)
        except Exception as exc:
            raise _GarbledMessage(f"malformed {'exception' if is_exc else 'reply'} "
                                  f"({type(exc).__name__}: {exc})") from None
        self._seq_request_callback(msg, seq, is_exc, obj)

    def _main_thread_call(self, handler, args):
        """(api, callable) when this request must run on the main thread."""
        if handler == consts.HANDLE_CALL:
            obj = args[0]
            api = main_thread_api(obj)
            if api is not None:
                call_args, call_kwargs = args[1], dict(args[2]) if len(args) > 2 else {}
                return api, lambda: obj(*call_args, **call_kwargs)
        elif handler == consts.HANDLE_CALLATTR:
            obj, name = args[0], args[1]
            try:
                target = self._handle_getattr(obj, name)
            except Exception:
                return None  # let the ordinary path report the attribute error
            api = main_thread_api(target)
            if api is not None:
                call_args, call_kwargs = args[2], dict(args[3]) if len(args) > 3 else {}
                return api, lambda: target(*call_args, **call_kwargs)
        elif handler in (consts.HANDLE_GETATTR, consts.HANDLE_SETATTR, consts.HANDLE_DELATTR):
            api = main_thread_attribute(args[0], args[1])
            if api is not None:
                return api, lambda: self._HANDLERS[handler](self, *args)
        return None

    def _decode_request(self, seq, raw_args):
        """(handler, args, main) of a request, `main` being (api, call) when
        it must run on the main thread; None once a request that does not
        decode was answered with its error."""
        try:
            handler, args = raw_args
            args = self._unbox(args)
            return handler, args, self._main_thread_call(handler, args)
        except Exception:
            self._send_exception(seq)
            return None

    def _dispatch_request(self, seq, raw_args):
        decoded = self._decode_request(seq, raw_args)
        if decoded is None:
            return None
        handler, args, main = decoded
        if main is None:
            return self._run_and_reply(seq, lambda: self._HANDLERS[handler](self, *args))
        api, call = main
        # A main thread waiting in a synchronous call under --faithful serves
        # the connection while it waits, so it may read the client's request
        # itself (by default it leaves reading to the connection's reader,
        # serve_until). It then queues the job as the connection's reader
        # would have: in the editor that reader nearly always reads first and
        # the call deadlocks, so it must deadlock here every time, not pass
        # whenever the main thread wins the read race. Under "pfu" that race
        # is open after every request, whose dispatch no longer holds the
        # receive lock, so the job is queued there too. ("rpyc5" keeps stock
        # RPyC's inline run.) A main thread serving outside a synchronous
        # call (RPyC's AsyncResult.wait in an engine script) runs the job
        # inline, as RPyC dispatches a nested request.
        on_main = native.is_main_thread()
        if on_main and not self._hooks.main_thread_sync_calls:
            return self._run_and_reply(seq, call)
        if self._hooks.faithful == "rpyc5" or (self._hooks.faithful and not on_main):
            # The original: the reader thread itself waits for the main thread,
            # and the client counts as waiting on the main thread until the
            # job finishes. Under "rpyc5" nobody can receive on this
            # connection meanwhile; under "pfu" serve() has already given the
            # receive lock back.
            wait = self._hooks.monitor.begin(self._hooks.node_of(self), "main", api)
            try:
                return self._run_and_reply(seq, lambda: native.run_on_main_thread(call, api))
            finally:
                self._hooks.monitor.end(wait)
        self._post_main_thread_request(seq, api, call)
        # The main thread reads the client's next requests itself, if it is
        # free to (main_thread_reading.py): they then cost one thread's
        # wake-up, as with a plain RPyC server, not the reader's and the main
        # thread's.
        if not on_main:
            self._hooks.main_reading.grant(self)
        return None

    def _post_main_thread_request(self, seq, api, call):
        """Queues the request as a main-thread job that sends its own reply.
        Here the client waits for the main thread only until its job starts:
        once the main thread runs the job it serves the client, and the
        reader is free to receive replies meanwhile."""
        wait = self._hooks.monitor.begin(self._hooks.node_of(self), "main", api)
        queued = self._queued_main_jobs

        def started_call():
            queued.pop()
            self._hooks.monitor.end(wait)
            return call()

        queued.append(None)
        try:
            native.post_to_main_thread(lambda: self._run_and_reply(seq, started_call), api,
                                      id(self))
        except Exception:  # the engine is stopping and takes no more jobs
            queued.pop()
            self._hooks.monitor.end(wait)
            self._send_exception(seq)

    def _run_and_reply(self, seq, call):
        try:
            result = call()
        except BaseException:  # as stock RPyC: even SystemExit goes back to the caller
            return self._send_exception(seq)
        try:
            self._send(consts.MSG_REPLY, seq, self._box(result))
        except Exception as exc:  # the client went away; its reply has nowhere to go
            # A peer the channel refused was named with the reason already.
            if not self.closed and self._channel.rejection is None:
                ue.log_warning(f"could not reply to {self._hooks.node_of(self)}: {exc!r}")

    def _send_exception(self, seq):
        t, v, tb = sys.exc_info()
        self._last_traceback = tb
        try:
            self._send(consts.MSG_EXCEPTION, seq, self._box_exc(t, v, tb))
        except Exception:
            pass  # the connection is gone
