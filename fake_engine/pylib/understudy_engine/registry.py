"""ClientRegistry: client names to their live connections, as Unity's
out-of-process server keeps them. Duplicate names are allowed and the newest
connection of a name is the one that gets called."""

import threading

from .errors import ClientIndexError, ClientNotFoundError


class ClientRegistry:
    def __init__(self):
        self._lock = threading.Lock()
        self._by_name = {}  # name -> [connection, ...], oldest first

    def add(self, name, conn):
        with self._lock:
            self._by_name.setdefault(name, []).append(conn)

    def remove(self, name, conn):
        with self._lock:
            conns = self._by_name.get(name, [])
            if conn in conns:
                conns.remove(conn)
            if not conns:
                self._by_name.pop(name, None)

    def newest(self, name):
        return self.connection(name, -1)

    def connection(self, name, index=-1):
        """The connection of `name` at `index` in connection order (0 the
        oldest, -1 the newest), with PfU's errors: KeyError when no client
        has that name, IndexError when it has fewer connections."""
        with self._lock:
            conns = self._by_name.get(name)
            if conns and -len(conns) <= index < len(conns):
                return conns[index]
            count = len(conns or ())
            known = sorted(self._by_name)
        if count:
            raise ClientIndexError(f"Getting client {name!r} [{index}] but only {count} are "
                                   "connected", client=name)
        raise ClientNotFoundError(
            f"No client {name!r} is connected (connected: {', '.join(known) or 'none'})",
            client=name)

    def connections_of(self, name):
        """The live connections of `name`, oldest first (a copy)."""
        with self._lock:
            return list(self._by_name.get(name, ()))

    def names(self):
        """{name: number of live connections}"""
        with self._lock:
            return {name: len(conns) for name, conns in self._by_name.items()}

    def connections(self):
        with self._lock:
            return [c for conns in self._by_name.values() for c in conns]

    def clear(self):
        with self._lock:
            self._by_name.clear()
