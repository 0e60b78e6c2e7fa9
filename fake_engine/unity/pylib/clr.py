"""clr as Python.NET has it, for the assemblies the stand-in declares:
Unity's, .NET's core ones, and the project's C# namespaces (their classes
come from --unity-schema files). AddReference of any other assembly raises,
as Python.NET's does when it cannot find one."""

import sys

from _unity_support import CATALOG, COVERAGE_DOC, module_getattr

__getattr__ = module_getattr(__name__)

ASSEMBLIES = tuple(CATALOG["assemblies"]["names"])
_loaded = {}


class Assembly:
    """A loaded assembly (System.Reflection.Assembly's name parts)."""

    def __init__(self, name):
        self.FullName = f"{name}, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null"
        self._name = name

    def GetName(self):
        return self._name

    def __repr__(self):
        return f"<Assembly {self.FullName}>"


def _project_namespaces():
    import UnityEngine  # the project's classes are declared with the Unity binding's

    names = set()
    for namespace in UnityEngine._namespaces:
        parts = namespace.split(".")
        names.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return names


def AddReference(name):
    if not isinstance(name, str):
        raise TypeError(f"clr.AddReference: expected an assembly name, got {type(name).__name__}")
    if name not in ASSEMBLIES and name not in _project_namespaces():
        raise FileNotFoundError(
            f"Unable to find assembly '{name}' (clr.AddReference: Understudy declares "
            f"{', '.join(ASSEMBLIES)} and the project's C# namespaces from --unity-schema; "
            f"see {COVERAGE_DOC})")
    if name not in _loaded:
        _loaded[name] = Assembly(name)
    return _loaded[name]


def ListAssemblies(verbose=False):
    return [assembly.FullName if verbose else assembly.GetName() for assembly in _loaded.values()]


def FindAssembly(name):
    return name if name in ASSEMBLIES or name in _project_namespaces() else None


# Python.NET's clr registers itself; scripts `import clr` before anything else.
sys.modules.setdefault("clr", sys.modules[__name__])
__all__ = ["AddReference", "ListAssemblies", "FindAssembly"]
