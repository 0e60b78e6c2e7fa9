"""A token holder that connects and disconnects again and again: argv is
CYCLES WORKERS. Each cycle opens a connection as understudy_client does (the
token from $UNDERSTUDY_AUTH_TOKEN_FILE first, then RPyC), asks the engine for
its root object, which only an admitted connection is answered, and closes
it; WORKERS threads run the cycles side by side. A cycle that fails (the
engine closed the connection, or did not answer within CYCLE_TIMEOUT) is
counted, the first failure kept. Prints "cycles N" every PROGRESS cycles,
then one line "done {JSON}": cycles, admitted, failed, the first failure
and the seconds a cycle took (p50, p99, max)."""

import itertools
import json
import os
import sys
import threading
import time

from understudy_client import open_connection

CYCLE_TIMEOUT = 10.0  # seconds the engine has to answer an admitted connection
PROGRESS = 1000


def one_cycle(address):
    conn = open_connection(address, config={"sync_request_timeout": CYCLE_TIMEOUT})
    try:
        conn.root  # the request only an admitted connection gets answered
    finally:
        conn.close()


class Cycles:
    def __init__(self, address, count):
        self.address = address
        self.count = count
        self.numbers = itertools.count(1)
        self.took = []
        self.failures = []
        self.lock = threading.Lock()

    def run_worker(self):
        while (number := next(self.numbers)) <= self.count:
            started = time.monotonic()
            try:
                one_cycle(self.address)
                outcome = None
            except Exception as exc:  # counted and reported: the test judges them
                outcome = f"cycle {number}: {type(exc).__name__}: {exc}"
            with self.lock:
                if outcome is None:
                    self.took.append(time.monotonic() - started)
                else:
                    self.failures.append(outcome)
                if (len(self.took) + len(self.failures)) % PROGRESS == 0:
                    print(f"cycles {len(self.took) + len(self.failures)}", flush=True)

    def summary(self):
        took = sorted(self.took)

        def percentile(fraction):
            return round(took[min(len(took) - 1, int(fraction * len(took)))], 4) if took else None

        return {"cycles": self.count, "admitted": len(took), "failed": len(self.failures),
                "first_failure": min(self.failures, default=None,
                                     key=lambda f: int(f.split()[1].rstrip(":"))),
                "p50_s": percentile(0.5), "p99_s": percentile(0.99),
                "max_s": round(took[-1], 4) if took else None}


def main():
    count, workers = int(sys.argv[1]), int(sys.argv[2])
    cycles = Cycles(os.environ["UNDERSTUDY_RPC"], count)
    started = time.monotonic()
    threads = [threading.Thread(target=cycles.run_worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = cycles.summary()
    summary["workers"] = workers
    summary["seconds"] = round(time.monotonic() - started, 2)
    print("done " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
