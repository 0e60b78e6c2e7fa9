"""UnityEditor as Python for Unity shows it: the editor's selection, play
mode and menu items, progress bars (console records, as CI has no window)
and the AssetDatabase over the project's Assets/ folder (--project-dir).

Main thread only, as UnityEngine's objects (see UnityEngine's docstring).
"""

import hashlib
import os
import re

import _unity_scene as _scene
import UnityEngine
from _unity_support import CATALOG, ClassProperty, StaticClass, module_getattr
from UnityEngine import GameObject, Object, PrimitiveType, _EditorState, _from_instance_id, _wrap

__getattr__ = module_getattr(__name__)

MENU_ITEMS = tuple(CATALOG["menu_items"]["items"])


def _objects(values, api):
    if values is None:
        return []
    result = []
    for value in values:
        if not isinstance(value, Object):
            raise TypeError(f"{api}: expected UnityEngine.Object items, got {type(value).__name__}")
        result.append(value)
    return result


class Selection(StaticClass):
    """UnityEditor.Selection: what the editor has selected, most recent first
    for activeObject (Unity's active object is the last one selected)."""

    _selected = []  # Python objects; destroyed ones drop out on read

    @staticmethod
    def _alive():
        Selection._selected = [obj for obj in Selection._selected if obj]
        return Selection._selected

    @ClassProperty
    def objects():
        return list(Selection._alive())

    @objects.setter
    def objects(values):
        Selection._selected = _objects(values, "Selection.objects")

    @ClassProperty
    def activeObject():
        alive = Selection._alive()
        return alive[0] if alive else None

    @activeObject.setter
    def activeObject(value):
        Selection._selected = _objects([value] if value is not None else [],
                                       "Selection.activeObject")

    @ClassProperty
    def activeGameObject():
        active = Selection.activeObject
        return active if isinstance(active, GameObject) else None

    @activeGameObject.setter
    def activeGameObject(value):
        if value is not None and not isinstance(value, GameObject):
            raise TypeError(f"Selection.activeGameObject: expected a GameObject, got "
                            f"{type(value).__name__}")
        Selection.activeObject = value

    @ClassProperty
    def activeTransform():
        active = Selection.activeGameObject
        return active.transform if active is not None else None

    @ClassProperty
    def activeInstanceID():
        active = Selection.activeObject
        return active.GetInstanceID() if active is not None else 0

    @activeInstanceID.setter
    def activeInstanceID(value):
        Selection.activeObject = _from_instance_id(value)

    @ClassProperty
    def gameObjects():
        return [obj for obj in Selection._alive() if isinstance(obj, GameObject)]

    @ClassProperty
    def transforms():
        return [obj.transform for obj in Selection.gameObjects]

    @ClassProperty
    def instanceIDs():
        return [obj.GetInstanceID() for obj in Selection._alive()]

    @instanceIDs.setter
    def instanceIDs(values):
        selected = []
        for instance_id in values:
            obj = _from_instance_id(instance_id)
            if obj is not None:
                selected.append(obj)  # Unity drops ids of no object
        Selection._selected = selected

    @staticmethod
    def Contains(obj):
        if isinstance(obj, int) and not isinstance(obj, bool):
            return obj in Selection.instanceIDs
        return any(selected is obj for selected in Selection._alive())


class EditorApplication(StaticClass):
    """UnityEditor.EditorApplication."""

    @ClassProperty
    def isPlaying():
        return _EditorState.is_playing

    @isPlaying.setter
    def isPlaying(value):
        if not isinstance(value, bool):
            raise TypeError(f"EditorApplication.isPlaying: expected bool, got "
                            f"{type(value).__name__}")
        if value != _EditorState.is_playing:
            _EditorState.is_playing = value
            _scene.log("log", "EditorApplication: " + ("entered" if value else "exited") +
                       " play mode")

    @ClassProperty
    def isPaused():
        return False

    @ClassProperty
    def isCompiling():
        return False

    @staticmethod
    def EnterPlaymode():
        EditorApplication.isPlaying = True

    @staticmethod
    def ExitPlaymode():
        EditorApplication.isPlaying = False

    @staticmethod
    def ExecuteMenuItem(menu_item_path):
        action = _MENU_ACTIONS.get(menu_item_path)
        if action is None:
            # Unity's own error; the stand-in adds which items it has.
            _scene.log("error", f"ExecuteMenuItem failed because there is no menu named "
                                f"'{menu_item_path}' (Understudy's editor has the menu items "
                                f"docs/unity-api-coverage.md lists)")
            return False
        action()
        return True


def _create(make):
    def run():
        Selection.activeGameObject = make()
    return run


def _toggle_play():
    EditorApplication.isPlaying = not EditorApplication.isPlaying


