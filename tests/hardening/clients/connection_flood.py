"""A peer that opens TCP connections to the engine as fast as it can and
holds them, sending nothing: argv is PORT COUNT. It stops at COUNT, or at
the first connection that does not complete within CONNECT_TIMEOUT (the
engine's backlog is full because it accepts no more), prints "opened N" and
holds them all until the test ends the process, which closes them at once.
Its own descriptor limit is raised to the hard limit so that the engine's
limit, not this process's, is the one reached."""

import resource
import socket
import sys
import threading

CONNECT_TIMEOUT = 3.0


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    held = []
    for _ in range(count):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT))
        except OSError as exc:
            print(f"connect failed after {len(held)}: {exc}", flush=True)
            break
    print(f"opened {len(held)}", flush=True)
    threading.Event().wait(120)  # hold them: the test ends this process


if __name__ == "__main__":
    main()
