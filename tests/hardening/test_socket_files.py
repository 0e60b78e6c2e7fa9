"""The files of the Unix socket (--socket PATH): PATH itself and PfU's lock
file PATH.lock. Another user who can write the socket's folder could plant a
link at PATH.lock (the engine used to follow it and truncate its target) or a
file at PATH (the engine used to delete it). Now the engine refuses to start,
naming what is there, and touches nothing. A planted link is refused rather
than stepped around (removed, or the lock taken elsewhere): the lock must
stay PATH.lock for the engine and a real PfU server to exclude each other, a
non-root engine could not remove another user's link from a sticky folder
such as /tmp anyway, and a link there is tampering worth stopping for, with
an error that names it. The folder itself must belong to the engine's user
(or root) and be writable by no one else, unless it has the sticky bit, as
/tmp has."""

import os
import re
import shutil
import socket
import stat
import tempfile
from pathlib import Path

import pytest

OTHER_UID = 65534  # nobody


@pytest.fixture
def folder():
    """A private folder with a short path (Unix socket paths are limited to
    107 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="understudy-files-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def refused(ended, *patterns):
    assert ended.returncode != 0, f"expected the engine to refuse to start, saw {ended}"
    assert ended.stdout == "", f"an engine that did not start announced itself: {ended}"
    lines = ended.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("understudy-engine: error: refusing to "), \
        f"expected one start-up error line, saw {ended.stderr!r} (log {ended.log_path})"
    for pattern in patterns:
        assert re.search(pattern, lines[0]), \
            f"expected {pattern!r} in the start-up error, saw {lines[0]!r}"
    return lines[0]


def test_a_link_planted_at_the_lock_file_is_refused_and_not_followed(understudy_engine, folder,
                                                                     tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("must survive\n")
    sock = folder / "engine.sock"
    lock = Path(f"{sock}.lock")
    lock.symlink_to(precious)

    ended = understudy_engine.run_to_exit(socket=sock)

    refused(ended, re.escape(f"{lock} is a symbolic link to {precious}"), "never following a link")
    assert precious.read_text() == "must survive\n", "the link's target was written to"
    assert lock.is_symlink() and not sock.exists(), "the engine changed the socket's folder"


def test_a_hard_link_planted_at_the_lock_file_is_refused_and_not_truncated(understudy_engine,
                                                                           folder):
    # A second name for a file (protected_hardlinks lets a user link only
    # files they own, root any): opening it would not follow anything, but
    # truncating it would empty the file.
    precious = folder / "precious.txt"
    precious.write_text("must survive\n")
    sock = folder / "engine.sock"
    os.link(precious, f"{sock}.lock")

    ended = understudy_engine.run_to_exit(socket=sock)

    refused(ended, re.escape(f"{sock}.lock has 2 names (hard links)"))
    assert precious.read_text() == "must survive\n", "the linked file was truncated"


def test_a_fifo_planted_at_the_lock_file_does_not_hang_the_start(understudy_engine, folder):
    sock = folder / "engine.sock"
    os.mkfifo(f"{sock}.lock")

    ended = understudy_engine.run_to_exit(socket=sock)

    refused(ended, re.escape(f"{sock}.lock is a FIFO owned by uid "))


def test_a_regular_file_at_the_socket_path_is_kept_and_named(understudy_engine, folder):
    sock = folder / "engine.sock"
    sock.write_text("not a socket\n")

    ended = understudy_engine.run_to_exit(socket=sock)

    refused(ended, re.escape(f"refusing to listen on {sock}: a regular file owned by uid "),
            "removes only a socket")
    assert sock.read_text() == "not a socket\n", "the file at the socket path was removed"


def test_a_socket_someone_else_serves_is_not_taken_over(understudy_engine, folder):
    sock = folder / "engine.sock"
    other_server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    other_server.bind(str(sock))
    other_server.listen(1)
    try:
        ended = understudy_engine.run_to_exit(socket=sock)
        refused(ended, re.escape(f"{sock}: a socket owned by uid "), "accepts connections")
        assert stat.S_ISSOCK(sock.lstat().st_mode), "the served socket was removed"
    finally:
        other_server.close()


def test_a_socket_left_by_a_server_that_died_is_replaced(understudy_engine, folder,
                                                         understudy_client):
    sock = folder / "engine.sock"
    dead_server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead_server.bind(str(sock))
    dead_server.close()  # its file stays, and no one listens on it

    engine = understudy_engine(socket=sock)

    assert engine.address == f"unix://{sock}"
    assert understudy_client("owner").root.dict(answer=42)["answer"] == 42


def test_a_folder_others_may_write_is_refused_unless_sticky(understudy_engine, folder,
                                                            understudy_client):
    os.chmod(folder, 0o777)
    sock = folder / "engine.sock"

    ended = understudy_engine.run_to_exit(socket=sock)

    refused(ended, re.escape(f"its folder {folder} is owned by uid {os.geteuid()} "),
            "with mode 0777: writable by its group and all users without the sticky bit")
    assert list(folder.iterdir()) == [], "the engine left files in a folder it refused"

    os.chmod(folder, 0o1777)  # as /tmp: others may create names, not replace ours
    engine = understudy_engine(socket=sock)
    assert engine.address == f"unix://{sock}"
    assert understudy_client("owner").root.dict(answer=1)["answer"] == 1
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600, oct(sock.stat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another uid needs root")
def test_a_folder_of_another_user_is_refused(understudy_engine, folder):
    os.chown(folder, OTHER_UID, OTHER_UID)
    sock = folder / "engine.sock"

    ended = understudy_engine.run_to_exit(socket=sock)

    refused(ended, re.escape(f"its folder {folder} is owned by uid {OTHER_UID}"),
            r"with mode 0700: only the engine's user \(uid \d+")
    assert list(folder.iterdir()) == [], "the engine left files in a folder it refused"
