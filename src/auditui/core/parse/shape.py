"""A row's value tokens → its cells.

- As many numbers as columns: those numbers (stray blank columns dropped).
- Fewer numbers: blanks count as cells once the padding around them is trimmed; where blanks stand on both sides
  of the numbers (label padding or a blank first or last value?), the table's well-formed rows say where its
  values start (:class:`Placer`); part 四's header cells say where each of its fifteen columns is.
- Digits of several cells run together ("523000055", "30 0 0 0 03": page text a crawler flattened). A number is
  split only where it must be: when it was cut out of a word holding text or starts with a 0 it cannot keep. Of
  the ways to cut the row's numbers into as many cells as the row has (no cell with a leading 0), one that is the
  only one is taken — the row's own total is then still a check. Otherwise the one way whose cells add up to the
  row's own 总计 is taken, and that total is a *premise*, not a check (the row says so). Otherwise the row is
  left unread with the ways listed for the auditor to choose from (``candidates``). The column and subtotal rules
  never choose a split: they must stay free to find the report's errors.
- Anything else: the row is misshapen, its cells unreadable — never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, pairwise
from math import comb
from typing import cast

from ..model import Candidates, Cell, CellRef, Row, Span, Table, make
from ..template import TableDef
from ..text import norm
from .rows import Acc, RowPlan, TablePlan, match_rows
from .tokens import _WS, BAD, BLANK, NUM, TEXT, VALUE_KINDS, Tok, Toks, tok

_GENERIC_HEADER = re.compile(r"(?:数据|列|栏|column|col)\d{1,2}", re.I)
"""A converter's header cell that names no column, only its place ("数据1")."""
MAX_CANDIDATES = 24
"""A row with more ways to cut its digits than this is left unread with the first ones listed."""
MAX_PIECE_DIGITS = 7
"""No cell cut out of run-together digits is given more digits than this (a count of millions)."""

Sums = tuple[tuple[int, tuple[int, ...]], ...]
"""The totals a row (or a run of rows) must add up to: (the total's column, the columns it adds up), each."""
_UNREAD = object()


@dataclass(frozen=True, slots=True)
class Fitted:
    """How a row's tokens fill its columns: the tokens (None: they cannot be placed), how they were made
    ("": as read, "split": digits cut the one way they can be, "premise": the one way that fits the row's own
    total, "placed": the one placement of its values among its cells, padding or blanks that left no trace, that
    fits it), and the ways the auditor may choose from when none could be taken."""

    tokens: list[Tok] | None
    how: str = ""
    candidates: Candidates = ()


def fit(vals: list[Tok], n: int, numbers: list[Tok] | None = None, place: Placer | None = None,
        sums: Sums = (), split: bool = True) -> Fitted:
    """Fit value tokens to ``n`` columns. ``numbers``: the tokens of ``vals`` that are not blank, if the caller
    has them already. ``place``: where a table's columns say ``n`` values stand. ``sums``: the totals the cells
    must add up to (each as the column holding it and the columns it adds up), for the premise of a reading
    that nothing else makes certain."""
    if numbers is None:
        numbers = [t for t in vals if t.kind != BLANK]
    if len(numbers) == n:
        return Fitted(numbers)
    if len(numbers) > n:
        return Fitted(None)
    if len(vals) > n and vals[0].kind == BLANK and vals[-1].kind == BLANK and len({t.span.line for t in vals}) == 1:
        # Blanks on both sides of the numbers: label padding (a grid's merged label columns) or a blank first or
        # last value? The table's own columns say, where its physical table's full rows and header agree.
        placed = place(vals, n) if place is not None else None
        if placed is not None:
            return Fitted(placed)
        if "\t" in _line_of(vals, place):
            return Fitted(None)  # (tab-separated grids pad their label columns: not guessed)
    if len(vals) > n:
        # Blanks around the numbers to spare: padding. Where they stand on both sides, which are padding and which
        # blank values nothing says (a crawler pads after a row's cells, or before them): each way is a reading.
        lead = next(i for i, t in enumerate(vals) if t.kind != BLANK) if numbers else len(vals)
        trail = next(i for i, t in enumerate(reversed(vals)) if t.kind != BLANK) if numbers else len(vals)
        extra = len(vals) - n
        first, last = max(0, extra - trail), min(extra, lead)
        if first < last:
            return _choose([vals[k : k + n] for k in range(first, last + 1)], sums)
    seq = list(vals)
    while len(seq) > n and seq[-1].kind == BLANK:
        seq.pop()
    while len(seq) > n and seq[0].kind == BLANK:
        seq.pop(0)
    if len(seq) == n:
        return Fitted(seq)
    if place is not None:
        aligned = place.aligned(numbers, n)
        if aligned is not None:
            return Fitted(aligned)
    if split and _run_together(numbers, n, place is not None and place.fused()):
        return _split(numbers, n, sums)
    return Fitted(None)


