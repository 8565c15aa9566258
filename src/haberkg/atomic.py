"""Outputs that are never half-written: atomic files, atomic folders, and a lock.

* :func:`atomic_write`: a file is written beside its target and renamed over it.
* :class:`FolderWriter`: a whole output folder (``dist/``, a static site) is written
  into a staging folder beside it and swapped in with two renames, under an
  exclusive lock, so that two haberkg processes never write the same folder and a
  crash leaves either the old folder or the new one. The lock is an ``flock`` on the
  folder that holds the target, so no lock file is left behind. Staging folders left by a
  killed process are removed by the next writer (they carry the writer's pid).
* :func:`output_folder`: the check, before any work, that a folder may be replaced:
  haberkg replaces only folders it wrote itself (they hold its marker file).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from haberkg.errors import InputError, display_path


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def output_folder(path: Path, marker: str, *, protect: list[Path]) -> Path:
    """Check a folder that a command will replace as a whole, before any work is done.

    Refuses a file, a folder that holds (or is) one of ``protect`` or the working
    directory, and a non-empty folder without ``marker`` (a file every output of
    that command contains): haberkg never deletes a folder it did not write.
    """
    shown = display_path(path)
    try:
        target = path.resolve()
        for kept in [Path.cwd(), *protect]:
            kept = kept.resolve()
            if target == kept or target in kept.parents:
                raise InputError("refusing to replace a folder that holds the project or the "
                                 "working directory", path=shown)
        if target.exists():
            if not target.is_dir():
                raise InputError("exists and is not a folder", path=shown)
            if any(target.iterdir()) and not (target / marker).is_file():
                raise InputError(f"not empty and not written by haberkg (no {marker}): "
                                 "refusing to replace it", path=shown)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(target.parent, os.W_OK):
            raise InputError("cannot write here", path=str(target.parent))
    except OSError as exc:
        raise InputError(f"cannot use as output folder: {exc.strerror or exc}", path=shown
                         ) from None
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class FolderWriter:
    """Write a folder's new content beside it, then swap it in (under a lock).

    ``with FolderWriter(target, marker) as staging: ...`` gives an empty staging folder;
    on a clean exit it replaces ``target``; on an exception nothing changes.
    """

    def __init__(self, target: Path, marker: str) -> None:
        self.target = target.resolve()
        self.marker = marker
        self.parent = self.target.parent
        self.backup = self.parent / f".{self.target.name}.previous"
        self.staging: Path | None = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """An exclusive lock on the folder that holds the target (``flock`` on the
        directory itself: no lock file is left behind)."""
        self.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError("another haberkg process is writing this folder; wait for it "
                             "to finish", path=str(self.target)) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _clean_stale(self) -> None:
        """Staging folders of writers that died (kill -9) before their swap."""
        for stale in self.parent.glob(f".{self.target.name}.new-*"):
            pid = stale.name.rsplit("-", 2)[-2] if stale.name.count("-") >= 2 else ""
            if not pid.isdigit() or not _alive(int(pid)) or int(pid) == os.getpid():
                shutil.rmtree(stale, ignore_errors=True)
        if self.backup.exists() and not self.target.exists():
            os.replace(self.backup, self.target)  # an earlier swap was interrupted
        elif self.backup.exists():
            shutil.rmtree(self.backup, ignore_errors=True)

    def __enter__(self) -> Path:
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(self.locked())
        try:
            self._clean_stale()
            if self.target.exists() and not self.target.is_dir():
                raise InputError("exists and is not a folder", path=str(self.target))
            self.staging = Path(tempfile.mkdtemp(
                prefix=f".{self.target.name}.new-{os.getpid()}-", dir=self.parent))
        except BaseException:
            self._stack.close()
            raise
        return self.staging

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.staging is not None
        try:
            if exc_type is None:
                (self.staging / self.marker).write_bytes(
                    b"Written by haberkg; haberkg may replace this folder as a whole.\n")
                _fsync_tree(self.staging)
                os.chmod(self.staging, 0o755)
                if self.target.exists():
                    os.replace(self.target, self.backup)
                os.replace(self.staging, self.target)
                shutil.rmtree(self.backup, ignore_errors=True)
        except OSError as err:
            raise InputError(f"cannot write the folder: {err.strerror or err}",
                             path=str(self.target)) from None
        finally:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
            self._stack.close()


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
