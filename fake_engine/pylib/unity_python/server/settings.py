"""PfU 2.x's unity_python.server.settings: where the server listens and how
long a job drain lasts. `unity_server_path` is the Unix socket this engine
serves (--socket, else PfU's path under TMPDIR for this user)."""

import getpass
import tempfile

import understudy_engine

whoami = getpass.getuser()
tempdir = tempfile.gettempdir()
unity_server_path = understudy_engine.rpc_server.socket_path()

# The main thread drains its queue for up to this long per editor update.
process_jobs_max_batch_time = 1 / 90
