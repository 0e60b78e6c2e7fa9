"""Brine (RPyC's serializer of immutable values) decoded with a bound on how
many objects one message makes and how deeply they nest, checked while
decoding.

Stock `brine.load` recurses once per nested value and builds whatever the
bytes describe before anyone can look at it: a 7 KB zlib frame inflating to
2 MiB of 1-tuples became about 95 MiB of Python objects after 10 s of
decoding, and the collector's passes over them stalled every other thread
for seconds. `load` here walks the bytes with an explicit stack and stops at
the first object over `max_objects`, or the first tuple opened more than
`max_depth` levels deep, so the worst message it accepts is a few
milliseconds of work and the worst one it refuses costs no more.

For any bytes `brine.dump` writes, `load` returns what `brine.load` returns.
Bytes that are not brine raise MalformedBrine, including those stock brine
would quietly accept short (a string cut off by the end of the message);
values brine cannot make either (digits that are not an integer, a
frozenset of slices, UTF-8 that is not) raise what brine raises. Bytes
after the first complete value are ignored, as stock brine does.

The format: one tag byte per value. 0x20-0xEF are the integers -0x30 to
0x9F; the other tags are singletons, fixed-size values (float, complex),
byte strings and integers (as decimal digits) with their length inline or in
a 1- or 4-byte prefix, tuples (the length in the tag for up to 4 items, else
a prefix) followed by their items, and three tags that wrap the value after
them: a str (UTF-8 bytes follow), a slice (a 3-tuple follows) and a frozenset
(a tuple follows)."""

import struct
import sys


class MalformedBrine(ValueError):
    """The bytes are not a brine value."""


class MessageBoundExceeded(ValueError):
    """The message makes more objects, or nests deeper, than allowed; the
    text says which limit, for a log line."""


_LENGTH_4 = struct.Struct("!L")
_FLOAT = struct.Struct("!d")
_COMPLEX = struct.Struct("!dd")

_EMPTY_TUPLE = 0x02
_SINGLETONS = {0x00: None, 0x01: b"", _EMPTY_TUPLE: (), 0x03: True, 0x04: False,
               0x05: NotImplemented, 0x06: Ellipsis}
_UNICODE = 0x08
_BYTES_FIXED = {0x0A: 1, 0x0B: 2, 0x0C: 3, 0x0D: 4}  # tag -> length
_BYTES_L1, _BYTES_L4 = 0x0E, 0x0F
_TUPLE_FIXED = {0x10: 1, 0x11: 2, 0x12: 3, 0x13: 4}  # tag -> items
_TUPLE_L1, _TUPLE_L4 = 0x14, 0x15
_INT_L1, _INT_L4 = 0x16, 0x17
_FLOAT_TAG, _SLICE, _FROZENSET, _COMPLEX_TAG = 0x18, 0x19, 0x1A, 0x1B
_SMALL_INT_FIRST, _SMALL_INT_LAST, _SMALL_INT_BIAS = 0x20, 0xEF, 0x50

# Values a single tag stands for: the singletons and the small integers.
_NOT_IMMEDIATE = object()
_IMMEDIATE = [_NOT_IMMEDIATE] * 256
for _tag, _value in _SINGLETONS.items():
    _IMMEDIATE[_tag] = _value
for _tag in range(_SMALL_INT_FIRST, _SMALL_INT_LAST + 1):
    _IMMEDIATE[_tag] = _tag - _SMALL_INT_BIAS
_TUPLE_TAGS = frozenset([*_TUPLE_FIXED, _TUPLE_L1, _TUPLE_L4])
_OPENING_TAGS = _TUPLE_TAGS | {_SLICE, _FROZENSET}
# Items of the tuples whose tag says how many (the most common); 0 for others.
_FIXED_TUPLE = [0] * 256
for _tag, _count in _TUPLE_FIXED.items():
    _FIXED_TUPLE[_tag] = _count
# Read by _scalar (the loop reads the others itself).
_SCALAR_TAGS = frozenset([*_BYTES_FIXED, _BYTES_L1, _BYTES_L4, _COMPLEX_TAG])
# Turning decimal digits into an int takes time growing with their square
# (600 us for the 4300 Python allows): an integer of n digits counts as
# n * n // INT_DIGITS_SQUARED_PER_OBJECT objects more, about what as many
# small objects cost, so that a message of big integers is bounded as well.
INT_DIGITS_SQUARED_PER_OBJECT = 10_000
del _tag, _value, _count


def _make_slice(items):
    start, stop, step = items
    return slice(start, stop, step)


_WRAPPED = {_SLICE: _make_slice, _FROZENSET: frozenset}


class _TooShort(Exception):
    """The message ended inside a value (turned into MalformedBrine)."""


def _need(data, pos, count):
    end = pos + count
    if end > len(data):
        raise _TooShort
    return end


def _length(data, pos, tag, long_tag):
    """The length prefix at `pos` (1 byte, 4 for `long_tag`); (length, pos after it)."""
    if tag == long_tag:
        end = _need(data, pos, 4)
        return _LENGTH_4.unpack_from(data, pos)[0], end
    return data[pos], pos + 1


