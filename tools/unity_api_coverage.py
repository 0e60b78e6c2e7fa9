"""Writes docs/unity-api-coverage.md: the Unity API of the catalog
(fake_engine/unity/unity_api.toml) against the engine's UnityEngine,
UnityEditor, System and clr modules, introspected inside the engine.

Run by cmake/UnityApiCoverage.cmake as an engine script; the output path is
$UNDERSTUDY_API_COVERAGE_OUTPUT. A member counts as emulated when the module
or class defines it (looked up statically: nothing runs)."""

import importlib
import inspect
import os

import _unity_support

# The modules load before anything is looked up: UnityEditor adds to UnityEngine.
MODULES = {name: importlib.import_module(name)
           for name in ("UnityEngine", "UnityEditor", "System", "clr")}


def resolve(dotted):
    module_name, _, rest = dotted.partition(".")
    target = MODULES[module_name]
    for part in filter(None, rest.split(".")):
        target = inspect.getattr_static(target, part)
    return target


def defined(target, member):
    try:
        inspect.getattr_static(target, member)
        return True
    except AttributeError:
        return False


def main():
    catalog = _unity_support.CATALOG
    lines = [
        "# Unity API coverage",
        "",
        "What the stand-in engine's `UnityEngine`, `UnityEditor`, `System` and `clr`",
        "modules emulate of the Unity API that Python for Unity's clients reach.",
        "Generated inside the engine by `tools/unity_api_coverage.py` from",
        "`fake_engine/unity/unity_api.toml`; do not edit: run",
        "`cmake --build build --target unity_api_coverage`. Anything not emulated",
        "(listed here or not) raises `NotEmulatedError` (an `AttributeError` and",
        "`NotImplementedError`) naming the API and this page.",
        "",
        "| API | emulated | not emulated | note |",
        "| --- | --- | --- | --- |",
    ]
    total = emulated_total = 0
    for entry in catalog["api"]:
        target = resolve(entry["name"])
        members = entry["members"]
        emulated = [m for m in members if defined(target, m)]
        missing = [m for m in members if m not in emulated]
        total += len(members)
        emulated_total += len(emulated)
        lines.append(f"| `{entry['name']}` | {', '.join(emulated) or '-'} | "
                     f"{', '.join(missing) or '-'} | {entry.get('note', '')} |")
    lines += [
        "",
        f"{emulated_total} of {total} catalogued members are emulated.",
        "",
        "## Menu items",
        "",
        "`UnityEditor.EditorApplication.ExecuteMenuItem` runs these; any other logs",
        "Unity's `ExecuteMenuItem failed` error and returns `False`:",
        "",
    ]
    lines += [f"- `{item}`" for item in catalog["menu_items"]["items"]]
    lines += [
        "",
        "## Assemblies",
        "",
        "`clr.AddReference` loads these and the project's assemblies (each class's",
        "`assembly`, or else its namespace, declared with `--unity-schema`,",
        "docs/object-schema.md), names compared without case as .NET's are; any",
        "other raises `FileNotFoundError` (Python.NET's \"Unable to find assembly\"):",
        "",
    ]
    lines += [f"- `{name}`" for name in catalog["assemblies"]["names"]]
    with open(os.environ["UNDERSTUDY_API_COVERAGE_OUTPUT"], "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


main()
