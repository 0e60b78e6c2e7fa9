# must-fail: writes of C# static properties are lost, so empty_client.py's execute never sets rpycUnitTests.ClientContactFlag; TestClientWithoutServices must time out waiting for it
# flow: test_client_without_services
# expect-output: rpycUnitTests.ClientContactFlag to be set
import _unity_scene


def dropped(class_name, name, value):
    """Accepts the write and keeps nothing."""


_unity_scene.set_static = dropped
