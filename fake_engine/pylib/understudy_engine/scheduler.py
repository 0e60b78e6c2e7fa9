"""Engine coroutines and futures, driven by the main thread once per frame.

EngineCoroutine is Unity's coroutine: a generator the engine resumes once
per frame until it returns. EngineFuture is the async variant's task: it is
completed on the main thread, its done-callbacks run there, and asyncio code
on the engine's loop can await it."""

import time
import traceback

import unreal_engine as ue

_PENDING = object()


class InvalidStateError(RuntimeError):
    pass


class _Outcome:
    """Result-or-exception with done-callbacks, shared by coroutines and futures."""

    def __init__(self, name):
        self.name = name
        self._result = _PENDING
        self._exception = None
        # Done-callbacks in the order added: the first apart, since nearly
        # every outcome has exactly one (no list is made for it).
        self._callback = None
        self._more_callbacks = None
        self._observed = False

    def done(self):
        return self._result is not _PENDING or self._exception is not None

    def result(self):
        if not self.done():
            raise InvalidStateError(f"{self.name} is not done yet")
        self._observed = True
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self):
        if not self.done():
            raise InvalidStateError(f"{self.name} is not done yet")
        self._observed = True
        return self._exception

    def add_done_callback(self, fn):
        self._observed = True
        if self._result is not _PENDING or self._exception is not None:
            fn(self)
        elif self._callback is None:
            self._callback = fn
        elif self._more_callbacks is None:
            self._more_callbacks = [fn]
        else:
            self._more_callbacks.append(fn)

    def set_result(self, value):
        self._result = value
        self._finish()

    def set_exception(self, exc):
        self._exception = exc
        self._finish()

    def _finish(self):
        first, more = self._callback, self._more_callbacks
        if first is None:
            return
        self._callback = self._more_callbacks = None
        self._run_callback(first)
        if more is not None:
            for fn in more:
                self._run_callback(fn)

    def _run_callback(self, fn):
        try:
            fn(self)
        except Exception:
            ue.log_error(f"done-callback of {self.name} raised:\n{traceback.format_exc()}")


class EngineCoroutine(_Outcome):
    def __init__(self, generator, name):
        super().__init__(name)
        self._generator = generator

    def __iter__(self):
        """`result = yield from coroutine` inside another engine coroutine."""
        while not self.done():
            yield None
        return self.result()

    def cancel(self):
        if not self.done():
            self._generator.close()
            self.set_exception(InvalidStateError(f"{self.name} was cancelled"))

    def step(self):
        try:
            next(self._generator)
        except StopIteration as stop:
            self.set_result(stop.value)
        except Exception as exc:
            self.set_exception(exc)


class EngineFuture(_Outcome):
    def __init__(self, name, scheduler):
        super().__init__(name)
        self._scheduler = scheduler

    def __await__(self):
        """Awaitable from asyncio code on the engine's loop (which runs on the
        main thread, where this future completes)."""
        import asyncio

        if not self.done():
            waiter = asyncio.get_running_loop().create_future()

            def relay(outcome):
                if waiter.cancelled():
                    return
                if outcome._exception is not None:
                    waiter.set_exception(outcome._exception)
                else:
                    waiter.set_result(outcome._result)

            self.add_done_callback(relay)
            return (yield from waiter.__await__())
        return self.result()


class CoroutineScheduler:
    """Main thread only. step() runs from the engine's frame hook."""

    def __init__(self):
        self._coroutines = []
        # Async calls in flight (calls.py's AsyncCall: future, conn, result,
        # started, expiry and settle()).
        self._watched = []

    def start(self, generator, name="coroutine"):
        coroutine = EngineCoroutine(generator, name)
        self._coroutines.append(coroutine)
        return coroutine

    def watch(self, call):
        self._watched.append(call)

    def step(self, delta_time):
        running, self._coroutines = self._coroutines, []
        for coroutine in running:
            if not coroutine.done():
                coroutine.step()
            if coroutine.done():
                self._report_unobserved(coroutine)
            else:
                self._coroutines.append(coroutine)
        now = time.monotonic()
        # Settling runs done-callbacks, which may start new calls (and watch
        # them): those wait for the next step, or a pipeline that keeps its
        # calls in flight would keep this loop, and the frame, going forever.
        watched, self._watched = self._watched, []
        for call in watched:
            future = call.future
            if not future.done():
                conn = call.conn
                expiry = call.expiry
                if conn.closed or call.result._is_ready or \
                        (expiry is not None and now - call.started >= expiry):
                    call.settle(conn_closed=conn.closed)
            if future.done():
                self._report_unobserved(future)
            else:
                self._watched.append(call)

    def cancel_all(self):
        """The server is stopping: everything pending ends now, with the error
        its connection's end gives it (nothing is dropped unanswered)."""
        for coroutine in self._coroutines:
            coroutine.step()
            coroutine.cancel()
            self._report_unobserved(coroutine)
        for call in self._watched:
            future = call.future
            call.settle(conn_closed=call.conn.closed)
            if not future.done():
                future.set_exception(InvalidStateError(f"{future.name} was cancelled"))
            self._report_unobserved(future)
        self._coroutines = []
        self._watched = []

    def pending(self):
        return len(self._coroutines) + len(self._watched)

    @staticmethod
    def _report_unobserved(outcome):
        # Fire-and-forget calls are a documented fix; their errors must still show.
        if outcome._exception is not None and not outcome._observed:
            ue.log_error(f"{outcome.name} failed and nobody is waiting for it: "
                         f"{outcome._exception}")
            outcome._observed = True