def _recorded(path):
    return lambda: _scene.log("log", f"EditorApplication.ExecuteMenuItem: {path}")


_MENU_ACTIONS = {
    "GameObject/Create Empty": _create(lambda: GameObject("GameObject")),
    "GameObject/Camera": _create(lambda: GameObject("Camera", UnityEngine.Camera)),
    "Assets/Refresh": lambda: AssetDatabase.Refresh(),
    "Edit/Play": _toggle_play,
    "GameObject/Align View to Selected": _recorded("GameObject/Align View to Selected"),
    "File/Save": _recorded("File/Save"),
}
for _kind in ("Cube", "Sphere", "Capsule", "Cylinder", "Plane", "Quad"):
    _MENU_ACTIONS[f"GameObject/3D Object/{_kind}"] = _create(
        lambda kind=_kind: GameObject.CreatePrimitive(getattr(PrimitiveType, kind)))
if set(_MENU_ACTIONS) != set(MENU_ITEMS):
    raise RuntimeError("UnityEditor: the catalog's [menu_items] and the editor's actions differ: "
                       f"{sorted(set(_MENU_ACTIONS) ^ set(MENU_ITEMS))}")


class EditorUtility(StaticClass):
    """UnityEditor.EditorUtility. Progress bars and dialogs are console
    records (CI has no window): a tool's progress shows in the report."""

    @staticmethod
    def DisplayProgressBar(title, info, progress):
        _scene.log("log", f"EditorUtility.DisplayProgressBar: {title}: {info} "
                          f"({float(progress):.0%})")

    @staticmethod
    def DisplayCancelableProgressBar(title, info, progress):
        EditorUtility.DisplayProgressBar(title, info, progress)
        return False  # nobody presses Cancel in CI

    @staticmethod
    def ClearProgressBar():
        _scene.log("log", "EditorUtility.ClearProgressBar")

    @staticmethod
    def DisplayDialog(title, message, ok, cancel=""):
        _scene.log("warning", f"EditorUtility.DisplayDialog: {title}: {message} "
                              f"(answered '{ok}')")
        return True

    @staticmethod
    def InstanceIDToObject(instance_id):
        return _from_instance_id(instance_id)

    @staticmethod
    def SetDirty(target):
        if not isinstance(target, Object):
            raise TypeError(f"EditorUtility.SetDirty: expected a UnityEngine.Object, got "
                            f"{type(target).__name__}")

    @staticmethod
    def IsPersistent(target):
        return AssetDatabase.GetAssetPath(target) != ""


# ---------------------------------------------------------------------------
# The asset database.

# Extension -> (schema class, what FindAssets' t: filter calls it).
_ASSET_KINDS = {
    ".prefab": "Prefab", ".mat": "Material", ".png": "Texture2D", ".jpg": "Texture2D",
    ".jpeg": "Texture2D", ".tga": "Texture2D", ".psd": "Texture2D", ".cs": "MonoScript",
    ".txt": "TextAsset", ".json": "TextAsset", ".xml": "TextAsset", ".csv": "TextAsset",
    ".bytes": "TextAsset", ".md": "TextAsset", ".fbx": "Mesh", ".obj": "Mesh",
    ".unity": "SceneAsset",
}
_TYPE_FILTER_NAMES = {"Prefab": "GameObject", "SceneAsset": "SceneAsset"}
_META_GUID = re.compile(r"^guid:\s*([0-9a-fA-F]{32})\s*$", re.MULTILINE)


class _Asset:
    __slots__ = ("path", "guid", "kind", "folder")

    def __init__(self, path, guid, kind, folder):
        self.path, self.guid, self.kind, self.folder = path, guid, kind, folder


class _AssetIndex:
    """Assets/ as of the last Refresh (Unity sees new files only then)."""

    def __init__(self):
        self.by_path = {}
        self.by_guid = {}
        self.loaded = {}  # path -> engine id of its loaded object

    def scan(self):
        root = os.path.join(_scene.project_dir(), "Assets")
        by_path = {}
        if os.path.isdir(root):
            for folder, folders, files in os.walk(root):
                folders.sort()
                relative = os.path.relpath(folder, _scene.project_dir()).replace(os.sep, "/")
                if relative != "Assets":
                    by_path[relative] = self._asset(folder, relative, True)
                for name in sorted(files):
                    if name.endswith(".meta") or name.startswith("."):
                        continue
                    by_path[f"{relative}/{name}"] = self._asset(
                        os.path.join(folder, name), f"{relative}/{name}", False)
        self.by_path = by_path
        self.by_guid = {asset.guid: asset for asset in by_path.values()}

    @staticmethod
    def _asset(full_path, path, folder):
        guid = None
        try:
            with open(full_path + ".meta", encoding="utf-8") as meta:
                match = _META_GUID.search(meta.read())
                guid = match.group(1).lower() if match else None
        except OSError:
            pass
        if guid is None:
            # No .meta (Unity would write one): a GUID stable for the path.
            guid = hashlib.md5(path.encode("utf-8")).hexdigest()
        kind = "DefaultAsset" if folder else _ASSET_KINDS.get(
            os.path.splitext(path)[1].lower(), "DefaultAsset")
        return _Asset(path, guid, kind, folder)


