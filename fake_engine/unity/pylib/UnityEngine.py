# Over 500 lines as one module: it is Unity's UnityEngine namespace, which
# scripts import as one module (`import UnityEngine`), a class per Unity type.
"""UnityEngine as Python for Unity shows it (through Python.NET), on the
engine's Unity scene (the `_unity_scene` module, fake_engine/unity/).

Engine objects (GameObject, its components, assets) are Python objects that
refer to the scene by id, one Python object per engine object. They may be
touched on the engine's main thread only: elsewhere the scene raises
WrongThreadError, as Unity throws. Clients reach them over RPyC, whose
engine-side connection runs their requests on the main thread
(_unity_support says which). Debug.Log and the value types need no main
thread.

A destroyed object compares equal to None and is falsy, as Unity's "fake
null"; touching it raises MissingReferenceException. Names Unity has and this
module lacks raise NotEmulatedError naming docs/unity-api-coverage.md.
"""

import os

import _unity_scene as _scene
from _unity_support import (ClassProperty, EngineType, NotEmulatedError, StaticClass,
                            attribute_api, fast, module_getattr)
from _unity_values import Color, Quaternion, Vector3

for _value_class in (Vector3, Quaternion, Color):
    _value_class.__module__ = __name__
del _value_class

__getattr__ = module_getattr(__name__)

UNITY_VERSION = "2021.3.45f1"


class UnityException(Exception):
    """UnityEngine.UnityException."""


class MissingReferenceException(Exception):
    """Touching an object that has been destroyed."""


class MissingComponentException(Exception):
    """UnityEngine.MissingComponentException."""


# ---------------------------------------------------------------------------
# Objects.

_wrappers = {}  # engine id -> its one Python object
_classes = {}  # schema class name -> Python class


_find_active = _scene.find_active
_wrapper_of = _wrappers.get


def _wrap(object_id):
    if not object_id:
        return None
    wrapper = _wrappers.get(object_id)
    if wrapper is None:
        cls = _classes.get(_scene.class_of(object_id), Object)
        wrapper = object.__new__(cls)
        object.__setattr__(wrapper, "_id", object_id)
        _wrappers[object_id] = wrapper
    return wrapper


def _from_instance_id(instance_id):
    # Scene objects have negative instance ids in Unity; ours are -id.
    if isinstance(instance_id, bool) or not isinstance(instance_id, int) or instance_id >= 0:
        return None
    object_id = -instance_id
    return _wrap(object_id) if _scene.valid(object_id) else None


def _class_name(type_argument, api):
    """The schema class a C# type argument names: a class of this module, a
    project class, or its name as a string."""
    if isinstance(type_argument, str):
        name = type_argument.rsplit(".", 1)[-1]
    elif isinstance(type_argument, type) and issubclass(type_argument, Object):
        name = type_argument._schema_class
    else:
        raise TypeError(f"{api}: expected a UnityEngine type, got {type_argument!r}")
    if name not in _classes:
        raise NotEmulatedError(f"UnityEngine.{name}", f" (no such class in the Unity schema; "
                               f"declare project classes with --unity-schema)")
    return name


