"""UnixSocketFiles: the two files a Unix-socket server owns at PATH, the
socket itself and PfU's lock file PATH.lock, created and removed so that
another user cannot turn them against the engine.

PfU's server (unity_python/server/lockfile.py) takes lockf on PATH.lock
before it removes a stale socket at PATH, so that two servers on one path
exclude each other; the engine takes the same lock so that it and a real PfU
server exclude each other too. PfU opens the lock file with open(PATH.lock,
"w"), which follows a symbolic link and truncates what it points to: a link
planted by another user made a root engine truncate a root-owned file. Here:

- the folder of PATH must belong to the engine's user or root, and must not
  be writable by others unless it has the sticky bit (as /tmp has), or
  another user could replace the socket or the lock file between our checks
  and our use of them;
- PATH.lock is opened without following a link and without truncating, and
  must be a regular file of the engine's user with one name;
- whatever is at PATH is removed only if it is a socket of the engine's user
  that no one serves: the lock says no engine or PfU server holds it, and a
  connect() that is refused says no other program listens on it;
- at stop, each file is removed only if it is still the one the engine made.

Each refusal is a SocketFileError whose message names the path, what is
there and what to do."""

import errno
import fcntl
import os
import pwd
import socket
import stat


class SocketFileError(RuntimeError):
    """The socket's folder, lock file or path cannot be used safely; the
    message says which and why."""


# Seconds a connect() to a socket left at PATH may take to tell whether
# someone serves it: a server with a full backlog does not answer at once.
STALE_SOCKET_PROBE_TIMEOUT = 1.0
# Times the lock is taken again when its file was replaced while we took it
# (its previous owner removed it as it stopped, as PfU and the engine do).
LOCK_ATTEMPTS = 5


def _user_text(uid):
    try:
        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"uid {uid}"


