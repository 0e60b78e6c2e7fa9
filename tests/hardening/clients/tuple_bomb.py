"""Peers that each send one small compressed RPyC frame that inflates to a
request holding about a million 1-tuples (2 MiB of brine from 2 KB on the
wire): argv is PORT COUNT. It opens COUNT connections, sends the frame on
each at once, and prints "closed PORT after S s" when the engine closes that
connection (PORT is this end's port, as the engine's log names it) or "open
PORT after S s" if it is still open after WAIT seconds; then "done", and it
waits until the test ends the process.

With a third argument GO_FILE it builds the frame, prints "frame of N bytes"
and sends only once GO_FILE exists: building it takes about a second of this
process's CPU, which would otherwise fall inside the attack the test times."""

import socket
import struct
import sys
import threading
import time
import zlib
from pathlib import Path

from rpyc.core import brine, consts

HEADER = struct.Struct("!LB")  # RPyC's frame header: length, compressed
WAIT = 8.0
TUPLES = (2 << 20) // 2  # each 1-tuple of a small int is two bytes of brine


def bomb():
    # The same 1-tuple a million times: cheap here, a million objects there.
    request = (consts.MSG_REQUEST, 1, (consts.HANDLE_CALL, ((0,),) * TUPLES))
    return zlib.compress(brine.dump(request), 9)


def send_and_wait(port, frame, report):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    local_port = sock.getsockname()[1]
    started = time.monotonic()
    sock.sendall(HEADER.pack(len(frame), 1) + frame + b"\n")
    sock.settimeout(0.05)
    while time.monotonic() - started < WAIT:
        try:
            if not sock.recv(65536):
                break
        except socket.timeout:
            continue
        except OSError:
            break
    else:
        report(f"open {local_port} after {time.monotonic() - started:.4f} s")
        return sock
    report(f"closed {local_port} after {time.monotonic() - started:.4f} s")
    return sock


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    go_file = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    frame = bomb()
    print(f"frame of {len(frame)} bytes", flush=True)
    deadline = time.monotonic() + WAIT
    while go_file is not None and not go_file.exists():
        if time.monotonic() > deadline:
            sys.exit(f"tuple_bomb: {go_file} did not appear within {WAIT} s")
        time.sleep(0.01)
    lock = threading.Lock()
    sockets = []

    def report(line):
        with lock:
            print(line, flush=True)

    threads = [threading.Thread(target=lambda: sockets.append(send_and_wait(port, frame, report)))
               for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("done", flush=True)
    threading.Event().wait(120)  # the test ends this process


if __name__ == "__main__":
    main()