class Object(metaclass=EngineType):
    """UnityEngine.Object: what the scene and the asset database hold."""

    _schema_class = "Object"
    _understudy_attribute_api = staticmethod(attribute_api)

    def __init__(self, *args, **kwargs):
        raise TypeError(f"UnityEngine.{type(self).__name__} cannot be constructed here")

    def _alive_id(self, api=None):
        object_id = self._id
        if not _scene.valid(object_id):
            raise MissingReferenceException(
                f"The object of type '{type(self).__name__}' has been destroyed but you are "
                f"still trying to access it ({api or 'UnityEngine.Object'}).")
        return object_id

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotEmulatedError(f"UnityEngine.{type(self).__name__}.{name}")

    def __setattr__(self, name, value):
        if name.startswith("_") or not hasattr(type(self), name):
            # C# objects take no new members.
            raise NotEmulatedError(f"UnityEngine.{type(self).__name__}.{name}")
        object.__setattr__(self, name, value)

    @property
    def name(self):
        object_id = self._alive_id("Object.name")
        name = _scene.name_of(object_id)
        if _scene.owner(object_id) == 0:  # an asset: the store names it by its path
            name = os.path.splitext(os.path.basename(name))[0]
        return name

    @name.setter
    def name(self, value):
        if not isinstance(value, str):
            raise TypeError(f"UnityEngine.Object.name: expected str, got {type(value).__name__}")
        _scene.set_name(self._alive_id("Object.name"), value)

    def GetInstanceID(self):
        return -self._id

    def GetType(self):
        return type(self)

    def ToString(self):
        return f"{self.name} ({_qualified_name(type(self))})"

    def __str__(self):
        return self.ToString() if _scene.valid(self._id) else "null"

    def __repr__(self):
        return f"<UnityEngine.{type(self).__name__} {self.GetInstanceID()}>"

    def __bool__(self):
        return _scene.valid(self._id)

    def __eq__(self, other):
        if other is None:
            return not _scene.valid(self._id)
        return self is other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._id)

    @staticmethod
    def Destroy(obj, t=0.0):
        _destroy(obj, "UnityEngine.Object.Destroy", immediate=False)

    @staticmethod
    def DestroyImmediate(obj, allowDestroyingAssets=False):
        _destroy(obj, "UnityEngine.Object.DestroyImmediate", immediate=True)

    @staticmethod
    def FindObjectsOfType(type_argument, includeInactive=False):
        name = _class_name(type_argument, "UnityEngine.Object.FindObjectsOfType")
        found = []
        for object_id in _scene.objects_of_class(name):
            wrapper = _wrap(object_id)
            owner = wrapper if isinstance(wrapper, GameObject) else getattr(
                wrapper, "gameObject", None) if isinstance(wrapper, Component) else None
            if owner is None:
                continue  # assets: FindObjectsOfType sees scene objects only
            if includeInactive or owner.activeInHierarchy:
                found.append(wrapper)
        return found

    @staticmethod
    def FindObjectOfType(type_argument, includeInactive=False):
        found = Object.FindObjectsOfType(type_argument, includeInactive)
        return found[0] if found else None


def _qualified_name(cls):
    namespace = getattr(cls, "_namespace", "") or "UnityEngine"
    return f"{namespace}.{cls.__name__}"


def _destroy(obj, api, immediate):
    if not isinstance(obj, Object):
        raise TypeError(f"{api}: expected a UnityEngine.Object, got {type(obj).__name__}")
    if not _scene.valid(obj._id):
        return
    if not immediate and not _EditorState.is_playing:
        # What Unity's editor says, and does (nothing), outside play mode.
        Debug.LogError("Destroy may not be called from edit mode! Use DestroyImmediate "
                       "instead.\nDestroying an object in edit mode destroys it permanently.")
        return
    if isinstance(obj, Transform):
        raise UnityException(f"{api}: destroying the Transform component of "
                             f"'{obj.name}' is not permitted; destroy the GameObject")
    if isinstance(obj, GameObject):
        for child in list(obj.transform._children()):
            _destroy(child.gameObject, api, immediate=True)
    _scene.destroy(obj._id)


# ---------------------------------------------------------------------------
# The scene: GameObjects and components.

TAGS = ("Untagged", "Respawn", "Finish", "EditorOnly", "MainCamera", "Player", "GameController")


