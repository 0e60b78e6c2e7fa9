"""An understudy_client client that reconnects after domain reloads, for the
reload tests. Name and address come from the environment, as for every
understudy_client script. Every line it prints starts with time.monotonic()
(the clock the test reads too).

    reload_client.py [--retry-interval S] [--reconnect-timeout S] [--slow-call S]

--slow-call S: once connected and sent SIGUSR2 (so that the test starts
several clients' calls together), the main thread calls the engine's
time.sleep(S), which the engine runs on the connection's thread, so the
call is still waiting for its reply when a reload closes the connection;
it prints how the call ended."""

import argparse
import signal
import threading
import time

import understudy_client


def say(text):
    print(f"{time.monotonic():.6f} {text}", flush=True)


def slow_call(client, seconds):
    sleep = client.root.import_module("time").sleep
    say("slow call started")
    started = time.monotonic()
    try:
        sleep(seconds)
    except Exception as exc:
        say(f"slow call failed after {time.monotonic() - started:.3f} s: "
            f"{type(exc).__name__}: {exc}")
    else:
        say(f"slow call returned after {time.monotonic() - started:.3f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--retry-interval", type=float, default=0.1)
    parser.add_argument("--reconnect-timeout", type=float, default=None)
    parser.add_argument("--slow-call", type=float, default=None)
    options = parser.parse_args()
    # Blocked before any thread starts, so that every thread inherits it and
    # an early SIGUSR2 waits for sigwait() instead of ending the process.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    deadline = {} if options.reconnect_timeout is None else \
        {"reconnect_timeout": options.reconnect_timeout}
    client = understudy_client.connect(
        reconnect=True, retry_interval=options.retry_interval,
        on_connect=lambda client: say(f"connected (connection {client.connections_made})"),
        **deadline)
    if options.slow_call is not None:
        say("ready for the slow call")
        signal.sigwait({signal.SIGUSR2})
        slow_call(client, options.slow_call)
    threading.Event().wait(120)  # stay up: the test ends this process


if __name__ == "__main__":
    main()
