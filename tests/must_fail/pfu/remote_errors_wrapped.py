# must-fail: a client service's exception reaches the engine wrapped in a RuntimeError, so `except NameError` no longer works; TestEvalExec must catch it
# flow: test_eval_exec and not derived
# expect-output: NameError
# expect-output: wrapped
from understudy_engine import calls


def wrapped(remote, client, service, elapsed):
    return RuntimeError(f"wrapped: {type(remote).__name__}")


calls.remote_error = wrapped
