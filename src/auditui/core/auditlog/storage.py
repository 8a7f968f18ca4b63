"""Audit-log storage: file names, reading with limits, locking, atomic writes, recovery files.

See ``docs/auditlog.md`` for what the files look like and the guarantees these functions give.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import posixpath
import re
import secrets
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ..files import NotRegularFile, TooLarge, read_limited
from ..text import unsurrogate
from .records import LogData, LogError

LOG_SUFFIX = ".toml"
RECOVERED = ".recovered-"
MAX_LOG_BYTES = 16 * 1024 * 1024
"""The largest audit log auditui reads or writes. A report's log is some kilobytes (a hundred verdicts with
their history is under 100 KB); 16 MB is some 60,000 changes, read in about 2 s."""
LOCK_TIMEOUT = 10.0
"""How long a save waits for another process's save of the same log before giving up with
:class:`LockTimeout` (a save holds the lock for milliseconds)."""


class LockTimeout(LogError):
    """The log's lock was held by another process for longer than the timeout (``path`` is the lock file)."""


# ----------------------------------------------------------------------------------------------- names

_UNSAFE = re.compile(r'[\x00-\x20\x7f/\\:*?"<>|\u3000]+')
_LOG_NAME = re.compile(r"-[0-9a-f]{8}(?:" + re.escape(RECOVERED) + r"\d{8}T\d{6}(?:-\d+)?)?" + re.escape(LOG_SUFFIX)
                       + "$")


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
    auditui from the root of a shared checkout gets the same names and can keep logs in git. The stem of a
    name that is not UTF-8 has its bytes written ``xNN`` (:func:`~auditui.core.text.unsurrogate`, less the
    backslash): a log's own name is always UTF-8.
    """
    norm = _norm_path(report_path)
    stem = unsurrogate(posixpath.splitext(posixpath.basename(norm))[0])
    stem = _UNSAFE.sub("_", stem).strip("._")[:60] or "report"
    digest = hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}{LOG_SUFFIX}"


def is_log_name(name: str) -> bool:
    """Whether a file name is one auditui gives logs (``…-<8 hex>.toml`` or a recovery file of one). Other
    files in a log folder (an export, a config) are none of auditui's business and are passed over quietly."""
    return not name.startswith(".") and _LOG_NAME.search(name) is not None


def log_paths(log_dir: Path) -> list[Path]:
    """The logs of a folder, sorted by name: files named as logs (:func:`is_log_name`)."""
    try:
        names = os.listdir(log_dir)
    except OSError:
        return []
    return sorted(log_dir / n for n in names if is_log_name(n))


def find_by_sha(log_dir: Path, sha256: str, exclude: Path) -> Path | None:
    """A readable log in ``log_dir`` written for the same bytes (the report was moved or given another path)."""
    if not sha256:
        return None
    for p in log_paths(log_dir):
        if p == exclude or RECOVERED in p.name:
            continue
        try:
            raw = read_log_bytes(p)
            if raw is not None and sha256.encode() in raw and LogData.parse(raw, p).report.sha256 == sha256:
                return p
        except LogError:
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


# ----------------------------------------------------------------------------------------------- reading


def read_log_bytes(path: Path) -> bytes | None:
    """The bytes of a log file, None if there is none. Raises :class:`LogError`: recoverable for a file that
    is no log (not a regular file, larger than :data:`MAX_LOG_BYTES`), not for one we may not read."""
    try:
        return read_limited(path, MAX_LOG_BYTES)
    except FileNotFoundError:  # (or a symlink to a log not written yet: it is written through the link)
        return None
    except NotRegularFile as e:
        raise LogError(path, f"the audit log is {e.kind}, not a file", recoverable=True) from None
    except TooLarge as e:
        raise LogError(path, f"the audit log is {e.size / 1048576:,.0f} MB; auditui reads logs of up to "
                             f"{MAX_LOG_BYTES // 1048576} MB", recoverable=True) from None
    except OSError as e:
        raise LogError(path, f"cannot read audit log: {e.strerror or e}") from None


def read_log(path: Path) -> LogData | None:
    """The validated content of a log file, None if there is none; :class:`LogError` if it cannot be used."""
    raw = read_log_bytes(path)
    return None if raw is None else LogData.parse(raw, path)


def real_path(path: Path) -> Path:
    """Where a log's content really is: a symlinked log is read and written through its link."""
    return Path(os.path.realpath(path))


def is_read_only(path: Path) -> bool:
    """A log file nobody may write (``chmod a-w``): auditui refuses to replace it, even as root."""
    try:
        return not os.stat(path).st_mode & 0o222
    except OSError:
        return False


def ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LogError(folder, f"cannot create the log folder: {e.strerror or e}") from None


