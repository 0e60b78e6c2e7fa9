"""Calls UnityEngine API the stand-in does not emulate (physics): the call
must fail loudly, naming the API and the coverage page, not return None."""

import UnityEngine

UnityEngine.Physics.Raycast(UnityEngine.Vector3.zero, UnityEngine.Vector3.forward)
