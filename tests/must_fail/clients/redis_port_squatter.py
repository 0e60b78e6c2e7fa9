"""Broken on purpose: waits for the scenario's redis-server to go away and
takes its port, so that the server cannot come back after a restart."""

import os
import socket
import time

host, port = os.environ["UNDERSTUDY_REDIS_URL"].rsplit("/", 1)[-1].rsplit(":", 1)
port = int(port)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except ConnectionRefusedError:
        squat = socket.socket()
        squat.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            squat.bind((host, port))
        except OSError:
            squat.close()
            continue
        squat.listen(16)
        print(f"took {host}:{port}", flush=True)
        time.sleep(max(0.0, deadline - time.monotonic()))
        break
    time.sleep(0.002)