def _holds(v: Sequence[int | None], sums: Sums) -> bool:
    """Whether every total of ``sums`` is written and is the sum of its parts (a blank part adds nothing)."""
    return all(v[col] is not None and sum(v[p] or 0 for p in parts) == v[col] for col, parts in sums)


def _choose(options: list[list[Tok]], sums: Sums) -> Fitted:
    """Of the ways a row's value tokens may stand in its cells: one, where they all read the same; else the one
    way that keeps every total (its premise: said so, no check); else none — the ways listed for the auditor
    (those that keep the totals, if some do, else all of them), where there are not too many to list."""
    readings = []
    for o in options:
        r = [None if t.kind == BLANK else t.value if t.kind == NUM and isinstance(t.value, int) else _UNREAD
             for t in o]
        if _UNREAD in r:  # (an unreadable value or a fraction: no reading can be stated)
            return Fitted(None)
        readings.append(cast("list[int | None]", r))
    if all(r == readings[0] for r in readings):
        return Fitted(options[0])
    fitting = [k for k, r in enumerate(readings) if _holds(r, sums)] if sums else []
    distinct = {tuple(readings[k]): k for k in fitting}
    if len(distinct) == 1:
        return Fitted(options[fitting[0]], "placed")
    shown = list(distinct) if fitting else list(dict.fromkeys(map(tuple, readings)))
    return Fitted(None, "", tuple(shown) if len(shown) <= MAX_CANDIDATES else ())


def _line_of(vals: list[Tok], place: Placer | None) -> str:
    return place.lines[vals[0].span.line] if place is not None else ""


def _run_together(numbers: list[Tok], n: int, fused: bool = False) -> bool:
    """Whether ``numbers`` are digits of ``n`` cells run together: whole numbers only, digits enough for ``n`` cells
    and not too many, and one of them cut out of a word holding text or starting with a 0 it cannot keep — or the
    table's digits run together in other rows (``fused``: the page was flattened)."""
    if not numbers or not all(t.kind == NUM and t.raw.isascii() and t.raw.isdigit() for t in numbers):
        return False
    digits = sum(len(t.raw) for t in numbers)
    return n <= digits <= n * MAX_PIECE_DIGITS and \
        (fused or any(t.glued or (len(t.raw) > 1 and t.raw[0] == "0") for t in numbers))


MAX_WAYS = 4096
"""A row whose digits can be cut in more ways than this is left unread (no way listed): nothing is certain."""
MAX_ARRANGEMENTS = 20_000
"""The readings with blank cells tried before a cut is given up as uncertain (a crawler keeps an empty cell as
nothing at all, so any cell may be one)."""


def _split(numbers: list[Tok], n: int, sums: Sums) -> Fitted:
    """Cut run-together digits into ``n`` cells (see the module): the one way there is, unless it breaks a total that
    some reading with a cell left blank would keep (then nobody can tell); else the one way that keeps every total,
    unless a reading with a blank cell keeps them too; else the ways, for the auditor to choose from."""
    raws = [t.raw for t in numbers]
    if count_ways(raws, n) > MAX_WAYS:  # too many ways to try them all: nothing can be taken as certain
        return Fitted(None)
    cut = _ways(raws, n)
    ways: list[list[int | None]] = [[int(x) for x in _flat(w)] for w in cut]

    def holds(v: list[int | None]) -> bool:
        return _holds(v, sums)

    hidden = _with_blanks(raws, n, holds) if sums else []
    if hidden is None:  # too many readings to try them all: nothing can be taken as certain
        return Fitted(None, "", tuple(map(tuple, ways[:MAX_CANDIDATES])))
    if len(ways) == 1 and (not sums or holds(ways[0]) or not hidden):  # (breaking a total: the report's error)
        return Fitted(_tokens(numbers, cut[0]), "split")
    fitting = [w for w in ways if holds(w)] if sums else []
    if len(fitting) == 1 and not hidden:
        return Fitted(_tokens(numbers, cut[ways.index(fitting[0])]), "premise")
    shown = fitting + hidden if fitting or hidden else ways
    return Fitted(None, "", tuple(map(tuple, shown[:MAX_CANDIDATES])))


