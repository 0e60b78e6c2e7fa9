"""The Unix socket (--socket PATH) admits its owner only: the file is mode
0600, so another user's connect() fails with EACCES; and if the mode were
loosened, the engine still refuses a peer of another uid (SO_PEERCRED) and
says so. The other user is a real process that dropped to uid/gid 65534."""

import os
import re
import subprocess
import sys

import pytest

OTHER_UID = 65534  # nobody

# Run as the other user: connect to the socket, report what happened.
_CONNECT_AS_OTHER = """
import errno, socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.settimeout(5)
try:
    sock.connect(sys.argv[1])
except OSError as exc:
    print("connect failed:", errno.errorcode.get(exc.errno, exc.errno))
    sys.exit(0)
print("connected as uid", __import__("os").getuid(), flush=True)
try:
    data = sock.recv(100)
    print("closed by the engine" if not data else f"engine sent {len(data)} bytes")
except ConnectionResetError:
    print("closed by the engine")
except socket.timeout:
    print("still open after 5 s")
"""

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="switching to another uid needs root")


def as_other_user(socket_path):
    done = subprocess.run([sys.executable, "-c", _CONNECT_AS_OTHER, str(socket_path)],
                          user=OTHER_UID, group=OTHER_UID, extra_groups=[], cwd="/",
                          capture_output=True, text=True, timeout=15)
    assert done.returncode == 0, done
    return done.stdout.strip()


@pytest.fixture
def socket_engine(understudy_engine):
    engine = understudy_engine(socket=True)
    # The private directory is 0700; let the other user reach the socket file
    # itself, so that the socket's own mode is what is tested.
    os.chmod(engine.socket_path.parent, 0o711)
    return engine


def test_another_user_gets_eacces_and_the_owner_connects(socket_engine, understudy_client):
    assert oct(os.stat(socket_engine.socket_path).st_mode & 0o777) == "0o600"
    assert as_other_user(socket_engine.socket_path) == "connect failed: EACCES"
    client = understudy_client("owner")
    assert client.root.dict(answer=42)["answer"] == 42


def test_another_user_is_refused_even_if_the_mode_is_loosened(socket_engine, understudy_client):
    os.chmod(socket_engine.socket_path, 0o666)
    mark = socket_engine.console_mark()
    said = as_other_user(socket_engine.socket_path)
    assert said.splitlines() == [f"connected as uid {OTHER_UID}", "closed by the engine"], said
    socket_engine.wait_for_console(
        rf"^closing connection from unix socket peer pid \d+ uid {OTHER_UID}: uid {OTHER_UID} is "
        rf"not the engine's user \(uid {os.geteuid()}\)$", since=mark, severity="warning")
    client = understudy_client("owner")
    assert client.root.dict(answer=42)["answer"] == 42
    owner_line = socket_engine.wait_for_console(r"^client 'owner' connected from ", since=mark)
    assert re.search(rf"unix socket peer pid {os.getpid()} uid {os.geteuid()}", owner_line.text)
