"""Tokens → rows: a text token holding a row's label key starts that row (keys matched on normalised text,
forward only in template order, so a label cut by a line break or a page still matches by either part); the row's
values are the number and blank tokens up to the next row's label, less the blanks that pad the next label's own
line or record (the empty label columns of a merged header cell).

What the parser needs of a template is compiled once into a :class:`TablePlan` per table (:func:`plan`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from ..model import Cell, CellRef, Row
from ..template import BY_ID, PART_REQUESTS, RowDef, TableDef
from ..text import norm, strip_enumerator
from .tokens import BLANK, BREAK, EOL, TEXT, Memo, Spec, Toks


@dataclass(slots=True)
class Acc:
    """A row's tokens, as indexes in the part's :class:`Toks`: its label's pieces and its values."""

    label: list[int]
    values: list[int]


@dataclass(frozen=True, slots=True, eq=False)
class RowPlan:
    """What the parser needs of one value row. Cells are immutable, so every report shares the cells of a
    missing or misshapen row."""

    rdef: RowDef
    refs: tuple[CellRef, ...]
    kinds: tuple[str, ...]
    missing: Row
    """The row as it stands in a report that lacks it."""
    misshapen: tuple[Cell, ...]
    total: tuple[int, tuple[int, ...]] | None = None
    """(the index of the cell holding the row's own total, the indexes of the cells it adds up), if the row has
    one (part 三's 总计): the premise a run-together row may be cut by."""


@dataclass(frozen=True, slots=True, eq=False)
class TablePlan:
    tdef: TableDef
    template: str
    rows: tuple[RowPlan | None, ...]
    """By index in ``tdef.rows``; None for a group (heading) row."""
    columns: tuple[str, ...]
    owner: dict[str, int]
    """Label key → the row (index in ``tdef.rows``) it starts."""
    keys: re.Pattern[str]
    labels: tuple[str, ...]
    """Each row's label, normalised."""
    known: dict[str, tuple[int, ...]]
    """Normalised text → the rows whose keys it holds, left to right, as :meth:`key_rows` found them: the same
    labels come in every report, and scanning for some 60 keys costs more than the rest of a token."""
    started: dict[tuple[str, int], int | None]
    """(normalised text, row before it) → the row whose label it starts, as :meth:`starting` found it."""

    def starting(self, normed: str, cursor: int) -> int | None:
        """The row among the next few after ``cursor`` whose label starts as ``normed`` does (four characters at
        least, its enumerator the row's own if it has one). Remembered: the same texts come in every report."""
        key = (normed, cursor)
        if key in self.started:
            return self.started[key]
        if len(self.started) >= 4096:
            self.started.clear()
        hit = self.started[key] = self._starting(normed, cursor)
        return hit

    def _starting(self, normed: str, cursor: int) -> int | None:
        bare = strip_enumerator(normed)
        enum = re.sub(r"\D", "", normed[: len(normed) - len(bare)])  # (its digit: "4、" and "4." are one)
        if len(bare) < 4:
            return None
        seen = 0
        for ri in range(cursor + 1, len(self.tdef.rows)):
            r = self.tdef.rows[ri]
            if r.kind != "value":
                continue
            label = self.labels[ri]
            own = strip_enumerator(label)
            if own.startswith(bare) and (not enum or re.sub(r"\D", "", label[: len(label) - len(own)]) == enum):
                return ri
            seen += 1
            if seen >= 3:
                return None
        return None

    def key_rows(self, normed: str) -> tuple[int, ...]:
        hit = self.known.get(normed)
        if hit is None:
            owner = self.owner
            hit = tuple(owner[m.group()] for m in self.keys.finditer(normed))
            if len(normed) <= 64:
                if len(self.known) >= 4096:
                    self.known.clear()
                self.known[normed] = hit
        return hit


