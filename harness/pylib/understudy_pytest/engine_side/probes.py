"""Engine-side queries for EngineProcess: its connection defines them once by
sending this file through execute() on the main thread, then calls them on
the connection's thread, so they answer while the main thread is busy."""

import understudy_engine
import understudy_engine.server as server_module

_server = next(value for value in vars(understudy_engine).values()
               if isinstance(value, server_module.RpcServer))


def connected_clients():
    return tuple(sorted(understudy_engine.connected_clients().items()))


def registered_clients():
    infos = [_server.info_of(conn) for conn in understudy_engine.registry.connections()]
    return tuple((info.name, server_module.peer_pid(info)) for info in infos if info is not None)
