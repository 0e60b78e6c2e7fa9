"""The root services the engine offers every client: execute, import_module,
log, list, dict (as Unity's out-of-process server offers them). These use the
in-process understudy_client fixture: the engine cannot tell the difference."""

import pytest


def test_execute_runs_in_the_shared_namespace_on_the_main_thread(understudy_engine,
                                                                 understudy_client):
    engine = understudy_engine()
    root = understudy_client("tool").root
    mark = engine.console_mark()

    root.execute("shared_answer = 41")
    root.execute("import unreal_engine as ue\n"
                 "ue.log(f'shared answer {shared_answer + 1}, main thread {ue.is_main_thread()}')")

    engine.wait_for_console(r"^shared answer 42, main thread True$", since=mark)


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


def test_log_lands_in_the_engine_console(understudy_engine, understudy_client):
    engine = understudy_engine()
    root = understudy_client("tool").root
    mark = engine.console_mark()

    for level in ("log", "info", "warning", "error"):
        root.log(f"tool says {level}", level)
    root.log("tool failed", "error", "Traceback: line 1")

    for level, severity in (("log", "log"), ("info", "log"), ("warning", "warning"),
                            ("error", "error")):
        record = engine.wait_for_console(rf"^tool says {level}$", since=mark)
        assert record.severity == severity, record
    with_traceback = engine.wait_for_console(r"^tool failed\nTraceback: line 1$", since=mark)
    assert with_traceback.severity == "error", with_traceback


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
