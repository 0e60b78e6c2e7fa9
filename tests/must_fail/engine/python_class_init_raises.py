"""Defines a Python subclass of Character whose __init__ raises: the class
statement must fail naming the class and the class default object its
__init__ was building, with the __init__'s own error."""

from unreal_engine.classes import Character


class Sentry(Character):
    def __init__(self):
        raise ValueError("the sentry has no post")
