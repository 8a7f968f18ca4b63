"""The likely wrong cell of a report whose arithmetic does not hold.

What a suggestion is
--------------------
The four error rules are linear equations over the cells (``sum(plus) == sum(minus)``): each column balance, each
column's subtotal, each row total of part 三, each row total of part 四. A *suggestion* is a correction of **one
value** that makes every evaluable equation of its grid hold, with no count negative. One value is either

- **one cell** (``also`` empty): the cell alone was mistyped, e.g. （七）总计's 总计 typed 15 for 51; or
- **one cell and its row's own 总计, by the same amount** (``also`` = the row's 总计): the count of one kind of
  applicant in one row was mistyped and the row's 总计, added up from it, carries the same mistake. This is what a
  report looks like when its (七)总计 row (or 一, 二, 四) was computed apart from the rows it sums, and it is the
  only reading under which a mistake shows in two columns at once. Seed 003 is such a report: 三.四.1 says 2 in
  自然人 and 总计 while 一 and （七） say 1; the subtotal fails in 自然人 and in 总计, no single cell can repair
  two columns, and the one value that repairs both is "三.四.1: 自然人 2 → 0 (总计 2 → 0)". Changing （七） to
  3 instead would repair both subtotals but break the column balance (1 + 0 ≠ 3 + 0): it is not listed.

How they are found
------------------
For every broken equation and every cell in it, solve the equation for that cell (a single-cell candidate), and —
for a cell of part 三 outside the 总计 column — for that cell together with its row's 总计 (a row candidate).
Keep a candidate only if, with the change, every evaluable equation of the *grid* holds and no count is negative.
The grids are the connected sets of equations (equations sharing a cell): part 三 is one grid, each row of part 四
is its own. A change in one grid cannot repair or break another, so an error in part 四 does not hide the
correction of an error in part 三; within a grid, two independent mistakes have no suggestion and each error
finding says so ("无单一数值的修正可使全部勾稽关系成立"). Equations that cannot be evaluated (a blank cell)
are neither required to hold nor counted as broken.

Ranking: fewest changed digits first, then the smaller change, then template order. Digits are compared right-
aligned, a missing digit counting as changed: 12 → 10 is one digit, 105 → 15 is two, 7 → 17 is one. A row
candidate counts the digits of both its cells.

Every error finding of a grid gets the same list (every candidate repairs every broken equation of its grid).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .model import CellRef, Finding, JSONObject, Report, Suggestion
from .template import ARITHMETIC_RULES, Equation, Template

NO_FIX = "；无单一数值的修正可使全部勾稽关系成立"
NO_FIX_EN = "; no correction of a single value makes every rule hold"
MAX_BROKEN = 6
"""A grid with more broken equations than a row candidate can touch (its row's 总计 sits in three at most, and so
does its cell) has no suggestion; it is not searched."""


class _Eq:
    """One of the template's equations (:class:`~auditui.core.template.Equation`) as the search reads it:
    ``sum(plus) == sum(minus)``, ``coef`` giving each cell's sign (+1 in plus, −1 in minus)."""

    __slots__ = ("cells", "coef", "minus", "plus", "rule")

    def __init__(self, eq: Equation) -> None:
        self.rule, self.plus, self.minus, self.cells = eq.rule, eq.left, eq.right, eq.cells
        coef: dict[CellRef, int] = {}
        for sign, refs in ((1, self.plus), (-1, self.minus)):
            for r in refs:
                coef[r] = coef.get(r, 0) + sign
        self.coef = coef

    def residual(self, values: dict[CellRef, int]) -> int | None:
        """sum(plus) − sum(minus), or None when a cell is blank or unreadable."""
        get = values.__getitem__
        try:
            return sum(map(get, self.plus)) - sum(map(get, self.minus))
        except KeyError:  # a blank or unreadable cell is not in ``values``
            return None

    def shift(self, deltas: dict[CellRef, int]) -> int:
        """How much the residual moves when each cell of ``deltas`` moves by its delta."""
        coef = self.coef
        return sum(coef.get(c, 0) * d for c, d in deltas.items())


