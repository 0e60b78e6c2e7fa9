"""NameRegistration: how a new connection's client becomes callable by name.
The server asks the client's root for client_name(), as PfU's
UnityService.on_connect does, and enters the answer in the ClientRegistry,
which engine-side scripts call clients through.

Separate from the session that serves the connection because the asking is
done two ways with different failure modes: by default without waiting (the
answer arrives whenever the client serves its connection), and with
--faithful pfu synchronously before serving, as PfU does, so that a client
that does not answer within the call timeout is closed. Each outcome is one
console line naming the peer and the connection."""

import time

import rpyc
import unreal_engine as ue

# A client that answers client_name() this many seconds or more after it
# connected gets a note saying so in its "connected" line: it was not serving
# its connection meanwhile.
LATE_ANSWER_S = 1.0


class NameRegistration:
    """Moves a ClientInfo (sessions.py) from "asking" to "named" or
    "nameless", registering a named client in `registry`. Thread-safe: the
    default path's callbacks run on whichever thread reads the reply."""

    def __init__(self, registry, settings):
        self._registry = registry
        self._settings = settings

    def ask(self, conn, info):
        """Asks the client its name without waiting for the answer: the
        question is one more request on the connection, answered whenever
        the client serves it (a plain RPyC client serves only while it waits
        for a reply of its own), and the connection's thread serves the
        client meanwhile. So registration does not depend on the client being
        busy or idle: one quiet for longer than --call-timeout after
        connecting stays connected and is registered once it answers."""

        def got_root(result):
            if result.error:
                return self._failed(info, result._obj)
            conn._remote_root = result.value
            conn.async_request(rpyc.core.consts.HANDLE_CALLATTR, result.value, "client_name",
                               (), ()).add_callback(guarded(got_name))

        def got_name(result):
            if result.error:
                return self._failed(info, result._obj)
            self._answered(conn, info, result.value)

        def guarded(callback):
            # Runs on whichever thread read the reply; an error here must
            # not end that thread's serving.
            def run(result):
                try:
                    callback(result)
                except Exception as exc:
                    self._failed(info, exc)
            return run

        conn.async_request(rpyc.core.consts.HANDLE_GETROOT).add_callback(guarded(got_root))

    def before_serving(self, conn, info):
        """--faithful pfu: as PfU's UnityService.on_connect, the connection's
        thread asks the client its name synchronously before serving it, so
        a client that does not serve its connection within the call timeout
        (RPyC's sync_request_timeout) is closed. A client without
        client_name() stays connected but cannot be called by name. True if
        the connection is to be served, False if it is to be closed."""
        try:
            name = conn.root.client_name()
        except AttributeError:
            info.nameless()
            _log_no_client_name(info)
            return True
        except rpyc.AsyncResultTimeout:
            info.nameless()
            ue.log_warning(f"closing connection from {info.peer}: it did not answer "
                           f"client_name() within the {self._settings['call_timeout']} s call "
                           "timeout (it is connected but not serving its connection; PfU's "
                           "server closes such a client too)")
            return False
        except (EOFError, OSError) as exc:
            if conn._channel.rejection is None:  # else the refusal was logged already
                ue.log_warning(f"client from {info.peer} disconnected before answering "
                               f"client_name(): {exc!r}")
            info.nameless()
            return False
        except Exception as exc:
            info.nameless()
            ue.log_warning(f"client from {info.peer} failed to register: {exc!r}; closing it")
            return False
        info.named(name, lambda: self._registry.add(info.name, conn))
        ue.log(f"client {info.name!r} connected from {info.peer} (connection {info.conn_id})")
        return True

    def _answered(self, conn, info, name):
        waited = time.monotonic() - info.asked_name_at
        if not info.named(name, lambda: self._registry.add(info.name, conn)):
            return  # it disconnected meanwhile
        late = "" if waited < LATE_ANSWER_S else \
            f"; it answered client_name() {waited:.1f} s after connecting"
        ue.log(f"client {info.name!r} connected from {info.peer} (connection {info.conn_id}{late})")

    def _failed(self, info, exc):
        if not info.nameless():
            return
        if isinstance(exc, AttributeError):
            _log_no_client_name(info)
        elif not isinstance(exc, EOFError):  # a disconnect is logged when its thread ends
            ue.log_warning(f"client from {info.peer} (connection {info.conn_id}) answered "
                           f"client_name() with an error: {exc!r}; it can call the engine but "
                           "the engine cannot call it")


def _log_no_client_name(info):
    ue.log(f"client from {info.peer} (connection {info.conn_id}) has no client_name(); "
           "it can call the engine but the engine cannot call it")
