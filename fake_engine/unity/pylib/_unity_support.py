"""What the UnityEngine binding's modules share: the catalog of Unity's API
(fake_engine/unity/unity_api.toml), the loud failure for what is not
emulated, and the marks that tell the engine's RPyC connection which
requests need the main thread.

Main-thread rule (understudy_engine.connection): calls into UnityEngine and
UnityEditor run on the main thread unless marked fast (Debug.Log*, value
types); reading or writing an attribute of an engine object or class does
too when the attribute is computed (a property, or a name resolved at run
time), as each reads engine state; taking a plain method off an object or a
class does not.
"""

import inspect
import os
import tomllib

from _unity_values import FAST_CALL_MARK, fast

COVERAGE_DOC = "docs/unity-api-coverage.md"
CATALOG_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "unity_api.toml")
ATTRIBUTE_API_HOOK = "_understudy_attribute_api"

with open(CATALOG_PATH, "rb") as _file:
    CATALOG = tomllib.load(_file)

# "UnityEngine.Physics" -> its catalog entry.
CATALOG_ENTRIES = {entry["name"]: entry for entry in CATALOG.get("api", [])}


class NotEmulatedError(AttributeError, NotImplementedError):
    """Unity API that Understudy does not emulate. See docs/unity-api-coverage.md."""

    # Python 3.10+ suggests near names for an AttributeError; a missing Unity
    # API is no typo, so none of the context it reads is kept.
    name = property(lambda self: None, lambda self, value: None)
    obj = property(lambda self: None, lambda self, value: None)

    def __init__(self, api, why=""):
        known = CATALOG_ENTRIES.get(api.rsplit(".", 1)[0]) or CATALOG_ENTRIES.get(api)
        note = f" ({known['note']})" if known and known.get("note") and not why else ""
        super().__init__(f"{api} is not emulated by Understudy{note}{why}; "
                         f"{COVERAGE_DOC} lists the Unity API it emulates")
        self.api = api


def not_emulated(api):
    return NotEmulatedError(api)


def module_getattr(module_name):
    """A module's __getattr__: unknown public names fail naming the API."""

    def __getattr__(name):
        if name.startswith("_"):
            raise AttributeError(f"module '{module_name}' has no attribute '{name}'")
        raise NotEmulatedError(f"{module_name}.{name}")

    return __getattr__


def attribute_api(owner, name):
    """The API name if reading `name` of `owner` (an engine object, or an
    engine class) must run on the main thread, else None."""
    cls = owner if isinstance(owner, type) else type(owner)
    try:
        static = inspect.getattr_static(owner, name)
    except AttributeError:
        static = None  # resolved at run time (__getattr__): may read the engine
    if inspect.isfunction(static) or isinstance(static, (staticmethod, classmethod)):
        return None
    return f"{cls.__module__}.{cls.__name__}.{name}"


class EngineType(type):
    """The metaclass of UnityEngine's engine classes: class-level properties
    (Camera.allCameras) and a loud error for a static member not emulated."""

    _understudy_attribute_api = staticmethod(attribute_api)

    def __getattr__(cls, name):
        if name.startswith("_"):
            raise AttributeError(f"type object '{cls.__name__}' has no attribute '{name}'")
        raise NotEmulatedError(f"{cls.__module__}.{cls.__name__}.{name}")

    def __setattr__(cls, name, value):
        member = inspect.getattr_static(cls, name, None)
        if isinstance(member, ClassProperty):
            if member.fset is None:
                raise AttributeError(f"{cls.__module__}.{cls.__name__}.{name} is read-only")
            member.fset(value)
            return
        super().__setattr__(name, value)


class ClassProperty:
    """A C# static property (Camera.allCameras, Selection.activeGameObject):
    read on the class; EngineType routes assignments on the class to fset."""

    def __init__(self, fget, fset=None):
        self.fget = fget
        self.fset = fset

    def __get__(self, instance, owner):
        return self.fget()

    def setter(self, fset):
        return ClassProperty(self.fget, fset)


class StaticClass(metaclass=EngineType):
    """A C# static class (Debug, Selection, AssetDatabase)."""

    def __init__(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is a static class")


__all__ = ["FAST_CALL_MARK", "fast", "NotEmulatedError", "not_emulated", "module_getattr",
           "EngineType", "ClassProperty", "StaticClass", "CATALOG",
           "COVERAGE_DOC", "ATTRIBUTE_API_HOOK", "attribute_api"]
