# Broken on purpose (after redis_subscriber.py): every tenth message the
# subscriber receives is held back and filed after the next one.
import itertools

import subscriber_accounting

_record = subscriber_accounting.record
_received = itertools.count(1)
_held = []


def _swap_some(text):
    if next(_received) % 10 == 0 and not _held:
        _held.append(text)
        return
    _record(text)
    while _held:
        _record(_held.pop())


subscriber_accounting.record = _swap_some
