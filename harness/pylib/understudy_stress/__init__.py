"""understudy_stress: the Python processes of `understudy stress`.

- worker: a client process holding many connections to the engine (or to
  the plain RPyC baseline server), each making calls on the client-to-engine
  paths and answering the engine's calls; every call's timing goes to the
  conductor's collector.
- plain_server: the baseline, a plain RPyC ThreadedServer offering the same
  root services and calling its clients the way the engine does, outside any
  engine.
- collector: the wire format both use to send timings to the conductor.
"""
