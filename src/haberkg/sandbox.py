"""Cut a process off from the network before it evaluates untrusted SPARQL, SHACL or OWL.

``confine()`` applies up to two independent layers to the calling process. Both are
irreversible, and both are inherited by every process it starts afterwards (fork, spawn,
``subprocess``, the Java VM that runs HermiT, ...).

``netns``: a new, empty network namespace (``unshare(2)``).
  Guarantees: the process sees a single loopback interface that is down. No address is
  reachable: not the internet, not the LAN, not the host's own 127.0.0.1 or ::1, so a
  server on the host that listens on loopback is out of reach too. Works for every
  protocol family, including raw and packet sockets.
  How: ``CLONE_NEWNET`` if the process has CAP_SYS_ADMIN (root); otherwise
  ``CLONE_NEWUSER | CLONE_NEWNET`` in one call, then the process maps its own uid and gid
  onto themselves (``setgroups`` = ``deny``), so file access works as before.
  Does not guarantee: path-based AF_UNIX sockets stay reachable (they are files; a local
  daemon such as nscd, systemd-resolved or a Docker socket still answers, and name
  lookups through such a daemon still happen). Abstract AF_UNIX sockets belong to the
  namespace and become unreachable. Sockets opened before ``confine()`` keep working
  (``confine()`` logs a warning if it finds any). A root process can undo the layer with
  ``setns(2)`` on another process's ``/proc/PID/ns/net`` (it holds CAP_SYS_ADMIN); a
  non-root process cannot. Needs a single-threaded caller: ``unshare(CLONE_NEWUSER)``
  refuses a multi-threaded process, and ``unshare(CLONE_NEWNET)`` would move only the
  calling thread, so the layer is refused (with that reason) when more than one thread
  runs. In the user-namespace variant, setuid programs (sudo, su, ping) lose their power.

``seccomp``: a seccomp BPF filter (after ``PR_SET_NO_NEW_PRIVS``) on all threads.
  Guarantees: ``socket(2)`` fails with EACCES for every family except AF_UNIX (AF_INET,
  AF_INET6, AF_NETLINK, AF_PACKET, AF_VSOCK, AF_BLUETOOTH, ...), and ``io_uring_setup(2)``
  fails with ENOSYS, because io_uring can create sockets without a ``socket`` syscall. A
  syscall made through another ABI than the one the filter was written for (i386
  ``int 0x80`` or x32 on x86_64, AArch32 on aarch64) kills the process. Every other
  syscall is allowed. Works for multi-threaded callers (``SECCOMP_FILTER_FLAG_TSYNC``).
  Does not guarantee: AF_UNIX sockets stay allowed (multiprocessing needs them), path and
  abstract ones alike, and with them the ability to receive an already-connected network
  socket from another process (``SCM_RIGHTS``). Sockets, and io_uring instances, created
  before ``confine()`` keep working. ``pidfd_getfd(2)`` can still copy a socket out of
  another process the caller may ptrace. ``PR_SET_NO_NEW_PRIVS`` stops setuid programs
  from gaining privileges. Only x86_64 and aarch64 (64-bit, little-endian) are supported.

Together the layers cover each other's gaps: a stolen or received socket still works
under seccomp alone but reaches nothing useful from an empty namespace, and a root
process that ``setns(2)``s back into the host's namespace still cannot create a socket.

Platforms without these features (macOS, Windows, kernels without user namespaces or
seccomp filters, containers whose policy forbids ``unshare`` or nested filters) make
``confine()`` apply what works and raise ``SandboxUnavailable`` if nothing does;
``probe()`` says beforehand what would work and why the rest would not. This module has
no environment switches; callers choose layers explicitly.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from typing import NamedTuple

__all__ = ["LAYERS", "SandboxUnavailable", "confine", "probe", "status"]

LAYERS: tuple[str, ...] = ("netns", "seccomp")

_log = logging.getLogger(__name__)


class SandboxUnavailable(Exception):
    """No layer of the sandbox could be applied here; str() says why, in one line."""


class _Refused(Exception):
    """One layer could not be applied; the message is the reason (one line)."""


# The layers in force in this process, in LAYERS order. Only this module's own calls are
# recorded: a process that inherited confinement from its parent starts with an empty
# record (the kernel keeps no label we could read back).
_in_force: list[str] = []
_lock = threading.Lock()

_PROBE_TIMEOUT = 10.0  # seconds a probe child may take before it is killed


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------

_libc_handle: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL:
    """The C library of this process, with errno capture and the prototypes we use."""
    global _libc_handle
    if _libc_handle is None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.unshare.argtypes = [ctypes.c_int]
        libc.unshare.restype = ctypes.c_int
        libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                               ctypes.c_ulong]
        libc.prctl.restype = ctypes.c_int
        libc.syscall.restype = ctypes.c_long  # variadic: arguments passed as c_long
        _libc_handle = libc
    return _libc_handle


def _errno_text(err: int) -> str:
    name = errno.errorcode.get(err, str(err))
    return f"{name} ({os.strerror(err)})"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _read(path: str) -> str | None:
    """A small (/proc) text file, or None. Bytes are decoded by hand: no codec lookup, so
    this works even where the standard library can no longer be imported from."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def _status_field(name: str) -> str | None:
    """A field of /proc/self/status, e.g. 'CapEff' or 'Seccomp'."""
    text = _read("/proc/self/status") or ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == name:
            return value.strip()
    return None


