# must-fail: a call to a client that is not connected raises LookupError, not PfU's KeyError; CallServiceWithoutClient must catch it
# flow: test_call_service_without_client
# expect-output: LookupError
# expect-output: No client 'Not a client, shhh' is connected
import understudy_engine


def connection(name, index=-1):
    raise LookupError(f"No client {name!r} is connected")


understudy_engine.registry.connection = connection
