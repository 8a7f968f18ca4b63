"""Checking files in worker processes: :class:`Checking` starts at once and gives the results in order or as
they come.

This module is light on purpose (no parser, no loader is imported here): the TUI starts its workers before it
imports Textual, so that they read the first reports while the interface starts on the other core. Workers send
each chunk of results back pickled, and the results are unpickled where they are read (:meth:`Checking.__iter__`),
which imports the core there and then.

How workers start: forked, when this process has no other thread (then nothing can be half-way through holding
a lock when it is copied; every worker is forked at once, before the pool's own thread starts), else by the
forkserver (a clean process that forks them on request; the core is imported there first). A worker reads a PDF,
Word file or HTML page in a child of its own with bounded memory and time (:mod:`auditui.core.load.sandbox`), so
with ``jobs`` workers, up to ``jobs`` such children run at once.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from .cache import CacheDir
    from .checked import Checked

HEAVY_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".xhtml"})
"""Formats read by a library in a child process: some hundred times a text file's work."""
HEAVY = 40
"""A heavy file's weight in a chunk, a text file's being 1."""
MAX_CHUNK = 64
"""The most weight sent to a worker at once (64 text files: fewer round trips; about two PDFs)."""


WORTH = 2 * HEAVY
"""The least work worth worker processes (two PDFs, or eighty text files): starting a pool costs some tens of
milliseconds and each worker imports the core, more than a few text files take in one thread."""


def weight(path: str) -> int:
    return HEAVY if os.path.splitext(path)[1].lower() in HEAVY_SUFFIXES else 1


def worth_processes(paths: list[str], jobs: int) -> bool:
    """Whether checking ``paths`` is worth ``jobs`` worker processes (else: in this process, in turn)."""
    return jobs > 1 and len(paths) > 1 and sum(map(weight, paths)) >= WORTH


def chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """``paths`` cut into consecutive chunks of about equal work, small enough that every worker gets some
    eight of them (no worker left alone with a long chunk at the end)."""
    weights = [weight(p) for p in paths]
    target = max(1, min(MAX_CHUNK, sum(weights) // (jobs * 8)))
    out: list[list[str]] = []
    chunk: list[str] = []
    work = 0
    for p, w in zip(paths, weights, strict=True):
        chunk.append(p)
        work += w
        if work >= target:
            out.append(chunk)
            chunk, work = [], 0
    if chunk:
        out.append(chunk)
    return out


def _context() -> BaseContext:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and can_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["auditui.core.batch"])
        return ctx
    return multiprocessing.get_context("spawn")


@contextmanager
def _real_stderr() -> Iterator[None]:
    """``sys.stderr`` as the process's own while helpers start: multiprocessing starts its resource tracker (and
    the forkserver) on first use and hands it ``sys.stderr``'s descriptor, which Textual's capture of printed
    output gives as -1."""
    try:
        valid = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        valid = False
    if valid or sys.__stderr__ is None:
        yield
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = captured


def _start_worker() -> None:
    from .collector import tune_gc

    tune_gc()


def _check_chunk(paths: list[str], prose: bool, cache: CacheDir | None, whole: bool = False) -> bytes:
    """In a worker: check ``paths`` (a file the core crashes on becomes an unreadable one, as in the TUI);
    ``whole``: each report sent with its tables and markers (:meth:`~auditui.core.model.Report.whole`), so that
    the process it is sent to need not import the parser to read them (a report is otherwise sent as its source
    and values, parsed again where its tables are first read: cheaper for a batch that only prints values)."""
    from .batch import check_file
    from .checked import Checked

    out = []
    for p in paths:
        try:
            checked = check_file(p, prose, cache)
            if whole and checked.report is not None:
                checked = replace(checked, report=checked.report.whole())
            out.append(checked)
        except Exception as e:
            out.append(Checked(p, error=f"{type(e).__name__}: {e}"))
    return pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


class Checking:
    """``paths`` being checked by ``jobs`` worker processes, started at once.

    Iterate for the results: in the order of ``paths`` (``ordered``), or as each chunk is done. :meth:`close`
    (or leaving a ``with`` block) stops the workers, even in the middle of a file.
    ``prose`` and ``cache``: as :func:`~auditui.core.batch.check_file` takes them."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]], jobs: int, *, prose: bool = False,
                 cache: CacheDir | None = None, ordered: bool = True) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.paths = [os.fspath(p) for p in paths]
        self.ordered = ordered
        self._chunks = chunks(self.paths, max(1, jobs))
        workers = max(1, min(jobs, len(self._chunks)))
        with _real_stderr():
            self._pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker)
            self._futures: list[Future[bytes]] = [self._pool.submit(_check_chunk, c, prose, cache) for c in self._chunks]
        self._closed = False

    def __iter__(self) -> Iterator[Checked]:
        from concurrent.futures import as_completed

        index = {f: c for f, c in zip(self._futures, self._chunks, strict=True)}
        done = self._futures if self.ordered else as_completed(self._futures)
        for future in done:
            yield from self._results(future, index[future])

    def _results(self, future: Future[bytes], paths: list[str]) -> list[Checked]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            results: list[Checked] = pickle.loads(future.result())  # (what _check_chunk pickled)
            return results
        except BrokenProcessPool:
            from .checked import Checked

            return [Checked(p, error="the process checking it stopped unexpectedly") for p in paths]

    def close(self) -> None:
        """Stop: what is not started is cancelled, the workers are ended at once."""
        if self._closed:
            return
        self._closed = True
        if all(f.done() for f in self._futures):
            self._pool.shutdown(wait=True)
            return
        for f in self._futures:
            f.cancel()
        # (the executor has no public way to end its workers: its table of them has kept this name since 3.2)
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:  # a worker in the middle of a 300-page PDF would hold the exit for seconds
            try:
                p.terminate()
            except (OSError, ValueError):
                pass
        for p in processes:
            p.join(timeout=5)

    def __enter__(self) -> Checking:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Forked:
    """One file checked in a child forked at once, its report sent back whole: the TUI's one report (``auditui
    report.pdf``), read on another core while Textual starts.

    A pool (:class:`Checking`) would cost this start what it costs to import ``multiprocessing`` and start
    its threads (some ten milliseconds of the half second before the report is on screen); one file needs one
    process and a pipe. Fork only where this process has no other thread (as :func:`_context` says); the
    same interface as :class:`Checking` (iterate for the one result; :meth:`close` stops the child)."""

    def __init__(self, path: str | os.PathLike[str], *, cache: CacheDir | None = None) -> None:
        self.paths = [os.fspath(path)]
        self._done = self._reading = False
        self._lock = threading.Lock()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (its end is os._exit, which coverage does not see)
            status = 1
            try:
                os.close(read)
                _start_worker()
                data = _check_chunk(self.paths, False, cache, whole=True)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def ready(self) -> bool:
        """Whether the result is here (iterating will not wait for the child to read the file)."""
        import select

        with self._lock:
            return self._done or bool(select.select([self._read], [], [], 0)[0])

    def __iter__(self) -> Iterator[Checked]:
        with self._lock:
            if self._done:
                return
            self._reading = True
        chunks = []
        try:
            while chunk := os.read(self._read, 1 << 20):
                chunks.append(chunk)
        finally:
            with self._lock:
                self._reading = False
                self._reap()
        try:
            results: list[Checked] = pickle.loads(b"".join(chunks))
        except Exception:  # nothing or half of it: the child died (killed for its memory, say)
            from .checked import Checked

            results = [Checked(self.paths[0], error="the process checking it stopped unexpectedly")]
        yield from results

    def _reap(self) -> None:
        if not self._done:
            self._done = True
            os.close(self._read)
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass

    def close(self) -> None:
        """Stop: the child is ended at once if it is still reading (a thread waiting for it then gets what
        a dead child gives, and closes the pipe itself)."""
        with self._lock:
            if self._done:
                return
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            if not self._reading:
                self._reap()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def can_fork() -> bool:
    """Whether :class:`Forked` may be used here (a POSIX system, and no other thread in this process)."""
    return hasattr(os, "fork") and threading.active_count() == 1


__all__ = ["Checking", "Forked", "can_fork", "chunks", "worth_processes"]
