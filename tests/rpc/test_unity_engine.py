"""UnityEngine from a real client process, as Unity's Tests/rpyc client uses
it: root.import_module('UnityEngine'), a cylinder created, renamed and found
by name, Debug.Log on the engine console (on the connection's thread: a fast
call), engine-side scripts seeing the same scene, and progress bars on the
console."""

CLIENT = "clients/unity_cylinder_client.py"


def test_a_client_creates_renames_and_finds_a_cylinder(understudy_engine, client_process):
    engine = understudy_engine()
    mark = engine.console_mark()
    client_process(CLIENT, name="unity-tool", args=("myCylinder",))

    record = engine.wait_for_console(
        r"^created a cylinder named 'myCylinder' \(same object: True, collider: True\)$",
        since=mark, severity="log")
    assert record.thread != "main", (
        f"Debug.Log is a fast call and must not need the main thread; it ran on "
        f"{record.thread!r}\n" + engine.failure_context())
    engine.wait_for_console(r"^position \(0\.00, 0\.00, 0\.00\)$", since=mark,
                            severity="warning")

    ns = engine.execute("""
        import UnityEngine
        found = UnityEngine.GameObject.Find("myCylinder")
        kinds = [type(c).__name__ for c in found.GetComponents(UnityEngine.Component)]
        import UnityEditor
        UnityEditor.EditorUtility.DisplayProgressBar("Export", "meshes", 0.5)
        UnityEditor.EditorUtility.ClearProgressBar()
    """)
    kinds = list(ns["kinds"])
    assert kinds == ["Transform", "MeshFilter", "MeshRenderer", "CapsuleCollider"], (
        f"the engine's scene: {kinds}\n" + engine.failure_context())
    # Progress bars are console records (CI has no window), in order.
    shown = engine.wait_for_console(r"^EditorUtility.DisplayProgressBar: Export: meshes \(50%\)$",
                                    since=mark)
    cleared = engine.wait_for_console(r"^EditorUtility.ClearProgressBar$", since=mark)
    assert shown.index < cleared.index, engine.failure_context()
