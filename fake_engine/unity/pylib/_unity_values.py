"""UnityEngine's value types with Unity's semantics: Vector3, Quaternion,
Color and the C# arrays Python.NET hands out.

Plain values, touching no engine state: any thread may use them, and the
engine's RPyC connection serves their calls without the main thread (each
function carries the fast-call mark). UnityEngine re-exports them under its
own module name.

Unity's conventions kept here: a left-handed frame with Y up and Z forward;
Quaternion.Euler(x, y, z) rotates about Z, then X, then Y; `q1 * q2` applies
q2 first; `==` on vectors and quaternions is approximate (Unity compares a
squared distance against 1e-10 and a dot product against 1 - 1e-6); ToString
shows two decimals for vectors, five for quaternions, three for colours.
"""

import math

FAST_CALL_MARK = "_understudy_fast_call"
# What Unity's float comparisons use (Vector3.kEpsilon, Quaternion.kEpsilon).
VECTOR_EPSILON_SQUARED = 9.99999944e-11
QUATERNION_DOT_EPSILON = 0.000001


def fast(fn):
    """Marks a function as safe on any thread (it touches no engine state)."""
    setattr(fn, FAST_CALL_MARK, True)
    return fn


def value_type(cls):
    """Marks a value class and all its functions as fast calls."""
    for name, member in list(vars(cls).items()):
        target = member.fget if isinstance(member, property) else member
        target = getattr(target, "__func__", target)
        if callable(target):
            try:
                setattr(target, FAST_CALL_MARK, True)
            except (AttributeError, TypeError):
                pass
    setattr(cls, FAST_CALL_MARK, True)
    return cls


def _number(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what}: expected a number, got {type(value).__name__}")
    return float(value)


class _StaticProperty:
    """A read-only class-level property (C#'s static get: Vector3.zero)."""

    def __init__(self, make):
        self.make = make
        setattr(make, FAST_CALL_MARK, True)

    def __get__(self, instance, owner):
        return self.make()


