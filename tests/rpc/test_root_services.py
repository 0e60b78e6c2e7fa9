"""The root services the engine offers every client: execute, import_module,
log, list, dict (as Unity's out-of-process server offers them). These use the
in-process understudy_client fixture: the engine cannot tell the difference."""

import logging
import time

import pytest


def test_execute_runs_in_a_new_namespace_per_call_on_the_main_thread(understudy_engine,
                                                                      understudy_client):
    """As PfU's server: without `globals`, every call gets a dict of its own,
    so a tool relying on what an earlier call left behind fails here as in
    Unity; the NameError re-raises as RPyC's class derived from NameError."""
    engine = understudy_engine()
    root = understudy_client("tool").root
    mark = engine.console_mark()

    root.execute("import unreal_engine as ue\nleftover = 41\n"
                 "ue.log(f'main thread {ue.is_main_thread()}')")
    with pytest.raises(NameError) as raised:
        root.execute("leftover + 1")
    assert "leftover" in str(raised.value)
    engine.wait_for_console(r"^main thread True$", since=mark)


def test_execute_names_the_client_as_the_filename(understudy_engine, understudy_client):
    understudy_engine()
    root = understudy_client("named-tool").root
    namespace = root.dict()
    root.execute("import sys\nwhere = sys._getframe().f_code.co_filename", namespace)
    assert namespace["where"] == "named-tool"
    root.execute("import sys\nwhere = sys._getframe().f_code.co_filename", namespace, "tool.py")
    assert namespace["where"] == "tool.py"


def test_import_module_and_log_are_fast_calls_off_the_main_thread(understudy_engine,
                                                                  understudy_client):
    """PfU runs import_module and log on the connection's thread: they answer
    while the main thread is busy."""
    engine = understudy_engine()
    root = understudy_client("tool").root
    busy = engine.execute_in_background("import time\ntime.sleep(3)")
    started = time.monotonic()
    root.import_module("json")
    root.log("logged while the main thread sleeps")
    elapsed = time.monotonic() - started
    busy.result(timeout=10)
    assert elapsed < 1.5, f"import_module and log waited {elapsed:.2f} s for the main thread"


def test_execute_with_globals_and_errors(understudy_engine, understudy_client):
    engine = understudy_engine()
    root = understudy_client("tool").root

    namespace = root.dict(base=40)
    root.execute("total = base + 2", namespace)
    assert namespace["total"] == 42

    with pytest.raises(ZeroDivisionError):
        root.execute("1 / 0", None, "<failing tool code>")
    with pytest.raises(SyntaxError):
        root.execute("def broken(:")
    # The engine survives its clients' errors.
    assert engine.connected_clients() == {"tool": 1}


def test_import_module_returns_engine_modules_usable_through_netrefs(understudy_engine,
                                                                    understudy_client):
    understudy_engine()
    root = understudy_client("tool").root

    ue = root.import_module("unreal_engine")
    assert ue.is_main_thread() is True, "engine API reached through netrefs runs on the main thread"
    actor = ue.get_editor_world().actor_spawn(ue.classes.Character)
    actor.set_actor_label("through-netrefs")
    assert actor.get_actor_label() == "through-netrefs"
    assert root.import_module("math").sqrt(16.0) == 4.0
    with pytest.raises(ImportError):
        root.import_module("no_such_module_here")


def test_log_maps_numeric_levels_as_pfu(understudy_engine, understudy_client):
    """log(string, level=logging.INFO, traceback=None): DEBUG to the engine's
    log only, INFO/WARNING/ERROR to the console as log/warning/error, the
    client's stack appended after "Stack on client:"."""
    engine = understudy_engine()
    root = understudy_client("tool").root
    mark = engine.console_mark()

    root.log("tool says default")
    for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL):
        root.log(f"tool says {level}", level)
    root.log("tool says debug", logging.DEBUG)
    root.log("tool failed", logging.ERROR, "Traceback: line 1")
    root.log("tool says warning by name", "warning")

    for text, severity in (("default", "log"), (logging.INFO, "log"),
                           (logging.WARNING, "warning"), (logging.ERROR, "error"),
                           (logging.CRITICAL, "error"), ("warning by name", "warning")):
        record = engine.wait_for_console(rf"^tool says {text}$", since=mark)
        assert record.severity == severity, record
    with_traceback = engine.wait_for_console(r"^tool failed\nStack on client:\nTraceback: line 1$",
                                             since=mark)
    assert with_traceback.severity == "error", with_traceback
    for severity in ("log", "warning", "error"):
        engine.assert_no_console(r"tool says debug", since=mark, severity=severity)
    assert "understudy-engine: [debug] tool says debug" in \
        engine.log_path.read_text(errors="replace")
    with pytest.raises(ValueError, match="unknown log level"):
        root.log("tool says", "loud")


def test_list_and_dict_build_engine_containers(understudy_engine, understudy_client):
    understudy_engine()
    root = understudy_client("tool").root

    engine_list = root.list((1, 2, 3))
    engine_list.append(4)
    assert list(engine_list) == [1, 2, 3, 4]
    assert list(root.list()) == []

    engine_dict = root.dict(a=1)
    engine_dict["b"] = 2
    assert dict(engine_dict.items()) == {"a": 1, "b": 2}
    assert dict(root.dict([("x", 1)]).items()) == {"x": 1}


def test_protocol_configuration_follows_the_original_and_the_flags(understudy_engine,
                                                                  understudy_client):
    """The original server allowed public attributes and setattr (RPyC's
    defaults do not); --no-public-attrs and --no-setattr restore RPyC's."""
    understudy_engine()
    ue = understudy_client("tool").root.import_module("unreal_engine")
    ue.get_editor_world()  # a public attribute of an engine module
    namespace = understudy_client("other").root.import_module("types").SimpleNamespace()
    namespace.answer = 42
    assert namespace.answer == 42

    understudy_engine("--no-public-attrs", "--no-setattr")
    strict = understudy_client("strict").root
    with pytest.raises(AttributeError):
        strict.import_module("unreal_engine").get_editor_world
