# The asyncio tutorial's Redis pub/sub example, today with redis.asyncio: a
# coroutine on the engine's loop subscribed to a channel. Messages
# "spawn <label>" spawn an actor; every message is filed for accounting. It
# reconnects (and resubscribes) when Redis goes away: pub/sub is at-most-once,
# so what was published meanwhile is lost, and the accounting shows where.
import asyncio
import os

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

import subscriber_accounting
import ue_asyncio
import unreal_engine as ue

URL = os.environ.get("UNDERSTUDY_REDIS_URL", "redis://127.0.0.1:6379")
CHANNEL = os.environ.get("SUBSCRIBER_CHANNEL", "understudy")

for task in asyncio.all_tasks(ue_asyncio.loop):
    task.cancel()


async def wait_for_redis():
    while True:
        client = aioredis.from_url(URL, socket_connect_timeout=2)
        subscribed = False
        try:
            pubsub = client.pubsub()
            await pubsub.subscribe(CHANNEL)
            subscribed = True
            ue.log(f"subscribed to redis channel {CHANNEL}, waiting for messages ...")
            async for message in pubsub.listen():
                if message["type"] != "message":
                    continue
                text = message["data"].decode("utf-8", errors="replace")
                subscriber_accounting.record(text)
                if " spawn " in f" {text} ":
                    label = text.split(" spawn ", 1)[1]
                    ue.get_editor_world().actor_spawn(ue.classes.Character).set_actor_label(label)
        except (RedisConnectionError, OSError) as error:
            if subscribed:
                ue.log_warning(f"redis subscriber lost its connection ({error}); reconnecting")
            else:
                ue.log_error(f"redis subscriber cannot reach {URL} ({error}); retrying")
            await asyncio.sleep(0.1 if subscribed else 0.5)
        finally:
            await client.close()


# The loop holds its tasks weakly: a task waiting on a socket only it refers
# to can be garbage-collected mid-await ("Task was destroyed but it is
# pending!"), silently ending the subscription. This script's namespace goes
# away once it has run, so the task is kept by the module that outlives it.
subscriber_accounting.subscriber_task = asyncio.ensure_future(wait_for_redis())
