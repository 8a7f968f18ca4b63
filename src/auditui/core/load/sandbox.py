"""Running a loader of a compressed format (PDF, Word, HTML) in a child process with bounded memory and time.

A PDF's streams and a Word file's parts are compressed: a 1 MB PDF can inflate a stream to gigabytes, a
365 KB .docx can hold a 250 MB ``document.xml`` whose parse tree takes gigabytes more, and the libraries read
such things whole. No check of sizes beforehand covers every way (a stream's declared length, nested
compression, millions of text operators), so what reading may cost is bounded where it is spent: the loader
runs in a forked child with an address-space limit (``RLIMIT_AS``: :data:`MEMORY_BUDGET` above what the
process already has), a CPU-time limit (``RLIMIT_CPU``: :data:`CPU_SECONDS`) and a wall-clock limit
(:data:`WALL_SECONDS`). A file that goes past one is refused with one line saying which; the parent process
never holds more than the finished text. Where ``fork`` or ``resource`` is missing (Windows) the loader runs
in the process as before.

The child is forked, not spawned, so that it starts at once with the libraries already imported (a fresh
interpreter would cost a third of a second per file). Forking from a thread (the TUI opens reports in a
worker thread) is safe here: the child runs only the loader and leaves with ``os._exit``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import select
import signal
import time
from collections.abc import Callable
from dataclasses import fields

from ..model import LoadError, Source, TookTooLong

MEMORY_BUDGET = 1024 * 1024 * 1024
"""Address space a loader may take beyond what the process had when it started the file (a 300-page PDF
takes about 100 MB)."""
CPU_SECONDS = 60
"""CPU time a loader may take for one file (a 300-page PDF takes about 11 s)."""
WALL_SECONDS = 180
"""Wall-clock time, for a child that waits rather than computes (a busy machine stretches CPU time less)."""

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

AVAILABLE = hasattr(os, "fork") and resource is not None and os.environ.get("AUDITUI_NO_SANDBOX", "") == ""
"""Whether loaders run in a child (``AUDITUI_NO_SANDBOX=1`` turns it off, for profiling)."""


def _address_space() -> int:
    """Bytes of address space this process has mapped now (Linux; elsewhere a safe guess)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 * 4


def _peak_address_space() -> int:
    """The most address space this process has had (Linux's VmPeak), or 0 where it is not known."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit_child() -> int:
    """Set the child's limits; returns its address-space cap."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_BUDGET
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    used = int(time.process_time())
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu = used + CPU_SECONDS
    if hard != resource.RLIM_INFINITY:
        cpu = min(cpu, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))
    return cap


_ALLOCATION = re.compile(r"alloc|out of memory|insufficient memory|memory (?:error|exhausted)", re.I)


def allocation_failed(e: BaseException) -> bool:
    """Whether ``e`` (or an exception it wraps) is an allocation that failed: Python's MemoryError, or a C
    library's own words for it (zlib's "Unable to allocate output buffer", libxml2's "Memory allocation
    failed"). Loaders let such an error through, for :func:`run` to word it."""
    seen = 0
    todo: list[BaseException | None] = [e]
    while todo and seen < 8:
        x = todo.pop()
        if x is None:
            continue
        seen += 1
        if isinstance(x, MemoryError) or _ALLOCATION.search(str(x)):
            return True
        todo += [x.__cause__, x.__context__, *(a for a in x.args if isinstance(a, BaseException))]
    return False


def _detach_signals() -> None:
    """The child is not the application: it must not wake its event loop (the wakeup fd is shared) nor run its
    handlers; a Ctrl-C ends it at once, a resize of the terminal does nothing."""
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)
    for name in ("SIGINT", "SIGWINCH", "SIGTERM", "SIGHUP", "SIGTSTP", "SIGCONT"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, signal.SIG_DFL)


def _child(loader: Callable[[str, bytes, str], Source], path: str, data: bytes, digest: str, fd: int) -> None:
    try:
        _detach_signals()
        cap = _limit_child()
        try:
            source = loader(path, data, digest)
            result: tuple[str, object] = ("ok", {f.name: getattr(source, f.name) for f in fields(Source) if f.init})
        except LoadError as e:
            result = ("error", e.reason)
        except BaseException as e:
            # a library that ran out of memory may say so in its own words, or not at all (lxml: "unknown
            # error"): having come within some megabytes of the cap says it too
            if allocation_failed(e) or _peak_address_space() > cap - 64 * 1024 * 1024:
                result = ("memory", "")
            else:
                result = ("exception", f"{type(e).__name__}: {e}")
        del data
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        os._exit(3)
    os._exit(0)


def run(loader: Callable[[str, bytes, str], Source], path: str, data: bytes, digest: str, what: str) -> Source:
    """``loader(path, data, digest)`` in a child process within the limits; ``what`` names the format in
    messages ("PDF"). Raises LoadError for what the loader refuses and for a file past a limit; another
    exception of the loader comes back as a LoadError naming it, as :func:`auditui.core.load.load` words it.

    Import what the loader imports before calling this, so that each child does not import it again."""
    if not AVAILABLE:
        return loader(path, data, digest)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(r)
        _child(loader, path, data, digest, w)
    os.close(w)
    chunks: list[bytes] = []
    timed_out = False
    deadline = time.monotonic() + WALL_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if not _wait_readable(r, left):
                continue
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:  # interrupted (Ctrl-C): the child goes too
        timed_out = True
        raise
    finally:
        os.close(r)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise TookTooLong(path, f"reading the {what} took more than {WALL_SECONDS} s; auditui stopped it")
    if chunks and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        kind, value = pickle.loads(b"".join(chunks))
        if kind == "ok":
            return Source(**value)
        if kind == "error":
            raise LoadError(path, value)
        if kind == "memory":
            raise LoadError(path, _too_big(what))
        raise LoadError(path, f"cannot read the {what}: {value}")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise TookTooLong(path, f"reading the {what} took more than {CPU_SECONDS} s of CPU time; auditui stopped it")
    # killed otherwise (a C library that did not survive its allocation failing), or no answer
    raise LoadError(path, _too_big(what))


def _wait_readable(fd: int, timeout: float) -> bool:
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        return bool(poller.poll(timeout * 1000))
    return bool(select.select([fd], [], [], timeout)[0])  # pragma: no cover


def _too_big(what: str) -> str:
    return (f"reading the {what} would take more than {MEMORY_BUDGET // 1048576:,} MB of memory "
            "(a part that unpacks far beyond its size?); auditui refuses it")