def _with_blanks(raws: list[str], n: int, holds: Callable[[list[int | None]], bool]
                 ) -> list[list[int | None]] | None:
    """The readings of the digits with cells blank (nothing kept of them) that keep every total; None when there
    are too many readings to try."""
    out: list[list[int | None]] = []
    tried = 0
    if sum(count_ways(raws, n - k) * comb(n, k) for k in range(1, n - len(raws) + 1)) > MAX_ARRANGEMENTS:
        return None
    for k in range(1, n - len(raws) + 1):
        for w in _ways(raws, n - k):
            vals = [int(x) for x in _flat(w)]
            for blanks in combinations(range(n), k):
                tried += 1
                if tried > MAX_ARRANGEMENTS:
                    return out or None
                it = iter(vals)
                v: list[int | None] = [None if c in blanks else next(it) for c in range(n)]
                if holds(v):
                    out.append(v)
                    if len(out) >= MAX_CANDIDATES:
                        return out
    return out


def _flat(way: tuple[tuple[str, ...], ...]) -> list[str]:
    return [p for parts in way for p in parts]


def count_ways(raws: list[str], n: int) -> int:
    """How many ways :func:`_ways` has, counted without making them (each number's cuts by their number of pieces,
    then the numbers' together): what tells whether trying them all is affordable."""
    total = {0: 1}  # pieces so far → ways
    for s in raws:
        # by[j][p]: ways to cut s[j:] into p pieces
        by: list[dict[int, int]] = [dict() for _ in range(len(s) + 1)]
        by[len(s)][0] = 1
        for j in range(len(s) - 1, -1, -1):
            ends = [j + 1] if s[j] == "0" else range(j + 1, min(len(s), j + MAX_PIECE_DIGITS) + 1)
            acc: dict[int, int] = {}
            for e in ends:
                for p, w in by[e].items():
                    if p + 1 <= n:
                        acc[p + 1] = acc.get(p + 1, 0) + w
            by[j] = acc
        nxt: dict[int, int] = {}
        for a, wa in total.items():
            for b, wb in by[0].items():
                if a + b <= n:
                    nxt[a + b] = nxt.get(a + b, 0) + wa * wb
        total = nxt
    return total.get(n, 0)


def _cuts(s: str, pieces: int) -> list[tuple[str, ...]]:
    """Every way to cut ``s`` into exactly ``pieces`` pieces, no piece but "0" starting with 0 nor longer than
    MAX_PIECE_DIGITS."""
    memo: dict[tuple[int, int], list[tuple[str, ...]]] = {}

    def at(j: int, p: int) -> list[tuple[str, ...]]:
        key = (j, p)
        hit = memo.get(key)
        if hit is None:
            left = len(s) - j
            if p == 0:
                hit = [()] if left == 0 else []
            elif left < p or left > p * MAX_PIECE_DIGITS:
                hit = []
            else:
                ends = [j + 1] if s[j] == "0" else range(j + 1, min(len(s), j + MAX_PIECE_DIGITS) + 1)
                hit = [(s[j:e], *rest) for e in ends for rest in at(e, p - 1)]
            memo[key] = hit
        return hit

    return at(0, pieces)


def _ways(raws: list[str], n: int) -> list[tuple[tuple[str, ...], ...]]:
    """Every way to cut each of ``raws`` into pieces, ``n`` pieces in all, no piece but "0" starting with 0 (the
    caller has counted them first: :func:`count_ways`)."""
    # each number's cuts in reading order (the shortest first piece first, and so on), whatever their pieces
    options = [sorted((c for p in range(1, min(len(r), n) + 1) for c in _cuts(r, p)), key=lambda c: [*map(len, c)])
               for r in raws]
    fewest = [0] * (len(raws) + 1)  # the fewest pieces the numbers from each one on can be cut into
    most = [0] * (len(raws) + 1)
    for i in range(len(raws) - 1, -1, -1):
        fewest[i] = fewest[i + 1] + (min(map(len, options[i])) if options[i] else n + 1)
        most[i] = most[i + 1] + (max(map(len, options[i])) if options[i] else 0)
    out: list[tuple[tuple[str, ...], ...]] = []

    def walk(i: int, left: int, prefix: tuple[tuple[str, ...], ...]) -> None:
        if i == len(raws):
            if left == 0:
                out.append(prefix)
            return
        for c in options[i]:
            if fewest[i + 1] <= left - len(c) <= most[i + 1]:
                walk(i + 1, left - len(c), (*prefix, c))

    walk(0, n, ())
    return out


def _tokens(numbers: list[Tok], way: tuple[tuple[str, ...], ...]) -> list[Tok]:
    out = []
    for t, parts in zip(numbers, way, strict=True):
        if len(parts) == 1:
            out.append(t)
            continue
        k = 0
        for p in parts:
            start = t.span.start + k
            out.append(Tok(NUM, p, Span(t.span.line, start, start + len(p)), int(p), "", "", True))
            k += len(p)
    return out


