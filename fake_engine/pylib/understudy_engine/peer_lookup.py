"""Which process is at the other end of a client's socket: deadlock reports
name the client processes in a cycle, so that a harness can ask each for its
stack, and the pytest plugin matches connections to the clients it started.

Separate from the sessions because it asks the kernel, not the client: a
Unix socket says who its peer is (SO_PEERCRED), a loopback TCP connection
does not, so its socket is looked up in /proc among this user's processes.
The lookups are best effort: None whenever the answer is not there."""

import os
import socket
import struct


def unix_peer_credentials(sock):
    """(pid, uid) of the process at the other end of Unix socket `sock`, as
    the kernel recorded them when it connected; OSError if it cannot say."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    return pid, uid


def socket_peer_pid(sock):
    """The pid of the process at the other end of a connected socket, or
    None."""
    try:
        if sock.family == socket.AF_UNIX:
            return unix_peer_credentials(sock)[0]
        inode = _tcp_inode(sock.getpeername()[1], sock.getsockname()[1])
        return _pid_of_inode(inode) if inode else None
    except OSError:
        return None


def _tcp_inode(client_port, server_port):
    """The inode of the client's end of a loopback TCP connection: the row
    of the kernel's table whose local port is the client's and remote port
    the server's."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, remote, inode = fields[1], fields[2], fields[9]
                    if (int(local.rsplit(":", 1)[1], 16) == client_port
                            and int(remote.rsplit(":", 1)[1], 16) == server_port):
                        return inode
        except OSError:
            continue
    return None


def _pid_of_inode(inode):
    """The process, other than the engine itself, with a descriptor on
    socket `inode`; only this user's processes can be read."""
    target = f"socket:[{inode}]"
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            fd_dir = f"/proc/{pid}/fd"
            for fd in os.listdir(fd_dir):
                if os.readlink(f"{fd_dir}/{fd}") == target:
                    return int(pid)
        except OSError:
            continue
    return None
