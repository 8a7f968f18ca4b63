"""How well auditui reads each generated family of layouts (tests/reportgen.py): per family, the share of cells
read right, the cells read wrong without a finding on their row (must be 0), planted errors found, false errors,
and template, year and body right.

    python scripts/families.py              # 60 reports a family
    python scripts/families.py -n 300 --family flattened --show 3   # and print 3 failing reports
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from reportgen import FAMILIES, generate  # noqa: E402

from auditui.core.model import Source  # noqa: E402
from auditui.core.parse import parse  # noqa: E402
from auditui.core.rules import check  # noqa: E402
from auditui.core.template import BY_ID  # noqa: E402


def judge(truth, report, findings) -> dict:
    """Compare a report as read with what it says."""
    # a finding on the row itself (any rule), or on the whole table when the table could not be placed
    flagged_rows = {(f.table, f.row) for f in findings if f.row}
    flagged_tables = {f.table for f in findings if f.table and not f.row and f.rule in ("row-shape", "missing-row")}
    out = Counter()
    wrong = []
    for (t, r, c), want in truth.cells():
        table = report.tables.get(t)
        row = table.get(r) if table else None
        got = row.value(c) if row is not None else None
        out["cells"] += 1
        if got == want and type(got) is type(want):
            out["right"] += 1
        elif (t, r) not in flagged_rows and t not in flagged_tables:
            out["wrong_unflagged"] += 1
            wrong.append((t, r, c, want, got))
        else:
            out["flagged"] += 1
    errors = [f for f in findings if f.severity == "error"]
    values = dict(truth.cells())
    broken = []  # the template's equations the report breaks, where every cell of them is written
    for eq in BY_ID[truth.template].equations:
        cells = [(c.table, c.row, c.column) for c in eq.cells]
        if any(values.get(c) is None for c in cells):
            continue
        if sum(values[(c.table, c.row, c.column)] for c in eq.left) != \
                sum(values[(c.table, c.row, c.column)] for c in eq.right):
            broken.append(set(cells))
    out["planted"] += len(broken)
    for cells in broken:
        if any(cells == {(x.table, x.row, x.column) for x in f.cells} for f in errors):
            out["planted_found"] += 1
    if not broken and errors:
        out["false_error_reports"] += 1
    out["reports"] += 1
    out["template_ok"] += report.template == truth.template
    out["year_ok"] += report.year == truth.year
    out["body_ok"] += report.body == truth.body
    return {"counts": out, "wrong": wrong, "errors": errors}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=60)
    ap.add_argument("--family", action="append")
    ap.add_argument("--show", type=int, default=0, help="print this many failing reports per family")
    args = ap.parse_args()
    total = Counter()
    print(f"{'family':<14}{'cells right':>12}{'wrong!':>8}{'violations found':>17}{'false err':>10}"
          f"{'template':>9}{'year':>6}{'body':>6}")
    for family in args.family or FAMILIES:
        c = Counter()
        shown = 0
        for seed in range(args.n):
            truth, text = generate(family, seed)
            report = parse(Source.from_text(text, path=f"{family}-{seed}.txt"))
            findings = check(report)
            j = judge(truth, report, findings)
            c += j["counts"]
            bad = j["wrong"] or j["counts"]["planted_found"] < j["counts"]["planted"] or \
                j["counts"]["false_error_reports"] or report.template != truth.template or report.year != truth.year
            if bad and shown < args.show:
                shown += 1
                print(f"--- {family} seed {seed}: template {truth.template}/{report.template} year {truth.year}/"
                      f"{report.year} body {truth.body!r}/{report.body!r} planted {truth.planted}")
                for w in j["wrong"][:8]:
                    print("   wrong:", w)
                for f in j["errors"][:4]:
                    print("   error:", f.rule, f.row, f.column, f.expected, f.actual)
        total += c
        n = c["reports"]
        print(f"{family:<14}{c['right'] / c['cells']:>11.1%} {c['wrong_unflagged']:>7}"
              f"{c['planted_found']:>11}/{c['planted']:<5}{c['false_error_reports']:>10}"
              f"{c['template_ok'] / n:>9.0%}{c['year_ok'] / n:>6.0%}{c['body_ok'] / n:>6.0%}")
    n = total["reports"]
    print(f"{'all':<14}{total['right'] / total['cells']:>11.1%} {total['wrong_unflagged']:>7}"
          f"{total['planted_found']:>11}/{total['planted']:<5}{total['false_error_reports']:>10}"
          f"{total['template_ok'] / n:>9.0%}{total['year_ok'] / n:>6.0%}{total['body_ok'] / n:>6.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
