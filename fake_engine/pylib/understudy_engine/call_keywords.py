"""The keywords the three engine-to-client calls take (call_service_on_client
and its coroutine and async variants): the same ones on all three, `timeout`
(seconds) and `kwargs` (the service's keyword arguments, as a dict). Any
other keyword is the caller's mistake, so it is an error naming it rather
than an argument silently sent on to the client's service (where it would
fail far from its cause, or worse, be accepted)."""

# Keywords these calls once took, and what replaced them.
_REPLACED = {
    "expiry": "timeout= (seconds; the same keyword on all three calls)",
}


def reject_unknown_keywords(function, unknown):
    """Raises TypeError naming each keyword in `unknown` (what the call
    received beyond its own keywords), with what to use instead."""
    if not unknown:
        return
    problems = []
    for name in sorted(unknown):
        instead = _REPLACED.get(name)
        if instead:
            problems.append(f"{name!r} is no longer accepted: use {instead}")
        else:
            problems.append(f"{name!r} is not one of its keywords")
    raise TypeError(
        f"{function}() got unexpected keyword argument(s): {'; '.join(problems)}. "
        "It takes timeout= (seconds) and kwargs={...} (the service's keyword "
        "arguments); positional arguments after the service name go to the service")


def service_kwargs(kwargs):
    """The service's keyword arguments, checked: a dict with string keys."""
    if kwargs is None:
        return {}
    if not isinstance(kwargs, dict) or not all(isinstance(key, str) for key in kwargs):
        raise TypeError(f"kwargs= must be a dict of the service's keyword arguments by name, "
                        f"not {kwargs!r}")
    return kwargs
