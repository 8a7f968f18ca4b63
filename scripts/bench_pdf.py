#!/usr/bin/env python
"""Time auditui on PDFs per page, against pdfplumber's own ``extract_text`` on the same file, in one process.

    python scripts/bench_pdf.py                       # the real report and the seed twins in sample_reports/
    python scripts/bench_pdf.py some.pdf other.pdf -n 7

For each file: the median over ``-n`` runs (after one warm-up run) of
  * bare:    pdfplumber.open + page.extract_text() for every page,
  * load:    auditui's PDF loader (tables found and rebuilt, prose rejoined, pages marked),
  * full:    load + parse + check, what ``auditui check`` does per file,
in milliseconds per page, and full / bare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _median_ms(fn, n: int) -> float:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def bench(path: Path, n: int) -> dict:
    import pdfplumber

    from auditui.core.load import load
    from auditui.core.parse import parse
    from auditui.core.rules import check

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)

    def bare() -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()

    def loader() -> None:
        load(path)

    def full() -> None:
        check(parse(load(path)))

    b, lo, f = _median_ms(bare, n), _median_ms(loader, n), _median_ms(full, n)
    return {"file": path.name, "pages": pages, "bare": b / pages, "load": lo / pages, "full": f / pages,
            "ratio": f / b}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("-n", type=int, default=5, help="runs per measurement (median; default 5)")
    args = ap.parse_args(argv)
    pdfs = args.pdfs or sorted((ROOT / "sample_reports").glob("*.pdf"))
    print(f"{'file':44} {'pages':>5} {'bare ms/p':>10} {'load ms/p':>10} {'full ms/p':>10} {'full/bare':>9}")
    rows = [bench(p, args.n) for p in pdfs]
    for r in rows:
        print(f"{r['file']:44} {r['pages']:5d} {r['bare']:10.1f} {r['load']:10.1f} {r['full']:10.1f} "
              f"{r['ratio']:9.2f}")
    total_pages = sum(r["pages"] for r in rows)
    if len(rows) > 1:
        def avg(k: str) -> float:
            return sum(r[k] * r["pages"] for r in rows) / total_pages

        print(f"{'all (per page, weighted)':44} {total_pages:5d} {avg('bare'):10.1f} {avg('load'):10.1f} "
              f"{avg('full'):10.1f} {avg('full') / avg('bare'):9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