def _make_plan(template: str, tdef: TableDef) -> TablePlan:
    owner: dict[str, int] = {}
    for i, r in enumerate(tdef.rows):
        for k in r.keys:
            owner.setdefault(k, i)
    keys = sorted(owner, key=len, reverse=True)
    rx = re.compile("|".join(map(re.escape, keys)) if keys else r"(?!x)x")
    rows: list[RowPlan | None] = []
    for r in tdef.rows:
        if r.kind != "value":
            rows.append(None)
            continue
        cols = tdef.row_columns(r)
        refs = tuple(CellRef(tdef.id, r.id, c.id) for c in cols)
        missing = Row(r.id, r.label, tuple(Cell(ref, None, status="missing") for ref in refs), found=False)
        ids = [c.id for c in cols]
        rel = BY_ID[template].row_total(tdef.id)
        total = None
        if rel is not None and rel.total in ids and all(p in ids for p in rel.parts):
            total = ids.index(rel.total), tuple(ids.index(p) for p in rel.parts)
        rows.append(RowPlan(r, refs, tuple(c.kind for c in cols), missing,
                            tuple(Cell(ref, None, status="bad", note="row-shape") for ref in refs), total))
    columns = tuple(c.id for c in tdef.columns)
    if not columns:
        seen: dict[str, None] = {}
        for r in tdef.rows:
            for c in tdef.row_columns(r):
                seen.setdefault(c.id)
        columns = tuple(seen)
    return TablePlan(tdef, template, tuple(rows), columns, owner, rx, tuple(norm(r.label) for r in tdef.rows), {}, {})


PLANS: dict[tuple[str, str], TablePlan] = {(tid, part): _make_plan(tid, tdef)
                                          for tid, t in BY_ID.items() for part, tdef in t.tables.items()}
"""(template id, table id) → its plan: every template's tables, compiled once."""


def plan(template: str, table: str) -> TablePlan:
    return PLANS[template, table]


def clear_caches() -> None:
    _SHAPE_SEEN.clear()
    for p in PLANS.values():
        p.known.clear()
        p.started.clear()


def _pad_start(specs: list[Spec], i: int) -> int:
    """Index of the first blank token that pads the label at ``i`` (its own line or record), else ``i``."""
    j = i - 1
    while j >= 0 and specs[j].kind == BLANK:
        j -= 1
    if j < 0 or specs[j].kind in (BREAK, EOL):
        return j + 1
    return i


