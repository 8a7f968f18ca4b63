#!/usr/bin/env python
"""The text line's timing, shared by bench/run.py's text section and its ``--against`` runs: parse + check of every
report with whichever auditui is first on the path (this checkout's, or an earlier revision's worktree; the older
revisions' names are tolerated). Run as a script on a folder, it prints one line of JSON: the medians in µs."""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def timed(sources: Sequence[Any], passes: int = 3) -> tuple[list[float], list[float], list[float]]:
    """Each report's CPU time (ns) for parse + check, parse, and check: the least of ``passes`` passes, since other
    work on the machine only ever adds time. Every pass starts with the parser's caches emptied, as a fresh batch
    would (a report's own lines are never found in a cache because the same report was parsed in an earlier
    pass); the collector is tuned as `auditui check` tunes it for a batch (core.collector.batch_gc)."""
    from auditui.core.parse import clear_caches, parse
    from auditui.core.rules import check

    try:
        from auditui.core.suggest import clear_cache as clear_suggest_cache
    except ImportError:  # (a revision without a suggestions cache)
        def clear_suggest_cache() -> None:
            pass
    try:
        from auditui.core.collector import batch_gc
    except ImportError:
        try:
            from auditui.core.batch import batch_gc  # (before the collector's tuning had one home)
        except ImportError:
            batch_gc = contextlib.nullcontext  # type: ignore[assignment]
    for s in sources[:200]:  # warm-up: imports, the allocator
        check(parse(s))
    n = len(sources)
    times, parse_times, check_times = [float("inf")] * n, [float("inf")] * n, [float("inf")] * n
    clock = time.process_time_ns
    with batch_gc():
        for _ in range(passes):
            clear_caches()
            clear_suggest_cache()
            for i, s in enumerate(sources):
                t0 = clock()
                report = parse(s)
                t1 = clock()
                check(report)
                t2 = clock()
                times[i] = min(times[i], t2 - t0)
                parse_times[i] = min(parse_times[i], t1 - t0)
                check_times[i] = min(check_times[i], t2 - t1)
    return times, parse_times, check_times


def main() -> None:
    from auditui.core.load import load

    times, parse_times, _ = timed([load(p) for p in sorted(Path(sys.argv[1]).iterdir())])
    print(json.dumps({"median": statistics.median(times) / 1000, "parse": statistics.median(parse_times) / 1000,
                      "reports": len(times)}))


if __name__ == "__main__":
    main()
