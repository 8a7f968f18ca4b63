"""Path → load → parse → check, for one file or a batch (optionally across processes).

The CLI and the TUI both go through :func:`check_file`, so the interactive and the batch paths are one path, and
both get the same result type, :class:`Checked`, whatever ``--jobs`` is (it becomes JSON only at the output edge,
:mod:`auditui.core.output`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING

from .checked import Checked
from .collector import batch_gc
from .load import Raw, load_raw, read_report
from .load.report_tables import has_report_tables, no_tables
from .model import LoadError, TookTooLong
from .parse import parse
from .reuse import Prose
from .rules import check

if TYPE_CHECKING:
    from .cache import CacheDir
    from .pool import Checking


def check_file(path: str | os.PathLike[str], prose: bool = False, cache: CacheDir | None = None) -> Checked:
    """Load, parse and check one file; with ``prose``, also take its prose sentences (see :attr:`Checked.prose`).

    ``cache``: the parse cache (:mod:`auditui.core.cache`) to look the file up in first, by the hash of its bytes,
    and to keep the result in (with its prose sentences, whatever ``prose`` says); a cache that cannot be opened
    is done without."""
    path = os.fspath(path)
    try:
        raw = read_report(path)
    except LoadError as e:
        return Checked(path, error=e.reason)
    store = None
    if cache is not None:
        from .cache import opened

        store = opened(cache)
        if store is not None:
            hit = store.get(raw)
            if hit is not None:
                return hit
    checked, lasting = _check(raw, prose or store is not None)
    if store is not None and lasting:
        store.put(raw, checked)
    return checked


def _check(raw: Raw, prose: bool) -> tuple[Checked, bool]:
    """The file checked, and whether that is what its bytes will always give (what the cache may keep): not
    when reading was stopped for the time it took, nor when the parser ran out of stack."""
    path = raw.path
    try:
        source = load_raw(raw)
    except TookTooLong as e:
        return Checked(path, error=e.reason), False
    except LoadError as e:
        return Checked(path, error=e.reason), True
    if not has_report_tables(source.text):  # one rule for every format (the HTML loader applies it early)
        return Checked(path, error=no_tables(_KIND.get(source.format, "file"))), True
    try:
        report = parse(source)
        findings = check(report)
    except RecursionError:
        return Checked(path, error="the report's structure is too deeply nested to read"), False
    return Checked(path, report, tuple(findings), prose=Prose.of(report) if prose else None), True


_KIND = {"text": "text", "pdf": "PDF", "html": "HTML page", "docx": "Word file"}

def check_many(paths: Iterable[str | os.PathLike[str]], jobs: int = 1, on_done: Callable[[int], None] | None = None,
               prose: bool = False, cache: CacheDir | None = None, ordered: bool = True
               ) -> Generator[Checked, None, None]:
    """Check files, yielding in order (``ordered``) or as they are done. With ``jobs`` > 1 and work enough
    (:func:`~auditui.core.pool.worth_processes`) it is spread over processes
    (:class:`~auditui.core.pool.Checking`), which start at once, before the first result is asked for; close the
    iterator to stop them. ``prose`` and ``cache``: see :func:`check_file`."""
    from .pool import Checking, worth_processes

    names = [os.fspath(p) for p in paths]
    if not worth_processes(names, jobs):
        return _in_turn(names, on_done, prose, cache)

    return _as_given(Checking(names, jobs, prose=prose, cache=cache, ordered=ordered), on_done)


def _in_turn(paths: list[str], on_done: Callable[[int], None] | None, prose: bool,
             cache: CacheDir | None) -> Generator[Checked, None, None]:
    with batch_gc():
        for p in paths:
            yield check_file(p, prose, cache)
            if on_done:
                on_done(1)


def _as_given(checking: Checking, on_done: Callable[[int], None] | None) -> Generator[Checked, None, None]:
    with batch_gc(), checking:
        for c in checking:
            yield c
            if on_done:
                on_done(1)