class GameObject(Object):
    """UnityEngine.GameObject."""

    _schema_class = "GameObject"

    def __init__(self, name="New Game Object", *components):
        if not isinstance(name, str):
            raise TypeError(f"GameObject(name): expected str, got {type(name).__name__}")
        object.__setattr__(self, "_id", _scene.spawn("GameObject", name))
        _wrappers[self._id] = self
        for component in components:
            self.AddComponent(component)

    @staticmethod
    def Find(name):
        """The first active GameObject with this name; "a/b" is a path."""
        # The common case first, with no global lookups: tools call Find in
        # loops, and each is a measurable part of a call this short
        # (BENCHMARKS.md, GameObject.Find).
        if type(name) is str and "/" not in name:
            object_id = _find_active(name)
            if not object_id:
                return None
            wrapper = _wrapper_of(object_id)
            return wrapper if wrapper is not None else _wrap(object_id)
        if not isinstance(name, str):
            raise TypeError(f"GameObject.Find: expected str, got {type(name).__name__}")
        if "/" not in name:
            return _wrap(_scene.find_active(name))
        rooted = name.startswith("/")
        parts = [part for part in name.split("/") if part]
        if not parts:
            return None
        for object_id in _scene.find_by_name(parts[-1]):
            candidate = _wrap(object_id)
            if candidate.activeInHierarchy and _path_matches(candidate, parts[:-1], rooted):
                return candidate
        return None

    @staticmethod
    def FindWithTag(tag):
        found = GameObject.FindGameObjectsWithTag(tag)
        return found[0] if found else None

    FindGameObjectWithTag = FindWithTag

    @staticmethod
    def FindGameObjectsWithTag(tag):
        _check_tag(tag)
        return [go for go in (_wrap(i) for i in _scene.game_objects())
                if go.activeInHierarchy and _scene.get(go._id, "m_TagString") == tag]

    @staticmethod
    def CreatePrimitive(primitive_type):
        kind = PrimitiveType._name_of(primitive_type, "GameObject.CreatePrimitive")
        go = GameObject(kind)
        _scene.set(go.AddComponent(MeshFilter)._id, "m_MeshName", kind)
        go.AddComponent(MeshRenderer)
        go.AddComponent(_PRIMITIVE_COLLIDERS[kind])
        return go

    @property
    def transform(self):
        return _wrap(_scene.get(self._alive_id("GameObject.transform"), "m_Transform"))

    @property
    def gameObject(self):
        return self

    @property
    def activeSelf(self):
        return _scene.get(self._alive_id("GameObject.activeSelf"), "m_IsActive")

    @property
    def activeInHierarchy(self):
        transform = self.transform
        while transform is not None:
            if not _scene.get(_scene.owner(transform._id), "m_IsActive"):
                return False
            transform = transform.parent
        return True

    def SetActive(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"GameObject.SetActive: expected bool, got {type(value).__name__}")
        _scene.set(self._alive_id("GameObject.SetActive"), "m_IsActive", value)

    @property
    def tag(self):
        return _scene.get(self._alive_id("GameObject.tag"), "m_TagString")

    @tag.setter
    def tag(self, value):
        _check_tag(value)
        _scene.set(self._alive_id("GameObject.tag"), "m_TagString", value)

    def CompareTag(self, tag):
        _check_tag(tag)
        return self.tag == tag

    @property
    def layer(self):
        return _scene.get(self._alive_id("GameObject.layer"), "m_Layer")

    @layer.setter
    def layer(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 31:
            raise UnityException(f"A game object can only be in one layer. The layer needs to be "
                                 f"in the range [0...31], got {value!r}")
        _scene.set(self._alive_id("GameObject.layer"), "m_Layer", value)

    @property
    def isStatic(self):
        return _scene.get(self._alive_id("GameObject.isStatic"), "m_IsStatic")

    @isStatic.setter
    def isStatic(self, value):
        _scene.set(self._alive_id("GameObject.isStatic"), "m_IsStatic", bool(value))

    def GetComponent(self, type_argument):
        name = _class_name(type_argument, "GameObject.GetComponent")
        for component_id in _scene.components(self._alive_id("GameObject.GetComponent")):
            if _scene.is_a(component_id, name):
                return _wrap(component_id)
        return None

    def GetComponents(self, type_argument):
        name = _class_name(type_argument, "GameObject.GetComponents")
        return [_wrap(c) for c in _scene.components(self._alive_id("GameObject.GetComponents"))
                if _scene.is_a(c, name)]

    def GetComponentInChildren(self, type_argument, includeInactive=False):
        found = self.GetComponentsInChildren(type_argument, includeInactive)
        return found[0] if found else None

    def GetComponentsInChildren(self, type_argument, includeInactive=False):
        found = []
        if includeInactive or self.activeInHierarchy:
            found.extend(self.GetComponents(type_argument))
        for child in self.transform._children():
            found.extend(child.gameObject.GetComponentsInChildren(type_argument, includeInactive))
        return found

    def AddComponent(self, type_argument):
        api = "GameObject.AddComponent"
        name = _class_name(type_argument, api)
        cls = _classes[name]
        if issubclass(cls, Transform):
            raise UnityException(f"{api}: '{self.name}' already has a Transform; a GameObject "
                                 f"has exactly one")
        if cls._abstract or not issubclass(cls, Component):
            raise UnityException(f"{api}: cannot add '{name}' (not a concrete Component)")
        return _wrap(_scene.add_component(self._alive_id(api), name))


def _path_matches(game_object, ancestors, rooted):
    parent = game_object.transform.parent
    for name in reversed(ancestors):
        if parent is None or parent.name != name:
            return False
        parent = parent.parent
    return not rooted or parent is None


def _check_tag(tag):
    if tag not in TAGS:
        raise UnityException(f"Tag: {tag} is not defined.")


class Component(Object):
    """UnityEngine.Component: something attached to a GameObject."""

    _schema_class = "Component"

    @property
    def gameObject(self):
        return _wrap(_scene.owner(self._alive_id("Component.gameObject")))

    @property
    def transform(self):
        return self.gameObject.transform

    @property
    def tag(self):
        return self.gameObject.tag

    def CompareTag(self, tag):
        return self.gameObject.CompareTag(tag)

    def GetComponent(self, type_argument):
        return self.gameObject.GetComponent(type_argument)

    def GetComponents(self, type_argument):
        return self.gameObject.GetComponents(type_argument)


def _vector(value, api):
    if not isinstance(value, Vector3):
        raise TypeError(f"{api}: expected a Vector3, got {type(value).__name__}")
    return value


def _quaternion(value, api):
    if not isinstance(value, Quaternion):
        raise TypeError(f"{api}: expected a Quaternion, got {type(value).__name__}")
    return value


class Transform(Component):
    """UnityEngine.Transform. position, rotation and lossyScale are in the
    world (composed through the parents); the local* ones are relative to
    the parent."""

    _schema_class = "Transform"

    def _read(self, field):
        return _scene.get(self._alive_id(f"Transform.{field}"), field)

    @property
    def localPosition(self):
        return Vector3(*self._read("m_LocalPosition"))

    @localPosition.setter
    def localPosition(self, value):
        value = _vector(value, "Transform.localPosition")
        _scene.set(self._alive_id("Transform.localPosition"), "m_LocalPosition", value._fields())

    @property
    def localRotation(self):
        return Quaternion(*self._read("m_LocalRotation"))

    @localRotation.setter
    def localRotation(self, value):
        value = _quaternion(value, "Transform.localRotation").normalized
        _scene.set(self._alive_id("Transform.localRotation"), "m_LocalRotation", value._fields())

    @property
    def localScale(self):
        return Vector3(*self._read("m_LocalScale"))

    @localScale.setter
    def localScale(self, value):
        value = _vector(value, "Transform.localScale")
        _scene.set(self._alive_id("Transform.localScale"), "m_LocalScale", value._fields())

    @property
    def localEulerAngles(self):
        return self.localRotation.eulerAngles

    @localEulerAngles.setter
    def localEulerAngles(self, value):
        self.localRotation = Quaternion.Euler(_vector(value, "Transform.localEulerAngles"))

    @property
    def position(self):
        parent = self.parent
        local = self.localPosition
        if parent is None:
            return local
        return parent.TransformPoint(local)

    @position.setter
    def position(self, value):
        value = _vector(value, "Transform.position")
        parent = self.parent
        self.localPosition = value if parent is None else parent.InverseTransformPoint(value)

    @property
    def rotation(self):
        parent = self.parent
        local = self.localRotation
        return local if parent is None else parent.rotation * local

    @rotation.setter
    def rotation(self, value):
        value = _quaternion(value, "Transform.rotation")
        parent = self.parent
        self.localRotation = value if parent is None else Quaternion.Inverse(
            parent.rotation) * value

    @property
    def eulerAngles(self):
        return self.rotation.eulerAngles

    @eulerAngles.setter
    def eulerAngles(self, value):
        self.rotation = Quaternion.Euler(_vector(value, "Transform.eulerAngles"))

    @property
    def lossyScale(self):
        parent = self.parent
        local = self.localScale
        return local if parent is None else Vector3.Scale(parent.lossyScale, local)

    def TransformPoint(self, point):
        point = _vector(point, "Transform.TransformPoint")
        return self.position + self.rotation * Vector3.Scale(self.lossyScale, point)

    def InverseTransformPoint(self, point):
        point = _vector(point, "Transform.InverseTransformPoint")
        local = Quaternion.Inverse(self.rotation) * (point - self.position)
        scale = self.lossyScale
        return Vector3(*(v / s if s != 0 else 0.0 for v, s in zip(local, scale)))

    def TransformDirection(self, direction):
        return self.rotation * _vector(direction, "Transform.TransformDirection")

    def InverseTransformDirection(self, direction):
        return Quaternion.Inverse(self.rotation) * _vector(
            direction, "Transform.InverseTransformDirection")

    @property
    def forward(self):
        return self.rotation * Vector3(0, 0, 1)

    @property
    def up(self):
        return self.rotation * Vector3(0, 1, 0)

    @property
    def right(self):
        return self.rotation * Vector3(1, 0, 0)

    def Translate(self, translation, relativeTo=None):
        translation = _vector(translation, "Transform.Translate")
        world = relativeTo == Space.World or relativeTo is Space.World
        self.position = self.position + (translation if world else self.TransformDirection(
            translation))

    def Rotate(self, eulers, *more):
        if more:
            eulers = Vector3(eulers, *more[:2])
        self.localRotation = self.localRotation * Quaternion.Euler(
            _vector(eulers, "Transform.Rotate"))

    @property
    def parent(self):
        return _wrap(self._read("m_Father"))

    @parent.setter
    def parent(self, value):
        self.SetParent(value, True)

    def SetParent(self, parent, worldPositionStays=True):
        if parent is not None and not isinstance(parent, Transform):
            raise TypeError(f"Transform.SetParent: expected a Transform or None, got "
                            f"{type(parent).__name__}")
        ancestor = parent
        while ancestor is not None:
            if ancestor is self:
                raise UnityException(f"Transform.SetParent: '{self.name}' cannot be parented "
                                     f"to itself or to one of its children")
            ancestor = ancestor.parent
        if worldPositionStays:
            position, rotation, scale = self.position, self.rotation, self.lossyScale
        _scene.attach(self._alive_id("Transform.SetParent"), parent._id if parent else 0)
        if worldPositionStays:
            self.position = position
            self.rotation = rotation
            parent_scale = parent.lossyScale if parent is not None else Vector3(1, 1, 1)
            self.localScale = Vector3(*(v / s if s != 0 else 0.0
                                        for v, s in zip(scale, parent_scale)))

    def _children(self):
        return [_wrap(child) for child in self._read("m_Children")]

    @property
    def childCount(self):
        return len(self._read("m_Children"))

    def GetChild(self, index):
        children = self._read("m_Children")
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(children):
            raise UnityException("Transform child out of bounds")
        return _wrap(children[index])

    def Find(self, name):
        for child in self._children():
            if child.name == name:
                return child
        return None

    @property
    def root(self):
        transform = self
        while transform.parent is not None:
            transform = transform.parent
        return transform

    def IsChildOf(self, parent):
        transform = self
        while transform is not None:
            if transform is parent:
                return True
            transform = transform.parent
        return False

    def GetSiblingIndex(self):
        parent = self.parent
        siblings = parent._read("m_Children") if parent is not None else [
            _scene.get(go, "m_Transform") for go in _scene.game_objects()
            if _wrap(go).transform.parent is None]
        return siblings.index(self._id)

    def __iter__(self):
        return iter(self._children())

    def __len__(self):
        return self.childCount


class Space:
    """UnityEngine.Space."""

    World = 0
    Self = 1


class Behaviour(Component):
    """UnityEngine.Behaviour: a component that can be disabled."""

    _schema_class = "Behaviour"

    @property
    def enabled(self):
        return _scene.get(self._alive_id("Behaviour.enabled"), "m_Enabled")

    @enabled.setter
    def enabled(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"enabled: expected bool, got {type(value).__name__}")
        _scene.set(self._alive_id("Behaviour.enabled"), "m_Enabled", value)

    @property
    def isActiveAndEnabled(self):
        return self.enabled and self.gameObject.activeInHierarchy


class Camera(Behaviour):
    """UnityEngine.Camera."""

    _schema_class = "Camera"

    @ClassProperty
    def allCameras():
        return [camera for camera in (_wrap(i) for i in _scene.objects_of_class("Camera"))
                if camera.isActiveAndEnabled]

    @ClassProperty
    def allCamerasCount():
        return len(Camera.allCameras)

    @ClassProperty
    def main():
        for camera in Camera.allCameras:
            if camera.gameObject.tag == "MainCamera":
                return camera
        return None


class Renderer(Component):
    """UnityEngine.Renderer."""

    _schema_class = "Renderer"
    enabled = Behaviour.enabled


class Collider(Component):
    """UnityEngine.Collider."""

    _schema_class = "Collider"
    enabled = Behaviour.enabled


class MeshFilter(Component):
    """UnityEngine.MeshFilter. sharedMesh is the primitive's mesh name."""

    _schema_class = "MeshFilter"

    @property
    def sharedMesh(self):
        return _scene.get(self._alive_id("MeshFilter.sharedMesh"), "m_MeshName") or None


class PrimitiveType:
    """UnityEngine.PrimitiveType (an enum: values are ints, as Python.NET's)."""

    @staticmethod
    def _name_of(value, api):
        for name, number in _scene.enum_values("PrimitiveType"):
            if value == number and not isinstance(value, bool):
                return name
        raise TypeError(f"{api}: expected a UnityEngine.PrimitiveType, got {value!r}")


for _name, _number in _scene.enum_values("PrimitiveType"):
    setattr(PrimitiveType, _name, _number)


# ---------------------------------------------------------------------------
# Classes the schema declares and this module has no hand-written class for
# (colliders, lights, project classes): their properties, generically.

_VALUE_TYPES = {"struct:Vector3": Vector3, "struct:Quaternion": Quaternion,
                "struct:Color": Color}


def _from_scene(value, spelling):
    """A property's value as the scene holds it, as Python sees it."""
    value_type = _VALUE_TYPES.get(spelling)
    if value_type is not None:
        return value_type(*value)
    if spelling.startswith("object:"):
        return _wrap(value)
    return value


def _to_scene(value, spelling, what):
    """`value` as the scene holds it; the scene checks plain values' types,
    this the types only Python knows (structs, the class of an object)."""
    value_type = _VALUE_TYPES.get(spelling)
    if value_type is not None:
        if not isinstance(value, value_type):
            raise TypeError(f"{what}: expected a {value_type.__name__}, "
                            f"got {type(value).__name__}")
        return value._fields()
    if spelling.startswith("object:"):
        if value is not None and not isinstance(value, _classes.get(spelling[7:], Object)):
            raise TypeError(f"{what}: expected a {spelling[7:]} or None, "
                            f"got {type(value).__name__}")
        return value._id if value is not None else None
    return value


def _generic_property(name, spelling):
    def read(self):
        return _from_scene(_scene.get(self._alive_id(f"{type(self).__name__}.{name}"), name),
                           spelling)

    def write(self, value):
        what = f"{type(self).__name__}.{name}"
        _scene.set(self._alive_id(what), name, _to_scene(value, spelling, what))

    return property(read, write, doc=f"{name} ({spelling})")


def _static_property(class_name, name, spelling):
    """A C# static property of a schema class, read and written on the class
    (`rpycUnitTests.ClientContactFlag = True`); the scene holds its value and
    checks its type as an instance property's."""

    def read():
        return _from_scene(_scene.get_static(class_name, name), spelling)

    def write(value):
        _scene.set_static(class_name, name,
                          _to_scene(value, spelling, f"{class_name}.{name}"))

    return ClassProperty(read, write)


_INTERNAL_CLASSES = {"SceneAsset", "SceneManager", "Scene", "Prefab"}
_namespaces = {}  # "Studio.Tools" -> its module
# The assemblies the project's classes are in, as clr.AddReference takes them:
# a class's declared `assembly`, or else its namespace (and the namespaces
# that hold it).
_assemblies = set()


def _build_classes():
    declared = {info["name"]: info for info in _scene.classes()}
    hand_written = {cls._schema_class: cls for cls in (
        Object, GameObject, Component, Transform, Behaviour, Camera, Renderer, Collider,
        MeshFilter)}

    def build(name):
        if name in _classes:
            return _classes[name]
        info = declared[name]
        cls = hand_written.get(name)
        if cls is None:
            parent = build(info["parent"])
            cls = EngineType(name, (parent,), {"__module__": __name__, "__doc__": info["doc"],
                                              "_schema_class": name})
        cls._abstract = info["abstract"]
        cls._namespace = info["namespace"]
        for property_name, spelling, _doc in info["properties"]:
            if property_name.startswith("m_") or hasattr(cls, property_name):
                continue
            setattr(cls, property_name, _generic_property(property_name, spelling))
        for property_name, spelling, _doc in info["static_properties"]:
            type.__setattr__(cls, property_name, _static_property(name, property_name, spelling))
        _classes[name] = cls
        return cls

    for name, info in declared.items():
        cls = build(name)
        if name in _INTERNAL_CLASSES:
            continue
        if info["assembly"]:
            _assemblies.add(info["assembly"])
        elif info["namespace"]:
            parts = info["namespace"].split(".")
            _assemblies.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        if info["namespace"]:
            _namespace_module(info["namespace"]).__dict__[name] = cls
            cls.__module__ = info["namespace"]
        else:
            globals()[name] = cls


def _namespace_module(namespace):
    """A project's C# namespace as an importable module (`from Studio.Tools import X`)."""
    import sys
    import types

    module = _namespaces.get(namespace)
    if module is None:
        module = types.ModuleType(namespace, f"The project's C# namespace {namespace}.")
        module.__getattr__ = module_getattr(namespace)
        module.__path__ = []
        sys.modules[namespace] = module
        _namespaces[namespace] = module
        if "." in namespace:
            outer, _, last = namespace.rpartition(".")
            setattr(_namespace_module(outer), last, module)
    return module


_build_classes()

_PRIMITIVE_COLLIDERS = {"Sphere": SphereCollider, "Capsule": CapsuleCollider,  # noqa: F821
                        "Cylinder": CapsuleCollider, "Cube": BoxCollider,  # noqa: F821
                        "Plane": MeshCollider, "Quad": MeshCollider}  # noqa: F821


# ---------------------------------------------------------------------------
# Static classes.

class _EditorState:
    """Play mode, which UnityEditor.EditorApplication sets."""

    is_playing = False


def _message(message):
    return message if isinstance(message, str) else "Null" if message is None else str(message)


class Debug(StaticClass):
    """UnityEngine.Debug: records on the engine's console, with their
    severities. Fast calls: any thread may log."""

    @staticmethod
    @fast
    def Log(message, context=None):
        _scene.log("log", _message(message))

    @staticmethod
    @fast
    def LogWarning(message, context=None):
        _scene.log("warning", _message(message))

    @staticmethod
    @fast
    def LogError(message, context=None):
        _scene.log("error", _message(message))

    @staticmethod
    @fast
    def LogFormat(format_string, *args):
        _scene.log("log", _format(format_string, args))

    @staticmethod
    @fast
    def LogWarningFormat(format_string, *args):
        _scene.log("warning", _format(format_string, args))

    @staticmethod
    @fast
    def LogErrorFormat(format_string, *args):
        _scene.log("error", _format(format_string, args))

    @staticmethod
    @fast
    def LogException(exception, context=None):
        _scene.log("error", f"{type(exception).__name__}: {exception}")


def _format(format_string, args):
    # C#'s composite format: {0}, {1}, ... (Python's str.format reads them the same way).
    return format_string.format(*(_message(arg) for arg in args))


class Application(StaticClass):
    """UnityEngine.Application, for the project in --project-dir."""

    @ClassProperty
    def dataPath():
        return os.path.join(_scene.project_dir(), "Assets").replace(os.sep, "/")

    @ClassProperty
    def persistentDataPath():
        return os.path.join(_scene.project_dir(), "Library", "PersistentData").replace(os.sep, "/")

    @ClassProperty
    def streamingAssetsPath():
        return Application.dataPath + "/StreamingAssets"

    @ClassProperty
    def isPlaying():
        return _EditorState.is_playing

    @ClassProperty
    def isEditor():
        return True

    @ClassProperty
    def unityVersion():
        return UNITY_VERSION

    @ClassProperty
    def productName():
        return os.path.basename(os.path.normpath(_scene.project_dir()))

    @ClassProperty
    def platform():
        return RuntimePlatform.LinuxEditor


class RuntimePlatform:
    """UnityEngine.RuntimePlatform (the values Python.NET shows as ints)."""

    OSXEditor = 0
    WindowsEditor = 7
    LinuxEditor = 16


__all__ = sorted(name for name, value in globals().items()
                 if not name.startswith("_") and isinstance(value, type))
