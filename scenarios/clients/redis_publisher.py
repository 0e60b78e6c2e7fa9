"""Publishes "pub=<name> seq=<n> ..." messages to the subscriber's channel and
tells the engine, through its log service, how many the server accepted and
how many reached no subscriber (PUBLISH answered 0) or failed (Redis down):
those are the messages pub/sub loses, named by sequence number."""

import argparse
import os
import time

import redis

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=100)
parser.add_argument("--rate", type=float, default=0, help="messages per second; 0: flat out")
parser.add_argument("--spawn-every", type=int, default=0, help="every Nth message spawns an actor")
parser.add_argument("--channel", default="understudy")
options = parser.parse_args()

engine = uc.connect()
name = engine.service.name
server = redis.Redis.from_url(os.environ["UNDERSTUDY_REDIS_URL"], socket_timeout=2,
                              socket_connect_timeout=2)
# Start once the engine's subscriber listens: a message before that is lost by design.
deadline = time.monotonic() + 10
while server.pubsub_numsub(options.channel)[0][1] < 1 and time.monotonic() < deadline:
    time.sleep(0.02)

delivered, unheard, failed = 0, [], []
started = time.monotonic()
for seq in range(options.count):
    text = f"pub={name} seq={seq}"
    if options.spawn_every and seq % options.spawn_every == 0:
        text += f" spawn {name}-{seq}"
    try:
        if server.publish(options.channel, text) > 0:
            delivered += 1
        else:
            unheard.append(seq)
    except redis.exceptions.ConnectionError:
        failed.append(seq)
        time.sleep(0.01)
    if options.rate:
        time.sleep(max(0.0, started + (seq + 1) / options.rate - time.monotonic()))

engine.root.log(f"publisher {name}: sent {options.count}, delivered {delivered}, "
                f"unheard {len(unheard)}, failed {len(failed)}")
print(f"{name}: delivered {delivered}; unheard {unheard}; failed {failed}", flush=True)
engine.service.server_shutdown.wait(3600)
