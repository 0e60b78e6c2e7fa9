"""Peers that never send the auth token and come straight back when closed:
argv is PORT COUNT. It keeps COUNT connections to the engine open (or
opening), sends nothing on them, and replaces each one the engine closes
with a new one at once. It prints "connecting COUNT" when the first COUNT
connects are under way, then "reopened N" every second, until the test ends
the process, which closes them all. Its own descriptor limit is raised to
the hard limit so that the engine's limits, not this process's, are the
ones reached."""

import resource
import selectors
import socket
import sys
import time

REPORT_INTERVAL = 1.0


class Flood:
    def __init__(self, port, count):
        self.address = ("127.0.0.1", port)
        self.count = count
        self.selector = selectors.DefaultSelector()
        self.reopened = 0

    def open_one(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(self.address)  # EINPROGRESS; a refusal shows as readable
        self.selector.register(sock, selectors.EVENT_READ)

    def closed_by_engine(self, sock):
        try:
            return sock.recv(4096) == b""
        except BlockingIOError:
            return False
        except OSError:  # reset, refused
            return True

    def run(self):
        for _ in range(self.count):
            self.open_one()
        print(f"connecting {self.count}", flush=True)
        next_report = time.monotonic() + REPORT_INTERVAL
        while True:
            for key, _ in self.selector.select(REPORT_INTERVAL):
                if self.closed_by_engine(key.fileobj):
                    self.selector.unregister(key.fileobj)
                    key.fileobj.close()
                    self.open_one()
                    self.reopened += 1
            if time.monotonic() >= next_report:
                print(f"reopened {self.reopened}", flush=True)
                next_report += REPORT_INTERVAL


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    Flood(port, count).run()


if __name__ == "__main__":
    main()
