"""Source → Report.

One mechanism reads every layout (one cell per line, tab-indented, Markdown tables, TSV with shifted or empty
columns, PDF text with wrapped and vertical labels):

1. **Sections.** Part headings (二、主动公开… 三、收到和处理… 四、…行政复议、行政诉讼…) bound each table.
2. **Tokens.** Each line of a section is split into cells (Markdown pipes, tabs, or the whole line) and each
   cell into words. A word is a number, a blank ("", "-", "/", "无"), an unreadable value ("1O", "3.5.1") or
   text; consecutive text words make one text token. Every token keeps its exact span in the source. A truly
   empty line is a *break*; a line of several tokens ends with an *end-of-line* mark. Page markers and page
   numbers are skipped.
3. **Rows.** A text token that contains a row's label key starts that row (keys are matched on normalised
   text, forward only in template order, so a label cut by a line break or a page still matches by either
   part). Values are the number/blank tokens up to the next row's label, less the blanks that pad the next
   label's own line or record (the empty label columns of a merged header cell).
4. **Shape.** A row's values are fitted to its columns: exactly as many numbers as columns → those numbers
   (stray blank columns dropped); fewer numbers → blanks count as cells once outer padding is trimmed; digits
   run together ("0000000") are split only when there are exactly as many digits as columns; anything else is
   reported as a misshapen row whose cells are unreadable, never guessed.
5. **Part 四** is a run of 15 values after its header, read row-major into a 3 × 5 grid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

from .model import Cell, CellRef, Marker, Report, Row, Source, Span, Table
from .template import BY_ID, OTHER_HEADINGS, RowDef, TableDef, Template, template_for_year
from .text import CJK, is_page_line, norm, strip_enumerator

# ------------------------------------------------------------------------------------------------ tokens
TEXT, NUM, BLANK, BAD, BREAK, EOL = range(6)
VALUE_KINDS = (NUM, BLANK, BAD)


class Tok(NamedTuple):
    kind: int
    raw: str
    span: Span
    value: int | float | None = None
    norm: str = ""
    unit: str = ""


_new = tuple.__new__
_span_of = attrgetter("span")
_raw_of = attrgetter("raw")
"""``_new(Tok, (...))`` makes a NamedTuple from a ready tuple without the NamedTuple's Python-level
``__new__``, in half the time. Used only where tokens, spans and cells are made by the hundred per report."""


_WS = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000" \
      "\u200b\u200c\u200d\u2060\ufeff"
_WORD = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff]+")
_INT = re.compile(r"[+\-]?\d+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_DECIMAL = re.compile(r"[+\-]?\d+\.\d+")
_WITH_UNIT = re.compile(r"([+\-]?\d+(?:\.\d+)?)(件|个|条|项|次|人次|家|宗|元|万元)")
_ENUM_WORD = re.compile(r"\(?\d{1,2}[.、)]|\(\d{1,2}\)|[①-⑳]")
_BLANK_WORDS = frozenset({"-", "--", "---", "/", "//", "\\", "无", "空", "——", "－", "—"})
_GLUED = re.compile(r"^(.*[\u3400-\u9fff）)])(\d+)$")
_MD_SEPARATOR_CHARS = re.compile(r"[\s:|-]*")
"""A Markdown separator line is made of these only and holds "---". (As one regex, ``[\\s:|-]*-{3,}[\\s:|-]*$``,
a long line of dashes not ending the way it should took cubic time: 1.4 s at 800 dashes.)"""
_HAS_DIGIT = re.compile(r"\d")


MAX_DIGITS = 15
"""A number with more digits is no count or amount of a report but a slip or garbage, read as unreadable.
(Python's int() refuses over 4,300 digits, JSON readers lose whole numbers past 2**53, TOML stops at 2**63.)"""


def _number(text: str, unit: str = "") -> tuple[int, int | float | None, str]:
    """A word already known to be a number (``[+-]digits[.digits]``) → (NUM, value, unit), or BAD if too long."""
    if len(text) - (text[0] in "+-") - ("." in text) > MAX_DIGITS:
        return BAD, None, ""
    return NUM, (float(text) if "." in text else int(text)), unit


# Every number, blank and enumerator word starts with a digit or one of these (after NFKC).
_VALUE_FIRST_CHARS = frozenset("+-(—/\\无空")


def _classify(word: str) -> tuple[int, int | float | None, str]:
    """A word → (kind, value, unit)."""
    if word.isascii():
        if word.isdigit():
            return _number(word)
        w = word
    else:
        w = unicodedata.normalize("NFKC", word)
    first = w[:1]
    if not first.isdecimal() and first not in _VALUE_FIRST_CHARS:  # a label word: skip the value patterns
        return _text_or_bad(w)
    if _INT.fullmatch(w):
        return _number(w)
    if w in _BLANK_WORDS or (w and set(w) <= {"-", "—", "/", "－"}):
        return BLANK, None, ""
    if _THOUSANDS.fullmatch(w):
        return _number(w.replace(",", ""))
    if _DECIMAL.fullmatch(w):
        return _number(w)
    m = _WITH_UNIT.fullmatch(w)
    if m:
        return _number(m.group(1), m.group(2))
    if _ENUM_WORD.fullmatch(w):
        return TEXT, None, ""
    return _text_or_bad(w)


def _text_or_bad(w: str) -> tuple[int, None, str]:
    """A word that is no number or blank: unreadable if it looks like a mistyped number, else text."""
    if len(w) <= 24 and CJK.search(w) is None and _HAS_DIGIT.search(w):
        return BAD, None, ""
    return TEXT, None, ""


def _cells(line: str) -> list[tuple[int, int]]:
    """Split a line into cell ranges [start, end)."""
    stripped = line.lstrip(_WS)
    if stripped.startswith("|"):
        if "---" in line and _MD_SEPARATOR_CHARS.fullmatch(line):
            return []
        parts = line.split("|")
        ranges, pos = [], len(parts[0]) + 1
        for field in parts[1:-1]:
            ranges.append((pos, pos + len(field)))
            pos += len(field) + 1
        if parts[-1].strip(_WS):  # no closing bar: the rest of the line is a cell
            ranges.append((pos, len(line)))
        return ranges
    if "\t" in line.lstrip("\t"):
        # TSV: every field is a cell, leading empty ones included (an empty first column).
        ranges, pos = [], 0
        for field in line.split("\t"):
            ranges.append((pos, pos + len(field)))
            pos += len(field) + 1
        return ranges
    # One cell; tabs in front of it are indentation.
    return [(len(line) - len(line.lstrip("\t")), len(line))]


TokSpec = tuple[int, int, int, str, "int | float | None", str, str]
"""(kind, start, end, raw, value, norm, unit) of one token, its positions relative to its cell."""


def _split_cell(content: str) -> tuple[TokSpec, ...]:
    """The tokens of one cell's text: a pure function of the text (positions are relative to the cell)."""
    word = content.strip(_WS)
    if not word:
        return ((BLANK, 0, len(content), content, None, "", ""),)
    if len(word.split(None, 1)) == 1 and "\u200b" not in word:  # one word: no need to split
        start = content.index(word)
        end = start + len(word)
        kind, value, unit = _classify(word)
        if kind != TEXT:
            return ((kind, start, end, word, value, "", unit),)
        if not _GLUED.match(word):
            return ((TEXT, start, end, word, None, norm(word), ""),)
    out: list[TokSpec] = []
    text_start = text_end = -1
    for m in _WORD.finditer(content):
        w = m.group()
        kind, value, unit = _classify(w)
        ws, we = m.start(), m.end()
        if kind == TEXT:
            glued = _GLUED.match(w)
            if glued and not _ENUM_WORD.fullmatch(w):
                # "行政许可447228": text glued to a trailing number
                cut = ws + len(glued.group(1))
                if text_start < 0:
                    text_start = ws
                out.append(_text_spec(content, text_start, cut))
                text_start = -1
                kind, value, _ = _number(glued.group(2))
                out.append((kind, cut, we, content[cut:we], value, "", ""))
                continue
            if text_start < 0:
                text_start = ws
            text_end = we
            continue
        if text_start >= 0:
            out.append(_text_spec(content, text_start, text_end))
            text_start = -1
        out.append((kind, ws, we, w, value, "", unit))
    if text_start >= 0:
        out.append(_text_spec(content, text_start, text_end))
    if not out:
        return ((BLANK, 0, len(content), content, None, "", ""),)
    return tuple(out)


def _text_spec(content: str, a: int, b: int) -> TokSpec:
    raw = content[a:b]
    return (TEXT, a, b, raw, None, norm(raw), "")


_BLANK_CELL_CHARS = frozenset("\t\u00a0\u3000\u2002\u2003\u2007\u202f")
_BREAK: tuple[TokSpec, ...] = ((BREAK, 0, 0, "", None, "", ""),)


def _split_line(line: str) -> tuple[TokSpec, ...]:
    """The tokens of one line: a pure function of its text (positions are columns of the line)."""
    if not line.strip(_WS):
        # An empty line separates records; a line holding only a tab or a typed blank (NBSP, 　) is a
        # blank cell of a one-cell-per-line table.
        # (several tabs and nothing else: an empty row of a TSV table, also a break).
        if line.count("\t") <= 1 and any(ch in _BLANK_CELL_CHARS for ch in line):
            start = len(line) - len(line.lstrip("\t"))
            return ((BLANK, start, len(line), line[start:], None, "", ""),)
        return _BREAK
    if is_page_line(line):
        return ()
    out: list[TokSpec] = []
    for a, b in _cells(line):
        content = line[a:b]
        if content.isdigit() and content.isascii() and len(content) <= MAX_DIGITS:  # the common case: a count
            out.append((NUM, a, b, content, int(content), "", ""))
            continue
        split = _split_short_cell if len(content) <= _CACHED_CELL_CHARS else _split_cell
        for kind, start, end, raw, value, normed, unit in split(content):
            out.append((kind, a + start, a + end, raw, value, normed, unit))
    if len(out) > 1:
        out.append((EOL, len(line), len(line), "", None, "", ""))
    return tuple(out)


# Labels, counts and empty cells recur in every report of a batch, whole lines too in one-cell-per-line
# layouts: short ones are split once. (Long ones are prose, seldom repeated: not worth keeping.)
_CACHED_CELL_CHARS = 64
_CACHED_LINE_CHARS = 160
_split_short_cell = lru_cache(maxsize=8192)(_split_cell)


class _Memo(dict):
    """``memo[text]`` is ``fn(text)``, worked out on first sight and kept for texts up to ``max_chars`` (up to
    ``size`` of them, then all forgotten). A dict with ``__missing__`` rather than an lru_cache so that texts
    seen before are looked up by ``map``, without a Python call per text."""

    __slots__ = ("fn", "max_chars", "size")

    def __init__(self, fn: Callable[[str], object], max_chars: int, size: int) -> None:
        super().__init__()
        self.fn, self.max_chars, self.size = fn, max_chars, size

    def __missing__(self, text: str) -> object:
        value = self.fn(text)
        if len(text) <= self.max_chars:
            if len(self) >= self.size:
                self.clear()
            self[text] = value
        return value


_LINE_TOKENS = _Memo(lambda line: _split_line(line[:MAX_LINE_CHARS]), _CACHED_LINE_CHARS, 8192)
"""Line text → its token specs."""


MAX_PART_LINES = 50_000
MAX_PART_TOKENS = 50_000
MAX_LINE_CHARS = 10_000
"""A part is read up to its 50,000th line or token, and each line up to its 10,000th character (a real table
has under a thousand tokens, a row under two hundred characters): memory stays bounded whatever the file holds
(a "table" of a million lines would otherwise cost gigabytes of tokens)."""


class Toks(NamedTuple):
    """The tokens of a part: each line's token specs (shared with every other report holding the same line, as
    ``_LINE_TOKENS`` keeps them) and, beside them, the line each came from. No per-token object is made
    here: a token becomes a :class:`Tok` (with its :class:`Span`) only when a row keeps it (:func:`_tok`), and
    most tokens of a part are breaks, ends of lines and header text that no row keeps."""

    specs: list[TokSpec]
    lines: list[int]


_NO_TOKS = Toks([], [])


def _tok(toks: Toks, i: int) -> Tok:
    kind, start, end, raw, value, normed, unit = toks.specs[i]
    return _new(Tok, (kind, raw, _new(Span, (toks.lines[i], start, end)), value, normed, unit))


_CHUNK_LINES = 64


def tokenize(lines: tuple[str, ...], lo: int, hi: int) -> Toks:
    """The tokens of lines [lo, hi), up to the part's limits. Lines are split a chunk at a time, each line's
    specs looked up (or made) in ``_LINE_TOKENS``, and laid end to end, all without a Python step per line or
    token; only a chunk that would cross MAX_PART_TOKENS is taken line by line, to stop where the limit is."""
    specs: list[TokSpec] = []
    at: list[int] = []
    split = _LINE_TOKENS.__getitem__
    hi = min(hi, lo + MAX_PART_LINES)
    for a in range(lo, hi, _CHUNK_LINES):
        b = min(a + _CHUNK_LINES, hi)
        found = list(map(split, lines[a:b]))
        counts = list(map(len, found))
        if len(specs) + sum(counts) < MAX_PART_TOKENS:
            specs += chain.from_iterable(found)
            at += chain.from_iterable(map(repeat, range(a, b), counts))
            continue
        for n, line_specs in enumerate(found, a):
            if len(specs) >= MAX_PART_TOKENS:
                return Toks(specs, at)
            specs += line_specs
            at += [n] * len(line_specs)
    return Toks(specs, at)


# ------------------------------------------------------------------------------------------------ sections
_HEADING_NUMERALS = "一二三四五六"
_HEADING_HINT = re.compile("[况题项请议诉]")
_HEADING_PREFIX = re.compile(r"^[#*\s]*")


@dataclass(frozen=True, slots=True)
class Sections:
    """Line ranges [start, end) of each table's part, and the heading line of each part found."""

    ranges: dict[str, tuple[int, int]]
    headings: dict[str, int]


def _heading_keys(template: Template) -> dict[str, tuple[str, ...]]:
    keys = {t.id: t.heading_keys for t in template.tables.values()}
    keys.update(OTHER_HEADINGS)
    return keys


_HEADING_KEYS = _heading_keys(BY_ID["2021"])
_ANY_HEADING_KEY = re.compile("|".join(re.escape(keys[0]) for keys in _HEADING_KEYS.values()))
"""A line holding none of these is no heading: most candidate lines are labels with 申请 in them."""


@lru_cache(maxsize=4096)
def _heading_parts(line: str) -> tuple[tuple[str, bool], ...]:
    """The parts whose heading a line may be, each with whether it is numbered as that part ("三、…"): a pure
    function of the line, cached (the same labels and headings come in every report)."""
    if len(line) > 90:
        return ()
    s = norm(_HEADING_PREFIX.sub("", line))
    if len(s) > 40 or not _ANY_HEADING_KEY.search(s):
        return ()
    out = []
    for part, keys in _HEADING_KEYS.items():
        if not all(k in s for k in keys):
            continue
        if s[0] == part and len(s) > 1 and s[1] in "、.,: ":
            out.append((part, True))
        elif s[0] not in _HEADING_NUMERALS and not s.startswith("("):
            out.append((part, False))
    return tuple(out)


def find_sections(lines: tuple[str, ...]) -> Sections:
    found: dict[str, int] = {}
    loose: dict[str, int] = {}
    # The lines holding a hint character, found without a Python step per line (most lines have none).
    for i in compress(range(len(lines)), map(_HEADING_HINT.search, lines)):
        for part, numbered in _heading_parts(lines[i]):
            if part in found:
                continue
            if numbered:
                found[part] = i
            else:
                loose.setdefault(part, i)
    for part, i in loose.items():
        found.setdefault(part, i)
    # Parts must come in order; a heading out of order (a phrase in the prose) is dropped.
    order = [p for p in _HEADING_NUMERALS if p in found]
    kept: dict[str, int] = {}
    last = -1
    for p in order:
        if found[p] > last:
            kept[p] = found[p]
            last = found[p]
    ranges: dict[str, tuple[int, int]] = {}
    starts = sorted(kept.values())
    for part in ("二", "三", "四"):
        if part not in kept:
            continue
        start = kept[part]
        end = next((s for s in starts if s > start), len(lines))
        ranges[part] = (start + 1, end)
    return Sections(ranges, kept)


def _fallback_range(lines: tuple[str, ...], key: str, lo: int, hi: int) -> int | None:
    """The first line in [lo, hi) whose normalised text contains ``key``."""
    for i in range(lo, hi):
        if key in norm(lines[i]):
            return i
    return None


# ------------------------------------------------------------------------------------------------ rows
@dataclass(slots=True)
class _Acc:
    """A row's tokens, as indexes in the part's :class:`Toks`: its label's pieces and its values (made into
    spans and cells straight from the token specs)."""

    label: list[int]
    values: list[int]


@dataclass(frozen=True, slots=True, eq=False)
class _RowPlan:
    """What the parser needs of one value row, prepared once per template. Cells are immutable, so every
    report shares the cells of a missing or misshapen row."""

    rdef: RowDef
    refs: tuple[CellRef, ...]
    kinds: tuple[str, ...]
    missing: Row
    """The row as it stands in a report that lacks it."""
    misshapen: tuple[Cell, ...]


@dataclass(frozen=True, slots=True, eq=False)
class _TablePlan:
    key_rows: Callable[[str], tuple[int, ...]]
    """Normalised text → the rows (indexes in ``tdef.rows``) whose keys it holds, left to right. Cached: the
    same labels come in every report, and scanning for some 60 keys costs more than the rest of a token."""
    rows: tuple[_RowPlan | None, ...]
    """By index in ``tdef.rows``; None for a group (heading) row."""
    columns: tuple[str, ...]
    known: dict[str, tuple[int, ...]]
    """What ``key_rows`` has kept: looked up first, without a call."""


def _make_plan(tdef: TableDef) -> _TablePlan:
    owner: dict[str, int] = {}
    for i, r in enumerate(tdef.rows):
        for k in r.keys:
            owner.setdefault(k, i)
    keys = sorted(owner, key=len, reverse=True)
    rx = re.compile("|".join(map(re.escape, keys)) if keys else r"(?!x)x")

    def scan(normed: str) -> tuple[int, ...]:
        return tuple(owner[m.group()] for m in rx.finditer(normed))

    known: dict[str, tuple[int, ...]] = {}

    def key_rows(normed: str) -> tuple[int, ...]:
        hit = known.get(normed)
        if hit is None:
            hit = scan(normed)
            if len(normed) <= _CACHED_CELL_CHARS:
                if len(known) >= 4096:
                    known.clear()
                known[normed] = hit
        return hit

    rows: list[_RowPlan | None] = []
    for r in tdef.rows:
        if r.kind != "value":
            rows.append(None)
            continue
        cols = tdef.row_columns(r)
        refs = tuple(CellRef(tdef.id, r.id, c.id) for c in cols)
        missing = Row(r.id, r.label, tuple(Cell(ref, None, status="missing") for ref in refs), found=False)
        rows.append(_RowPlan(r, refs, tuple(c.kind for c in cols), missing,
                             tuple(Cell(ref, None, status="bad", note="row-shape") for ref in refs)))
    columns = tuple(c.id for c in tdef.columns)
    if not columns:
        seen: dict[str, None] = {}
        for r in tdef.rows:
            for c in tdef.row_columns(r):
                seen.setdefault(c.id)
        columns = tuple(seen)
    return _TablePlan(key_rows, tuple(rows), columns, known)


_PLANS: dict[int, tuple[TableDef, _TablePlan]] = {}


def _plan(tdef: TableDef) -> _TablePlan:
    """The plan of a table definition, made on first use. Keyed by identity: hashing a TableDef (a frozen
    dataclass) walks all its rows and cost more than the rest of a lookup."""
    hit = _PLANS.get(id(tdef))
    if hit is None or hit[0] is not tdef:
        hit = _PLANS[id(tdef)] = (tdef, _make_plan(tdef))
    return hit[1]


def _pad_start(specs: list[TokSpec], i: int) -> int:
    """Index of the first blank token that pads the label at ``i`` (its own line or record), else ``i``."""
    j = i - 1
    while j >= 0 and specs[j][0] == BLANK:
        j -= 1
    if j < 0 or specs[j][0] in (BREAK, EOL):
        return j + 1
    return i


def _match_rows(toks: Toks, tdef: TableDef) -> tuple[dict[int, _Acc], list[tuple[int, int]]]:
    """Rows (by index in ``tdef.rows``) → their label tokens and value token indexes; and the values found
    outside any value row, as (index of the row before them, token index)."""
    specs = toks.specs
    plan = _plan(tdef)
    key_rows, known = plan.key_rows, plan.known
    rows = tdef.rows
    accs: dict[int, _Acc] = {}
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
        acc = accs[ri] = _Acc([i], adopted)
        if rows[ri].kind == "value":
            current, values = ri, acc.values
        else:
            current = values = None

    for i, spec in enumerate(specs):
        kind = spec[0]
        if kind == TEXT:
            matched = False
            normed = spec[5]
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
                bare = strip_enumerator(normed)
                for ri in range(cursor + 1, len(rows)):
                    r = rows[ri]
                    if bare in r.weak:
                        start(ri, i)
                        break
                    if r.kind == "value":
                        break
        elif kind < BREAK:  # a value: NUM, BLANK or BAD
            if values is not None:
                values.append(i)
            elif cursor >= 0 and (kind != BLANK or (stray and stray[-1][0] == cursor)):
                stray.append((cursor, i))
    return accs, stray


# ------------------------------------------------------------------------------------------------ shape
def fit(vals: list[Tok], n: int, numbers: list[Tok] | None = None,
        place: Callable[[list[Tok], int], list[Tok] | None] | None = None) -> tuple[list[Tok] | None, bool]:
    """Fit value tokens to ``n`` columns → (tokens, split). None when the shape cannot be made certain.
    ``numbers``: the tokens of ``vals`` that are not blank, if the caller has them already. ``place``: for a row
    with blanks on both sides of its numbers (label padding or a blank first/last value?), the window of ``n``
    the table's columns say the values stand in, if they say."""
    if numbers is None:
        numbers = [t for t in vals if t.kind != BLANK]
    if len(numbers) == n:
        return numbers, False
    if len(numbers) > n:
        return None, False
    if place is not None and len(vals) > n and vals[0].kind == BLANK and vals[-1].kind == BLANK:
        placed = place(vals, n)
        if placed is not None:
            return placed, False
    seq = list(vals)
    while len(seq) > n and seq[-1].kind == BLANK:
        seq.pop()
    while len(seq) > n and seq[0].kind == BLANK:
        seq.pop(0)
    if len(seq) == n:
        return seq, False
    if len(numbers) == len(vals) and all(t.kind == NUM and t.raw.isdecimal() for t in numbers):
        if sum(len(t.raw) for t in numbers) == n and any(len(t.raw) > 1 for t in numbers):
            split = [
                Tok(NUM, t.raw[k], Span(t.span.line, t.span.start + k, t.span.start + k + 1), int(t.raw[k]))
                for t in numbers
                for k in range(len(t.raw))
            ]
            return split, True
    return None, False


def _cell(ref: CellRef, t: Tok, kind: str, note: str = "") -> Cell:
    if t.kind == NUM:
        v = t.value
        if kind == "count" and isinstance(v, float):
            return Cell(ref, None, t.raw, t.span, "bad", "not a whole number")
        return _new(Cell, (ref, v, t.raw, t.span, "ok", note))
    if t.kind == BLANK:
        raw = t.raw.strip(_WS)
        return Cell(ref, None, raw, t.span, "blank", note or (f"written as {raw!r}" if raw else ""))
    return Cell(ref, None, t.raw, t.span, "bad", "unreadable")


def _column(line: str, start: int) -> int | None:
    """The index of the cell at ``start`` on a Markdown or TSV line (None on a line of one cell)."""
    if line.lstrip(_WS).startswith("|"):
        return line.count("|", 0, start) - 1
    if "\t" in line.lstrip("\t"):
        return line.count("\t", 0, start)
    return None


class _Placer:
    """Where a table's values start, learnt from its well-formed rows, to place a row whose blanks could be
    label padding or blank values. Learnt once per table, and only when such a row turns up."""

    def __init__(self, lines: tuple[str, ...], toks: Toks, accs: list[_Acc], n: int) -> None:
        self.lines, self.toks, self.accs, self.n = lines, toks, accs, n
        self._start: int | bool | None = False

    def col(self, t: Tok) -> int | None:
        return _column(self.lines[t.span.line], t.span.start)

    def start(self) -> int | None:
        if self._start is False:
            seen: dict[int, int] = {}
            for acc in self.accs:
                nums = [_tok(self.toks, i) for i in acc.values if self.toks.specs[i][0] != BLANK]
                if len(nums) != self.n or nums[0].span.line != nums[-1].span.line:
                    continue
                cols = [self.col(t) for t in nums]
                if cols[0] is not None and cols == list(range(cols[0], cols[0] + self.n)):
                    seen[cols[0]] = seen.get(cols[0], 0) + 1
            self._start = max(seen, key=seen.__getitem__) if seen else None
        return self._start  # type: ignore[return-value]

    def __call__(self, vals: list[Tok], n: int) -> list[Tok] | None:
        start = self.start()
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


def _row(plan: _RowPlan, acc: _Acc | None, toks: Toks, place: _Placer | None = None) -> Row:
    rdef = plan.rdef
    if acc is None:
        return plan.missing
    specs, at = toks
    vals = acc.values
    spans = [_new(Span, (at[i], specs[i][1], specs[i][2])) for i in chain(acc.label, vals)]
    label_span = spans[0]
    refs = plan.refs
    n = len(refs)
    numbers = [i for i in vals if specs[i][0] != BLANK]
    raw_values = tuple([specs[i][3] for i in numbers])
    if len(numbers) == n:
        # The common case, as many numbers as columns: cells straight from the token specs.
        value_spans = spans[len(acc.label) :]
        placed = zip(vals, value_spans, strict=True)
        if len(vals) != n:
            placed = [(i, span) for i, span in placed if specs[i][0] != BLANK]
        cells = []
        for ref, (i, span), kind in zip(refs, placed, plan.kinds, strict=True):
            tkind, _, _, raw, value, _, _ = specs[i]
            # A whole number is a good cell in any column; anything else goes through _cell.
            cells.append(_new(Cell, (ref, value, raw, span, "ok", "")) if value.__class__ is int
                         else _cell(ref, _new(Tok, (tkind, raw, span, value, "", "")), kind))
        return _new(Row, (rdef.id, rdef.label, tuple(cells), True, label_span, tuple(spans), None, raw_values))
    values = [_tok(toks, i) for i in vals]
    fitted, split = fit(values, n, [t for t in values if t.kind != BLANK], place)
    if fitted is None:
        return Row(rdef.id, rdef.label, plan.misshapen, True, label_span, tuple(spans), (len(raw_values), n),
                   raw_values)
    note = "split" if split else ""
    cells = tuple([_cell(ref, t, kind, note) for ref, t, kind in zip(refs, fitted, plan.kinds, strict=True)])
    return _new(Row, (rdef.id, rdef.label, cells, True, label_span, tuple(spans), None, raw_values))


def _rows_table(tdef: TableDef, toks: Toks, span: Span | None, lines: tuple[str, ...] = ()
                ) -> tuple[Table, list[tuple[str, Tok]]]:
    plan = _plan(tdef)
    accs, stray = _match_rows(toks, tdef)
    place = _Placer(lines, toks, list(accs.values()), len(tdef.columns)) if lines and tdef.columns else None
    rows = tuple([_row(rp, accs.get(ri), toks, place) for ri, rp in enumerate(plan.rows) if rp is not None])
    found = bool(accs)
    return (Table(tdef.id, tdef.title, plan.columns, rows, found, span),
            [(tdef.rows[ri].id, _tok(toks, i)) for ri, i in stray])


def _run_table(tdef: TableDef, toks: Toks, span: Span | None) -> Table:
    specs = toks.specs
    header = set(tdef.header_chars)
    first_num = next((i for i, t in enumerate(specs) if t[0] in (NUM, BAD)), None)
    h = -1
    limit = first_num if first_num is not None else len(specs)
    for i in range(limit):
        t = specs[i]
        if t[0] == TEXT and (first_num is not None or set(t[5]) <= header):
            h = i
    run: list[Tok] = []
    for i in range(h + 1, len(specs)):
        kind = specs[i][0]
        if kind == TEXT:
            if run:
                break
            continue
        if kind in VALUE_KINDS:
            run.append(_tok(toks, i))
    header_found = h >= 0 and any(k in "".join(t[5] for t in specs[: h + 1]) for k in ("复议", "诉讼"))
    plan = _plan(tdef)
    width = len(tdef.columns)
    n = width * len(tdef.rows)
    rows: list[Row] = []
    if not header_found and not run:
        for rp in plan.rows:
            rows.append(rp.missing)
        return Table(tdef.id, tdef.title, plan.columns, tuple(rows), False, span)
    fitted, split = fit(run, n)
    raw_values = tuple(t.raw for t in run if t.kind != BLANK)
    for k, rp in enumerate(plan.rows):
        rdef = rp.rdef
        if fitted is None:
            spans = tuple(t.span for t in run)
            rows.append(Row(rdef.id, rdef.label, rp.misshapen, True, None, spans, (len(raw_values), n), raw_values))
            continue
        part = fitted[k * width : (k + 1) * width]
        note = "split" if split else ""
        cells = tuple([_cell(ref, t, kind, note) for ref, t, kind in zip(rp.refs, part, rp.kinds, strict=True)])
        rows.append(_new(Row, (rdef.id, rdef.label, cells, True, part[0].span, tuple(map(_span_of, part)), None,
                               tuple(map(_raw_of, part)))))
    return Table(tdef.id, tdef.title, plan.columns, tuple(rows), True, span)


# ------------------------------------------------------------------------------------------------ title
# Possessive \s*+: every space run is followed by a character that is no space, so giving spaces back never
# helps a match; with plain \s* a long run of spaces after "2021年" took quadratic time.
_TITLE = re.compile(
    r"(\d{4})\s*+年\s*+度?\s*+(?:的\s*+)?(?:政\s*+府\s*+信\s*+息\s*+公\s*+开|政\s*+务\s*+公\s*+开)"
    r"\s*+(?:工\s*+作\s*+)?(?:年\s*+度\s*+)?(?:报\s*+告|年\s*+报)"
)
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*至")
_BODY_NOISE = re.compile(r"^[#*\s]+|(?<![\s*])[\s*]+$|关于$|的$|[:：]$")  # (?<!…): linear on long space runs


def _title(lines: tuple[str, ...]) -> tuple[str, int | None, Span | None, Span | None]:
    """(body, year, body span, year span) from the title block."""
    for i, line in enumerate(lines[:60]):
        if "年" not in line:
            continue
        m = _TITLE.search(line)
        if m is None and i + 1 < len(lines):
            # a title broken inside its phrase: "…2023年政府信息公开工作年度" / "报告"
            m = _TITLE.search(line + lines[i + 1].strip(_WS))
            if m is not None and m.start(1) >= len(line):
                m = None
        if not m or not 1990 <= int(m.group(1)) <= 2100:
            continue
        year = int(m.group(1))
        year_span = Span(i, m.start(1), m.end(1))
        prefix = line[: m.start()]
        body = prefix
        for _ in range(3):
            body = _BODY_NOISE.sub("", body)
        body = body.strip(_WS)
        if CJK.search(body):
            start = line.index(body)
            return body, year, Span(i, start, start + len(body)), year_span
        for j in range(i - 1, max(-1, i - 4), -1):
            cand = lines[j].strip(_WS + "#*")
            if not cand or is_page_line(lines[j]):
                continue
            if len(cand) <= 40 and CJK.search(cand) and not cand.endswith("。") and ":" not in cand \
                    and "：" not in cand:
                start = lines[j].index(cand)
                return cand, year, Span(j, start, start + len(cand)), year_span
            break
        return "", year, None, year_span
    for i, line in enumerate(lines[:200]):
        m = _PERIOD.search(line)
        if m:
            return "", int(m.group(1)), None, Span(i, m.start(1), m.end(1))
    return "", None, None, None


# ------------------------------------------------------------------------------------------------ template
_MARKER_OWNER = {m: tid for tid, tpl in BY_ID.items() for m in tpl.markers}
_MARKERS = re.compile("|".join(map(re.escape, sorted(_MARKER_OWNER, key=len, reverse=True))))


_MARKERS_SEEN = _Memo(lambda normed: tuple(m.group() for m in _MARKERS.finditer(normed)), _CACHED_CELL_CHARS, 4096)
"""Normalised text → the template markers in it (labels recur in every report; most tokens hold none)."""
_norm_of_spec = itemgetter(5)


def _detect_template(parts: Iterable[Toks], year: int | None) -> tuple[str, list[Marker]]:
    markers: list[Marker] = []
    counts: dict[str, set[str]] = {tid: set() for tid in BY_ID}
    for toks in parts:
        # Only text has a normalised form (a value's is ""), so no kind test is needed.
        found = list(map(_MARKERS_SEEN.__getitem__, map(_norm_of_spec, toks.specs)))
        for i in compress(range(len(found)), found):
            _, start, end, raw, _, _, _ = toks.specs[i]
            for marker in found[i]:
                tid = _MARKER_OWNER[marker]
                counts[tid].add(marker)
                markers.append(Marker("template", raw, Span(toks.lines[i], start, end), tid))
    c19, c21 = len(counts["2019"]), len(counts["2021"])
    if c19 > c21:
        return "2019", markers
    if c21 > c19:
        return "2021", markers
    return template_for_year(year) or "2021", markers


# ------------------------------------------------------------------------------------------------ entry
def clear_caches() -> None:
    """Forget what the parser memoises across reports (split lines and cells, normalised labels, key scans,
    template markers), as in a fresh process: for measuring a cold start. Parsing gives the same either way."""
    _LINE_TOKENS.clear()
    _split_short_cell.cache_clear()
    _MARKERS_SEEN.clear()
    _heading_parts.cache_clear()
    norm.cache_clear()  # type: ignore[attr-defined]
    _PLANS.clear()


def parse(source: Source) -> Report:
    lines = source.lines
    body, year, body_span, year_span = _title(lines)
    sections = find_sections(lines)
    ranges = dict(sections.ranges)

    if "三" not in ranges:
        lo = ranges["二"][0] if "二" in ranges else 0
        at = _fallback_range(lines, "本年新收", lo, len(lines))
        if at is not None:
            end = sections.headings.get("四") or sections.headings.get("五") or len(lines)
            ranges["三"] = (max(lo, at - 1), end if end > at else len(lines))
            if "二" in ranges and ranges["二"][1] > at:
                ranges["二"] = (ranges["二"][0], at)
    if "四" not in ranges and "三" in ranges:
        lo3, hi3 = ranges["三"]
        at = _fallback_range(lines, "行政复议", lo3, len(lines))
        if at is not None:
            end = sections.headings.get("五") or sections.headings.get("六") or len(lines)
            ranges["四"] = (at, end if end > at else len(lines))
            if hi3 > at:
                ranges["三"] = (lo3, at)

    toks = {part: tokenize(lines, lo, hi) for part, (lo, hi) in ranges.items()}
    template_id, markers = _detect_template([toks[p] for p in ("二", "三") if p in toks], year)
    template = BY_ID[template_id]

    tables: dict[str, Table] = {}
    stray: list[tuple[str, Tok]] = []
    for part, tdef in template.tables.items():
        heading = sections.headings.get(part)
        span = Span(heading, 0, len(lines[heading])) if heading is not None else None
        part_toks = toks.get(part, _NO_TOKS)
        if tdef.layout == "run":
            tables[part] = _run_table(tdef, part_toks, span)
        else:
            table, s = _rows_table(tdef, part_toks, span, lines)
            tables[part] = table
            stray.extend((f"{part}|{rid}", t) for rid, t in s)
    if stray:
        markers.extend(Marker("stray", t.raw, t.span, key) for key, t in stray)
    return Report(source, body, year, template_id, tables, tuple(markers), body_span, year_span, rebuild=parse)
