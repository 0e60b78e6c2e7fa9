"""blockout_tool: a studio's Unity tool that runs outside the editor.

Level designers block out a level with rows of crates. The editor (its C#
menu, or any engine-side code) asks this tool to build a row, and the tool
builds it through UnityEngine: it creates the GameObjects, parents them,
places them, reads them back and logs what it built on Unity's console.

It is an out-of-process client of Python for Unity 2.x (PfU): a separate
Python process connected to the editor's RPyC server, as PfU's own client
package connects (`unity_python.client.unity_client.connect()`: the Unix
socket com.unity.scripting.python-$USER.socket in the temp folder, a thread
serving the connection, a service with `client_name` that the editor calls
by that name). It is built on `understudy_client`, which connects the same
way (or to $UNDERSTUDY_RPC when a test harness sets it) and adds what tests
need: it returns once the editor has registered the tool, and dumps every
thread's stack on SIGUSR1. With PfU's package on the path instead, the tool
is the same code with these names swapped:

    understudy_client.ClientService   ->  unity_client.UnityClientService
    understudy_client.connect(...)    ->  unity_client.connect(BlockoutService)

THE ONE RULE: a service the editor calls must not wait for the editor.

The editor's C# calls a client with `PythonRunner.CallServiceOnClient`, on
its main thread, and waits for the answer. Everything in UnityEngine also
needs that main thread: a GameObject is created, found or moved by a job
the main thread runs between frames. So a service that calls UnityEngine
and waits for the result, while the main thread waits for that service,
waits for ever: the main thread cannot run the job until the service
answers, and the service cannot answer until the job has run. Unity shows
a frozen editor for RPyC's 30 s timeout, then the call fails, then the
crates appear. `build_row_blocking` below is that mistake, kept so that
the scenario `scenarios/build_row_deadlock.toml` can reproduce the report.

`build_row` is the correct way: the service only records the request and
answers at once; the tool's own main thread builds the row afterwards,
while the editor's main thread is free to run its jobs. Other ways out, if
a service must touch the engine: send the call without waiting for it
(`rpyc.async_(...)`), or have the engine call on a path that does not hold
its main thread (`PythonRunner.CallCoroutineServiceOnClient` /
`CallAsyncServiceOnClient`; `scenarios/build_row_coroutine.toml`).

Run it by hand against a running engine (`understudy-engine` in another
terminal): `python3 unity/blockout_tool.py`.
"""

import queue

import understudy_client

# The name the editor calls this tool by (PfU's `client_name`).
CLIENT_NAME = "studio.blockout"


def build_row(UnityEngine, name, count, spacing):
    """Builds a row of `count` cubes, `spacing` apart, under an empty
    GameObject called `name`, and returns what the last crate's world
    position reads. Every line here is a request to the editor that the
    editor's main thread runs, so call it only where the main thread is
    not waiting for this tool (see the module's docstring)."""
    row = UnityEngine.GameObject(name)
    for i in range(count):
        crate = UnityEngine.GameObject.CreatePrimitive(UnityEngine.PrimitiveType.Cube)
        crate.name = f"{name}-crate-{i}"
        crate.transform.SetParent(row.transform)
        # Half a unit up, so that the unit cube stands on the floor.
        crate.transform.localPosition = UnityEngine.Vector3(i * spacing, 0.5, 0)
    # Moving the parent moves its children: their world positions compose.
    row.transform.position = UnityEngine.Vector3(0, 0, 10)
    last = row.transform.GetChild(row.transform.childCount - 1)
    # Debug.Log writes to the editor's console (and the engine's log here).
    UnityEngine.Debug.Log(f"{name}: {row.transform.childCount} crates, "
                          f"the last at {last.position}")
    return str(last.position)


class BlockoutService(understudy_client.ClientService):
    """What the editor may call on this tool: every `exposed_` method."""

    def __init__(self):
        super().__init__(CLIENT_NAME)
        # Rows the editor asked for, built by main() on the tool's own thread.
        self.requests = queue.Queue()
        # The editor's UnityEngine module, set by main() once connected and
        # before the tool logs that it is ready.
        self.UnityEngine = None

    def exposed_build_row(self, name, count, spacing):
        """The correct way: record the request and answer at once. The
        editor's main thread goes back to its frame, and runs the jobs
        main() sends while it builds the row."""
        self.requests.put((name, count, spacing))
        return f"queued {name}"

    def exposed_build_row_blocking(self, name, count, spacing):
        """WHAT NOT TO DO: builds the row inside the service. Called by the
        editor's main thread synchronously, the first UnityEngine call here
        waits for that main thread, which waits for this answer: a
        deadlock until the call times out (see the module's docstring)."""
        return build_row(self.UnityEngine, name, count, spacing)


def main():
    service = BlockoutService()
    # Connects where PfU's editor listens and serves the connection on its
    # own thread; returns once the editor has registered the tool. (For a
    # tool that must survive domain reloads, pass reconnect=True.)
    client = understudy_client.connect(service=service)
    # The editor's UnityEngine, looked up once, as PfU's UnityClientService
    # caches its modules: each of its attributes is a proxy to the editor's
    # object. The editor may call a service as soon as it has registered the
    # tool, a moment before this line: whoever drives the tool (the tests,
    # the scenarios) waits for its "ready" line first.
    service.UnityEngine = client.root.import_module("UnityEngine")
    service.UnityEngine.Debug.Log(f"{CLIENT_NAME}: ready")
    print(f"{CLIENT_NAME}: connected to {client.address_text()}", flush=True)
    # The tool's main thread does the work the services queued. The harness
    # stops a client with SIGTERM, whose default action ends the process:
    # there is nothing to save.
    while True:
        name, count, spacing = service.requests.get()
        last = build_row(service.UnityEngine, name, count, spacing)
        print(f"{CLIENT_NAME}: built {name}, the last crate at {last}", flush=True)


if __name__ == "__main__":
    main()
