"""System as Python for Unity's clients use it through Python.NET: C#'s
primitive types and arrays (`System.Array[int]([1, 2])`, which
UnityEditor.Selection.instanceIDs takes). Plain values: any thread."""

from _unity_support import module_getattr
from _unity_values import FAST_CALL_MARK, Array, value_type

__getattr__ = module_getattr(__name__)


def _primitive(name, python_type):
    """A C# primitive type: calling it converts, as Python.NET's do."""
    cls = type(name, (), {"__module__": __name__, "_python_type": python_type,
                          "__new__": lambda cls, value=python_type(): python_type(value),
                          FAST_CALL_MARK: True})
    return cls


Int32 = _primitive("Int32", int)
Int64 = _primitive("Int64", int)
Byte = _primitive("Byte", int)
Single = _primitive("Single", float)
Double = _primitive("Double", float)
String = _primitive("String", str)
Boolean = _primitive("Boolean", bool)
Object = _primitive("Object", object)

Array = value_type(Array)
Array.__module__ = __name__


def _create_instance(element_type, length):
    default = getattr(element_type, "_python_type", element_type)
    zero = {int: 0, float: 0.0, str: None, bool: False}.get(default)
    cls = Array[element_type]
    made = cls([])
    list.extend(made, [zero] * length)
    return made


Array.CreateInstance = staticmethod(_create_instance)
setattr(_create_instance, FAST_CALL_MARK, True)

__all__ = ["Array", "Int32", "Int64", "Byte", "Single", "Double", "String", "Boolean", "Object"]
