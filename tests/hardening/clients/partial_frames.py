"""Peers that each start a large RPyC frame and never finish it: argv is
PORT COUNT ANNOUNCED SENT. It opens COUNT connections at once and on each
sends a frame header announcing ANNOUNCED bytes, then SENT of them, then
holds the connection. Per connection it prints "held PORT" once the SENT
bytes are out, or "refused PORT after N bytes: ERROR" when the engine
closed it first (PORT is this end's port, as the engine's log names it);
then "done", and it holds what it has until the test ends the process."""

import socket
import struct
import sys
import threading

HEADER = struct.Struct("!LB")  # RPyC's frame header: length, compressed
CONNECT_TIMEOUT = 5.0
PIECE = 1 << 20


def start_frame(port, announced, sent, report):
    sock = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT)
    sock.settimeout(None)  # the engine decides when a frame is refused
    local_port = sock.getsockname()[1]
    done = 0
    try:
        sock.sendall(HEADER.pack(announced, 0))
        piece = bytes(PIECE)
        while done < sent:
            count = min(PIECE, sent - done)
            sock.sendall(piece[:count])
            done += count
        report(f"held {local_port}")
    except OSError as exc:
        report(f"refused {local_port} after {done} bytes: {exc}")
    return sock


def main():
    port, count, announced, sent = (int(a) for a in sys.argv[1:5])
    lock = threading.Lock()
    held = []

    def report(line):
        with lock:
            print(line, flush=True)

    def run():
        held.append(start_frame(port, announced, sent, report))

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("done", flush=True)
    threading.Event().wait(120)  # hold them: the test ends this process


if __name__ == "__main__":
    main()