def equations(report: Report, template: Template) -> list[_Eq]:
    """The template's equations the error rules evaluate in this report (:func:`auditui.core.rules.evaluable`)."""
    from .rules import evaluable

    return [_Eq(eq) for eq in template.equations if evaluable(report, eq)]


class _System:
    """A report's equations, grouped into grids, with the equations each cell is in: the same for every report
    of a template whose tables were found with the same columns and the same rows left out (misshapen or missing),
    so it is made once per such shape."""

    __slots__ = ("by_cell", "eqs", "grids", "row_total")

    def __init__(self, eqs: list[_Eq], template: Template) -> None:
        self.eqs = eqs
        self.row_total = {t: rel.total for t in template.tables if (rel := template.row_total(t)) is not None}
        """Table → the column holding each row's own total (a row candidate changes it with the cell)."""
        self.grids = _grids(eqs)
        self.by_cell: dict[CellRef, list[int]] = {}
        for i, eq in enumerate(eqs):
            for c in eq.cells:
                self.by_cell.setdefault(c, []).append(i)


_SYSTEMS: dict[tuple[object, ...], _System] = {}
_MAX_SYSTEMS = 256


def _system(report: Report, template: Template) -> _System:
    key = (template.id, *((t.id, t.found, t.columns, *(r.id for r in t.rows if r.shape is not None or not r.found))
                          for t in report.tables.values()))
    system = _SYSTEMS.get(key)
    if system is None:
        if len(_SYSTEMS) >= _MAX_SYSTEMS:
            _SYSTEMS.clear()
        system = _SYSTEMS[key] = _System(equations(report, template), template)
    return system


def clear_cache() -> None:
    """Forget the equation systems made so far (for measuring a cold start)."""
    _SYSTEMS.clear()


def digit_distance(a: int, b: int) -> int:
    """Digits that differ, right-aligned; a digit present in one number only counts as changed."""
    sa, sb = str(a), str(b)
    n = max(len(sa), len(sb))
    return sum(x != y for x, y in zip(sa.rjust(n), sb.rjust(n), strict=True))


