"""Uses every root service the engine offers and logs one line per check to
the engine console (through the `log` service), so a scenario can expect them."""

import signal
import threading

import understudy_client as uc

client = uc.connect()
root = client.root
checks = {}
# Each execute without globals gets a new namespace (as in PfU): what one
# call leaves behind is read back through a dict of the engine's.
namespace = root.dict()
root.execute("root_services_value = 6 * 7", namespace)
checks["execute"] = root.execute("assert root_services_value == 42", namespace) is None
try:
    root.execute("root_services_value")
    checks["execute_fresh_namespace"] = False
except NameError:
    checks["execute_fresh_namespace"] = True
ue = root.import_module("unreal_engine")
checks["import_module"] = ue.get_editor_world().is_a(ue.find_class("World"))
checks["list"] = list(root.list((1, 2, 3))) == [1, 2, 3]
checks["dict"] = dict(root.dict(a=1)) == {"a": 1}
for name, ok in checks.items():
    root.log(f"root service {name}: {'ok' if ok else 'FAILED'}", "warning" if not ok else "log")
root.log("root services checked")
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(60)
client.close()
