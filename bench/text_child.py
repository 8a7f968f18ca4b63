#!/usr/bin/env python
"""One timing of the text line of bench/run.py, for ``--against``: parse + check of every report file in a folder,
with whichever auditui is first on the path (this checkout's, or an earlier revision's worktree), measured as
bench_text measures it (CPU time, least of three passes per report, caches emptied at each pass, the collector
tuned for a batch). Prints one line of JSON: the medians in µs. Tolerates the older revisions' names."""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    folder = Path(sys.argv[1])
    from auditui.core.load import load
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
    sources = [load(p) for p in sorted(folder.iterdir())]
    for s in sources[:200]:  # warm-up: imports, the allocator
        check(parse(s))
    n = len(sources)
    times, parse_times = [float("inf")] * n, [float("inf")] * n
    clock = time.process_time_ns
    with batch_gc():
        for _ in range(3):
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
    print(json.dumps({"median": statistics.median(times) / 1000, "parse": statistics.median(parse_times) / 1000,
                      "reports": n}))


if __name__ == "__main__":
    main()