def _grids(eqs: list[_Eq]) -> list[list[int]]:
    """Equations grouped by shared cells (union-find)."""
    parent = list(range(len(eqs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[CellRef, int] = {}
    for i, eq in enumerate(eqs):
        for c in eq.cells:
            j = owner.setdefault(c, i)
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[ri] = rj
    groups: dict[int, list[int]] = {}
    for i in range(len(eqs)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _candidates(system: _System, grid: list[int], residuals: dict[int, int | None], values: dict[CellRef, int],
                order: dict[CellRef, int]) -> list[Suggestion]:
    eqs, by_cell = system.eqs, system.by_cell
    broken = [i for i in grid if residuals[i]]
    if not broken or len(broken) > MAX_BROKEN:
        return []
    cells_of_broken = [frozenset(eqs[j].cells) for j in broken]
    tried: set[frozenset[tuple[CellRef, int]]] = set()
    found: list[tuple[_Rank, Suggestion]] = []
    for i in broken:
        eq, r = eqs[i], residuals[i]
        assert r is not None
        for sign, refs in ((1, eq.plus), (-1, eq.minus)):
            delta = -r if sign == 1 else r
            for x in refs:
                deltas = [{x: delta}]
                total_column = system.row_total.get(x.table)
                total = CellRef(x.table, x.row, total_column or "")
                if total_column is not None and x.column != total_column and total in values:
                    deltas.append({x: delta, total: delta})
                for d in deltas:
                    if any(cells.isdisjoint(d) for cells in cells_of_broken):
                        continue  # a broken equation this change does not touch stays broken
                    change = {c: values[c] + dc for c, dc in d.items()}
                    key = frozenset(change.items())
                    if key in tried:
                        continue
                    tried.add(key)
                    if any(v < 0 for v in change.values()):
                        continue
                    # The changed cells all have values: an equation with a blank cell stays unevaluable.
                    touched = {j for c in d for j in by_cell.get(c, ())}
                    if any((rj := residuals[j]) is not None and rj + eqs[j].shift(d) != 0 for j in touched):
                        continue
                    found.append(_suggestion(x, change, values, order))
    found.sort(key=lambda t: t[0])
    return [s for _, s in found]


_Rank = tuple[int, int, int, int]
"""How a suggestion ranks (smallest first): digits changed, the size of the change, cells changed, template order."""


def _suggestion(x: CellRef, change: dict[CellRef, int], values: dict[CellRef, int], order: dict[CellRef, int]
                ) -> tuple[_Rank, Suggestion]:
    also = tuple(Suggestion(c, values[c], v, digit_distance(values[c], v)) for c, v in change.items() if c != x)
    main = Suggestion(x, values[x], change[x], digit_distance(values[x], change[x]), also)
    digits = main.changed_digits + sum(a.changed_digits for a in also)
    return (digits, abs(change[x] - values[x]), len(change), order.get(x, 0)), main


def suggestions(report: Report, template: Template) -> dict[CellRef, tuple[Suggestion, ...]]:
    """For every cell in a broken equation: the ranked suggestions of its grid (empty: none exists)."""
    system = _system(report, template)
    eqs = system.eqs
    values = report.int_values  # (part 二's too: no equation names them)
    order = {ref: k for k, ref in enumerate(values)}
    residuals = {i: eq.residual(values) for i, eq in enumerate(eqs)}
    out: dict[CellRef, tuple[Suggestion, ...]] = {}
    for grid in system.grids:
        if not any(residuals[i] for i in grid):
            continue
        cands = tuple(_candidates(system, grid, residuals, values, order))
        for i in grid:
            for c in eqs[i].cells:
                out[c] = cands
    return out


def attach(report: Report, template: Template, findings: Iterable[Finding]) -> list[Finding]:
    """Error findings of the arithmetic rules with their suggestions, or with a sentence saying none exists."""
    findings = list(findings)
    if not any(f.rule in ARITHMETIC_RULES and f.severity == "error" and f.evaluable for f in findings):
        return findings
    by_cell = suggestions(report, template)
    out = []
    for f in findings:
        if f.rule in ARITHMETIC_RULES and f.severity == "error" and f.evaluable:
            cands = next((by_cell[c] for c in f.cells if c in by_cell), ())
            if cands:
                f = replace(f, suggestions=cands)
            else:
                f = replace(f, message=f.message + NO_FIX, message_en=f.message_en + NO_FIX_EN)
        out.append(f)
    return out


def no_fix(finding: Finding | JSONObject) -> bool:
    """Whether an arithmetic error finding has been searched and no correction of a single value exists."""
    f = finding.to_json() if isinstance(finding, Finding) else finding
    return (f["rule"] in ARITHMETIC_RULES and f["severity"] == "error" and f.get("evaluable", True)
            and not f.get("suggestions"))


def describe(suggestion: JSONObject) -> str:
    """One suggestion as JSON (``Finding.to_json()["suggestions"][i]``) in words: ``三.四.1/自然人 2 → 0（总计 2 → 0）``."""
    cell = suggestion["cell"].split("/", 1)[-1]
    text = f"{cell} {suggestion['current']} → {suggestion['proposed']}"
    also = suggestion.get("also") or []
    if also:
        text += "（" + "，".join(f"{a['cell'].rsplit('/', 1)[-1]} {a['current']} → {a['proposed']}" for a in also) + "）"
    return text


def describe_all(suggestions: list[JSONObject], limit: int = 3) -> str:
    """The line shown under an error finding: the first ``limit`` suggestions, or that none exists."""
    if not suggestions:
        return ""
    shown = "；或 ".join(describe(s) for s in suggestions[:limit])
    more = f"（另有 {len(suggestions) - limit} 个）" if len(suggestions) > limit else ""
    return f"可能的修正：{shown}{more}"
