"""Audit-log storage: file names, locking, atomic writes and the recovery files beside a broken log.

See ``docs/auditlog.md`` for what the files look like and the guarantees these functions give.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from .records import LogData, LogError

LOG_SUFFIX = ".toml"
RECOVERED = ".recovered-"

_UNSAFE = re.compile(r'[\x00-\x20\x7f/\\:*?"<>|\u3000]+')


def _norm_path(path: str) -> str:
    """The path as given, normalised; an absolute path inside the current folder is made relative to it, so
    ``auditui /work/reports/a.pdf`` and ``auditui reports/a.pdf`` (run from /work) share one log."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            rel = path
        if not rel.startswith(".."):
            path = rel
    p = path.replace("\\", "/")
    return posixpath.normpath(p) if p else p


def log_file_name(report_path: str) -> str:
    """``<readable stem>-<8 hex of the normalised path>.toml``: the same report path always gives the same name.

    The path is taken as given (normalised: ``./a.txt`` = ``a.txt``, ``\\`` = ``/``), so a team that runs
    auditui from the root of a shared checkout gets the same names and can keep logs in git.
    """
    norm = _norm_path(report_path)
    stem = posixpath.splitext(posixpath.basename(norm))[0]
    stem = _UNSAFE.sub("_", stem).strip("._")[:60] or "report"
    digest = hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}{LOG_SUFFIX}"


def log_paths(log_dir: Path) -> list[Path]:
    try:
        return sorted(p for p in log_dir.glob("*" + LOG_SUFFIX) if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


def find_by_sha(log_dir: Path, sha256: str, exclude: Path) -> Path | None:
    """A readable log in ``log_dir`` written for the same bytes (the report was moved or given another path)."""
    if not sha256:
        return None
    for p in log_paths(log_dir):
        if p == exclude or RECOVERED in p.name:
            continue
        try:
            if sha256.encode() in p.read_bytes() and LogData.read(p).report.sha256 == sha256:
                return p
        except (OSError, LogError):
            continue
    return None


def recovered_siblings(primary: Path) -> list[Path]:
    """Recovery files of ``primary``, newest first."""
    stem = primary.name[: -len(LOG_SUFFIX)]
    return sorted(primary.parent.glob(f"{glob_escape(stem)}{RECOVERED}*{LOG_SUFFIX}"), reverse=True)


def glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


def new_recovery_path(primary: Path) -> Path:
    stem = primary.name[: -len(LOG_SUFFIX)]
    ts = datetime.now().strftime("%Y%m%dT%H%M%S")
    p = primary.with_name(f"{stem}{RECOVERED}{ts}{LOG_SUFFIX}")
    n = 2
    while p.exists():
        p = primary.with_name(f"{stem}{RECOVERED}{ts}-{n}{LOG_SUFFIX}")
        n += 1
    return p


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on the hidden sidecar ``.<name>.lock`` (never deleted: deleting lock files races)."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise LogError(lock, f"cannot create the lock file of the audit log: {e.strerror or e}") from None
    try:
        _lock_fd(fd)
        try:
            yield
        finally:
            _unlock_fd(fd)
    finally:
        os.close(fd)


try:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _lock_fd(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises
                return
            except OSError:
                continue

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dfd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
