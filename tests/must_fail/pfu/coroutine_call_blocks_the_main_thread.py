# must-fail: CallCoroutineServiceOnClient waits for the client on the main thread, so create_cylinder's calls back into UnityEngine (which need the main thread) deadlock; CoroutineClientToServerCall must fail
# flow: test_coroutine_client_to_server_call
# expect-output: deadlock detected at frame
# expect-output: (create_cylinder) -> main (UnityEngine.GameObject.CreatePrimitive)
from understudy_engine import PythonRunner


def waits_on_the_main_thread(clientName, serviceName, *args):
    yield PythonRunner.CallServiceOnClient(clientName, serviceName, *args)


PythonRunner.CallCoroutineServiceOnClient = staticmethod(waits_on_the_main_thread)
