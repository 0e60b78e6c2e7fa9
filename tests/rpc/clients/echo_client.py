"""A client with trivial services, for the registration, disconnect, kill and
reload tests. Name and address come from UNDERSTUDY_CLIENT_NAME and
UNDERSTUDY_RPC. Every line it prints starts with time.monotonic().

    echo_client.py [--reconnect]   reconnect after a domain reload
"""

import argparse
import os
import time

import understudy_client


def say(text):
    print(f"{time.monotonic():.6f} {text}", flush=True)


class EchoService(understudy_client.ClientService):
    def exposed_echo(self, value):
        return value

    def exposed_pid(self):
        return os.getpid()

    def exposed_work(self, seconds):
        say(f"work started ({seconds} s)")
        time.sleep(seconds)
        say("work finished")
        return seconds

    def exposed_on_server_shutdown(self, invite_retry):
        say(f"on_server_shutdown invite_retry={invite_retry}")
        super().exposed_on_server_shutdown(invite_retry)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reconnect", action="store_true")
    options = parser.parse_args()
    understudy_client.connect(
        service=EchoService(), reconnect=options.reconnect, retry_interval=0.2,
        on_connect=lambda client: say(f"connected (connection {client.connections_made})"))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
