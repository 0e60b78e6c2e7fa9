"""What Unity's own Tests/rpyc client does with UnityEngine, with plain RPyC:
reach the module through root.import_module('UnityEngine'), create a
cylinder, rename it, find it by name and say so with Debug.Log. Name and
address come from UNDERSTUDY_CLIENT_NAME and UNDERSTUDY_RPC (unix:// or
tcp://); the cylinder's name is argv[1]."""

import sys
import time

from plain_client import PlainService, connect_and_serve


def main():
    name = sys.argv[1]
    conn = connect_and_serve(PlainService)

    UnityEngine = conn.root.import_module("UnityEngine")
    go = UnityEngine.GameObject.CreatePrimitive(UnityEngine.PrimitiveType.Cylinder)
    go.name = name
    found = UnityEngine.GameObject.Find(name)
    collider = found.GetComponent(UnityEngine.CapsuleCollider)
    UnityEngine.Debug.Log(f"created a cylinder named '{found.name}' "
                          f"(same object: {found.GetInstanceID() == go.GetInstanceID()}, "
                          f"collider: {collider is not None})")
    UnityEngine.Debug.LogWarning(f"position {found.transform.position}")
    while not conn.closed:
        time.sleep(0.1)


if __name__ == "__main__":
    main()
