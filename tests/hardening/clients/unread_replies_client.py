"""A plain RPyC client that asks the engine for large replies and never
reads them: it labels an actor with LABEL_BYTES (argv[1]) random letters
and waits for SIGUSR2 (so that a test measures the flood alone, not this
process starting), then sends COUNT (argv[2])
rpyc.async_(actor.get_actor_label)() calls, each run on the engine's main
thread, and neither reads nor closes its connection. Its socket's receive
buffer is fixed at RECEIVE_BUFFER bytes (loopback buffers otherwise grow to
tens of MiB and take the replies in). Random letters keep RPyC's
compression from shrinking the replies. The address comes from
UNDERSTUDY_RPC (TCP)."""

import os
import random
import signal
import socket
import string
import sys
import threading
import time

import rpyc

RECEIVE_BUFFER = 64 * 1024


def main():
    label_bytes, count = int(sys.argv[1]), int(sys.argv[2])
    host, port = os.environ["UNDERSTUDY_RPC"].removeprefix("tcp://").rsplit(":", 1)
    conn = rpyc.connect(host, int(port))
    ue = conn.root.import_module("unreal_engine")
    actor = ue.get_editor_world().actor_spawn(ue.classes.Actor)
    actor.set_actor_label("".join(random.choices(string.ascii_letters, k=label_bytes)))
    # Fixed once the label is set, which reads a reply; from here on this
    # client reads nothing.
    conn._channel.stream.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    get_label = rpyc.async_(actor.get_actor_label)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    print(f"{time.monotonic():.6f} labelled, waiting for SIGUSR2", flush=True)
    signal.sigwait({signal.SIGUSR2})
    pending = [get_label() for _ in range(count)]
    print(f"{time.monotonic():.6f} sent {len(pending)} calls, reading none of the replies",
          flush=True)
    threading.Event().wait(120)  # stay up, never reading: the test ends this process


if __name__ == "__main__":
    main()
