"""clr as Python.NET has it, for the assemblies the stand-in declares:
Unity's, .NET's core ones, and the project's C# namespaces (their classes
come from --unity-schema files: each class's `assembly`, or else its
namespace). AddReference of any other assembly raises, as Python.NET's does
when it cannot find one."""

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


def _project_assemblies():
    import UnityEngine  # the project's classes are declared with the Unity binding's

    return UnityEngine._assemblies


def _declared(name):
    """The declared assembly `name` names, or None. .NET compares assembly
    names without case: AddReference('RpycTests') loads rpycTests.dll."""
    wanted = name.casefold()
    for declared in (*ASSEMBLIES, *sorted(_project_assemblies())):
        if declared.casefold() == wanted:
            return declared
    return None


def AddReference(name):
    if not isinstance(name, str):
        raise TypeError(f"clr.AddReference: expected an assembly name, got {type(name).__name__}")
    declared = _declared(name)
    if declared is None:
        raise FileNotFoundError(
            f"Unable to find assembly '{name}' (clr.AddReference: Understudy declares "
            f"{', '.join(ASSEMBLIES)} and the project's assemblies from --unity-schema; "
            f"see {COVERAGE_DOC})")
    if declared not in _loaded:
        _loaded[declared] = Assembly(declared)
    return _loaded[declared]


def ListAssemblies(verbose=False):
    return [assembly.FullName if verbose else assembly.GetName() for assembly in _loaded.values()]


def FindAssembly(name):
    return _declared(name)


# Python.NET's clr registers itself; scripts `import clr` before anything else.
sys.modules.setdefault("clr", sys.modules[__name__])
__all__ = ["AddReference", "ListAssemblies", "FindAssembly"]