def _thread_count() -> int:
    """Threads of this process: the kernel's count (native threads included) or Python's."""
    try:
        kernel = len(os.listdir("/proc/self/task"))
    except OSError:
        kernel = 0
    return max(kernel, threading.active_count())


def _has_capability(bit: int) -> bool:
    value = _status_field("CapEff")
    try:
        return value is not None and bool(int(value, 16) >> bit & 1)
    except ValueError:
        return False


def _netns_inode() -> int | None:
    try:
        return os.stat("/proc/self/ns/net").st_ino
    except OSError:
        return None


# inode column of /proc/self/net/<table>: 9 for the inet tables, 8 for packet sockets
_NET_TABLES = {"tcp": 9, "tcp6": 9, "udp": 9, "udp6": 9, "udplite": 9, "udplite6": 9,
               "raw": 9, "raw6": 9, "packet": 8}


def _network_socket_fds() -> list[int]:
    """Descriptors of this process that are network (inet, inet6, packet) sockets."""
    by_inode: dict[str, int] = {}
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return []
    for name in names:
        try:
            link = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if link.startswith("socket:[") and name.isdigit():
            by_inode[link[8:-1]] = int(name)
    if not by_inode:
        return []
    found: set[int] = set()
    for table, column in _NET_TABLES.items():
        for line in (_read(f"/proc/self/net/{table}") or "").splitlines()[1:]:
            fields = line.split()
            if len(fields) > column and fields[column] in by_inode:
                found.add(by_inode[fields[column]])
    return sorted(found)


def _linux_reason() -> str | None:
    if not sys.platform.startswith("linux"):
        return f"needs Linux (this is {sys.platform})"
    return None


# ---------------------------------------------------------------------------------------
# netns layer
# ---------------------------------------------------------------------------------------

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_CAP_SYS_ADMIN = 21
_PR_GET_DUMPABLE = 3
_PR_SET_DUMPABLE = 4


def _netns_precheck() -> str | None:
    """Why the netns layer cannot be applied in this process, judged without trying."""
    reason = _linux_reason()
    if reason:
        return reason
    if _netns_inode() is None:
        return "the kernel has no network namespaces (/proc/self/ns/net is missing)"
    threads = _thread_count()
    if threads > 1:
        if _has_capability(_CAP_SYS_ADMIN):
            why = "unshare(CLONE_NEWNET) would move only the calling thread"
        else:
            why = "unshare(CLONE_NEWUSER) accepts only a single-threaded process"
        return (f"the process runs {threads} threads and {why}; call confine() before "
                "any thread starts")
    return None


