"""PfU 2.1.1's samples (Samples~/), unchanged, against the engine.

EvalExecExample's C# menu items, ported as the flows port rpycTests.cs
(pfu_editor.Editor): spawn PfU's evalexec_client.py with logging, send
`exec("x = 6")`, then `eval("x")`. ReplClientExample's repl_clientExample.py
runs as the real process it is (in Unity, a terminal the C# menu item
opens) with PfU's site-packages on its PYTHONPATH and the engine's TMPDIR,
fed lines on its stdin as a user types them."""

import os
import subprocess
import sys

from pfu_editor import CORPUS, EVALEXEC, SITE_PACKAGES, skip_without_corpus

skip_without_corpus()

EVALEXEC_CLIENT = "com.unity.scripting.python.clients.evalexec"
REPL_CLIENT = CORPUS / "Samples~" / "ReplClientExample" / "repl_clientExample.py"
REPL_CLIENT_NAME = "com.unity.scripting.python.clients.repl"
REPL_TIMEOUT = 30.0  # for connecting and handling the five lines


def test_eval_exec_example(editor):
    """EvalExecExample: SpawnClient, then SendExec and SendEval, each
    logging before and after as the sample does."""
    editor.run("evalexec = PythonRunner.SpawnClient("
               f"{str(EVALEXEC)!r}, wantLogging=True)")
    editor.wait_for_connection(EVALEXEC_CLIENT)
    mark = editor.engine.console_mark()
    editor.run("UnityEngine.Debug.Log(\"running 'exec(\\\"x = 6\\\")'\")\n"
               f"PythonRunner.CallServiceOnClient({EVALEXEC_CLIENT!r}, 'exec', 'x = 6')\n"
               "UnityEngine.Debug.Log(\"ran 'exec(\\\"x = 6\\\")'\")")
    x = editor.run("UnityEngine.Debug.Log(\"running 'eval(\\\"x\\\")'\")\n"
                   f"x = PythonRunner.CallServiceOnClient({EVALEXEC_CLIENT!r}, 'eval', 'x')\n"
                   "UnityEngine.Debug.Log(f\"ran 'eval(\\\"x\\\")' and got {x}\")\n"
                   "x")
    assert x == 6
    editor.engine.wait_for_console(r"^ran 'eval\(\"x\"\)' and got 6$", since=mark,
                                   severity="log")
    editor.run("PythonRunner.StopServer(False)")
    editor.wait_for_process_end("evalexec", timeout=10)


def test_repl_client_example(editor, tmp_path):
    """ReplClientExample: each line is executed in one engine-side dict
    (root.dict()) and the dict printed; `log`, `warn` and `error` lines go
    through rpyc.async_(root.log) with PfU's numeric levels and the client's
    stack. At EOF its loop ends but unity_client.connect's serving thread
    (not a daemon) keeps it connected: it leaves, with status 0, "when the
    server shuts down", as the sample says."""
    env = dict(os.environ, TMPDIR=str(editor.engine.tmpdir), PYTHONPATH=str(SITE_PACKAGES),
               PYTHONUNBUFFERED="1")
    mark = editor.engine.console_mark()
    output_path = tmp_path / "repl_client.out"
    lines = ["x = 6", "log hello", "warn careful", "error bad", "y = x * 7"]
    with open(output_path, "w") as output_file:
        process = subprocess.Popen([sys.executable, str(REPL_CLIENT)], stdin=subprocess.PIPE,
                                   stdout=output_file, stderr=subprocess.STDOUT, text=True,
                                   env=env, cwd=str(tmp_path))
    try:
        process.stdin.write("".join(f"{line}\n" for line in lines))
        process.stdin.close()  # EOF: the REPL loop ends
        output = output_path.read_text
        editor.engine.wait_until(lambda: "y\t: 42\n" in output(),
                                 f"the REPL client (pid {process.pid}) to print y, its output in "
                                 f"{output_path}", timeout=REPL_TIMEOUT)
        assert "x\t: 6\n" in output(), output()
        for severity, text in (("log", "hello"), ("warning", "careful"), ("error", "bad")):
            record = editor.engine.wait_for_console(rf"^{text}\nStack on client:\n", since=mark,
                                                    severity=severity)
            assert "repl_clientExample.py" in record.text and "in send_log" in record.text, \
                record
        assert process.poll() is None and editor.connected(REPL_CLIENT_NAME), \
            f"the REPL client left at EOF (status {process.poll()}); output:\n{output()}"
        editor.run("PythonRunner.StopServer(False)")
        try:
            status = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the REPL client (pid {process.pid}) did not leave within 10 s "
                                 f"of StopServer(False); output:\n{output()}") from None
        assert status == 0, f"exit status {status}; output:\n{output()}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
