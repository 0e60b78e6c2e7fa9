"""ClientRegistry: client names to their live connections, as Unity's
out-of-process server keeps them. Duplicate names are allowed and the newest
connection of a name is the one that gets called."""

import threading

from .errors import ClientNotFoundError


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
        with self._lock:
            conns = self._by_name.get(name)
            if conns:
                return conns[-1]
            known = sorted(self._by_name)
        raise ClientNotFoundError(
            f"no client named {name!r} is connected (connected: {', '.join(known) or 'none'})",
            client=name)

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
