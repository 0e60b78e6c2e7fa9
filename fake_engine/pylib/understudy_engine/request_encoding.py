"""The engine's calls to a client's root service, encoded with less work per
call than RPyC's request path, to the same bytes.

Every engine-to-client call is RPyC's CALLATTR request on the client's root
(calls.py): brine.dump((MSG_REQUEST, seq, (HANDLE_CALLATTR,
box((root, service, args, kwargs))))). Boxed and dumped by stock RPyC, that
is 23 brine calls and 5 box calls a message, about a third of the main
thread's Python for each call of an async pipeline. All but the arguments
are the same from one call to the next: RootCallEncoder keeps, per service
name, the bytes up to the arguments, and each call boxes and dumps only its
arguments (with the connection's own _box, so that objects passed by
reference are registered as RPyC registers them).

The result is an EncodedArgs: bytes that brine writes as they are, in place
of the (handler, boxed arguments) pair of the request. For any call,
brine.dump((MSG_REQUEST, seq, encoded)) is byte for byte what stock RPyC
sends (tests/rpc/test_request_encoding.py)."""

from rpyc.core import brine, consts


class EncodedArgs(bytes):
    """A request's (handler, boxed arguments), already in brine."""


def _dump_encoded(obj, stream):
    stream.append(obj)


# brine dumps by exact type: only EncodedArgs objects take this entry.
brine._dump_registry[EncodedArgs] = _dump_encoded

_NO_ARGS = (consts.LABEL_VALUE, ())
_NO_ARGS_DUMPED = brine.dump(_NO_ARGS)  # what box(()) dumps to


class RootCallEncoder:
    """One connection's encoded CALLATTR requests to its peer's root. Used
    by the threads that call the client (the main thread, and scripts'
    threads): the cache is a dict, filled without a lock, where a race only
    encodes a prefix twice."""

    # Services a connection keeps a prefix for: past this, calls are encoded
    # in full (a script that calls thousands of names gains nothing here).
    MAX_SERVICES = 256

    def __init__(self, conn):
        self._conn = conn
        self._root = None  # the root netref the prefixes name
        self._prefixes = {}  # service name -> bytes up to its arguments

    def encode(self, service, args, kwargs_items):
        """The EncodedArgs of conn.async_request(HANDLE_CALLATTR, root,
        service, args, kwargs_items), or None for a service whose name is not
        a str (stock RPyC's path then boxes it as it would)."""
        if self._conn._remote_root is not self._root:
            self._root = self._conn._remote_root
            self._prefixes = {}
        prefix = self._prefixes.get(service)
        if prefix is None:
            if type(service) is not str:
                return None
            prefix = self._prefix(service)
            if len(self._prefixes) < self.MAX_SERVICES:
                self._prefixes[service] = prefix
        box = self._conn._box
        return EncodedArgs(prefix +
                           (_NO_ARGS_DUMPED if args == () else brine.dump(box(args))) +
                           (_NO_ARGS_DUMPED if kwargs_items == () else
                            brine.dump(box(kwargs_items))))

    def _prefix(self, service):
        conn = self._conn
        # Encoded with empty arguments, then cut before them: brine writes a
        # tuple's items one after the other, so the bytes before the last
        # two items do not depend on them.
        whole = brine.dump((consts.HANDLE_CALLATTR, conn._box((self._root, service, (), ()))))
        tail = _NO_ARGS_DUMPED * 2
        assert whole.endswith(tail), "brine's tuple layout changed"
        return whole[:-len(tail)]
