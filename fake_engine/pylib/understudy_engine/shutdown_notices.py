"""The notice a stopping server gives its clients, as PfU's close_server
does: rpyc.async_(root.on_server_shutdown)(invite_retry) on every
connection, then at most NOTICE_EXPIRY seconds for the answers. The notice
is how a client tells a domain reload (invite_retry: the server is back
shortly) from the engine going away for good.

Separate from the sessions because it runs on the main thread while the
server stops, over all connections at once, and must not wait on any one
client: a busy client would hold the main thread, and the stop, until it
answered."""

import time

import rpyc
import unreal_engine as ue

# Seconds a client has to answer on_server_shutdown, as PfU's close_server
# gives it; the server waits for the answers at most this long.
NOTICE_EXPIRY = 0.5
# How often the answers are looked at meanwhile: they are read by the
# connections' own threads.
_POLL_S = 0.005


def send_shutdown_notice(conn, invite_retry):
    """rpyc.async_(root.on_server_shutdown)(invite_retry) with PfU's expiry,
    in one message (no attribute lookup first: a busy client would hold the
    main thread up until it answered). The AsyncResult, or None when the
    client cannot take the notice."""
    if conn.closed or conn._remote_root is None:
        return None
    try:
        result = conn.async_request(rpyc.core.consts.HANDLE_CALLATTR, conn._remote_root,
                                    "on_server_shutdown", (invite_retry,), ())
        result.set_expiry(NOTICE_EXPIRY)
        return result
    except Exception:
        return None  # a client that cannot take the notice is closed anyway


def await_shutdown_answers(notices):
    """As PfU's close_server: the clients get the expiry to answer (their
    connection threads read the answers); an answer that is an error other
    than the client going away is logged."""
    deadline = time.monotonic() + NOTICE_EXPIRY
    while any(not (n._is_ready or n.expired) for n in notices) and \
            time.monotonic() < deadline:
        time.sleep(_POLL_S)
    for notice in notices:
        if notice._is_ready and notice._is_exc and not isinstance(notice._obj, EOFError):
            ue.log_warning(f"a client answered on_server_shutdown with an error: "
                           f"{str(notice._obj).splitlines()[0] if str(notice._obj) else ''}"
                           f" ({type(notice._obj).__name__})")
