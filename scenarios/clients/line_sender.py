"""Sends lines to the engine's TCP spawn server ($UNDERSTUDY_SCENARIO_PORT):
--lines K well-formed lines labelled <name>-<n>, then optional misbehaviour
(--long-line, --bad-utf8, --half-line, --silent) to check the server survives."""

import argparse
import os
import socket
import time

parser = argparse.ArgumentParser()
parser.add_argument("--lines", type=int, default=10)
parser.add_argument("--long-line", type=int, default=0, help="then send a line this long")
parser.add_argument("--bad-utf8", action="store_true")
parser.add_argument("--half-line", action="store_true", help="then disconnect mid-line")
parser.add_argument("--silent", action="store_true", help="connect and send nothing")
options = parser.parse_args()

name = os.environ.get("UNDERSTUDY_CLIENT_NAME", "sender")
port = int(os.environ["UNDERSTUDY_SCENARIO_PORT"])
deadline = time.monotonic() + 10
while True:
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        break
    except ConnectionRefusedError:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.05)
if options.silent:
    time.sleep(1.0)
else:
    sock.sendall(b"".join(f"{name}-{i}\n".encode() for i in range(options.lines)))
    if options.bad_utf8:
        sock.sendall(b"bad-\xff\xfe-utf8\n")
    if options.long_line:
        sock.sendall(b"x" * options.long_line + b"\n")
        sock.settimeout(5)
        print("server said:", sock.recv(200).decode(errors="replace").strip(), flush=True)
    if options.half_line:
        sock.sendall(b"never-finished")
sock.close()
print(f"{name}: done", flush=True)