_index = None


def _assets():
    global _index
    if _index is None:
        _index = _AssetIndex()
        _index.scan()
    return _index


def _type_matches(kind, type_name):
    if type_name == "Object":
        return True
    if _TYPE_FILTER_NAMES.get(kind) == type_name or kind == type_name:
        return True
    cls = UnityEngine._classes.get(kind)
    base = UnityEngine._classes.get(type_name)
    return cls is not None and base is not None and issubclass(cls, base)


class AssetDatabase(StaticClass):
    """UnityEditor.AssetDatabase over the project's Assets/ folder."""

    @staticmethod
    def Refresh(options=None):
        _assets().scan()
        _scene.log("log", "AssetDatabase.Refresh")

    @staticmethod
    def FindAssets(filter, searchInFolders=None):
        """GUIDs of the assets matching `filter`: words in the file name,
        t:Type for the asset's type; in path order."""
        words, types = [], []
        for token in filter.split():
            if token.startswith("t:"):
                types.append(token[2:])
            elif ":" in token and token.split(":", 1)[0] in ("l", "ref", "glob", "a", "b"):
                raise UnityEngine.NotEmulatedError(
                    f"UnityEditor.AssetDatabase.FindAssets filter '{token}'")
            else:
                words.append(token.lower())
        folders = None
        if searchInFolders is not None:
            folders = [folder.rstrip("/") for folder in ([searchInFolders] if isinstance(
                searchInFolders, str) else searchInFolders)]
        found = []
        for path in sorted(_assets().by_path):
            asset = _assets().by_path[path]
            if folders is not None and not any(path.startswith(f + "/") for f in folders):
                continue
            name = os.path.splitext(os.path.basename(path))[0].lower()
            if not all(word in name for word in words):
                continue
            if types and not any(_type_matches(asset.kind, t) for t in types):
                continue
            found.append(asset.guid)
        return found

    @staticmethod
    def GUIDToAssetPath(guid):
        asset = _assets().by_guid.get(str(guid).lower())
        return asset.path if asset else ""

    @staticmethod
    def AssetPathToGUID(path):
        asset = _assets().by_path.get(path.rstrip("/"))
        return asset.guid if asset else ""

    @staticmethod
    def IsValidFolder(path):
        if path.rstrip("/") == "Assets":
            return True
        asset = _assets().by_path.get(path.rstrip("/"))
        return bool(asset and asset.folder)

    @staticmethod
    def GetSubFolders(path):
        prefix = path.rstrip("/") + "/"
        return [p for p, asset in sorted(_assets().by_path.items())
                if asset.folder and p.startswith(prefix) and "/" not in p[len(prefix):]]

    @staticmethod
    def CreateFolder(parentFolder, newFolderName):
        if not AssetDatabase.IsValidFolder(parentFolder):
            _scene.log("error", f"AssetDatabase.CreateFolder: parent folder '{parentFolder}' "
                                f"does not exist")
            return ""
        path = f"{parentFolder.rstrip('/')}/{newFolderName}"
        os.makedirs(os.path.join(_scene.project_dir(), path), exist_ok=True)
        _assets().scan()
        return AssetDatabase.AssetPathToGUID(path)

    @staticmethod
    def LoadAssetAtPath(assetPath, type_argument):
        asset = _assets().by_path.get(assetPath)
        if asset is None:
            return None
        type_name = UnityEngine._class_name(type_argument, "AssetDatabase.LoadAssetAtPath")
        if not _type_matches(asset.kind, type_name):
            return None
        return AssetDatabase._load(asset)

    @staticmethod
    def LoadMainAssetAtPath(assetPath):
        asset = _assets().by_path.get(assetPath)
        return AssetDatabase._load(asset) if asset else None

    @staticmethod
    def _load(asset):
        index = _assets()
        object_id = index.loaded.get(asset.path)
        if object_id is None or not _scene.valid(object_id):
            object_id = _scene.create_asset(asset.kind, asset.path)
            index.loaded[asset.path] = object_id
        return _wrap(object_id)

    @staticmethod
    def GetAssetPath(asset):
        if isinstance(asset, Object):
            for path, object_id in _assets().loaded.items():
                if object_id == asset._id:
                    return path
        return ""


__all__ = ["Selection", "EditorApplication", "EditorUtility", "AssetDatabase"]