def _kind_text(mode):
    kinds = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISREG, "a regular file"),
             (stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"))
    return next((text for test, text in kinds if test(mode)), "a special file")


def describe_entry(path):
    """What is at `path`, not following a link: "a symbolic link to T owned
    by uid N (name)", "a regular file owned by ...", or "nothing"."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "nothing"
    except OSError as exc:
        return f"something that cannot be examined ({exc.strerror})"
    what = _kind_text(st.st_mode)
    if stat.S_ISLNK(st.st_mode):
        try:
            what += f" to {os.readlink(path)}"
        except OSError:
            pass
    return f"{what} owned by {_user_text(st.st_uid)}"


def _identity(st):
    return st.st_dev, st.st_ino


class UnixSocketFiles:
    """claim() before binding PATH, bound() after, release() at stop (also
    after a failed bind). Not thread-safe: the server's start and stop run on
    the main thread."""

    def __init__(self, path):
        self.path = path
        self.lock_path = path + ".lock"
        self._lock_fd = None
        self._lock_identity = None
        self._socket_identity = None

    def claim(self):
        """Checks the folder, takes the lock and clears a stale socket at
        PATH, so that PATH is free to bind. SocketFileError if any of it is
        unsafe or taken; nothing is held then."""
        self._check_folder()
        self._take_lock()
        try:
            self._clear_stale_socket()
        except SocketFileError:
            self.release()
            raise

    def bound(self):
        """Records the socket just bound at PATH as the engine's, to be
        removed at release()."""
        self._socket_identity = _identity(os.lstat(self.path))

    def release(self):
        """Removes the socket and the lock file if they are still the ones
        the engine made, then drops the lock. Both names go while the lock is
        still held, so that no other server can take the lock of a file that
        is about to vanish."""
        if self._socket_identity is not None:
            self._unlink_if_ours(self.path, self._socket_identity)
            self._socket_identity = None
        if self._lock_fd is not None:
            self._unlink_if_ours(self.lock_path, self._lock_identity)
            os.close(self._lock_fd)
            self._lock_fd = None
            self._lock_identity = None

    def _refuse(self, why):
        return SocketFileError(f"refusing to listen on {self.path}: {why}")

    def _check_folder(self):
        folder = os.path.dirname(os.path.abspath(self.path))
        try:
            st = os.stat(folder)  # the folder the socket lands in, links followed
        except OSError as exc:
            raise self._refuse(f"its folder {folder} cannot be examined: {exc.strerror}") from None
        me = os.geteuid()
        where = (f"its folder {folder} is owned by {_user_text(st.st_uid)} with mode "
                 f"{stat.S_IMODE(st.st_mode):04o}")
        if st.st_uid not in (me, 0):
            raise self._refuse(
                f"{where}: only the engine's user ({_user_text(me)}) or root may own it, or its "
                "owner could replace the socket or its lock file; use a folder of your own")
        writers = [who for bit, who in ((stat.S_IWGRP, "its group"), (stat.S_IWOTH, "all users"))
                   if st.st_mode & bit]
        if writers and not st.st_mode & stat.S_ISVTX:
            raise self._refuse(
                f"{where}: writable by {' and '.join(writers)} without the sticky bit, so "
                "another user could replace the socket or its lock file; use a folder only its "
                "owner can write (chmod go-w), or one with the sticky bit as /tmp has")

    def _take_lock(self):
        for _ in range(LOCK_ATTEMPTS):
            fd = self._open_lock_file()
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise self._refuse(f"cannot lock {self.lock_path}: {exc.strerror}") from None
                raise SocketFileError(
                    f"{self.path} is already served by another engine or editor (its lock "
                    f"{self.lock_path} is held); only one server per socket (PfU: one per user "
                    "and TMPDIR)") from None
            locked = _identity(os.fstat(fd))
            try:
                current = _identity(os.lstat(self.lock_path))
            except FileNotFoundError:
                current = None
            if current == locked:
                self._lock_fd, self._lock_identity = fd, locked
                return
            # The server that held it removed it as it stopped: take the new one.
            os.close(fd)
        raise self._refuse(f"its lock file {self.lock_path} kept being replaced while the engine "
                           f"took it ({LOCK_ATTEMPTS} attempts)")

    def _open_lock_file(self):
        """PATH.lock opened for lockf (which needs write access), created mode
        0600 if missing: never through a link, never truncated, and only a
        regular file of the engine's user with no other name."""
        flags = (os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
                 | os.O_NONBLOCK)  # a FIFO planted there must not block the engine
        try:
            fd = os.open(self.lock_path, flags, 0o600)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EACCES, errno.EPERM):
                raise self._refuse(self._unusable_lock_text(describe_entry(self.lock_path))) \
                    from None
            raise self._refuse(f"cannot open its lock file {self.lock_path}: "
                               f"{exc.strerror}") from None
        st = os.fstat(fd)
        problem = None
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            problem = self._unusable_lock_text(
                f"{_kind_text(st.st_mode)} owned by {_user_text(st.st_uid)}")
        elif st.st_nlink != 1:
            problem = (f"its lock file {self.lock_path} has {st.st_nlink} names (hard links): it "
                       "may be another file linked there, which the engine will not lock or "
                       "remove; remove that name if it is yours")
        if problem:
            os.close(fd)
            raise self._refuse(problem)
        return fd

    def _unusable_lock_text(self, what):
        return (f"its lock file {self.lock_path} is {what}; the engine uses only a regular file "
                "of its own user there, never following a link (whoever planted one could make "
                "the engine overwrite the file it points to); remove it if it is yours")

    def _clear_stale_socket(self):
        """Removes what a server that stopped without cleaning up left at
        PATH (the lock, held now, says no engine or PfU server serves it);
        refuses anything else."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self._refuse(f"what is there cannot be examined: {exc.strerror}") from None
        what = describe_entry(self.path)
        if not stat.S_ISSOCK(st.st_mode):
            raise self._refuse(
                f"{what} is there, and the engine removes only a socket of its own that no one "
                "serves; move it away or choose another --socket")
        if st.st_uid != os.geteuid():
            raise self._refuse(f"{what} is there, not the engine's user's; remove it or choose "
                               "another --socket")
        if self._someone_serves():
            raise self._refuse(
                f"{what} is there and accepts connections although its lock {self.lock_path} "
                "is free: a server that does not take PfU's lock serves it")
        try:
            os.unlink(self.path)
        except OSError as exc:
            raise self._refuse(f"{what} is there, left by a server that stopped, and cannot be "
                               f"removed: {exc.strerror}") from None

    def _someone_serves(self):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(STALE_SOCKET_PROBE_TIMEOUT)
        try:
            probe.connect(self.path)
            return True
        except ConnectionRefusedError:
            return False  # nothing listens on it: left behind
        except OSError as exc:  # a timeout (full backlog) included: someone is there
            raise self._refuse(f"cannot tell whether anyone serves the socket there: "
                               f"{exc.strerror or exc}") from None
        finally:
            probe.close()

    @staticmethod
    def _unlink_if_ours(path, identity):
        try:
            if _identity(os.lstat(path)) == identity:
                os.unlink(path)
        except OSError:
            pass  # already gone