def _cell(ref: CellRef, t: Tok, kind: str, note: str = "") -> Cell:
    if t.kind == NUM and t.value is not None:
        v = t.value
        if kind == "count" and isinstance(v, float):
            return Cell(ref, None, t.raw, t.span, "bad", "not a whole number")
        return Cell(ref, v, t.raw, t.span, "ok", note)
    if t.kind == BLANK:
        raw = t.raw.strip(_WS)
        return Cell(ref, None, raw, t.span, "blank", note or (f"written as {raw!r}" if raw else ""))
    return Cell(ref, None, t.raw, t.span, "bad", "unreadable")


def column(line: str, start: int) -> int | None:
    """The index of the cell at ``start`` on a Markdown, pipe-ended or TSV line (None on a line of one cell)."""
    s = line.lstrip(_WS)
    if "|" in line:
        return line.count("|", 0, start) - (1 if s.startswith("|") else 0)
    if "\t" in line.lstrip("\t"):
        return line.count("\t", 0, start)
    return None


class Placer:
    """Where a table's values stand, learnt from its well-formed rows (learnt once per table, and only when a row
    needs it):

    - on lines of cells (Markdown, pipe-ended, TSV): the cell its values start at, to place a row whose blanks
      could be label padding or blank values;
    - on text whose columns are aligned by spaces (``pdftotext -layout``): the character column each column's
      numbers end at, to place a row whose blank cells are just spaces."""

    def __init__(self, lines: tuple[str, ...], toks: Toks, accs: list[Acc], n: int,
                 names: frozenset[str] = frozenset()) -> None:
        self.lines, self.toks, self.accs, self.n, self.names = lines, toks, accs, n, names
        self._starts: dict[tuple[tuple[int, int], int | None], int | None] = {}
        self._texts: dict[int, list[int]] | None = None
        self._blocks: dict[int, tuple[int, int]] = {}
        self._anchors: list[int] | bool | None = False
        self._fused: bool | None = None

    def fused(self) -> bool:
        """Whether the table's digits run together in rows of it (numbers cut out of its label text, two rows or
        more): then a row's numbers may be several cells each even where nothing in the row itself says so."""
        if self._fused is None:
            specs = self.toks.specs
            self._fused = sum(any(specs[i].glued for i in acc.values) for acc in self.accs) >= 2
        return self._fused

    def anchors(self) -> list[int] | None:
        """The character column each of the table's columns ends at, where at least two rows with every value
        on one line of text agree on them (to within a third of the narrowest gap), else None."""
        if self._anchors is False:
            self._anchors = None
            ends: list[list[int]] = []
            for acc in self.accs:
                nums = [tok(self.toks, i) for i in acc.values if self.toks.specs[i].kind != BLANK]
                if len(nums) == self.n and len({t.span.line for t in nums}) == 1 and self.col(nums[0]) is None:
                    ends.append([t.span.end for t in nums])
            if len(ends) >= 2:
                anchors = [sorted(col)[len(col) // 2] for col in zip(*ends, strict=True)]
                gaps = [b - a for a, b in pairwise(anchors)]
                if gaps and min(gaps) >= 3:
                    tol = min(gaps) // 3
                    agree = sum(all(abs(e - a) <= tol for e, a in zip(row, anchors, strict=True)) for row in ends)
                    if agree >= max(2, (len(ends) * 3) // 4):
                        self._anchors = anchors
        return self._anchors  # type: ignore[return-value]

    def aligned(self, vals: list[Tok], n: int) -> list[Tok] | None:
        """A row of fewer numbers than columns on one line of aligned text, each number under its column (a blank
        where a column has none); None unless that is certain (:func:`under_columns`)."""
        nums = [t for t in vals if t.kind != BLANK]
        if not nums or len({t.span.line for t in nums}) != 1 or self.col(nums[0]) is not None:
            return None
        anchors = self.anchors()
        if anchors is None or len(anchors) != n:
            return None
        placed = under_columns(nums, anchors, self.lines[nums[0].span.line])
        if placed is None:
            return None
        line = nums[0].span.line
        width = len(self.lines[line])  # (a blank's place is its column's, within the numbers' own line)
        return [t if t is not None else Tok(BLANK, "", Span(line, min(anchors[k], width), min(anchors[k], width)))
                for k, t in enumerate(placed)]

    def col(self, t: Tok) -> int | None:
        return column(self.lines[t.span.line], t.span.start)

    def block(self, line: int) -> tuple[int, int]:
        """The lines [a, b) of the physical table around ``line``: lines of cells with no empty line between (a
        converter cuts one grid into several small tables, each with its own shape)."""
        hit = self._blocks.get(line)
        if hit is None:
            a = b = line
            while a > 0 and column(self.lines[a - 1], len(self.lines[a - 1])) is not None:
                a -= 1
            while b + 1 < len(self.lines) and column(self.lines[b + 1], len(self.lines[b + 1])) is not None:
                b += 1
            hit = (a, b + 1)
            for k in range(a, b + 1):
                self._blocks[k] = hit
        return hit

    def start(self, line: int, label: int | None) -> int | None:
        """The cell the values of a row on ``line`` start at, its label's last cell ``label`` (None: no label on
        that line): where the physical table's full rows of that same shape (their labels ending at that cell) and
        its header's column names, if it shows them, agree; where it has no full row of that shape, where its full
        rows agree though their labels end at two cells or more (a grid: every row's values start at one cell).
        None otherwise: a table whose rows' labels take one cell or two (a crawler's rows under a merged group
        cell) has its values start where each row's label ends, and a row unlike the full ones is not placed by
        them."""
        block = self.block(line)
        key = (block, label)
        if key in self._starts:
            return self._starts[key]
        same: set[int] = set()
        every: set[int] = set()
        shapes: set[int | None] = set()
        for acc in self.accs:
            nums = [tok(self.toks, i) for i in acc.values if self.toks.specs[i].kind != BLANK]
            if len(nums) != self.n or nums[0].span.line != nums[-1].span.line:
                continue
            if not block[0] <= nums[0].span.line < block[1]:
                continue
            cols = [self.col(t) for t in nums]
            if cols[0] is not None and cols == list(range(cols[0], cols[0] + self.n)):
                own = self.label_col(nums[0])
                (same if own == label else every).add(cols[0])
                shapes.add(own)
        seen = same if same else (every if len(shapes) > 1 else set())
        header = self._header_start(block)
        if header is not None:
            seen = seen | {header}
        self._starts[key] = start = next(iter(seen)) if len(seen) == 1 else None
        return start

    def label_col(self, first: Tok) -> int | None:
        """The cell of the last text before ``first`` on its line (its row's label), None if there is none."""
        if self._texts is None:
            self._texts = {}
            for i, sp in enumerate(self.toks.specs):
                if sp.kind == TEXT:
                    self._texts.setdefault(self.toks.lines[i], []).append(i)
        cols = [self.col(tok(self.toks, i)) for i in self._texts.get(first.span.line, ())
                if self.toks.specs[i].start < first.span.start]
        return max((c for c in cols if c is not None), default=None)

    def _header_start(self, block: tuple[int, int] | None) -> int | None:
        """The first value column as the physical table's header names its columns (自然人 … 总计, or a
        converter's "数据1 … 数据7"), if it does."""
        if block is None:
            return None
        specs, lines = self.toks.specs, self.toks.lines
        cols = set()
        for i, sp in enumerate(specs):
            if sp.kind == TEXT and block[0] <= lines[i] < block[1] and \
                    (sp.norm in self.names or _GENERIC_HEADER.fullmatch(sp.norm)):
                c = self.col(tok(self.toks, i))
                if c is not None:
                    cols.add(c)
        if len(cols) == self.n and max(cols) - min(cols) == self.n - 1:
            return min(cols)
        return None

    def __call__(self, vals: list[Tok], n: int) -> list[Tok] | None:
        start = self.start(vals[0].span.line, self.label_col(vals[0]))
        if start is None:
            return None
        filled = [i for i, t in enumerate(vals) if t.kind != BLANK]
        lo = max(0, filled[-1] - n + 1) if filled else 0
        hi = min(filled[0], len(vals) - n) if filled else len(vals) - n
        for i in range(lo, hi + 1):  # every window of n that holds all the numbers
            window = vals[i : i + n]
            if self.col(window[0]) == start and window[0].span.line == window[-1].span.line:
                return window
        return None


def under_columns(nums: list[Tok], ends: list[int], line: str) -> list[Tok | None] | None:
    """Numbers on one line of text aligned by spaces (``pdftotext -layout``), each under the column whose end
    (``ends``: the character column each column's numbers end at) is nearest, a column without one blank; None
    unless that is certain: the columns are apart (three characters at least), every number stands within a third
    of the narrowest gap of a column's end, a column of its own, in order — and the positions mean something. They
    do not on a line whose numbers stand one space apart (printed one after the other, whatever their columns: a
    blank cell there left no trace), nor where a column left blank has a character where its number would end."""
    n = len(ends)
    gaps = [b - a for a, b in pairwise(ends)]
    if not gaps or min(gaps) < 3:
        return None
    if len(nums) > 1 and all(b.span.start - a.span.end <= 1 for a, b in pairwise(nums)):
        return None  # (packed: where the numbers stand says nothing of where the blank cells were)
    tol = min(gaps) // 3
    placed: list[Tok | None] = [None] * n
    for t in nums:
        k = min(range(n), key=lambda c: abs(ends[c] - t.span.end))
        if abs(ends[k] - t.span.end) > tol or placed[k] is not None:
            return None
        placed[k] = t
    if [t for t in placed if t is not None] != nums:  # (the order kept)
        return None
    for k, at in enumerate(placed):
        if at is None and line[max(0, ends[k] - 1 - tol) : ends[k] + tol].strip():
            return None  # (a blank column's place is not empty: the line is not laid out in these columns)
    return placed


def build_row(rp: RowPlan, acc: Acc | None, toks: Toks, place: Placer | None = None) -> Row:
    rdef = rp.rdef
    if acc is None:
        return rp.missing
    specs, at = toks
    vals = acc.values
    spans = [make(Span, (at[i], specs[i].start, specs[i].end)) for i in chain(acc.label, vals)]
    label_span = spans[0]
    refs = rp.refs
    n = len(refs)
    numbers = [i for i in vals if specs[i].kind != BLANK]
    raw_values = tuple([specs[i].raw for i in numbers])
    if len(vals) > n and len({at[i] for i in vals}) > 1 and _rows_of_cells(numbers, at) > 1:
        # two lines of cells: another row's (its label lost or unmatched) ran into this one — never merged
        return Row(rdef.id, rdef.label, rp.misshapen, True, label_span, tuple(spans), (len(raw_values), n),
                   raw_values)
    if len(numbers) == n:
        # The common case, as many numbers as columns: cells straight from the token specs.
        value_spans = spans[len(acc.label) :]
        placed: Iterable[tuple[int, Span]] = zip(vals, value_spans, strict=True)
        if len(vals) != n:
            placed = [(i, span) for i, span in placed if specs[i].kind != BLANK]
        cells = []
        for ref, (i, span), kind in zip(refs, placed, rp.kinds, strict=True):
            sp = specs[i]
            # A whole number is a good cell in any column; anything else goes through _cell.
            cells.append(make(Cell, (ref, sp.value, sp.raw, span, "ok", "")) if sp.value.__class__ is int
                         else _cell(ref, Tok(sp.kind, sp.raw, span, sp.value), kind))
        return make(Row, (rdef.id, rdef.label, tuple(cells), True, label_span, tuple(spans), None, raw_values, (), ""))
    values = [tok(toks, i) for i in vals]
    fitted = fit(values, n, [t for t in values if t.kind != BLANK], place, (rp.total,) if rp.total else ())
    if fitted.tokens is None:
        return Row(rdef.id, rdef.label, rp.misshapen, True, label_span, tuple(spans), (len(raw_values), n),
                   raw_values, fitted.candidates)
    note = fitted.how
    fitted_cells = tuple([_cell(ref, t, kind, note)
                          for ref, t, kind in zip(refs, fitted.tokens, rp.kinds, strict=True)])
    return Row(rdef.id, rdef.label, fitted_cells, True, label_span, tuple(spans), None, raw_values, (), note)


def _rows_of_cells(vals: list[int], at: list[int]) -> int:
    """How many lines hold two numbers or more of ``vals`` (a line of cells: a row's, in a table of rows)."""
    per_line: dict[int, int] = {}
    for i in vals:
        per_line[at[i]] = per_line.get(at[i], 0) + 1
    return sum(1 for c in per_line.values() if c > 1)


def rows_table(tp: TablePlan, toks: Toks, span: Span | None, lines: tuple[str, ...],
               totals: dict[str, tuple[str, tuple[str, ...]]]
               ) -> tuple[Table, list[tuple[str, Tok]], list[str], list[str]]:
    tdef = tp.tdef
    accs, stray = match_rows(toks, tp)
    lost = _lost_labels(tp, accs, toks, lines)
    place = Placer(lines, toks, list(accs.values()), len(tdef.columns), frozenset(norm(c.label) for c in tdef.columns)
                   ) if lines and tdef.columns else None
    rows = tuple([build_row(rp, accs.get(ri), toks, place)
                  for ri, rp in enumerate(tp.rows) if rp is not None])
    return (Table(tdef.id, tdef.title, tp.columns, rows, bool(accs), span),
            [(tdef.rows[ri].id, tok(toks, i)) for ri, i in stray], _doubts(tp, accs, toks, rows), lost)


def _lost_labels(tp: TablePlan, accs: dict[int, Acc], toks: Toks, lines: tuple[str, ...]) -> list[str]:
    """Rows whose label a converter lost ("|  | 0 | 1 | 0 | … |"), placed where the table's order and shape make it
    certain: the row between two rows that were found, its numbers one line of their own right after the row
    above's own line (which then holds exactly its own numbers). Their ids (the auditor is told)."""
    value_rows = [ri for ri, rp in enumerate(tp.rows) if rp is not None]
    out = []
    for k, ri in enumerate(value_rows):
        if ri in accs or k == 0 or value_rows[k - 1] not in accs:
            continue
        if k + 1 < len(value_rows) and value_rows[k + 1] not in accs:
            continue
        above = accs[value_rows[k - 1]]
        by_line: dict[int, list[int]] = {}
        for i in above.values:
            by_line.setdefault(toks.lines[i], []).append(i)
        if len(by_line) != 2:
            continue
        own, theirs = by_line.values()
        label_lines = {toks.lines[i] for i in above.label}
        n_above, n = len(tp.rows[value_rows[k - 1]].refs), len(tp.rows[ri].refs)  # type: ignore[union-attr]
        numbers = [i for i in theirs if toks.specs[i].kind != BLANK]
        their_line = toks.lines[theirs[0]]
        above_fit = fit([tok(toks, i) for i in own], n_above)  # (read, or readable in a few ways: its own numbers)
        if their_line in label_lines or \
                any(toks.lines[i] == their_line and toks.specs[i].kind == TEXT for i in range(len(toks.specs))) or \
                (above_fit.tokens is None and not above_fit.candidates) or not 0 < len(numbers) <= n:
            continue  # (a line with text on it is some row's, its label unmatched: not a lost label)
        first = theirs[0]
        if toks.specs[first].kind == BLANK and lines and column(lines[toks.lines[first]], toks.specs[first].start) == 0:
            theirs.pop(0)  # the empty label cell (the row's values are then placed as any row's are)
        above.values[:] = own
        accs[ri] = Acc([], theirs)
        out.append(tp.rows[ri].rdef.id)  # type: ignore[union-attr]
    return out


def _doubts(tp: TablePlan, accs: dict[int, Acc], toks: Toks, rows: tuple[Row, ...]) -> list[str]:
    """The rows read after a row that took more numbers than it has columns, a row's worth of them from lines
    apart from its label's: numbers that came before their own label (a wrapped label whose key stands on its
    second line) may have been taken by the row above, and this row's then come from the row below it. Such a
    row is read but not trusted: the auditor is told to look."""
    by_id = {r.id: r for r in rows}
    out = []
    value_rows = [(ri, rp) for ri, rp in enumerate(tp.rows) if rp is not None]
    for (ri, rp), (_, next_rp) in pairwise(value_rows):
        above, row = by_id[rp.rdef.id], by_id[next_rp.rdef.id]
        acc = accs.get(ri)
        if acc is None or above.shape is None or above.shape[0] <= above.shape[1] or not row.found or row.shape:
            continue
        label_lines = {toks.lines[i] for i in acc.label}
        apart = sum(1 for i in acc.values if toks.specs[i].kind == NUM and toks.lines[i] not in label_lines)
        if apart >= len(rp.refs):
            out.append(row.id)
    return out


def run_table(tp: TablePlan, toks: Toks, span: Span | None, lines: tuple[str, ...],
              totals: dict[str, tuple[str, tuple[str, ...]]]) -> Table:
    """A table written as one run of values after its header, row-major (part 四: 3 × 5)."""
    tdef = tp.tdef
    specs = toks.specs
    header = set(tdef.header_chars)
    first_num = next((i for i, t in enumerate(specs) if t.kind in (NUM, BAD)), None)
    h = -1
    limit = first_num if first_num is not None else len(specs)
    for i in range(limit):
        t = specs[i]
        if t.kind == TEXT and (first_num is not None or set(t.norm) <= header):
            h = i
    run: list[Tok] = []
    for i in range(h + 1, len(specs)):
        kind = specs[i].kind
        if kind == TEXT:
            if run:
                break
            continue
        if kind in VALUE_KINDS:
            run.append(tok(toks, i))
    header_text = "".join(t.norm for t in specs[: h + 1]) if h >= 0 else ""
    header_found = any(k in header_text for k in (*tdef.heading_keys, *(c.id for c in tdef.columns)))
    width = len(tdef.columns)
    n = width * len(tdef.rows)
    if not header_found and not run:
        return Table(tdef.id, tdef.title, tp.columns, tuple(rp.missing for rp in tp.rows if rp is not None),
                     False, span)
    fitted = None
    if sum(t.kind != BLANK for t in run) < n:  # blank columns: placed by the header, where it says
        fitted = _place_run(run, n, _header_columns(tdef, toks, h, lines, n), lines) or \
            _aligned_run(run, n, toks, h, lines)
    if fitted is None:
        sums = _run_sums(tdef, totals, n, width)
        fitted = fit(run, n, sums=sums, split=False)
        if fitted.tokens is None and not fitted.candidates:
            fitted = _split_run(run, n, sums)
    raw_values = tuple(t.raw for t in run if t.kind != BLANK)
    rows: list[Row] = []
    for k, rp in enumerate(p for p in tp.rows if p is not None):
        rdef = rp.rdef
        if fitted.tokens is None:
            spans = tuple(t.span for t in run)
            rows.append(Row(rdef.id, rdef.label, rp.misshapen, True, None, spans, (len(raw_values), n), raw_values,
                            tuple(c[k * width : (k + 1) * width] for c in fitted.candidates)))
            continue
        part = fitted.tokens[k * width : (k + 1) * width]
        note = fitted.how
        cells = tuple([_cell(ref, t, kind, note) for ref, t, kind in zip(rp.refs, part, rp.kinds, strict=True)])
        rows.append(Row(rdef.id, rdef.label, cells, True, part[0].span, tuple(t.span for t in part), None,
                        tuple(t.raw for t in part), (), note))
    return Table(tdef.id, tdef.title, tp.columns, tuple(rows), True, span)


def _header_columns(tdef: TableDef, toks: Toks, h: int, lines: tuple[str, ...], n: int) -> list[int] | None:
    """The cell index of each of a run table's ``n`` columns, read from its header cells (part 四's fifteen
    "结果维持 … 总计" under their three groups), on a table whose lines are cells (Markdown, pipe-ended, TSV)."""
    names = {c.id for c in tdef.columns}
    cols: dict[int, None] = {}
    for i in range(h + 1):
        sp = toks.specs[i]
        if sp.kind == TEXT and sp.norm in names:
            c = column(lines[toks.lines[i]], sp.start)
            if c is None:
                return None
            cols[c] = None
    if len(cols) != n:
        return None
    return sorted(cols)


def _place_run(run: list[Tok], n: int, header: list[int] | None, lines: tuple[str, ...]) -> Fitted | None:
    """The run placed by its cells' positions under the header cells (blanks where a column has no value)."""
    if header is None or not run:
        return None
    line = run[0].span.line
    if any(t.span.line != line for t in run):
        return None
    where = {column(lines[line], t.span.start): t for t in run}
    numbers = [t for t in run if t.kind != BLANK]
    if any(column(lines[line], t.span.start) not in header for t in numbers):
        return None
    # the header's columns as the value line counts them (a row label cell may stand in front of the values)
    placed = []
    for c in header:
        t = where.get(c)
        placed.append(t if t is not None else Tok(BLANK, "", Span(line, run[0].span.start, run[0].span.start)))
    return Fitted(placed)


def _aligned_run(run: list[Tok], n: int, toks: Toks, h: int, lines: tuple[str, ...]) -> Fitted | None:
    """A run of fewer values than columns on one line of text aligned by spaces (pdftotext -layout), placed under
    the words of its header line that has one word a column ("结果 结果 其他 尚未 总计" three times): each value
    under the header word whose end is nearest (:func:`under_columns`); None unless that is certain."""
    nums = [t for t in run if t.kind != BLANK]
    if not nums or len(nums) >= n or len({t.span.line for t in nums}) != 1 or \
            column(lines[nums[0].span.line], nums[0].span.start) is not None:
        return None
    header_lines = sorted({toks.lines[i] for i in range(h + 1) if toks.specs[i].kind == TEXT})
    for line in reversed(header_lines):
        found = [m.span() for m in re.finditer(r"\S+", lines[line])]
        words = [e for _, e in found]
        if len(words) != n or min(b - a for a, b in pairwise(words)) < 3:
            continue
        if all(b[0] - a[1] <= 1 for a, b in pairwise(found)):
            return None  # (its words one space apart: printed one after the other, not laid out in columns)
        placed = under_columns(nums, words, lines[nums[0].span.line])
        if placed is None:
            return None
        at = nums[0].span.line
        width = len(lines[at])  # (the header line may be longer than the numbers' own)
        return Fitted([t if t is not None else Tok(BLANK, "", Span(at, min(words[k], width), min(words[k], width)))
                       for k, t in enumerate(placed)])
    return None


def _run_sums(tdef: TableDef, totals: dict[str, tuple[str, tuple[str, ...]]], n: int, width: int) -> Sums:
    """The totals of a table written as one run of ``n`` values, ``width`` a row: each row's (part 四: 总计)."""
    rel = totals.get(tdef.id)
    if rel is None:
        return ()
    cols = [c.id for c in tdef.columns]
    t_col, p_cols = cols.index(rel[0]), tuple(cols.index(p) for p in rel[1])
    return tuple((g + t_col, tuple(g + p for p in p_cols)) for g in range(0, n, width))


def _split_run(run: list[Tok], n: int, sums: Sums) -> Fitted:
    """Part 四's fifteen values with their digits run together, each group's 总计 a total (as :func:`_split`)."""
    numbers = [t for t in run if t.kind != BLANK]
    if len(numbers) != len(run) or not _run_together(numbers, n):
        return Fitted(None)
    return _split(numbers, n, sums)
