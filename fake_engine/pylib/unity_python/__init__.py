"""The engine side of Python for Unity 2.x's `unity_python` package, written
for Understudy: what engine-side code of a Unity project imports
(`unity_python.server.server`, `unity_python.server.settings`). Clients do
not use this package: they run PfU's own client package
(`unity_python.client`), which is not part of Understudy."""