# ----------------------------------------------------------------------------------------------- locking

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def locked(target: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock for saving the log ``target`` (which need not exist).

    POSIX: ``flock`` on the log's folder, which every save of every log in the folder takes for the
    milliseconds it lasts. The folder is always there, so nothing is created beside the logs (no lock file
    to clutter them, none that a second auditor may not open, none to clean up after a crash: the kernel
    releases the lock of a killed process), and waiters queue on one unchanging file. Windows: ``msvcrt``
    byte locking on a hidden sidecar ``.<name>.lock``.

    Raises :class:`LockTimeout` naming the folder (and, on Linux, the process holding it) after ``timeout``
    seconds, and a :class:`LogError` if the folder cannot be opened or locked."""
    if fcntl is None:  # pragma: no cover - Windows
        with _locked_windows(target, timeout):
            yield
        return
    folder = target.parent
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise LogError(folder, f"cannot open the log folder to lock it: {e.strerror or e}") from None
    st = os.fstat(fd)
    try:
        got = _lock_fd(fd, timeout)
    except OSError as e:  # e.g. a file system without locks
        raise LogError(folder, f"cannot lock the log folder: {e.strerror or e}") from None
    if not got:
        raise LockTimeout(folder, f"another process has been saving an audit log in this folder for more than "
                                  f"{timeout:g} s{_holder(st)}; try again, or end that process if it hangs")
    try:
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _holder(st: os.stat_result) -> str:
    """`` (held by pid N on host)``: who holds an flock on the file of ``st`` (Linux's /proc/locks), else ""."""
    me = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            pids = [line.split()[4] for line in f if "FLOCK" in line and line.split()[5:6] == [me]]
    except (OSError, IndexError):
        return ""
    return f" (held by pid {', '.join(pids)} on {socket.gethostname()})" if pids else ""


def _lock_fd(fd: int, timeout: float) -> bool:
    """Lock ``fd`` exclusively within ``timeout`` seconds; False (and ``fd`` closed) if it could not.

    Without contention this is one non-blocking ``flock``. Otherwise a helper thread waits in a blocking
    ``flock`` (the kernel wakes waiters as soon as the lock is free, unlike polling) while this thread waits
    for it at most ``timeout``; a helper still waiting then is left to close its descriptor when it gets the
    lock (or when the process ends)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    except OSError:
        os.close(fd)
        raise
    got = threading.Event()
    guard = threading.Lock()
    gave_up = False
    error: OSError | None = None

    def wait() -> None:
        nonlocal error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:
            error = e
        with guard:
            if gave_up:
                os.close(fd)  # closing releases the lock we got too late
                return
            got.set()

    threading.Thread(target=wait, name="auditui-log-lock", daemon=True).start()
    got.wait(timeout)
    with guard:
        if not got.is_set():
            gave_up = True
            return False
    if error is not None:
        os.close(fd)
        raise error
    return True


@contextlib.contextmanager
def _locked_windows(target: Path, timeout: float) -> Iterator[None]:  # pragma: no cover - Windows
    if sys.platform != "win32":  # (never: this tells the type checker that msvcrt has its Windows API here)
        raise OSError("msvcrt locking is for Windows only")
    import msvcrt

    lock = target.with_name(f".{target.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as e:
        raise LogError(lock, f"cannot create the lock file of the audit log: {e.strerror or e}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(lock, f"another process has held the lock of this audit log for more "
                                            f"than {timeout:g} s; try again, or end that process if it hangs"
                                      ) from None
                time.sleep(0.01)
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------------------------- writing


def remove_stale_temporaries(target: Path) -> int:
    """Remove the temporary files a writer of ``target`` killed in the middle of a save left beside it. Call
    it holding the log's lock: only a holder writes temporaries, so any there now belong to a dead writer."""
    n = 0
    for p in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()
            n += 1
    return n


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    A symlink is written through (its target gets the new content beside it; the link stays). A file that
    exists keeps its mode, and its owner and group where this process may give them; a new file gets the
    mode the umask allows (as any program's would), in the folder's group. A file nobody may write
    (``chmod a-w``) is not replaced: PermissionError."""
    target = real_path(Path(path))
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not st.st_mode & 0o222:
        raise PermissionError(errno.EACCES, f"the file is read-only (mode {stat.S_IMODE(st.st_mode):04o})")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) |
                 getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            if st is not None:
                _keep_owner_and_mode(f.fileno(), st)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dfd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)


def _keep_owner_and_mode(fd: int, st: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        new = os.fstat(fd)
        if (new.st_uid, new.st_gid) != (st.st_uid, st.st_gid):
            try:
                os.fchown(fd, st.st_uid, st.st_gid)  # root, or the owner in the file's group
            except OSError:
                with contextlib.suppress(OSError):
                    os.fchown(fd, -1, st.st_gid)
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits
