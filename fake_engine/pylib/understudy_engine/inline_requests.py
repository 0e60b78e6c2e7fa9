"""Which of a client's requests that do not need the main thread it may
still run itself, when it reads them (main_thread_reading.py): those that
cannot run any code of the object they touch, and so cannot block it.

A studio's script rarely sends only main-thread calls: `conn.root.execute(s)`
is an attribute lookup and then the call, and each netref it drops is a
request too. Were those given back to the connection's reader, every such
call would hand the connection to the reader and back, where a plain RPyC
server's one thread answers all three; run here, they cost the main thread
a dictionary lookup each.

Runs inline:
- HANDLE_DEL: a netref the client dropped (a reference count goes down);
- HANDLE_GETATTR of an attribute found without running code: the object's
  type keeps Python's own attribute lookup (no __getattr__, no custom
  __getattribute__, no RPyC accessor), and what the lookup finds, under the
  name asked for and under RPyC's exposed_ prefix, is a function or a plain
  value, not a property or another descriptor that runs code.
Anything else goes to the reader, as before (a call, or a property, may
block)."""

import inspect
import types

from rpyc.core import consts

# What binding or returning runs no code of the object's.
_CODE_FREE_KINDS = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
                    types.WrapperDescriptorType, types.ClassMethodDescriptorType,
                    types.MethodWrapperType, staticmethod, classmethod, type)
_MISSING = object()


def runs_inline(handler, args, exposed_prefix):
    """Whether the request (`handler`, unboxed `args`) may run on the main
    thread though it does not need it."""
    if handler == consts.HANDLE_DEL:
        return True
    if handler == consts.HANDLE_GETATTR:
        obj, name = args[0], args[1]
        return type(name) is str and _code_free_lookup(obj, name, exposed_prefix)
    return False


def _code_free_lookup(obj, name, exposed_prefix):
    cls = type(obj)
    if getattr(cls, "_rpyc_getattr", None) is not None or not _python_lookup(cls):
        return False
    # A name missing (RPyC looks for both) ends in __getattr__: code.
    if inspect.getattr_static(cls, "__getattr__", _MISSING) is not _MISSING or \
            (isinstance(obj, types.ModuleType) and "__getattr__" in vars(obj)):
        return False
    found_any = False
    for candidate in (name, exposed_prefix + name) if exposed_prefix else (name,):
        found = inspect.getattr_static(obj, candidate, _MISSING)
        if found is _MISSING:
            continue
        found_any = True
        if not isinstance(found, _CODE_FREE_KINDS) and hasattr(type(found), "__get__"):
            return False  # a property, or a descriptor of the object's own
    return found_any


def _python_lookup(cls):
    """Whether `cls` looks attributes up as Python's builtin types do: its
    __getattribute__ is theirs, not one of Python code or of an extension
    type (the engine's objects have their own)."""
    for klass in cls.__mro__:
        if "__getattribute__" in vars(klass):
            return klass.__module__ == "builtins"
    return True