def match_rows(toks: Toks, tp: TablePlan) -> tuple[dict[int, Acc], list[tuple[int, int]]]:
    """Rows (by index in ``tdef.rows``) → their label tokens and value token indexes; and the values found
    outside any value row, as (index of the row before them, token index)."""
    specs = toks.specs
    key_rows: Callable[[str], tuple[int, ...]] = tp.key_rows
    known = tp.known
    rows = tp.tdef.rows
    accs: dict[int, Acc] = {}
    stray: list[tuple[int, int]] = []
    cursor = -1
    current: int | None = None
    values: list[int] | None = None  # the current row's values

    def start(ri: int, i: int) -> None:
        nonlocal cursor, current, values
        if values is not None:
            # blanks that pad this label's own line or record belong to neither row
            n_pad = i - _pad_start(specs, i)
            if n_pad:
                del values[len(values) - n_pad :]
        adopted: list[int] = []
        if current is None and rows[ri].kind == "value" and stray and stray[-1][0] == cursor:
            # numbers that followed a heading row (which has no cells) before this row's key appeared,
            # as when a wrapped label's key sits on the line after its numbers
            while stray and stray[-1][0] == cursor:
                adopted.append(stray.pop()[1])
            adopted.reverse()
        cursor = ri
        acc = accs[ri] = Acc([i], adopted)
        if rows[ri].kind == "value":
            current, values = ri, acc.values
        else:
            current = values = None

    for i, spec in enumerate(specs):
        kind = spec.kind
        if kind == TEXT:
            matched = False
            normed = spec.norm
            hit = known.get(normed)
            for ri in hit if hit is not None else key_rows(normed):
                if ri == current or ri == cursor:
                    if not matched:
                        accs[ri].label.append(i)
                    matched = True
                elif ri > cursor:
                    start(ri, i)
                    matched = True
            if not matched:
                # a key cut between two pieces of text (a label wrapped over lines or split across cells, with
                # nothing but the break between them): "( 二 )部分公" | "开（区分…", "4 . 保护第三" / "方合法权益"
                j = i + 1
                while j < len(specs) and specs[j].kind in (BREAK, EOL):
                    j += 1
                if j < len(specs) and specs[j].kind == TEXT:
                    after = specs[j].norm
                    alone = key_rows(after)
                    for ri in key_rows(normed + after):
                        if ri > cursor and ri not in alone:
                            start(ri, i)
                            matched = True
                            break
            if not matched:
                bare = strip_enumerator(normed)
                for ri in range(cursor + 1, len(rows)):
                    r = rows[ri]
                    if bare in r.weak:
                        start(ri, i)
                        matched = True
                        break
                    if r.kind == "value":
                        break
            if not matched and len(normed) >= 4:
                # the first piece of a label wrapped before any of its keys is whole ("4. 无正当理由大" / "量反复申请"
                # with the row's numbers on the first line): the start of one of the next rows' labels
                first = tp.starting(normed, cursor)
                if first is not None:
                    start(first, i)
        elif kind < BREAK:  # a value: NUM, BLANK or BAD
            if values is not None:
                values.append(i)
            elif cursor >= 0 and (kind != BLANK or (stray and stray[-1][0] == cursor)):
                stray.append((cursor, i))
    return accs, stray


# ------------------------------------------------------------------------------------------------ shape of 三
def _shape_keys() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """For part 三: the label keys only one template's table has (2021: the three leaves of （六）), and the keys of
    rows that hold values in one template but head a group in another (（六）其他处理: a row of its own in 2019)."""
    ids = list(BY_ID)
    only: dict[str, frozenset[str]] = {}
    own_row: dict[str, str] = {}
    for tid in ids:
        mine = {k for r in BY_ID[tid].tables[PART_REQUESTS].rows for k in r.keys}
        others = {k for o in ids if o != tid for r in BY_ID[o].tables[PART_REQUESTS].rows for k in r.keys}
        only[tid] = frozenset(mine - others)
        for r in BY_ID[tid].tables[PART_REQUESTS].rows:
            if r.kind == "value" and any(
                    o_r.id == r.id and o_r.kind == "group" for o in ids if o != tid
                    for o_r in BY_ID[o].tables[PART_REQUESTS].rows):
                for k in r.keys:
                    own_row[k] = tid
    return only, own_row


_ONLY_KEYS, _OWN_ROW_KEYS = _shape_keys()
_SHAPE_RX = re.compile("|".join(map(re.escape, sorted({*_OWN_ROW_KEYS, *(k for ks in _ONLY_KEYS.values() for k in ks)},
                                                      key=len, reverse=True))))


_SHAPE_SEEN = Memo(lambda normed: tuple(m.group() for m in _SHAPE_RX.finditer(normed)), 64, 4096)
"""Normalised text → the shape keys in it (the same labels come in every report; a value's norm is "")."""
_norm_of = attrgetter("norm")


def table_shape(toks: Toks) -> str | None:
    """Which template part 三 is printed in, read from the rows it has: a row only one template has (the 2021
    leaves of （六）) decides; without one, a row that only one template gives values of its own ((六)其他处理 in
    2019) does; None when the table shows neither."""
    seen: set[str] = set()
    for found in filter(None, map(_SHAPE_SEEN.__getitem__, map(_norm_of, toks.specs))):
        seen.update(found)
    for tid, keys in _ONLY_KEYS.items():
        if keys & seen:
            return tid
    for key, tid in _OWN_ROW_KEYS.items():
        if key in seen:
            return tid
    return None