@value_type
class Vector3:
    __slots__ = ("x", "y", "z")

    def __init__(self, x=0.0, y=0.0, z=0.0):
        self.x = _number(x, "Vector3.x")
        self.y = _number(y, "Vector3.y")
        self.z = _number(z, "Vector3.z")

    zero = _StaticProperty(lambda: Vector3(0, 0, 0))
    one = _StaticProperty(lambda: Vector3(1, 1, 1))
    up = _StaticProperty(lambda: Vector3(0, 1, 0))
    down = _StaticProperty(lambda: Vector3(0, -1, 0))
    right = _StaticProperty(lambda: Vector3(1, 0, 0))
    left = _StaticProperty(lambda: Vector3(-1, 0, 0))
    forward = _StaticProperty(lambda: Vector3(0, 0, 1))
    back = _StaticProperty(lambda: Vector3(0, 0, -1))

    @property
    def magnitude(self):
        return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    @property
    def sqrMagnitude(self):
        return self.x * self.x + self.y * self.y + self.z * self.z

    @property
    def normalized(self):
        length = self.magnitude
        # Unity: vectors shorter than 1e-5 normalize to zero.
        if length > 1e-5:
            return Vector3(self.x / length, self.y / length, self.z / length)
        return Vector3(0, 0, 0)

    def Normalize(self):
        n = self.normalized
        self.x, self.y, self.z = n.x, n.y, n.z

    def Set(self, x, y, z):
        self.__init__(x, y, z)

    @staticmethod
    def Dot(a, b):
        return a.x * b.x + a.y * b.y + a.z * b.z

    @staticmethod
    def Cross(a, b):
        return Vector3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)

    @staticmethod
    def Distance(a, b):
        return (a - b).magnitude

    @staticmethod
    def Scale(a, b):
        return Vector3(a.x * b.x, a.y * b.y, a.z * b.z)

    @staticmethod
    def Lerp(a, b, t):
        t = min(max(float(t), 0.0), 1.0)
        return Vector3(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t)

    @staticmethod
    def Angle(a, b):
        denominator = math.sqrt(a.sqrMagnitude * b.sqrMagnitude)
        if denominator < 1e-15:
            return 0.0
        cosine = min(max(Vector3.Dot(a, b) / denominator, -1.0), 1.0)
        return math.degrees(math.acos(cosine))

    def __add__(self, other):
        if not isinstance(other, Vector3):
            return NotImplemented
        return Vector3(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        if not isinstance(other, Vector3):
            return NotImplemented
        return Vector3(self.x - other.x, self.y - other.y, self.z - other.z)

    def __neg__(self):
        return Vector3(-self.x, -self.y, -self.z)

    def __mul__(self, scalar):
        # C# has Vector3 * float and float * Vector3, not Vector3 * Vector3.
        if isinstance(scalar, bool) or not isinstance(scalar, (int, float)):
            return NotImplemented
        return Vector3(self.x * scalar, self.y * scalar, self.z * scalar)

    __rmul__ = __mul__

    def __truediv__(self, scalar):
        if isinstance(scalar, bool) or not isinstance(scalar, (int, float)):
            return NotImplemented
        return Vector3(self.x / scalar, self.y / scalar, self.z / scalar)

    def __eq__(self, other):
        if not isinstance(other, Vector3):
            return NotImplemented
        return (self - other).sqrMagnitude < VECTOR_EPSILON_SQUARED

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # mutable, and == is approximate

    def __getitem__(self, index):
        return (self.x, self.y, self.z)[index]

    def __iter__(self):
        return iter((self.x, self.y, self.z))

    def ToString(self):
        return f"({self.x:.2f}, {self.y:.2f}, {self.z:.2f})"

    __str__ = ToString

    def __repr__(self):
        return f"Vector3({self.x!r}, {self.y!r}, {self.z!r})"

    def _fields(self):
        return (self.x, self.y, self.z)


@value_type
class Quaternion:
    __slots__ = ("x", "y", "z", "w")

    def __init__(self, x=0.0, y=0.0, z=0.0, w=0.0):
        # C#'s default(Quaternion) is all zeros; Quaternion.identity is (0, 0, 0, 1).
        self.x = _number(x, "Quaternion.x")
        self.y = _number(y, "Quaternion.y")
        self.z = _number(z, "Quaternion.z")
        self.w = _number(w, "Quaternion.w")

    identity = _StaticProperty(lambda: Quaternion(0, 0, 0, 1))

    @staticmethod
    def AngleAxis(angle, axis):
        axis = axis.normalized
        half = math.radians(float(angle)) / 2
        s = math.sin(half)
        return Quaternion(axis.x * s, axis.y * s, axis.z * s, math.cos(half))

    @staticmethod
    def Euler(x, y=None, z=None):
        if y is None and z is None and isinstance(x, Vector3):
            x, y, z = x.x, x.y, x.z
        # Z first, then X, then Y (Unity's documented order).
        qx = Quaternion.AngleAxis(x, Vector3(1, 0, 0))
        qy = Quaternion.AngleAxis(y, Vector3(0, 1, 0))
        qz = Quaternion.AngleAxis(z, Vector3(0, 0, 1))
        return qy * qx * qz

    @staticmethod
    def Inverse(q):
        norm = q.x * q.x + q.y * q.y + q.z * q.z + q.w * q.w
        if norm == 0:
            return Quaternion(0, 0, 0, 0)
        return Quaternion(-q.x / norm, -q.y / norm, -q.z / norm, q.w / norm)

    @staticmethod
    def Dot(a, b):
        return a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w

    @staticmethod
    def Angle(a, b):
        dot = min(abs(Quaternion.Dot(a, b)), 1.0)
        return 0.0 if dot > 1.0 - QUATERNION_DOT_EPSILON else math.degrees(math.acos(dot) * 2)

    @property
    def normalized(self):
        length = math.sqrt(Quaternion.Dot(self, self))
        if length < 1e-15:
            return Quaternion(0, 0, 0, 1)
        return Quaternion(self.x / length, self.y / length, self.z / length, self.w / length)

    @property
    def eulerAngles(self):
        """Degrees in [0, 360), as Unity reads back (Z, X, Y order)."""
        q = self.normalized
        x, y, z, w = q.x, q.y, q.z, q.w
        m12 = 2 * (y * z - w * x)
        if abs(m12) < 0.999999:
            ex = math.asin(-m12)
            ey = math.atan2(2 * (x * z + w * y), 1 - 2 * (x * x + y * y))
            ez = math.atan2(2 * (x * y + w * z), 1 - 2 * (x * x + z * z))
        else:  # looking straight up or down: Y and Z turn about the same axis
            ex = math.copysign(math.pi / 2, -m12)
            ey = math.atan2(-2 * (x * z - w * y), 1 - 2 * (y * y + z * z))
            ez = 0.0

        def degrees(angle):
            result = math.degrees(angle) % 360.0
            return 0.0 if abs(result - 360.0) < 1e-4 else result

        return Vector3(degrees(ex), degrees(ey), degrees(ez))

    def __mul__(self, other):
        if isinstance(other, Quaternion):
            a, b = self, other
            return Quaternion(
                a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
                a.w * b.y + a.y * b.w + a.z * b.x - a.x * b.z,
                a.w * b.z + a.z * b.w + a.x * b.y - a.y * b.x,
                a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            )
        if isinstance(other, Vector3):
            x, y, z, w = self.x, self.y, self.z, self.w
            # v + 2w(u x v) + 2u x (u x v), u the vector part.
            tx = 2 * (y * other.z - z * other.y)
            ty = 2 * (z * other.x - x * other.z)
            tz = 2 * (x * other.y - y * other.x)
            return Vector3(
                other.x + w * tx + (y * tz - z * ty),
                other.y + w * ty + (z * tx - x * tz),
                other.z + w * tz + (x * ty - y * tx),
            )
        return NotImplemented

    def __eq__(self, other):
        if not isinstance(other, Quaternion):
            return NotImplemented
        return Quaternion.Dot(self, other) > 1.0 - QUATERNION_DOT_EPSILON

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __iter__(self):
        return iter((self.x, self.y, self.z, self.w))

    def ToString(self):
        return f"({self.x:.5f}, {self.y:.5f}, {self.z:.5f}, {self.w:.5f})"

    __str__ = ToString

    def __repr__(self):
        return f"Quaternion({self.x!r}, {self.y!r}, {self.z!r}, {self.w!r})"

    def _fields(self):
        return (self.x, self.y, self.z, self.w)


@value_type
class Color:
    __slots__ = ("r", "g", "b", "a")

    def __init__(self, r=0.0, g=0.0, b=0.0, a=None):
        # C#: new Color(r, g, b) is opaque; default(Color) is all zeros.
        self.r = _number(r, "Color.r")
        self.g = _number(g, "Color.g")
        self.b = _number(b, "Color.b")
        self.a = 1.0 if a is None else _number(a, "Color.a")

    red = _StaticProperty(lambda: Color(1, 0, 0, 1))
    green = _StaticProperty(lambda: Color(0, 1, 0, 1))
    blue = _StaticProperty(lambda: Color(0, 0, 1, 1))
    white = _StaticProperty(lambda: Color(1, 1, 1, 1))
    black = _StaticProperty(lambda: Color(0, 0, 0, 1))
    yellow = _StaticProperty(lambda: Color(1, 0.92156863, 0.015686275, 1))
    cyan = _StaticProperty(lambda: Color(0, 1, 1, 1))
    magenta = _StaticProperty(lambda: Color(1, 0, 1, 1))
    gray = _StaticProperty(lambda: Color(0.5, 0.5, 0.5, 1))
    grey = gray
    clear = _StaticProperty(lambda: Color(0, 0, 0, 0))

    @staticmethod
    def Lerp(a, b, t):
        t = min(max(float(t), 0.0), 1.0)
        return Color(*(p + (q - p) * t for p, q in zip(a, b)))

    def __iter__(self):
        return iter((self.r, self.g, self.b, self.a))

    def __add__(self, other):
        if not isinstance(other, Color):
            return NotImplemented
        return Color(*(p + q for p, q in zip(self, other)))

    def __sub__(self, other):
        if not isinstance(other, Color):
            return NotImplemented
        return Color(*(p - q for p, q in zip(self, other)))

    def __mul__(self, other):
        if isinstance(other, Color):
            return Color(*(p * q for p, q in zip(self, other)))
        if isinstance(other, bool) or not isinstance(other, (int, float)):
            return NotImplemented
        return Color(*(p * other for p in self))

    __rmul__ = __mul__

    def __eq__(self, other):
        # Color's == compares as a Vector4: squared distance below 1e-10.
        if not isinstance(other, Color):
            return NotImplemented
        return sum((p - q) ** 2 for p, q in zip(self, other)) < VECTOR_EPSILON_SQUARED

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def ToString(self):
        return f"RGBA({self.r:.3f}, {self.g:.3f}, {self.b:.3f}, {self.a:.3f})"

    __str__ = ToString

    def __repr__(self):
        return f"Color({self.r!r}, {self.g!r}, {self.b!r}, {self.a!r})"

    def _fields(self):
        return (self.r, self.g, self.b, self.a)


@value_type
class Array(list):
    """A C# array as Python.NET shows it: indexable, iterable, `.Length`, of a
    fixed element type (System.Array[int](...)); its length is fixed."""

    element_type = object

    def __class_getitem__(cls, element_type):
        return _array_class(element_type)

    def __init__(self, items=()):
        converted = [self._convert(item) for item in items]
        super().__init__(converted)

    @classmethod
    def _convert(cls, item):
        convert = _ELEMENT_CONVERSIONS.get(cls.element_type)
        if convert is not None:
            try:
                return convert(item)
            except (TypeError, ValueError):
                raise TypeError(f"System.Array[{_type_name(cls.element_type)}]: cannot hold "
                                f"{item!r} ({type(item).__name__})") from None
        if cls.element_type is not object and not isinstance(item, cls.element_type):
            raise TypeError(f"System.Array[{_type_name(cls.element_type)}]: cannot hold "
                            f"{item!r} ({type(item).__name__})")
        return item

    @property
    def Length(self):
        return len(self)

    def __setitem__(self, index, item):
        super().__setitem__(index, self._convert(item))

    def _fixed(self, *args, **kwargs):
        raise TypeError("a C# array has a fixed length")

    append = extend = insert = pop = remove = clear = _fixed

    def __repr__(self):
        return f"System.Array[{_type_name(self.element_type)}]({list(self)!r})"


def _strict_int(item):
    if isinstance(item, bool) or not isinstance(item, int):
        raise TypeError(item)
    return item


def _strict_float(item):
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        raise TypeError(item)
    return float(item)


def _strict_str(item):
    if not isinstance(item, str):
        raise TypeError(item)
    return item


def _strict_bool(item):
    if not isinstance(item, bool):
        raise TypeError(item)
    return item


_ELEMENT_CONVERSIONS = {int: _strict_int, float: _strict_float, str: _strict_str,
                        bool: _strict_bool}
_ARRAY_CLASSES = {}


def _type_name(element_type):
    return getattr(element_type, "__name__", repr(element_type))


def _array_class(element_type):
    element_type = getattr(element_type, "_python_type", element_type)
    cls = _ARRAY_CLASSES.get(element_type)
    if cls is None:
        cls = type(f"Array[{_type_name(element_type)}]", (Array,),
                   {"element_type": element_type, "__module__": Array.__module__,
                    FAST_CALL_MARK: True})
        _ARRAY_CLASSES[element_type] = cls
    return cls
