"""uep_tutorial: the scripts of UnrealEnginePython's asyncio tutorial
(tutorials/AsyncIOAndUnrealEngine.md in the corpus), taken from its python
code blocks at test time, run in one understudy-engine as the tutorial runs
them in one editor session, in the shared __main__:

  ue_asyncio.py    the hub, on a --scripts-path folder (shadows the engine's own)
  the timer        a startup script: logs "2 seconds elapsed"
  the cancel loop  run with unreal_engine.exec (found on the scripts path):
                   the timer's task is cancelled
  the TCP server   run with unreal_engine.exec; it uses `ue`, which only the
                   timer script imported: the shared __main__ provides it.
                   A real TCP client on loopback sends lines; each spawns a
                   Character labelled with the line.

Edits applied to the text, and only these: asyncio.Task.all_tasks() (gone
from Python 3.9) becomes asyncio.all_tasks(asyncio.get_event_loop()), and the
TCP server's address, the author's LAN address 192.168.173.45:8885, becomes
127.0.0.1 and a free port (servers here bind to loopback only).

usage: tutorial_check.py ENGINE CORPUS"""

import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance_support as cs  # noqa: E402

TUTORIAL = os.path.join("tutorials", "AsyncIOAndUnrealEngine.md")
LINES = ["alpha", "beta", "gamma"]


def python_blocks(markdown):
    return re.findall(r"```python\n(.*?)```", markdown, re.S)


def pick(blocks, what, *needles):
    for block in blocks:
        if all(needle in block for needle in needles):
            return block
    raise cs.Failure(f"expected a python block in {TUTORIAL} for {what} (containing "
                     f"{', '.join(map(repr, needles))}); found none: has the tutorial changed?")


def modernise(code):
    return code.replace("asyncio.Task.all_tasks()", "asyncio.all_tasks(asyncio.get_event_loop())")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    engine, corpus = sys.argv[1:3]
    cs.require_corpus(corpus)
    with open(os.path.join(corpus, TUTORIAL), encoding="utf-8") as file:
        blocks = python_blocks(file.read())
    hub = pick(blocks, "the hub ue_asyncio.py", "ticker = ue.add_ticker(ticker_loop)")
    timer = pick(blocks, "the timer script", "import ue_asyncio", "simple_timer(2)")
    cancel = pick(blocks, "the cancel loop", "for task in asyncio.Task.all_tasks():")
    cancel = cancel[:cancel.index("task.cancel()") + len("task.cancel()")] + "\n"
    server = pick(blocks, "the TCP spawn server", "asyncio.start_server", "actor_spawn(Character)")
    port = free_port()
    if "'192.168.173.45', 8885" not in server:
        raise cs.Failure("expected the TCP server block to serve '192.168.173.45', 8885; "
                         "it does not: has the tutorial changed?")
    server = modernise(server).replace("'192.168.173.45', 8885", f"'127.0.0.1', {port}")
    started = time.monotonic()

    with cs.temp_folder("uep_tutorial.") as folder:
        scripts = os.path.join(folder, "Scripts")
        os.mkdir(scripts)
        for name, code in (("ue_asyncio.py", hub), ("tutorial_timer.py", timer),
                           ("tutorial_cancel.py", modernise(cancel)),
                           ("tutorial_tcp_server.py", server)):
            with open(os.path.join(scripts, name), "w") as file:
                file.write(code)
        engine_process = cs.EngineProcess(
            engine, ["--no-rpc", "--tick-hz", "60", "--seconds", "60", "--scripts-path", scripts,
                     "--script", "tutorial_timer.py"], folder)
        log = engine_process.log_path
        try:
            engine_process.connect()
            engine_process.request("startup")
            console = lambda: cs.console_text(log)  # noqa: E731
            cs.poll_until(lambda: "2 seconds elapsed" in console(), 5,
                          "the tutorial's timer to log \"2 seconds elapsed\"",
                          lambda: f"last lines {console().splitlines()[-3:]}", log)

            tasks = "import asyncio, ue_asyncio\nlen(asyncio.all_tasks(ue_asyncio.loop))"
            engine_process.request("python", code="import unreal_engine\n"
                                   "unreal_engine.exec('tutorial_cancel.py')")
            cs.poll_until(lambda: engine_process.request("python", code=tasks) == 0, 5,
                          "no task left on the hub's loop after the cancel loop",
                          lambda: f"{engine_process.request('python', code=tasks)} tasks", log)

            engine_process.request("python", code="import unreal_engine\n"
                                   "unreal_engine.exec('tutorial_tcp_server.py')")
            cs.poll_until(lambda: f"tcp server spawned on 127.0.0.1:{port}" in console(), 5,
                          f"the log line \"tcp server spawned on 127.0.0.1:{port}\"",
                          lambda: f"last lines {console().splitlines()[-3:]}", log)
            with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
                client.sendall("".join(line + "\n" for line in LINES).encode())
            world = lambda: engine_process.request("world")  # noqa: E731
            labels = lambda: sorted(a["label"] for a in world() if a["class"] == "Character")  # noqa: E731,E501
            wanted = sorted(line + "\n" for line in LINES)
            cs.poll_until(lambda: labels() == wanted, 5,
                          f"one Character per line sent, labelled {wanted}",
                          lambda: f"Characters labelled {labels()}", log)
            cs.poll_until(lambda: re.search(r"client \('127\.0\.0\.1', \d+\) disconnected",
                                            console()), 5,
                          "the server to log the client's disconnect",
                          lambda: f"last lines {console().splitlines()[-3:]}", log)
        finally:
            code = engine_process.stop()
        if code != 0:
            raise cs.Failure(f"expected the engine to exit 0 after SIGTERM; it exited {code}; "
                             f"read {log}")
        text = cs.console_text(log)
        errors = [line for line in text.splitlines() if "raised" in line]
        if errors:
            raise cs.Failure(f"expected no engine error; saw {errors[:3]}; read {log}")
    print(f"tutorial: timer logged, cancel emptied the loop, {len(LINES)} lines spawned "
          f"{len(LINES)} labelled Characters over loopback ({time.monotonic() - started:.2f} s)")
    return 0


if __name__ == "__main__":
    cs.main_wrapper(main)