def _bytes(data, pos, tag):
    """The byte string whose tag is before `pos`: (value, pos after it)."""
    if tag == 0x01:
        return b"", pos
    length = _BYTES_FIXED.get(tag)
    if length is None:
        if tag != _BYTES_L1 and tag != _BYTES_L4:
            raise MalformedBrine(f"tag {tag:#04x} at offset {pos - 1} is not a byte string")
        length, pos = _length(data, pos, tag, _BYTES_L4)
    end = _need(data, pos, length)
    return data[pos:end], end


def _scalar(data, pos, tag):
    """A byte string or a complex number: (value, pos after it)."""
    if tag == _COMPLEX_TAG:
        end = _need(data, pos, 16)
        real, imag = _COMPLEX.unpack_from(data, pos)
        return complex(real, imag), end
    return _bytes(data, pos, tag)


def _opening(data, pos, tag):
    """What the tuple or wrapper tag before `pos` opens: (items wanted,
    finish: None for a tuple, pos after its header)."""
    finish = None
    if tag == _SLICE or tag == _FROZENSET:
        finish = _WRAPPED[tag]
        inner = data[pos] if pos < len(data) else None
        if inner != _EMPTY_TUPLE and inner not in _TUPLE_TAGS:
            # Stock brine takes any value with three items (or any iterable,
            # for a frozenset) here; brine.dump writes a tuple, but a byte
            # string or a str decodes the same.
            return 1, (lambda items, make=finish: make(items[0])), pos
        # The tuple of its items: one value, one level, with the wrapper.
        tag = inner
        pos += 1
        if tag == _EMPTY_TUPLE:
            return 0, finish, pos
    if tag in _TUPLE_FIXED:
        return _TUPLE_FIXED[tag], finish, pos
    wanted, pos = _length(data, pos, tag, _TUPLE_L4)
    return wanted, finish, pos


def _too_many_objects(max_objects):
    return MessageBoundExceeded(f"decodes to more than {max_objects} objects, the "
                                "--max-message-objects limit")


def load(data, max_objects=0, max_depth=0):
    """The value brine-encoded at the start of `data` (bytes). At most
    `max_objects` objects are decoded (every value counts: each item of a
    tuple, the tuple itself; a big integer counts more, see
    INT_DIGITS_SQUARED_PER_OBJECT) and tuples nest at most `max_depth` deep (a
    frozenset or slice and the tuple of its items are one level); 0 lifts
    either bound. MessageBoundExceeded at the first value over a bound,
    MalformedBrine for bytes that are not brine."""
    immediate = _IMMEDIATE
    fixed_tuple = _FIXED_TUPLE
    objects_left = max_objects or sys.maxsize  # counts down
    depth_budget = max_depth or sys.maxsize
    size = len(data)
    pos = 0
    # The innermost value still open: its items so far (None at the top),
    # how many more it wants, what makes it (None: a tuple); the values it
    # is inside wait in `outer`.
    items, wanted, finish = None, 0, None
    outer = []
    try:
        while True:
            tag = data[pos]  # IndexError past the end
            pos += 1
            objects_left -= 1
            if objects_left < 0:
                raise _too_many_objects(max_objects)
            value = immediate[tag]
            if value is _NOT_IMMEDIATE:
                if tag == _UNICODE:
                    # Stock brine decodes whatever value follows as UTF-8:
                    # only a byte string can be. Most are short: inline.
                    if data[pos] == _BYTES_L1:
                        end = pos + 2 + data[pos + 1]
                        if end > size:
                            raise _TooShort
                        value = data[pos + 2:end].decode("utf-8")
                        pos = end
                    else:
                        value, pos = _bytes(data, pos + 1, data[pos])
                        value = value.decode("utf-8")
                elif tag == _FLOAT_TAG:
                    value = _FLOAT.unpack_from(data, pos)[0]  # struct.error if short
                    pos += 8
                elif tag == _INT_L1 or tag == _INT_L4:
                    digits, pos = _length(data, pos, tag, _INT_L4)
                    objects_left -= digits * digits // INT_DIGITS_SQUARED_PER_OBJECT
                    if objects_left < 0:
                        raise _too_many_objects(max_objects)
                    end = _need(data, pos, digits)
                    value = int(data[pos:end])
                    pos = end
                elif tag in _SCALAR_TAGS:
                    value, pos = _scalar(data, pos, tag)
                elif tag in _OPENING_TAGS:
                    count = fixed_tuple[tag]
                    if count:
                        make = None
                    else:
                        count, make, pos = _opening(data, pos, tag)
                    if count:
                        if len(outer) >= depth_budget:
                            raise MessageBoundExceeded(f"nests tuples more than {max_depth} "
                                                       "deep, the --max-message-depth limit")
                        outer.append((items, wanted, finish))
                        items, wanted, finish = [], count, make
                        continue
                    value = () if make is None else make(())
                else:
                    raise MalformedBrine(f"no brine value has tag {tag:#04x} (offset {pos - 1})")
            # `value` is complete: the next item of the innermost open value,
            # which may complete in turn.
            while items is not None:
                items.append(value)
                wanted -= 1
                if wanted:
                    break
                value = tuple(items) if finish is None else finish(items)
                items, wanted, finish = outer.pop()
            else:
                return value
    except (IndexError, struct.error, _TooShort):
        raise MalformedBrine(f"the message ends inside a value ({len(data)} bytes)") from None
