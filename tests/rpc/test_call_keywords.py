"""The keywords of understudy_engine's three engine-to-client calls
(call_service_on_client and its coroutine and async variants): the same on
all three, `timeout=` (seconds) and `kwargs=` (the service's keyword
arguments); any other keyword is a TypeError naming it, raised before
anything is sent, so that it never reaches the client's service."""

import pytest

ECHO = "clients/echo_client.py"
PATHS = {"sync": "call_service_on_client",
         "coroutine": "call_coroutine_service_on_client",
         "async": "call_async_service_on_client"}


def py(engine, code):
    """Engine-side code in the control channel's shared namespace; the value
    of its final expression."""
    return engine.control_request("python", code=code)


def error_of_call(engine, function, keywords):
    """The TypeError's text when understudy_engine.`function` is called on
    the echo service with `keywords`; None if it raised nothing."""
    return py(engine, f"import understudy_engine as u\n"
                      f"try:\n"
                      f"    u.{function}('tool', 'echo', 1, **{keywords!r})\n"
                      f"    caught = None\n"
                      f"except TypeError as exc:\n"
                      f"    caught = str(exc)\n"
                      f"caught")


def test_an_unknown_keyword_is_an_error_naming_it(understudy_engine, client_process):
    engine = understudy_engine()
    client_process(ECHO, name="tool")
    for function in PATHS.values():
        unknown = error_of_call(engine, function, {"colour": "red"})
        assert unknown is not None, f"{function}(colour=...) raised nothing"
        assert unknown.startswith(f"{function}() got unexpected keyword argument(s): "
                                  "'colour' is not one of its keywords"), unknown
        assert "timeout= (seconds) and kwargs={...}" in unknown, unknown

        replaced = error_of_call(engine, function, {"expiry": 1})
        assert replaced is not None, f"{function}(expiry=...) raised nothing"
        assert "'expiry' is no longer accepted: use timeout=" in replaced, replaced

        not_a_dict = error_of_call(engine, function, {"kwargs": [("value", 1)]})
        assert not_a_dict is not None and not_a_dict.startswith("kwargs= must be a dict"), \
            not_a_dict
    # Nothing reached the client: a call it had received would have been
    # answered (echo(1)) and counted as served.
    assert py(engine, "u.call_service_on_client('tool', 'echo', 'still here')") == "still here"


def test_kwargs_reach_the_service_on_every_path(understudy_engine, client_process):
    engine = understudy_engine()
    client_process(ECHO, name="tool")
    assert py(engine, "import understudy_engine as u\n"
                      "u.call_service_on_client('tool', 'echo', kwargs={'value': 'sync'})") \
        == "sync"
    for path in ("coroutine", "async"):
        py(engine, f"pending = u.{PATHS[path]}('tool', 'echo', kwargs={{'value': {path!r}}})")
        engine.wait_until(lambda: py(engine, "pending.done()"), f"the {path} call done")
        assert py(engine, "pending.result()") == path


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_call_honours_its_timeout(understudy_engine, client_process, path):
    engine = understudy_engine()
    client_process(ECHO, name="slow")
    outcome = engine.call_client("slow", "work", 5, path=path, timeout=0.5)
    assert outcome.error_type == "ServiceCallTimeout", outcome
    assert "(timeout 0.5 s)" in outcome.error, outcome
    # From the call's start: not before its timeout, and well before the
    # service's 5 s (a coroutine or async call ends at the next frame).
    assert 0.5 <= outcome.elapsed < 3.0, outcome
