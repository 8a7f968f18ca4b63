"""How auditui tunes Python's cyclic garbage collector: once, here, for the batch and for the TUI.

A report is some thousands of small tuples (tokens, spans, cells), nearly all freed by reference counting as soon
as the report is done; none of them form cycles. With the default threshold (a young collection every 700
allocations) the collector walks each report's live objects many times over: about 8 % of a batch's time, and
pauses in the middle of drawing in the TUI. Here a young collection comes every 50,000 allocations instead (and
an older one every 50 and 100 of those: a worker holds a chunk of finished reports, which the older collections
would walk over and over). Cycles are still collected; memory stays flat (bench/run.py measures it).

Light on purpose (the standard library only): the TUI sets it before Textual is imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 50_000
THRESHOLDS = (YOUNG, 50, 100)
"""Young collections every 50,000 allocations; the older generations every 50 and 100 of the one below."""


def set_thresholds() -> None:
    """The thresholds above, for the rest of the process (the TUI: see also ``tui.app.keep_out_of_collections``)."""
    gc.set_threshold(*THRESHOLDS)


def tune_gc() -> None:
    """Set the collector up for checking many reports in this process: the thresholds above, and what is alive
    before the batch starts (modules, templates, the parser's caches) frozen out of every collection."""
    gc.freeze()
    set_thresholds()


@contextmanager
def batch_gc() -> Iterator[None]:
    """:func:`tune_gc` for the duration of a batch, then the collector as it was."""
    before = gc.get_threshold()
    tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
