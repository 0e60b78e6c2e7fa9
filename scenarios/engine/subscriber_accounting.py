"""What the engine's Redis subscriber received, kept so that a scenario can
prove delivery instead of sampling it: for each publisher, every sequence
number seen, so duplicates, reordering and gaps are counted and named."""

received = {}  # publisher -> [sequence numbers, in arrival order]
malformed = 0


def record(text):
    """Parses "pub=<id> seq=<n> ..." and files it; other text counts as malformed."""
    global malformed
    fields = dict(part.split("=", 1) for part in text.split()[:2] if "=" in part)
    try:
        received.setdefault(fields["pub"], []).append(int(fields["seq"]))
    except (KeyError, ValueError):
        malformed += 1


def summary():
    """Per publisher: received count, duplicates, out-of-order arrivals, and the
    missing sequence numbers between the first and last seen (as ranges)."""
    report = {"malformed": malformed, "publishers": {}}
    for publisher, seqs in sorted(received.items()):
        seen = set(seqs)
        missing, start = [], None
        for n in range(min(seqs), max(seqs) + 2):
            if n not in seen and n <= max(seqs):
                start = n if start is None else start
            elif start is not None:
                missing.append([start, n - 1])
                start = None
        report["publishers"][publisher] = {
            "received": len(seqs),
            "first": min(seqs),
            "last": max(seqs),
            "duplicates": len(seqs) - len(seen),
            "out_of_order": sum(1 for a, b in zip(seqs, seqs[1:]) if b <= a),
            "missing": missing,
        }
    return report
