"""Writes docs/unreal-api-coverage.md: UnrealEnginePython's API against the real module.

An engine script, not a plain Python one: it introspects the `unreal_engine`
module of the engine it runs in, as moto's scripts/implementation_coverage.py
introspects moto's backends. Run it through the CMake target:

    cmake --build build --target unreal_api_coverage

(which runs `understudy-engine --script tools/unreal_api_coverage.py
--frames 1 --no-rpc --quiet`). Environment:
    UNDERSTUDY_API_COVERAGE_OUTPUT  the file to write (default: the repository's
                                    docs/unreal-api-coverage.md)
    UNDERSTUDY_UEP_CATALOG          the catalog (default: fake_engine/unreal/uep_api.toml)

A name counts as emulated when the module (for functions, types, submodules,
constants), or one of the module's types standing for UEP's UObject (for
UObject methods), defines it; names reached only through the module's
not-emulated fallback (__getattr__) do not count.
"""

import os
import pathlib
import tomllib

import unreal_engine as ue

REPOSITORY = pathlib.Path(__file__).resolve().parents[1]
CATALOG = pathlib.Path(
    os.environ.get("UNDERSTUDY_UEP_CATALOG", REPOSITORY / "fake_engine/unreal/uep_api.toml")
)
OUTPUT = pathlib.Path(
    os.environ.get("UNDERSTUDY_API_COVERAGE_OUTPUT", REPOSITORY / "docs/unreal-api-coverage.md")
)

MODULE_SECTIONS = [
    ("module_functions", "unreal_engine functions"),
    ("module_types", "unreal_engine types"),
    ("submodules", "unreal_engine submodules"),
    ("constants", "unreal_engine constants"),
]
FALLBACK_NAMES = {"NotEmulatedError", "NotEmulatedImportError"}


def public(names):
    return {name for name in names if not name.startswith("_")}


def catalog_names(catalog, section):
    return {name for group in catalog[section].values() for name in group["names"]}


def uobject_types(catalog):
    """UObject and the module's other types that stand for UEP's UObject wrapper.

    UEP wraps every object (actor, world, class, component) in one type,
    unreal_engine.UObject; the stand-in may split it (UWorld, UClass, ...).
    Every type on the module that UEP does not list as a type of its own
    (FVector, SWidget, ...) is taken for such a part, and so is the type of the
    editor world the module returns.
    """
    other_uep_types = catalog_names(catalog, "module_types") - {"UObject"}
    found = {}
    for name, value in sorted(vars(ue).items()):
        if (
            isinstance(value, type)
            and not issubclass(value, BaseException)
            and name not in other_uep_types
        ):
            found[value] = name
    get_editor_world = vars(ue).get("get_editor_world")
    if callable(get_editor_world):
        world_type = type(get_editor_world())
        found.setdefault(world_type, world_type.__name__)
    return found


def checkbox(emulated):
    return "[x]" if emulated else "[ ]"


def group_heading(group_name, group, emulated, total):
    return f"### {group_name} (`{group['file']}`): {emulated} of {total}"


def is_editor_only(group, name):
    editor_only = group.get("editor_only", [])
    return "*" in editor_only or name in editor_only


def entry_line(group, name, emulated, where=""):
    notes = []
    if where:
        notes.append(where)
    if is_editor_only(group, name):
        notes.append("editor only")
    suffix = f" ({', '.join(notes)})" if notes else ""
    return f"- {checkbox(emulated)} `{name}`{suffix}"


def section_lines(catalog, section, title, is_emulated, where=lambda name: ""):
    lines = [f"## {title}", ""]
    emulated_total = total = 0
    for group_name, group in catalog[section].items():
        names = group["names"]
        emulated = [name for name in names if is_emulated(name)]
        emulated_total += len(emulated)
        total += len(names)
        lines.append(group_heading(group_name, group, len(emulated), len(names)))
        lines.append("")
        lines.extend(entry_line(group, name, is_emulated(name), where(name)) for name in names)
        lines.append("")
    return lines, emulated_total, total


def percent(part, whole):
    return f"{100 * part // whole}%" if whole else "-"


def main():
    with CATALOG.open("rb") as file:
        catalog = tomllib.load(file)
    module_names = public(vars(ue))
    types = uobject_types(catalog)
    methods_by_type = {name: public(dir(t)) for t, name in types.items()}

    def method_types(method):
        return [name for name, methods in methods_by_type.items() if method in methods]

    def method_where(method):
        others = [name for name in method_types(method) if name != "UObject"]
        return f"on {', '.join(others)}" if others else ""

    body = []
    summary = []
    for section, title in MODULE_SECTIONS:
        lines, emulated, total = section_lines(
            catalog, section, title, lambda name: name in module_names
        )
        body += lines
        summary.append((title, emulated, total))
    lines, emulated, total = section_lines(
        catalog,
        "uobject_methods",
        "unreal_engine.UObject methods",
        lambda name: bool(method_types(name)),
        method_where,
    )
    body += lines
    summary.insert(1, ("unreal_engine.UObject methods", emulated, total))

    uep_module = set().union(*(catalog_names(catalog, s) for s, _ in MODULE_SECTIONS))
    uep_methods = catalog_names(catalog, "uobject_methods")
    extensions = sorted(f"unreal_engine.{name}" for name in module_names - uep_module)
    extensions = [name for name in extensions if name.split(".")[-1] not in FALLBACK_NAMES]
    for type_name, methods in sorted(methods_by_type.items()):
        extensions += sorted(f"{type_name}.{name}" for name in methods - uep_methods)

    source = catalog["source"]
    out = [
        "# UnrealEnginePython API coverage",
        "",
        "<!-- Generated by tools/unreal_api_coverage.py inside understudy-engine; do not edit by",
        "     hand. Regenerate: cmake --build build --target unreal_api_coverage -->",
        "",
        "Which of UnrealEnginePython's (UEP's) API the stand-in engine's `unreal_engine` module",
        "emulates, found by introspecting the real module inside `understudy-engine` and comparing",
        "it with the catalog `fake_engine/unreal/uep_api.toml` (every entry of UEP's",
        f"`unreal_engine_methods[]` and `ue_PyUObject_methods[]`, from {source['repository']}",
        f"`{source['path']}` at commit `{source['commit'][:12]}`). Groups are UEP's source files.",
        "",
        "Anything unchecked raises `unreal_engine.NotEmulatedError` (an `AttributeError` and a",
        "`NotImplementedError`: `hasattr()` answers False) naming it and this page; inside",
        "`from unreal_engine import ...` it raises `unreal_engine.NotEmulatedImportError`. A name",
        "UEP does not have either is a plain `AttributeError`. The CTest",
        "`unreal_api_coverage_up_to_date` fails when this page and the engine disagree.",
        "",
        "## Summary",
        "",
        "| API | emulated | in UEP | |",
        "| --- | ---: | ---: | ---: |",
    ]
    for title, emulated, total in summary:
        out.append(f"| {title} | {emulated} | {total} | {percent(emulated, total)} |")
    all_emulated = sum(e for _, e, _ in summary)
    all_total = sum(t for _, _, t in summary)
    out.append(
        f"| **all** | **{all_emulated}** | **{all_total}** | **{percent(all_emulated, all_total)}** |"
    )
    out += ["", *body, "## Understudy extensions (not in UEP)", ""]
    out += [f"- `{name}`" for name in extensions] or ["(none)"]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(out) + "\n", encoding="utf-8")


main()
