# Broken on purpose (after redis_subscriber.py): every tenth message the
# subscriber receives is filed twice.
import itertools

import subscriber_accounting

_record = subscriber_accounting.record
_received = itertools.count(1)


def _file_some_twice(text):
    _record(text)
    if next(_received) % 10 == 0:
        _record(text)


subscriber_accounting.record = _file_some_twice
