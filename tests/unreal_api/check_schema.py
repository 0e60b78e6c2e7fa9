#!/usr/bin/python3
"""Checks object-schema TOML files for data mistakes before the engine loads them.

    check_schema.py [FILE_OR_FOLDER ...]

With no argument it checks the shipped schema (fake_engine/schema/unreal/) and
this folder's project_schema.toml on top of it. A folder means its *.toml files
in name order, as the engine loads them. Names resolve across all files, so a
later file may extend classes of an earlier one (never redefine them).

It checks what docs/object-schema.md promises: every key known, every type
spelled right and naming a declared enum/struct/class, parents declared and
acyclic, no duplicate names, defaults of the declared type (enum defaults name
a value, struct defaults name fields), `defaults` overriding only inherited
properties, components of component classes, at most one root, attach_to
naming an earlier scene component, `property` naming an object property the
component fits, builtins from the engine's list. Exit status 1 on any mistake,
each printed as FILE: where: what.
"""

import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "fake_engine" / "schema" / "unreal"
PROJECT = pathlib.Path(__file__).resolve().parent / "project_schema.toml"

SCALARS = {"bool", "byte", "int", "int64", "float", "double", "string", "name", "text"}
BUILTINS = {
    "actor_location", "actor_rotation", "actor_scale", "set_actor_location",
    "set_actor_rotation", "set_actor_scale", "actor_label", "set_actor_label",
    "destroy_actor",
}
KEYS = {
    "enum": {"name", "values", "doc"},
    "struct": {"name", "parent", "doc", "fields"},
    "class": {"name", "parent", "abstract", "doc", "properties", "defaults", "components",
              "functions"},
}
FIELD_KEYS = {"name", "type", "default", "doc"}
COMPONENT_KEYS = {"name", "class", "root", "attach_to", "property", "doc"}
FUNCTION_KEYS = {"name", "params", "returns", "builtin", "doc"}
PARAM_KEYS = {"name", "type", "doc"}
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Schema:
    def __init__(self):
        self.enums, self.structs, self.classes = {}, {}, {}
        self.origin = {}  # (kind, name) -> file
        self.errors = []

    def error(self, file, where, what):
        self.errors.append(f"{file}: {where}: {what}")

    def add(self, file, data):
        for kind in data:
            if kind == "model":
                continue  # the [model] table of model.toml: the engine's loader checks it
            if kind not in KEYS:
                self.error(file, kind, f"unknown table (expected [[enum]], [[struct]] or [[class]])")
                continue
            table = {"enum": self.enums, "struct": self.structs, "class": self.classes}[kind]
            for i, entry in enumerate(data[kind]):
                name = entry.get("name")
                where = f"{kind} #{i + 1} {name!r}"
                if not isinstance(name, str) or not IDENT.match(name):
                    self.error(file, where, "needs a name: an identifier")
                    continue
                for key in entry:
                    if key not in KEYS[kind]:
                        self.error(file, where, f"unknown key {key!r}")
                if name in table:
                    self.error(file, where, f"duplicate {kind} (first in {self.origin[(kind, name)]})")
                    continue
                table[name] = entry
                self.origin[(kind, name)] = file

    # --- types -------------------------------------------------------------------

    def split_args(self, text):
        depth, parts, start = 0, [], 0
        for i, c in enumerate(text):
            depth += c == "<"
            depth -= c == ">"
            if c == "," and depth == 0:
                parts.append(text[start:i].strip())
                start = i + 1
        parts.append(text[start:].strip())
        return parts

    def check_type(self, file, where, t):
        """Returns the parsed type (kind, arg) or None after reporting."""
        if not isinstance(t, str):
            self.error(file, where, f"type must be a string, got {t!r}")
            return None
        if t in SCALARS:
            return (t, None)
        for prefix, table, kind in (("enum:", self.enums, "enum"), ("struct:", self.structs, "struct"),
                                    ("object:", self.classes, "class"), ("class:", self.classes, "class")):
            if t.startswith(prefix):
                ref = t[len(prefix):]
                if ref not in table:
                    self.error(file, where, f"type {t!r} names no declared {kind}")
                    return None
                return (prefix[:-1], ref)
        m = re.match(r"^(array|set|map)<(.*)>$", t)
        if m:
            args = self.split_args(m.group(2))
            want = 2 if m.group(1) == "map" else 1
            if len(args) != want:
                self.error(file, where, f"type {t!r}: {m.group(1)} takes {want} type argument(s)")
                return None
            inner = [self.check_type(file, where, a) for a in args]
            if None in inner:
                return None
            return (m.group(1), inner)
        self.error(file, where, f"unknown type {t!r} (expected one of {sorted(SCALARS)}, "
                   "enum:E, struct:S, object:C, class:C, array<T>, set<T>, map<K,V>)")
        return None

    def check_value(self, file, where, parsed, value):
        kind, arg = parsed
        if kind == "bool":
            ok = isinstance(value, bool)
        elif kind in ("byte", "int", "int64"):
            ok = isinstance(value, int) and not isinstance(value, bool)
            if ok and kind == "byte" and not 0 <= value <= 255:
                self.error(file, where, f"byte default {value} out of 0..255")
        elif kind in ("float", "double"):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind in ("string", "name", "text"):
            ok = isinstance(value, str)
        elif kind == "enum":
            names = self.enum_names(arg)
            ok = isinstance(value, str)
            if ok and value not in names:
                self.error(file, where, f"default {value!r} is not a value of {arg} ({names})")
        elif kind == "struct":
            ok = isinstance(value, dict)
            if ok:
                fields = self.struct_fields(arg)
                for key, sub in value.items():
                    if key not in fields:
                        self.error(file, where, f"default names {key!r}, not a field of {arg}")
                        continue
                    sub_parsed = self.check_type(file, where, fields[key]["type"])
                    if sub_parsed:
                        self.check_value(file, f"{where}.{key}", sub_parsed, sub)
        elif kind in ("object", "class"):
            self.error(file, where, f"{kind}: references have no default (they start as None)")
            return
        elif kind in ("array", "set"):
            ok = isinstance(value, list)
            if ok:
                for j, item in enumerate(value):
                    self.check_value(file, f"{where}[{j}]", arg[0], item)
        elif kind == "map":
            ok = isinstance(value, dict)
            if ok:
                for key, item in value.items():
                    self.check_value(file, f"{where}[{key!r}]", arg[0], key)
                    self.check_value(file, f"{where}[{key!r}]", arg[1], item)
        else:
            ok = False
        if not ok:
            self.error(file, where, f"default {value!r} does not fit type {kind}" + (f":{arg}" if isinstance(arg, str) else ""))

    # --- lookups -----------------------------------------------------------------

    def enum_names(self, name):
        values = self.enums[name].get("values", [])
        return [v if isinstance(v, str) else v.get("name") for v in values]

    def chain(self, table, name):
        seen = []
        while name is not None and name in table and name not in seen:
            seen.append(name)
            name = table[name].get("parent")
        return seen

    def struct_fields(self, name):
        fields = {}
        for s in reversed(self.chain(self.structs, name)):
            for f in self.structs[s].get("fields", []):
                fields[f.get("name")] = f
        return fields

    def class_properties(self, name):
        props = {}
        for c in reversed(self.chain(self.classes, name)):
            for p in self.classes[c].get("properties", []):
                props[p.get("name")] = p
        return props

    def is_a(self, name, base):
        return base in self.chain(self.classes, name)

    # --- checks ------------------------------------------------------------------

    def check_parents(self, kind, table, root):
        for name, entry in table.items():
            file = self.origin[(kind, name)]
            parent = entry.get("parent")
            if kind == "class" and name != root and parent is None:
                self.error(file, f"class {name!r}", "needs a parent (only Object has none)")
            if parent is not None and parent not in table:
                self.error(file, f"{kind} {name!r}", f"parent {parent!r} is not a declared {kind}")
            seen, cur = set(), name
            while cur in table:
                if cur in seen:
                    self.error(file, f"{kind} {name!r}", "parent chain loops")
                    break
                seen.add(cur)
                cur = table[cur].get("parent")

    def check_fields(self, file, where, fields, owner_names):
        names = set()
        for j, f in enumerate(fields):
            fwhere = f"{where} field {f.get('name', j)!r}"
            for key in f:
                if key not in FIELD_KEYS:
                    self.error(file, fwhere, f"unknown key {key!r}")
            name = f.get("name")
            if not isinstance(name, str) or not IDENT.match(name):
                self.error(file, fwhere, "needs a name: an identifier")
                continue
            if name in names or name in owner_names:
                self.error(file, fwhere, "duplicate name (here or in a parent)")
            names.add(name)
            parsed = self.check_type(file, fwhere, f.get("type"))
            if parsed and "default" in f:
                self.check_value(file, fwhere, parsed, f["default"])

    def run(self):
        self.check_parents("struct", self.structs, None)
        self.check_parents("class", self.classes, "Object")
        for name, e in self.enums.items():
            file = self.origin[("enum", name)]
            values = e.get("values")
            if not isinstance(values, list) or not values:
                self.error(file, f"enum {name!r}", "needs values: a non-empty list")
                continue
            names, numbers = set(), set()
            for v in values:
                vname = v if isinstance(v, str) else v.get("name") if isinstance(v, dict) else None
                if not isinstance(vname, str) or not IDENT.match(vname):
                    self.error(file, f"enum {name!r}", f"bad value {v!r}")
                    continue
                if vname in names:
                    self.error(file, f"enum {name!r}", f"duplicate value {vname!r}")
                names.add(vname)
                if isinstance(v, dict):
                    if not isinstance(v.get("value"), int):
                        self.error(file, f"enum {name!r}", f"value {vname!r} needs an int value")
                    elif v["value"] in numbers:
                        self.error(file, f"enum {name!r}", f"duplicate number {v['value']}")
                    else:
                        numbers.add(v["value"])
        for name, s in self.structs.items():
            inherited = set(self.struct_fields(s["parent"])) if s.get("parent") in self.structs else set()
            self.check_fields(self.origin[("struct", name)], f"struct {name!r}", s.get("fields", []), inherited)
        for name, c in self.classes.items():
            self.check_class(name, c)
        return self.errors

    def check_class(self, name, c):
        file = self.origin[("class", name)]
        where = f"class {name!r}"
        if "abstract" in c and not isinstance(c["abstract"], bool):
            self.error(file, where, "abstract must be true or false")
        parent = c.get("parent")
        inherited = self.class_properties(parent) if parent in self.classes else {}
        self.check_fields(file, where, c.get("properties", []), set(inherited))
        props = self.class_properties(name)
        for key, value in c.get("defaults", {}).items():
            if key not in inherited:
                self.error(file, f"{where} defaults.{key}",
                           "overrides no inherited property (declare own properties with their default)")
                continue
            parsed = self.check_type(file, f"{where} defaults.{key}", inherited[key]["type"])
            if parsed:
                self.check_value(file, f"{where} defaults.{key}", parsed, value)
        components = c.get("components", [])
        if components and not self.is_a(name, "Actor"):
            self.error(file, where, "only actor classes have components")
        seen, roots = {}, 0
        for j, comp in enumerate(components):
            cwhere = f"{where} component {comp.get('name', j)!r}"
            for key in comp:
                if key not in COMPONENT_KEYS:
                    self.error(file, cwhere, f"unknown key {key!r}")
            cname, cclass = comp.get("name"), comp.get("class")
            if not isinstance(cname, str) or not cname:
                self.error(file, cwhere, "needs a name")
                continue
            if cname in seen:
                self.error(file, cwhere, "duplicate component name")
            if cclass not in self.classes:
                self.error(file, cwhere, f"class {cclass!r} is not a declared class")
                continue
            if not self.is_a(cclass, "ActorComponent"):
                self.error(file, cwhere, f"class {cclass!r} is not an ActorComponent")
            if self.classes[cclass].get("abstract"):
                self.error(file, cwhere, f"class {cclass!r} is abstract")
            if comp.get("root"):
                roots += 1
                if not self.is_a(cclass, "SceneComponent"):
                    self.error(file, cwhere, "a root must be a SceneComponent")
                if "attach_to" in comp:
                    self.error(file, cwhere, "a root attaches to nothing")
            parent_comp = comp.get("attach_to")
            if parent_comp is not None:
                if parent_comp not in seen:
                    self.error(file, cwhere, f"attach_to {parent_comp!r} names no earlier component")
                elif not self.is_a(seen[parent_comp], "SceneComponent"):
                    self.error(file, cwhere, f"attach_to {parent_comp!r} is not a SceneComponent")
                if not self.is_a(cclass, "SceneComponent"):
                    self.error(file, cwhere, "only scene components attach")
            prop = comp.get("property")
            if prop is not None:
                if prop not in props:
                    self.error(file, cwhere, f"property {prop!r} is not a property of {name}")
                else:
                    t = props[prop].get("type", "")
                    if not t.startswith("object:") or not self.is_a(cclass, t[len("object:"):]):
                        self.error(file, cwhere, f"property {prop!r} ({t}) cannot hold a {cclass}")
            seen[cname] = cclass
        if roots > 1:
            self.error(file, where, f"{roots} root components (at most one)")
        fnames = set()
        for j, fn in enumerate(c.get("functions", [])):
            fwhere = f"{where} function {fn.get('name', j)!r}"
            for key in fn:
                if key not in FUNCTION_KEYS:
                    self.error(file, fwhere, f"unknown key {key!r}")
            fname = fn.get("name")
            if not isinstance(fname, str) or not IDENT.match(fname):
                self.error(file, fwhere, "needs a name: an identifier")
                continue
            if fname in fnames:
                self.error(file, fwhere, "duplicate function")
            fnames.add(fname)
            for k, p in enumerate(fn.get("params", [])):
                pwhere = f"{fwhere} param {k + 1}"
                if not isinstance(p, dict):
                    self.error(file, pwhere, "a param is { name = ..., type = ... }")
                    continue
                for key in p:
                    if key not in PARAM_KEYS:
                        self.error(file, pwhere, f"unknown key {key!r}")
                if not isinstance(p.get("name"), str):
                    self.error(file, pwhere, "needs a name")
                self.check_type(file, pwhere, p.get("type"))
            returns = fn.get("returns", "")
            if returns != "":
                self.check_type(file, f"{fwhere} returns", returns)
            if "builtin" in fn and fn["builtin"] not in BUILTINS:
                self.error(file, fwhere, f"builtin {fn['builtin']!r} is not one the engine provides {sorted(BUILTINS)}")


def schema_files(args):
    if not args:
        args = [str(SHIPPED), str(PROJECT)]
    files = []
    for arg in args:
        path = pathlib.Path(arg)
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def main(argv):
    schema = Schema()
    files = schema_files(argv[1:])
    for file in files:
        try:
            with open(file, "rb") as f:
                schema.add(file, tomllib.load(f))
        except (OSError, tomllib.TOMLDecodeError) as e:
            schema.error(file, "parse", str(e))
    errors = schema.run()
    for e in errors:
        print(e)
    print(f"{len(files)} files: {len(schema.classes)} classes, {len(schema.structs)} structs, "
          f"{len(schema.enums)} enums, {len(errors)} mistakes")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
