"""The stress collector's wire format (the conductor's C++ end is
harness/stress/sample_collector.h).

Every message is a type byte, a little-endian u32 payload length, and the
payload:
  H  hello      JSON {"worker": ..., "pid": ..., "connections": ...}
  R  records    n x 24 bytes: path u8, outcome u8, connection u16, 4 bytes
                zero, due time i64 (CLOCK_MONOTONIC ns), latency i64 (ns)
  E  error      JSON {"path": ..., "connection": ..., "message": ...}
                (the first few of each kind, for the report)
  S  summary    JSON {"cpu_seconds", "wall_seconds", "send_lag_p99_ns", ...}
The conductor sends single bytes back: G (go: start the load now) and Q (quit).
"""

import json
import socket
import struct
import threading
import time

RECORD = struct.Struct("<BBHIqq")

# Path ids, shared with the conductor.
PATHS = {"execute": 0, "cheap": 1, "pipeline": 2, "sync": 3, "coroutine": 4, "async": 5}
OK, ERROR, TIMEOUT, DISCONNECTED = 0, 1, 2, 3

FLUSH_INTERVAL = 0.05  # seconds
FLUSH_RECORDS = 2048
ERRORS_KEPT_PER_KIND = 3


class CollectorLink:
    """A worker's connection to the conductor. record() may be called from
    any thread; records are batched and sent by a flusher thread, which
    sleeps until there is something to send: hundreds of idle workers
    waking 20 times a second each slowed the others' start on two cores."""

    def __init__(self, path, hello):
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.connect(path)
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._pending = bytearray()
        self._count = 0
        self._errors_sent = {}
        self._closed = False
        self._records_waiting = threading.Event()
        self._send(b"H", json.dumps(hello).encode())
        self._flusher = threading.Thread(target=self._flush_loop, name="collector-flush",
                                         daemon=True)
        self._flusher.start()

    def record(self, path, outcome, connection, due_ns, latency_ns):
        with self._lock:
            first = self._count == 0
            self._pending += RECORD.pack(path, outcome, connection, 0, due_ns, latency_ns)
            self._count += 1
            full = self._count >= FLUSH_RECORDS
        if full:
            self.flush()
        elif first:
            self._records_waiting.set()

    def error(self, path, connection, outcome, message):
        with self._lock:
            kept = self._errors_sent.get((path, outcome), 0)
            if kept >= ERRORS_KEPT_PER_KIND:
                return
            self._errors_sent[(path, outcome)] = kept + 1
        self._send(b"E", json.dumps({"path": path, "connection": connection,
                                     "outcome": outcome, "message": message}).encode())

    def flush(self):
        with self._lock:
            data, self._pending, self._count = bytes(self._pending), bytearray(), 0
        if data:
            self._send(b"R", data)

    def summary(self, values):
        self.flush()
        self._send(b"S", json.dumps(values).encode())

    def wait_byte(self, expected, timeout):
        """Waits for the conductor's G or Q; raises TimeoutError saying what
        did not come."""
        self._sock.settimeout(timeout)
        try:
            got = self._sock.recv(1)
        except socket.timeout:
            raise TimeoutError(f"the conductor did not send {expected!r} within {timeout} s")
        finally:
            self._sock.settimeout(None)
        if got != expected:
            raise ConnectionError(f"expected {expected!r} from the conductor, got {got!r}")

    def close(self):
        self._closed = True
        self._records_waiting.set()
        self.flush()
        self._sock.close()

    def _send(self, kind, payload):
        with self._send_lock:
            self._sock.sendall(kind + struct.pack("<I", len(payload)) + payload)

    def _flush_loop(self):
        while not self._closed:
            self._records_waiting.wait()
            time.sleep(FLUSH_INTERVAL)  # a batch's worth of records
            # Cleared before the flush: a record made after it sets it again.
            self._records_waiting.clear()
            try:
                self.flush()
            except OSError:
                return
