"""PythonRunner: C#'s UnityEditor.Scripting.Python.PythonRunner (PfU 2.x)
with its names, for engine-side scripts and scenario python steps, so that a
studio's C# test flows port line by line:

    CallServiceOnClient(client, service, *args)      synchronous; the result
    CallCoroutineServiceOnClient(client, service, *args)
        a generator: yields None while the reply is not ready (each check
        polls the connection on this thread, as C#'s does), then yields the
        value or raises the client's error (ClientDisconnectedError, where
        C#'s would poll forever, when the client leaves first). Drive it from an engine
        coroutine (understudy_engine.start_coroutine), one step per frame.
    CallAsyncServiceOnClient(client, service, *args)
        a PythonTask: the coroutine above stepped every 20 ms on a thread of
        its own, as C#'s Task.Factory.StartNew does
    IsClientConnected(name), NumClientsConnected(name=None), GetConnectedClients()
    CloseClient(name, inviteRetry=False)   on_server_shutdown; an EOFError
                                           (the client left) is expected
    WaitForConnection(name, timeout=10.0)  a generator yielding None until the
                                           client is connected or the timeout
                                           passed (no error, as in C#)
    SpawnClient(file, wantLogging=True, *arguments)   a Popen
    StartServer(), StopServer(inviteReconnect), ForceRestart(), GetSocketPath()
    GetRPyCVersion()
"""

import os
import threading
import time

import unreal_engine as ue

from .errors import ClientDisconnectedError, seconds
from .running_threads import RunningThreads

_ASYNC_POLL_SECONDS = 0.020  # C#'s AwaitOnIterator pollingInterval


def _server():
    from unity_python.server import server

    return server


# The task threads still running (join_tasks: the engine's stop waits for them).
_running_tasks = RunningThreads()


def join_tasks(timeout):
    """Waits at most `timeout` s for every task thread to end (once the
    server has closed the connections, their calls fail at the next step);
    those still running."""
    return _running_tasks.join(timeout)


class PythonTask:
    """What CallAsyncServiceOnClient returns (C#'s Task<dynamic>):
    IsCompleted, IsFaulted, Result (raises the call's error), Exception, and
    Wait(timeout) which returns whether the task completed in time."""

    def __init__(self, steps, name):
        self._steps = steps
        self._done = threading.Event()
        self._result = None
        self._exception = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        _running_tasks.add(self._thread)
        self._thread.start()

    def _run(self):
        current = None
        try:
            for current in self._steps:
                time.sleep(_ASYNC_POLL_SECONDS)
            self._result = current
        except BaseException as exc:  # noqa: B036 - the task holds whatever ended it
            self._exception = exc
        finally:
            self._done.set()
            _running_tasks.discard(threading.current_thread())

    @property
    def IsCompleted(self):
        return self._done.is_set()

    @property
    def IsFaulted(self):
        return self._done.is_set() and self._exception is not None

    @property
    def Exception(self):
        return self._exception

    @property
    def Result(self):
        if not self._done.is_set():
            raise RuntimeError("PythonTask.Result read before the task completed: check "
                               "IsCompleted (or Wait(timeout)) first; it would block the "
                               "caller without a deadline")
        if self._exception is not None:
            raise self._exception
        return self._result

    def Wait(self, timeout):
        """Seconds to wait at most; True if the task completed."""
        return self._done.wait(timeout)


class _PythonRunner:
    @staticmethod
    def CallServiceOnClient(clientName, serviceName, *args):
        return _server().call_service_on_client(clientName, -1, serviceName, list(args))

    @staticmethod
    def CallCoroutineServiceOnClient(clientName, serviceName, *args):
        result = _server().call_service_on_client_async(clientName, -1, serviceName, list(args))
        started = time.monotonic()
        while not result.ready:
            # C#'s would poll a closed connection forever: RPyC never settles
            # the result of a request whose connection closed.
            if result._conn.closed:
                raise ClientDisconnectedError(
                    f"client {clientName!r} disconnected during {serviceName!r} after "
                    f"{seconds(time.monotonic() - started)}",
                    client=clientName, service=serviceName,
                    elapsed=time.monotonic() - started)
            yield None
        yield result.value

    @classmethod
    def CallAsyncServiceOnClient(cls, clientName, serviceName, *args):
        steps = cls.CallCoroutineServiceOnClient(clientName, serviceName, *args)
        return PythonTask(steps, f"PythonRunner-async-{clientName}.{serviceName}")

    @staticmethod
    def IsClientConnected(clientName):
        return _server().num_clients_connected(clientName) != 0

    @staticmethod
    def NumClientsConnected(clientName=None):
        if clientName is None:
            return _server().get_total_connected_clients()
        return _server().num_clients_connected(clientName)

    @staticmethod
    def GetConnectedClients():
        return _server().get_connected_clients()

    @staticmethod
    def GetRPyCVersion():
        return _server().get_rpyc_version()

    @classmethod
    def CloseClient(cls, clientName, inviteRetry=False):
        try:
            cls.CallServiceOnClient(clientName, "on_server_shutdown", inviteRetry)
        except EOFError:
            pass  # the client closed before it could answer: expected

    @classmethod
    def WaitForConnection(cls, clientName, timeout=10.0):
        started = time.monotonic()
        while not cls.IsClientConnected(clientName):
            if time.monotonic() - started > timeout:
                break
            yield None

    @classmethod
    def SpawnClient(cls, file, wantLogging=True, *arguments):
        cls.StartServer()
        path = os.path.abspath(file)
        ue.log(f"[com.unity.scripting.python]: Starting {path}")
        return _server().spawn_subpython([path, *arguments], wantLogging=wantLogging)

    @staticmethod
    def StartServer():
        _server().start_server()

    @staticmethod
    def StopServer(inviteReconnect):
        _server().close_server(inviteReconnect)

    @classmethod
    def ForceRestart(cls):
        """Stops (inviting reconnects), deletes the socket file, starts again;
        errors are logged, not raised, as in C#."""
        try:
            cls.StopServer(True)
            try:
                os.remove(cls.GetSocketPath())
            except FileNotFoundError:
                pass
            cls.StartServer()
        except Exception as exc:
            ue.log_error(f"PythonRunner.ForceRestart failed: {type(exc).__name__}: {exc}")

    @staticmethod
    def GetSocketPath():
        from unity_python.server import settings

        return settings.unity_server_path


PythonRunner = _PythonRunner()