def _userns_hint(err: int) -> str:
    """What usually stands behind a failed unprivileged unshare(CLONE_NEWUSER)."""
    hints = []
    if _read("/proc/sys/user/max_user_namespaces") == "0\n":
        hints.append("user namespaces are disabled (sysctl user.max_user_namespaces = 0)")
    if _read("/proc/sys/kernel/unprivileged_userns_clone") == "0\n":
        hints.append("unprivileged user namespaces are disabled "
                     "(sysctl kernel.unprivileged_userns_clone = 0)")
    if _read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1\n":
        hints.append("AppArmor restricts unprivileged user namespaces "
                     "(sysctl kernel.apparmor_restrict_unprivileged_userns = 1)")
    if not hints and err == errno.EINVAL:
        hints.append("kernel without user namespaces (CONFIG_USER_NS)?")
    if not hints and err == errno.EPERM:
        hints.append("a container or seccomp policy forbids it?")
    if not hints and err in (errno.ENOSPC, errno.EUSERS):
        hints.append("too many nested or existing user namespaces")
    return f" [{'; '.join(hints)}]" if hints else ""


def _write_proc(path: str, text: str) -> None:
    """Write a /proc control file in one write(2), as the kernel requires."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def _apply_netns() -> str | None:
    """Move the process into a new, empty network namespace; returns a warning or None."""
    reason = _netns_precheck()
    if reason:
        raise _Refused(reason)
    libc = _libc()
    before = _netns_inode()
    failures = []
    warning = None
    if _has_capability(_CAP_SYS_ADMIN):
        if libc.unshare(_CLONE_NEWNET) == 0:
            _verify_netns(before)
            return None
        failures.append(f"unshare(CLONE_NEWNET) failed: {_errno_text(ctypes.get_errno())}")
    uid, gid = os.geteuid(), os.getegid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        failures.append(f"unshare(CLONE_NEWUSER|CLONE_NEWNET) failed: {_errno_text(err)}"
                        + _userns_hint(err))
        raise _Refused("; ".join(failures))
    # From here on the network is gone whatever happens. Keep our own uid and gid, so that
    # files look and behave as before; the kernel wants setgroups denied before gid_map.
    # A process that changed its uid (e.g. dropped root) is not "dumpable", which makes its
    # /proc/self files root's; it must be dumpable for the moment it writes them.
    dumpable = libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0)
    try:
        if dumpable == 0:
            libc.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)
        if os.path.exists("/proc/self/setgroups"):  # absent before Linux 3.19
            _write_proc("/proc/self/setgroups", "deny")
        _write_proc("/proc/self/uid_map", f"{uid} {uid} 1")
        _write_proc("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError as exc:
        warning = (f"network namespace in force, but the uid/gid map could not be written "
                   f"({_one_line(str(exc))}{_userns_hint(exc.errno or 0)}): the process now "
                   "sees itself as the overflow uid (65534); file access is unchanged")
    finally:
        if dumpable == 0:
            libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    _verify_netns(before)
    return warning


def _verify_netns(before: int | None) -> None:
    if _netns_inode() == before:
        raise _Refused("unshare(2) returned success but the network namespace is unchanged")
    dev = _read("/proc/self/net/dev")
    if dev is not None:
        names = {line.split(":", 1)[0].strip() for line in dev.splitlines()[2:] if ":" in line}
        if names - {"lo"}:
            raise _Refused(f"the new network namespace has interfaces: {sorted(names)}")


# ---------------------------------------------------------------------------------------
# seccomp layer
# ---------------------------------------------------------------------------------------


class _Arch(NamedTuple):
    audit_arch: int  # AUDIT_ARCH_* value the kernel puts in seccomp_data.arch
    nr_socket: int  # syscall numbers for this ABI
    nr_io_uring_setup: int
    nr_seccomp: int
    x32: bool  # whether the x32 ABI (numbers with bit 30 set) shares this audit arch


# Verified against linux/audit.h, asm/unistd_64.h (x86_64) and asm-generic/unistd.h
# (aarch64). AUDIT_ARCH = EM_* | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE
# (0x40000000); EM_X86_64 = 62, EM_AARCH64 = 183.
_ARCHES: dict[str, _Arch] = {
    "x86_64": _Arch(audit_arch=0xC000003E, nr_socket=41, nr_io_uring_setup=425,
                    nr_seccomp=317, x32=True),
    "aarch64": _Arch(audit_arch=0xC00000B7, nr_socket=198, nr_io_uring_setup=425,
                     nr_seccomp=277, x32=False),
}

_PR_SET_SECCOMP = 22
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

# classic BPF opcodes (linux/filter.h, linux/bpf_common.h)
_LD_W_ABS = 0x00 | 0x00 | 0x20  # BPF_LD | BPF_W | BPF_ABS: A = 32-bit word at offset k
_JEQ_K = 0x05 | 0x10 | 0x00  # BPF_JMP | BPF_JEQ | BPF_K: if A == k goto jt else jf
_JGE_K = 0x05 | 0x30 | 0x00  # BPF_JMP | BPF_JGE | BPF_K: if A >= k goto jt else jf
_RET_K = 0x06 | 0x00  # BPF_RET | BPF_K: return k

# struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
_OFF_NR = 0
_OFF_ARCH = 4
_OFF_ARG0_LOW = 16  # low 32 bits of args[0] on a little-endian machine

_RET_KILL_PROCESS = 0x80000000  # older kernels (< 4.14) read it as KILL_THREAD: still a kill
_RET_ERRNO = 0x00050000  # low 16 bits: the errno the syscall returns
_RET_ALLOW = 0x7FFF0000
_X32_SYSCALL_BIT = 0x40000000


class _Op(NamedTuple):
    code: int
    k: int
    jt: str | None = None  # label to jump to when the condition holds (None: next insn)
    jf: str | None = None  # label to jump to when it does not


def _filter_source(arch: _Arch) -> list[_Op | str]:
    """The filter as labelled instructions (a str is a label for the next instruction)."""
    src: list[_Op | str] = [
        # A = seccomp_data.arch: the ABI this syscall was made through
        _Op(_LD_W_ABS, _OFF_ARCH),
        # if it is not the ABI the numbers below belong to (i386 on x86_64, AArch32 on
        # aarch64), the numbers mean other syscalls: kill the process
        _Op(_JEQ_K, arch.audit_arch, jf="kill"),
        # A = seccomp_data.nr: the syscall number
        _Op(_LD_W_ABS, _OFF_NR),
    ]
    if arch.x32:
        src += [
            # nr -1: a tracer (strace --inject, gdb) cancelling a syscall; the kernel answers
            # ENOSYS itself, so allow it rather than kill (libseccomp does the same)
            _Op(_JEQ_K, 0xFFFFFFFF, jt="allow"),
            # x32 syscalls carry AUDIT_ARCH_X86_64 too, with bit 30 set in the number: kill
            _Op(_JGE_K, _X32_SYSCALL_BIT, jt="kill"),
        ]
    src += [
        # socket(2): decide on the address family below
        _Op(_JEQ_K, arch.nr_socket, jt="socket"),
        # io_uring_setup(2): say the kernel has no io_uring
        _Op(_JEQ_K, arch.nr_io_uring_setup, jt="enosys"),
        # any other syscall: allow
        _Op(_RET_K, _RET_ALLOW),
        "socket",
        # A = low 32 bits of args[0], the domain (an int: the kernel ignores the rest)
        _Op(_LD_W_ABS, _OFF_ARG0_LOW),
        # AF_UNIX: allow
        _Op(_JEQ_K, socket.AF_UNIX, jt="allow"),
        # any other family: fail with EACCES
        _Op(_RET_K, _RET_ERRNO | errno.EACCES),
        "enosys",
        # fail with ENOSYS
        _Op(_RET_K, _RET_ERRNO | errno.ENOSYS),
        "allow",
        # allow
        _Op(_RET_K, _RET_ALLOW),
        "kill",
        # kill the whole process (SIGSYS)
        _Op(_RET_K, _RET_KILL_PROCESS),
    ]
    return src


def _assemble(source: Sequence[_Op | str]) -> list[tuple[int, int, int, int]]:
    """Resolve labels into the relative jump offsets classic BPF uses: (code, jt, jf, k)."""
    labels: dict[str, int] = {}
    count = 0
    for item in source:
        if isinstance(item, str):
            labels[item] = count
        else:
            count += 1
    program: list[tuple[int, int, int, int]] = []
    for item in source:
        if isinstance(item, str):
            continue
        here = len(program)

        def offset(label: str | None, here: int = here) -> int:
            if label is None:
                return 0
            distance = labels[label] - here - 1
            if not 0 <= distance <= 255:
                raise ValueError(f"BPF jump to {label!r} out of range")
            return distance

        program.append((item.code, offset(item.jt), offset(item.jf), item.k))
    return program


def _seccomp_precheck(machine: str | None = None) -> str | None:
    """Why the seccomp layer cannot be applied on this platform, judged without trying."""
    reason = _linux_reason()
    if reason:
        return reason
    machine = machine or os.uname().machine
    if machine not in _ARCHES:
        return (f"no filter for the {machine} architecture (supported: "
                f"{', '.join(_ARCHES)})")
    if struct.calcsize("P") != 8 or sys.byteorder != "little":
        return (f"this Python is not a 64-bit little-endian {machine} build (a 32-bit "
                "userland uses another syscall ABI)")
    return None


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _apply_seccomp() -> str | None:
    """Install the socket filter on every thread of the process."""
    reason = _seccomp_precheck()
    if reason:
        raise _Refused(reason)
    arch = _ARCHES[os.uname().machine]
    program = _assemble(_filter_source(arch))
    insns = (_SockFilter * len(program))(*[_SockFilter(*insn) for insn in program])
    fprog = _SockFprog(len(program), ctypes.cast(insns, ctypes.POINTER(_SockFilter)))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _Refused(f"prctl(PR_SET_NO_NEW_PRIVS) failed: {_errno_text(ctypes.get_errno())}")
    # seccomp(2) with TSYNC puts the filter on every thread at once; prctl(2) only on the
    # calling one, so it is the fallback for a single-threaded process on an old kernel or
    # where a policy forbids seccomp(2) but not prctl(2).
    result = libc.syscall(ctypes.c_long(arch.nr_seccomp), ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
                          ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
    if result != 0:
        failure = (f"thread {result} could not take the filter" if result > 0
                   else _errno_text(ctypes.get_errno()))
        failures = [f"seccomp(SECCOMP_SET_MODE_FILTER, TSYNC) failed: {failure}"]
        if _thread_count() > 1:
            raise _Refused(failures[0])
        if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0):
            failures.append("prctl(PR_SET_SECCOMP) failed: "
                            + _errno_text(ctypes.get_errno()))
            raise _Refused("; ".join(failures))
    _verify_seccomp()
    return None


def _verify_seccomp() -> None:
    if _status_field("Seccomp") not in (None, "2"):
        raise _Refused("the filter was accepted but /proc/self/status shows no filter mode")
    try:
        probe_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    except PermissionError:
        return
    except OSError as exc:
        raise _Refused(f"after the filter, socket(AF_INET) failed with {exc.errno}, "
                       "not EACCES") from None
    probe_socket.close()
    raise _Refused("the filter was accepted but socket(AF_INET) still works")


# ---------------------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------------------

_APPLY: dict[str, Callable[[], str | None]] = {"netns": _apply_netns, "seccomp": _apply_seccomp}


def _check_names(layers: tuple[str, ...]) -> None:
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise ValueError(f"unknown sandbox layer(s) {unknown}; choose from {LAYERS}")


def _apply(layers: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, str], list[str]]:
    """Apply the requested layers not yet in force: (in force, refusals, warnings)."""
    refused: dict[str, str] = {}
    notes: list[str] = []
    for name in LAYERS:  # netns first, then the filter
        if name not in layers or name in _in_force:
            continue
        try:
            note = _APPLY[name]()
        except _Refused as exc:
            refused[name] = _one_line(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - unexpected: report it, never claim the layer
            refused[name] = _one_line(f"unexpected {type(exc).__name__}: {exc}")
            continue
        _in_force.append(name)
        if note:
            notes.append(f"{name}: {_one_line(note)}")
    return tuple(n for n in LAYERS if n in _in_force), refused, notes


def confine(layers: tuple[str, ...] = LAYERS) -> tuple[str, ...]:
    """Cut the current process (and every process it starts later) off from the network,
    irreversibly. Applies each requested layer that this platform allows and returns the
    ones applied; raises SandboxUnavailable if none could be applied. Idempotent: a second
    call returns the layers already in force."""
    layers = tuple(layers)
    _check_names(layers)
    if not layers:
        raise SandboxUnavailable(f"no sandbox layer requested (choose from {', '.join(LAYERS)})")
    with _lock:
        if sys.platform.startswith("linux") and not _in_force:
            leftover = _network_socket_fds()
            if leftover:
                _log.warning("confine(): %d network socket(s) opened before confine() stay "
                             "usable (fds %s)", len(leftover), leftover)
        in_force, refused, notes = _apply(layers)
    for note in notes:
        _log.warning("confine(): %s", note)
    if not in_force:
        raise SandboxUnavailable("; ".join(f"{n}: {why}" for n, why in refused.items()))
    for name, why in refused.items():
        _log.warning("confine(): layer %s not applied: %s", name, why)
    return in_force


def status() -> tuple[str, ...]:
    """The layers in force in this process (empty if none)."""
    with _lock:
        return tuple(n for n in LAYERS if n in _in_force)


def _probe_child(layers: tuple[str, ...], fd: int) -> None:
    """Body of the forked probe child: apply, report on fd, never return."""
    code = 1
    try:
        in_force, refused, notes = _apply(layers)
        lines = [f"ok\t{n}" for n in in_force]
        lines += [f"no\t{n}\t{why}" for n, why in refused.items()]
        lines += [f"note\t{note}" for note in notes]
        data = ("\n".join(lines) + "\n").encode("utf-8", "replace")
        while data:
            data = data[os.write(fd, data):]
        code = 0
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 2
    finally:
        os._exit(code)


def probe(layers: tuple[str, ...] = LAYERS) -> tuple[tuple[str, ...], str]:
    """What confine() would achieve here, tried in a short-lived child process (fork),
    without confining the caller: (layers that work, reason for any that do not)."""
    layers = tuple(layers)
    _check_names(layers)
    if not layers:
        return (), f"no sandbox layer requested (choose from {', '.join(LAYERS)})"
    reasons: dict[str, str] = {}
    platform = _linux_reason()
    if platform or not hasattr(os, "fork"):
        why = platform or "needs os.fork()"
        return (), "; ".join(f"{n}: {why}" for n in LAYERS if n in layers)
    # The child is single-threaded whatever the caller is, so judge threads here.
    with _lock:
        already = tuple(n for n in LAYERS if n in _in_force)
    if "netns" in layers and "netns" not in already:
        reason = _netns_precheck()
        if reason:
            reasons["netns"] = reason
    attempt = tuple(n for n in layers if n not in reasons)
    works: list[str] = []
    notes: list[str] = []
    if attempt:
        child_report = _fork_probe(attempt)
        if isinstance(child_report, str):
            for name in attempt:
                reasons.setdefault(name, child_report)
        else:
            for line in child_report:
                kind, _, rest = line.partition("\t")
                if kind == "ok" and rest in layers:
                    works.append(rest)
                elif kind == "no":
                    name, _, why = rest.partition("\t")
                    reasons[name] = why
                elif kind == "note":
                    notes.append(rest)
            for name in attempt:
                if name not in works:
                    reasons.setdefault(name, "the probe child did not report on it")
    text = [f"{n}: {reasons[n]}" for n in LAYERS if n in reasons] + notes
    return tuple(n for n in LAYERS if n in works), "; ".join(text)


def _fork_probe(layers: tuple[str, ...]) -> list[str] | str:
    """Run _probe_child in a fork; its report lines, or why there are none."""
    _libc()  # load ctypes state before forking: the child should only make calls
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _probe_child(layers, write_fd)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + _PROBE_TIMEOUT
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, wait_status = os.waitpid(pid, 0)
    if timed_out:
        return f"the probe child did not finish within {_PROBE_TIMEOUT:g} s"
    if os.WIFSIGNALED(wait_status):
        return f"the probe child died of signal {os.WTERMSIG(wait_status)}"
    if os.WEXITSTATUS(wait_status) != 0:
        return f"the probe child failed (exit status {os.WEXITSTATUS(wait_status)})"
    return b"".join(chunks).decode("utf-8", "replace").splitlines()
