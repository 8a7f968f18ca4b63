"""Text → tokens: each line split into cells (Markdown pipes, cells each ended by a pipe, tabs, or the whole line)
and each cell into tokens — numbers, blanks, unreadable values, text, breaks and ends of lines — every token
keeping its exact columns.

Words are split where digits meet label text ("数量523000055二、上年结转" → text, number, text) only where the text
is table text (it ends as a label or a column's name ends, or starts as a label starts): a generic header such as
"数据1" stays text, and so does "保留4位小数". An enumerator
stays with its label however it is spaced ("1 . 属于国家秘密", "00000002.其他法律" → "0000000" and
"2.其他法律"). A number cut out of a word that also holds text is marked *glued*: its digits may be several
cells run together (:mod:`.shape` decides).

Everything here is a pure function of a line's text (and the document's pipe convention), memoised across reports:
labels, counts and empty cells recur in every report of a batch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import chain, pairwise, repeat
from typing import NamedTuple, TypeVar

from ..model import Span, make
from ..t2s import T2S
from ..template import BY_ID, DEFAULT_TEMPLATE, OTHER_HEADINGS, PART_NUMERALS
from ..text import CJK, T2S_TABLE, is_page_line, norm, strip_enumerator

TEXT, NUM, BLANK, BAD, BREAK, EOL = range(6)
VALUE_KINDS = (NUM, BLANK, BAD)


class Spec(NamedTuple):
    """One token of a line: where it stands (columns of its line), what it is."""

    kind: int
    start: int
    end: int
    raw: str
    value: int | float | None = None
    norm: str = ""
    unit: str = ""
    glued: bool = False
    """A number cut out of a word that also holds text: its digits may be several cells run together."""


class Tok(NamedTuple):
    """A token a row keeps: a :class:`Spec` with its line."""

    kind: int
    raw: str
    span: Span
    value: int | float | None = None
    norm: str = ""
    unit: str = ""
    glued: bool = False


_WS = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000" \
      "\u200b\u200c\u200d\u2060\ufeff"
_WORD = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff]+")
_INT = re.compile(r"[+\-]?\d+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"[+\-]?\d+\.\d+")
_UNITS = "件|个|条|项|次|人次|家|宗|元|万元"
_WITH_UNIT = re.compile(rf"([+\-]?\d+(?:\.\d+)?)({_UNITS})")
_ENUM_WORD = re.compile(r"\(?(?:[1-9]|1\d|20)[.、)]|\((?:[1-9]|1\d|20)\)|[①-⑳]")
_BLANK_WORDS = frozenset({"-", "--", "---", "/", "//", "\\", "无", "空", "——", "－", "—"})
_MD_SEPARATOR_CHARS = re.compile(r"[\s:|-]*")
"""A Markdown separator line is made of these only and holds "---". (As one regex, ``[\\s:|-]*-{3,}[\\s:|-]*$``,
a long line of dashes not ending the way it should took cubic time: 1.4 s at 800 dashes.)"""
_HAS_DIGIT = re.compile(r"\d")
_OPENS_LABEL = re.compile(r"([0-9０-９]+?)([(（]|[0-9０-９][.．、])")
"""A number ending in the start of the next label: an opening bracket, or an enumerator and its dot."""
_RUNS = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*|[^0-9０-９]+")
"""A word as runs of digits (with the separators of a decimal or a thousands figure inside) and of the rest."""
_ENUM_AFTER = re.compile(r"[.．、,，](?:\s*[\u3400-\u9fff（(“\"]|$)")
"""What follows the digit of an enumerator: its dot and the label ("2.其他法律", "3、危及"), or its dot ending the
word (the label is the next word: "1. 属于国家秘密")."""

MAX_DIGITS = 15
"""A number with more digits is no count or amount of a report but a slip or garbage, read as unreadable.
(Python's int() refuses over 4,300 digits, JSON readers lose whole numbers past 2**53, TOML stops at 2**63.)"""


def _table_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """How table text ends and starts: the last four characters of every row label, column name and header of both
    templates (a row's numbers follow its label: "…申请数量523"), and the first four of every label (enumerator
    kept or not) and the enumerators of groups (a row's label follows the numbers before it: "523二、上年结转")."""
    ends: set[str] = {"合计", "申请人情况", "法人或其他组织", "社会组织", "行政诉讼"}  # (行政复议: a row label; 总计: a column)
    starts: set[str] = set()
    for template in BY_ID.values():
        for tdef in template.tables.values():
            for r in tdef.rows:
                label = norm(r.label)
                ends.add(label[-4:])
                starts.update((label[:4], strip_enumerator(label)[:4]))
                ends.update(norm(c.label)[-4:] for c in tdef.row_columns(r))
            ends.update(norm(c.label)[-4:] for c in tdef.columns)
    ends.discard("")
    starts.discard("")
    alt = "|".join(map(re.escape, sorted(ends, key=len, reverse=True)))
    return (re.compile(f"(?:{alt})$"),
            re.compile(r"(?:\([一二三四五六七八九十]{1,2}\)|[一二三四]、|" +
                       "|".join(map(re.escape, sorted(starts, key=len, reverse=True))) + ")"))


TABLE_ENDS, TABLE_STARTS = _table_words()


def _number(text: str, unit: str = "") -> tuple[int, int | float | None, str]:
    """A word already known to be a number (``[+-]digits[.digits]``) → (NUM, value, unit), or BAD if too long."""
    if len(text) - (text[0] in "+-") - ("." in text) > MAX_DIGITS:
        return BAD, None, ""
    return NUM, (float(text) if "." in text else int(text)), unit


# Every number, blank and enumerator word starts with a digit or one of these (after NFKC).
_VALUE_FIRST_CHARS = frozenset("+-(—/\\无空")


def classify(word: str) -> tuple[int, int | float | None, str]:
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
        return _number(m.group(1).replace(",", ""), m.group(2))
    if _ENUM_WORD.fullmatch(w):
        return TEXT, None, ""
    return _text_or_bad(w)


def _text_or_bad(w: str) -> tuple[int, None, str]:
    """A word that is no number or blank: unreadable if it looks like a mistyped number, else text."""
    if len(w) <= 24 and CJK.search(w) is None and _HAS_DIGIT.search(w):
        return BAD, None, ""
    return TEXT, None, ""


# ------------------------------------------------------------------------------------------------ cells
MD, ENDED = "md", "ended"
"""How a document uses pipes: Markdown rows (``| a | b |``, a leading pipe opens the row) or cells each ended by
a pipe, the way HTML-to-text converters write table cells (``规章 | 0 | 0 |``, ``56 |`` a line, ``|`` a blank)."""


def pipe_convention(lines: tuple[str, ...]) -> str:
    """The document's pipe convention: ENDED when more of its lines with a pipe end in one without starting with
    one than start with one and hold a cell."""
    opened = ended = 0
    for line in lines:
        if "|" not in line:
            continue
        s = line.strip(_WS)
        if s.startswith("|"):
            opened += s.strip("|" + _WS) != ""
        elif s.endswith("|"):
            ended += 1
    return ENDED if ended > opened else MD


def _cells(line: str, pipes: str) -> list[tuple[int, int]]:
    """Split a line into cell ranges [start, end)."""
    if "|" in line:
        stripped = line.lstrip(_WS)
        if pipes == ENDED:
            if "---" in line and _MD_SEPARATOR_CHARS.fullmatch(line):
                return []
            ranges, pos = [], 0
            parts = line.split("|")
            for field in parts[:-1]:  # every pipe ends a cell, an empty one too
                ranges.append((pos, pos + len(field)))
                pos += len(field) + 1
            if parts[-1].strip(_WS):  # no closing pipe: the rest of the line is a cell
                ranges.append((pos, len(line)))
            return ranges
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


def _text_spec(content: str, a: int, b: int) -> Spec:
    raw = content[a:b]
    return Spec(TEXT, a, b, raw, None, norm(raw))


def _mixed(content: str, ws: int, w: str) -> list[Spec]:
    """A text word holding digits (at ``ws`` in ``content``): split where digits meet table text, else one text
    token (see the module)."""
    runs = [(m.start() + ws, m.end() + ws, m.group()) for m in _RUNS.finditer(w)]
    out: list[Spec] = []
    i = 0
    while i < len(runs):
        a, b, s = runs[i]
        if not s[0].isdigit():
            out.append(_text_spec(content, a, b))
            i += 1
            continue
        before = out[-1] if out and out[-1].kind == TEXT else None
        after = runs[i + 1] if i + 1 < len(runs) else None
        if after is not None and _ENUM_AFTER.match(unicodedata.normalize("NFKC", after[2][:2])):
            # an enumerator ("2.其他法律"): its digit goes with the label; digits in front of it are values that
            # ran into it ("00000002.其他法律")
            if b - a > 1:
                out.extend(_numbers(content, a, b - 1))
            out.append(_text_spec(content, b - 1, after[1]))
            i += 2
            continue
        if (before is not None and _ends_table_text(before.norm)) or \
                (after is not None and TABLE_STARTS.match(norm(after[2])) is not None):
            out.extend(_numbers(content, a, b))
        else:
            out.append(_text_spec(content, a, b))
        i += 1
    # text runs next to each other (digits kept inside text) become one
    merged: list[Spec] = []
    for sp in out:
        if merged and sp.kind == TEXT and merged[-1].kind == TEXT and merged[-1].end == sp.start:
            merged[-1] = _text_spec(content, merged[-1].start, sp.end)
        else:
            merged.append(sp)
    return merged


@lru_cache(maxsize=4096)
def _ends_table_text(normed: str) -> bool:
    """Whether text ends the way a label, column name or header does (a number after it is the row's)."""
    return TABLE_ENDS.search(normed) is not None


def _numbers(content: str, a: int, b: int) -> list[Spec]:
    """The digits content[a:b] cut out of a word holding text: one glued number (with its unit, if one follows).
    Digits too many for one number are still a number (no value of their own): several cells' run together."""
    raw = content[a:b]
    kind, value, unit = classify(raw)
    if kind == TEXT:  # (a decimal point at the end and the like)
        return [_text_spec(content, a, b)]
    if kind == BAD and raw.isdigit() and len(raw) <= 8 * MAX_DIGITS:
        kind = NUM
    return [Spec(kind, a, b, raw, value, "", unit, True)]


def split_cell(content: str) -> tuple[Spec, ...]:
    """The tokens of one cell's text: a pure function of the text (positions are relative to the cell)."""
    word = content.strip(_WS)
    if not word:
        return (Spec(BLANK, 0, len(content), content),)
    if is_page_line(word):
        return ()
    if len(word.split(None, 1)) == 1 and "\u200b" not in word:  # one word: no need to split
        start = content.index(word)
        end = start + len(word)
        kind, value, unit = classify(word)
        if kind != TEXT:
            return (Spec(kind, start, end, word, value, "", unit),)
        if not any(ch.isdigit() for ch in word):
            return (Spec(TEXT, start, end, word, None, norm(word)),)
    out: list[Spec] = []
    text_start = text_end = -1
    for m in _WORD.finditer(content):
        w = m.group()
        ws, we = m.span()
        if w.isdigit() and w.isascii() and len(w) <= MAX_DIGITS:  # the common case: a count
            if text_start >= 0:
                out.append(_text_spec(content, text_start, text_end))
                text_start = -1
            out.append(make(Spec, (NUM, ws, we, w, int(w), "", "", False)))
            continue
        kind, value, unit = classify(w)
        opens = _OPENS_LABEL.fullmatch(w) if kind == BAD else None
        if opens is not None:
            # "10(" of "…0010( 一 )予以公开", "0005." of "…0005. 属于三类…": the number, then the label's start
            cut = ws + opens.start(2)
            if text_start >= 0:
                out.append(_text_spec(content, text_start, text_end))
            out.extend(_numbers(content, ws, cut))
            text_start, text_end = cut, we
            continue
        if kind == TEXT and any(ch.isdigit() for ch in w) and not _ENUM_WORD.fullmatch(w):
            pieces = _mixed(content, ws, w)
            if len(pieces) > 1 or pieces[0].kind != TEXT:
                if text_start >= 0:  # text before the word: one token with the word's own text
                    if pieces[0].kind == TEXT:
                        pieces[0] = _text_spec(content, text_start, pieces[0].end)
                    else:
                        out.append(_text_spec(content, text_start, text_end))
                    text_start = -1
                out.extend(pieces[:-1])
                last = pieces[-1]
                if last.kind == TEXT:
                    text_start, text_end = last.start, last.end
                else:
                    out.append(last)
                continue
        if kind == TEXT:
            if text_start < 0:
                text_start = ws
            text_end = we
            continue
        if text_start >= 0:
            out.append(_text_spec(content, text_start, text_end))
            text_start = -1
        out.append(Spec(kind, ws, we, w, value, "", unit))
    if text_start >= 0:
        out.append(_text_spec(content, text_start, text_end))
    if not out:
        return (Spec(BLANK, 0, len(content), content),)
    return tuple(_enumerators(content, out) if _ENUM_DOTS.search(content) else out)


def _line_enumerators(line: str, specs: list[Spec]) -> list[Spec]:
    """:func:`_enumerators` across the cells of a line: a converter may cut a label between its enumerator's
    digit and its dot ("| (五)不予处理1 | . 信访举报投诉类申请 |")."""
    for k in range(1, len(specs)):
        if specs[k].kind == TEXT and specs[k].norm[:1] in ".、," and specs[k - 1].kind == NUM:
            return _enumerators(line, specs)
    return specs


def _enumerators(content: str, specs: list[Spec]) -> list[Spec]:
    """The last digit of a number written apart from the dot of the label after it ("1 . 属于国家秘密",
    "公开1 ．属于…", "000000 02 ．其他…") is that label's enumerator, not a value; digits before it are."""
    out: list[Spec] = []
    for sp in specs:
        prev = out[-1] if out else None
        if sp.kind == TEXT and sp.norm[:1] in ".、," and len(sp.norm) > 1 and prev is not None \
                and prev.kind == NUM and prev.raw.isascii() and prev.raw.isdigit():
            out.pop()
            if len(prev.raw) > 1:
                out.extend(_numbers(content, prev.start, prev.end - 1))
                out[-1] = out[-1]._replace(glued=True)
            out.append(_text_spec(content, prev.end - 1, sp.end))
        else:
            out.append(sp)
    return out


ENUM_DOT_CHARS = (",.\u2024\u2025\u2026\u2488-\u249b\u3001\u33c2\u33c7\u33d8\ufe10\ufe11\ufe19\ufe30\ufe50-\ufe52"
                  "\uff0c\uff0e\uff64\U0001f100-\U0001f10a")
"""Every character whose normalised form (:func:`norm`) holds an enumerator's dot (".", "、" or ","): ``．``,
``，``, ``､``, ``﹒``, ``⒈`` … (tests/test_tokens.py works the list out again from ``norm``)."""
_ENUM_DOTS = re.compile(f"[{ENUM_DOT_CHARS}]")
"""A line or cell without any of these has no enumerator written apart from its dot (its text's normalised form
starts with none)."""
_BLANK_CELL_CHARS = frozenset("\t\u00a0\u3000\u2002\u2003\u2007\u202f")
_BREAK: tuple[Spec, ...] = (Spec(BREAK, 0, 0, ""),)


def split_line(line: str, pipes: str = MD) -> tuple[Spec, ...]:
    """The tokens of one line: a pure function of its text (positions are columns of the line)."""
    if not line.strip(_WS):
        # An empty line separates records; a line holding only a tab or a typed blank (NBSP, 　) is a
        # blank cell of a one-cell-per-line table.
        # (several tabs and nothing else: an empty row of a TSV table, also a break).
        if line.count("\t") <= 1 and any(ch in _BLANK_CELL_CHARS for ch in line):
            start = len(line) - len(line.lstrip("\t"))
            return (Spec(BLANK, start, len(line), line[start:]),)
        return _BREAK
    if is_page_line(line):
        return ()
    out: list[Spec] = []
    for a, b in _cells(line, pipes):
        content = line[a:b]
        word = content.strip(" ")
        if word.isdigit() and word.isascii() and len(word) <= MAX_DIGITS:  # the common case: a count ("| 12 |")
            start = a + len(content) - len(content.lstrip(" "))
            out.append(make(Spec, (NUM, start, start + len(word), word, int(word), "", "", False)))
            continue
        split = _split_short_cell if len(content) <= _CACHED_CELL_CHARS else split_cell
        if a:
            out.extend([make(Spec, (k, a + start, a + end, raw, value, normed, unit, glued))
                        for k, start, end, raw, value, normed, unit, glued in split(content)])
        else:
            out.extend(split(content))
    if _ENUM_DOTS.search(line):
        out = _line_enumerators(line, out)
    if len(out) > 1:
        out.append(Spec(EOL, len(line), len(line), ""))
    return tuple(out)


# Labels, counts and empty cells recur in every report of a batch, whole lines too in one-cell-per-line
# layouts: short ones are split once. (Long ones are prose, seldom repeated: not worth keeping.)
_CACHED_CELL_CHARS = 64
_CACHED_LINE_CHARS = 160
_split_short_cell = lru_cache(maxsize=8192)(split_cell)


_V = TypeVar("_V")


class Memo(dict[str, _V]):
    """``memo[text]`` is ``fn(text)``, worked out on first sight and kept for texts up to ``max_chars`` (up to
    ``size`` of them, then all forgotten). A dict with ``__missing__`` rather than an lru_cache so that texts
    seen before are looked up by ``map``, without a Python call per text."""

    __slots__ = ("fn", "max_chars", "size")

    def __init__(self, fn: Callable[[str], _V], max_chars: int, size: int) -> None:
        super().__init__()
        self.fn, self.max_chars, self.size = fn, max_chars, size

    def __missing__(self, text: str) -> _V:
        value = self.fn(text)
        if len(text) <= self.max_chars:
            if len(self) >= self.size:
                self.clear()
            self[text] = value
        return value


MAX_PART_LINES = 50_000
MAX_PART_TOKENS = 50_000
MAX_LINE_CHARS = 10_000
"""A part is read up to its 50,000th line or token, and each line up to its 10,000th character (a real table
has under a thousand tokens, a row under two hundred characters): memory stays bounded whatever the file holds
(a "table" of a million lines would otherwise cost gigabytes of tokens)."""

def _line_splitter(pipes: str) -> Callable[[str], tuple[Spec, ...]]:
    def split(line: str) -> tuple[Spec, ...]:
        return split_line(line[:MAX_LINE_CHARS], pipes)
    return split


LINE_TOKENS = {pipes: Memo(_line_splitter(pipes), _CACHED_LINE_CHARS, 8192) for pipes in (MD, ENDED)}
"""Pipe convention → line text → its token specs."""


class Toks(NamedTuple):
    """The tokens of a part: each piece's token specs (shared with every other report holding the same text, as
    ``LINE_TOKENS`` keeps them) and, beside them, the source line each came from (their columns are that
    line's). No per-token object is made here: a token becomes a :class:`Tok` (with its :class:`Span`) only when
    a row keeps it (:func:`tok`); most tokens of a part are breaks, ends of lines and header text."""

    specs: list[Spec]
    lines: list[int]


NO_TOKS = Toks([], [])


def tok(toks: Toks, i: int) -> Tok:
    kind, start, end, raw, value, normed, unit, glued = toks.specs[i]
    return make(Tok, (kind, raw, make(Span, (toks.lines[i], start, end)), value, normed, unit, glued))


_CHUNK_LINES = 64


def tokenize(view: View, lo: int, hi: int) -> Toks:
    """The tokens of the view's pieces [lo, hi), up to the part's limits. Pieces are split a chunk at a time, each
    piece's specs looked up (or made) in ``LINE_TOKENS``, and laid end to end, all without a Python step per
    piece or token; only a chunk that would cross MAX_PART_TOKENS is taken piece by piece, to stop there."""
    specs: list[Spec] = []
    at: list[int] = []
    split = LINE_TOKENS[view.pipes].__getitem__
    texts = view.texts
    hi = min(hi, lo + MAX_PART_LINES)
    for a in range(lo, hi, _CHUNK_LINES):
        b = min(a + _CHUNK_LINES, hi)
        found = list(map(split, texts[a:b]))
        col = view.col
        if col is not None:  # pieces of long lines: their columns from where each piece starts
            found = [f if not col[k] else tuple(sp._replace(start=sp.start + col[k], end=sp.end + col[k])
                                                for sp in f) for k, f in enumerate(found, a)]
        line_of = range(a, b) if view.line is None else view.line[a:b]
        counts = list(map(len, found))
        if len(specs) + sum(counts) < MAX_PART_TOKENS:
            specs += chain.from_iterable(found)
            at += chain.from_iterable(map(repeat, line_of, counts))
            continue
        for n, piece in zip(line_of, found, strict=True):
            if len(specs) >= MAX_PART_TOKENS:
                return Toks(specs, at)
            specs += piece
            at += [n] * len(piece)
    return Toks(specs, at)


# ------------------------------------------------------------------------------------------------ view
class View(NamedTuple):
    """The text as the parser reads it: the source's lines, a long line (a page's text kept on one line by a
    crawler) cut before and after each part heading in it. ``line``/``col``: where each piece starts in the
    source (None: the pieces are the lines)."""

    texts: tuple[str, ...]
    line: tuple[int, ...] | None
    col: tuple[int, ...] | None
    pipes: str = MD
    traditional: bool = False
    """Whether the text holds traditional characters of auditui's vocabulary (then titles and headings are
    searched in simplified ones, one for one)."""

    def simplified(self, i: int) -> str:
        """Piece ``i`` as titles and headings are searched: in simplified characters, columns unchanged."""
        return self.texts[i].translate(T2S_TABLE) if self.traditional else self.texts[i]

    def span(self, i: int, start: int = 0, end: int | None = None) -> Span:
        """A span of piece ``i`` in source coordinates."""
        end = len(self.texts[i]) if end is None else end
        if self.line is None or self.col is None:  # (both None, or neither)
            return Span(i, start, end)
        return Span(self.line[i], self.col[i] + start, self.col[i] + end)


LONG_LINE = 300
"""A line longer than this may be a page's text on one line: it is cut at the part headings in it."""
_CUT = re.compile(rf"[{PART_NUMERALS}]\s*[、.．]\s*(?:(?![{PART_NUMERALS}]\s*[、.．])[^。；;，,0-9０-９]){{2,40}}?(?:情况|事项)")
"""A numbered part heading inside a line ("四、政府信息公开行政复议、行政诉讼情况"): no digits, no other heading."""
_HEADING_WORDS = tuple(k for keys in OTHER_HEADINGS.values() for k in keys) + \
    tuple(k for t in BY_ID[DEFAULT_TEMPLATE].tables.values() for k in t.heading_keys)


_PAGE_NUMBER = re.compile(r"\s*\d{1,4}\s*")


def _page_numbers(lines: tuple[str, ...]) -> tuple[str, ...]:
    """``lines`` with the bare page numbers next to a page break (a form feed: pdftotext's) made empty: alone on
    its line, a number could be a cell, but not the line just before or after a new page starts."""
    out = list(lines)
    for i, line in enumerate(lines):
        if "\f" not in line:
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip(_WS):
                j += step
            if 0 <= j < len(lines) and _PAGE_NUMBER.fullmatch(lines[j].replace("\f", "")):
                out[j] = ""
    return tuple(out)


_MID_HEADING_WORDS = ("总体情况", "主动公开", "收到和处理", "政府信息公开行政复议", "因政府信息公开", "存在的主要问题",
                      "其他需要报告")
_MID_HEADING_BEFORE = re.compile(r"[^\n][一二三四五六]\s*[、.．]\s*\Z")


def _mid_heading(text: str) -> bool:
    """Whether a part heading has text before it on its line ("…。四、政府信息公开行政复议…"): a page flattened onto
    few lines (cut at its headings). Each heading word is found by ``str.find`` and what stands before it matched
    there: one regex over the whole text would try every position of it."""
    for word in _MID_HEADING_WORDS:
        i = text.find(word)
        while i >= 0:
            if _MID_HEADING_BEFORE.search(text, max(0, i - 40), i):
                return True
            i = text.find(word, i + 1)
    return False

_OPENED = re.compile(r"^[^\S\n]*\|(?=[^\n]*[^\s|])", re.M)
_ENDED = re.compile(r"^(?![^\S\n]*\|)[^\n]*\|[^\S\n]*$", re.M)
_TRADITIONAL = re.compile("[" + "".join(sorted(T2S)) + "]")
"""Traditional characters of auditui's vocabulary (:mod:`auditui.core.t2s`)."""


def make_view(lines: tuple[str, ...], text: str | None = None) -> View:
    """The parser's view of a source's ``lines`` (``text``: the same, joined, when the caller has it)."""
    if text is None:
        text = "\n".join(lines)
    pipes = MD
    if "|" in text:  # (counted over the whole text at once: no Python step per line)
        pipes = ENDED if len(_ENDED.findall(text)) > len(_OPENED.findall(text)) else MD
    traditional = _TRADITIONAL.search(text, 0, 4000) is not None  # (a traditional page is so from its start)
    if "\f" in text:
        lines = _page_numbers(lines)
    if not _mid_heading(text.translate(T2S_TABLE) if traditional else text):
        return View(lines, None, None, pipes, traditional)  # (no part heading inside a line: nothing to cut)
    cuts: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line) > LONG_LINE:
            at = [p for m in _CUT.finditer(line.translate(T2S_TABLE) if traditional else line)
                  if any(k in norm(m.group()) for k in _HEADING_WORDS) for p in (m.start(), m.end())]
            if [p for p in at if 0 < p < len(line)]:
                cuts[i] = at
    if not cuts:  # long lines of prose, no page on one line: the lines as they are
        return View(lines, None, None, pipes, traditional)
    texts: list[str] = []
    line_of: list[int] = []
    col: list[int] = []
    for i, line in enumerate(lines):
        for a, b in pairwise([0, *cuts.get(i, ()), len(line)]):
            if b > a or i not in cuts:
                texts.append(line[a:b])
                line_of.append(i)
                col.append(a)
    return View(tuple(texts), tuple(line_of), tuple(col), pipes, traditional)


def clear_caches() -> None:
    for memo in LINE_TOKENS.values():
        memo.clear()
    _split_short_cell.cache_clear()
    _ends_table_text.cache_clear()
