"""How well auditui reads each generated family of layouts (tests/reportgen.py): per family, the share of cells
read right, the cells read wrong without a finding on their row (must be 0), the arithmetic violations found, false errors,
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

from reportgen import FAMILIES, generate, judge  # noqa: E402

from auditui.core.model import Source  # noqa: E402
from auditui.core.parse import parse  # noqa: E402
from auditui.core.rules import check  # noqa: E402


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
            bad = j["wrong"] or j["counts"]["violations_found"] < j["counts"]["violations"] or \
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
              f"{c['violations_found']:>11}/{c['violations']:<5}{c['false_error_reports']:>10}"
              f"{c['template_ok'] / n:>9.0%}{c['year_ok'] / n:>6.0%}{c['body_ok'] / n:>6.0%}")
    n = total["reports"]
    print(f"{'all':<14}{total['right'] / total['cells']:>11.1%} {total['wrong_unflagged']:>7}"
          f"{total['violations_found']:>11}/{total['violations']:<5}{total['false_error_reports']:>10}"
          f"{total['template_ok'] / n:>9.0%}{total['year_ok'] / n:>6.0%}{total['body_ok'] / n:>6.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
