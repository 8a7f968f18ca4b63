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
from dataclasses import dataclass
from functools import lru_cache

from .model import Cell, CellRef, Marker, Report, Row, Source, Span, Table
from .template import BY_ID, OTHER_HEADINGS, TableDef, Template, template_for_year
from .text import CJK, is_page_line, norm, strip_enumerator

# ------------------------------------------------------------------------------------------------ tokens
TEXT, NUM, BLANK, BAD, BREAK, EOL = range(6)
VALUE_KINDS = (NUM, BLANK, BAD)


@dataclass(slots=True)
class Tok:
    kind: int
    raw: str
    line: int
    start: int
    end: int
    value: int | float | None = None
    norm: str = ""
    unit: str = ""

    @property
    def span(self) -> Span:
        return Span(self.line, self.start, self.end)


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
_MD_SEPARATOR = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*$")
_HAS_DIGIT = re.compile(r"\d")


def _classify(word: str) -> tuple[int, int | float | None, str]:
    """A word → (kind, value, unit)."""
    if word.isascii():
        if word.isdigit():
            return NUM, int(word), ""
        w = word
    else:
        w = unicodedata.normalize("NFKC", word)
    if _INT.fullmatch(w):
        return NUM, int(w), ""
    if w in _BLANK_WORDS or (w and set(w) <= {"-", "—", "/", "－"}):
        return BLANK, None, ""
    if _THOUSANDS.fullmatch(w):
        return NUM, int(w.replace(",", "")), ""
    if _DECIMAL.fullmatch(w):
        return NUM, float(w), ""
    m = _WITH_UNIT.fullmatch(w)
    if m:
        v = m.group(1)
        return NUM, (float(v) if "." in v else int(v)), m.group(2)
    if _ENUM_WORD.fullmatch(w):
        return TEXT, None, ""
    if CJK.search(w) is None and _HAS_DIGIT.search(w) and len(w) <= 24:
        return BAD, None, ""
    return TEXT, None, ""


def _cells(line: str) -> list[tuple[int, int]]:
    """Split a line into cell ranges [start, end)."""
    stripped = line.lstrip(_WS)
    if stripped.startswith("|"):
        if _MD_SEPARATOR.match(line):
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


def _tokenize_cell(line: str, lineno: int, a: int, b: int, out: list[Tok]) -> None:
    content = line[a:b]
    if content.isdigit() and content.isascii():  # the common case: a bare count
        out.append(Tok(NUM, content, lineno, a, b, int(content)))
        return
    word = content.strip(_WS)
    if not word:
        out.append(Tok(BLANK, content, lineno, a, b))
        return
    if len(word.split(None, 1)) == 1 and "\u200b" not in word:  # one word: no need to split
        start = a + content.index(word)
        kind, value, unit = _classify(word)
        if kind == TEXT:
            if not _GLUED.match(word):
                out.append(Tok(TEXT, word, lineno, start, start + len(word), norm=norm(word)))
                return
        else:
            out.append(Tok(kind, word, lineno, start, start + len(word), value, unit=unit))
            return
    words = list(_WORD.finditer(content))
    if not words:
        out.append(Tok(BLANK, content, lineno, a, b))
        return
    text_start = text_end = -1
    for m in words:
        kind, value, unit = _classify(m.group())
        ws, we = a + m.start(), a + m.end()
        if kind == TEXT:
            glued = _GLUED.match(m.group())
            if glued and not _ENUM_WORD.fullmatch(m.group()):
                # "行政许可447228": text glued to a trailing number
                cut = ws + len(glued.group(1))
                if text_start < 0:
                    text_start = ws
                text_end = cut
                _flush_text(line, lineno, text_start, text_end, out)
                text_start = -1
                out.append(Tok(NUM, line[cut:we], lineno, cut, we, int(glued.group(2))))
                continue
            if text_start < 0:
                text_start = ws
            text_end = we
            continue
        if text_start >= 0:
            _flush_text(line, lineno, text_start, text_end, out)
            text_start = -1
        out.append(Tok(kind, m.group(), lineno, ws, we, value, unit=unit))
    if text_start >= 0:
        _flush_text(line, lineno, text_start, text_end, out)


def _flush_text(line: str, lineno: int, a: int, b: int, out: list[Tok]) -> None:
    raw = line[a:b]
    out.append(Tok(TEXT, raw, lineno, a, b, norm=norm(raw)))


_BLANK_CELL_CHARS = frozenset("\t\u00a0\u3000\u2002\u2003\u2007\u202f")


def tokenize(lines: tuple[str, ...], lo: int, hi: int) -> list[Tok]:
    out: list[Tok] = []
    for n in range(lo, hi):
        line = lines[n]
        if not line.strip(_WS):
            # An empty line separates records; a line holding only a tab or a typed blank (NBSP, 　) is a
            # blank cell of a one-cell-per-line table.
            # (several tabs and nothing else: an empty row of a TSV table, also a break).
            if line.count("\t") <= 1 and any(ch in _BLANK_CELL_CHARS for ch in line):
                start = len(line) - len(line.lstrip("\t"))
                out.append(Tok(BLANK, line[start:], n, start, len(line)))
            else:
                out.append(Tok(BREAK, "", n, 0, 0))
            continue
        if is_page_line(line):
            continue
        before = len(out)
        for a, b in _cells(line):
            _tokenize_cell(line, n, a, b, out)
        if len(out) - before > 1:
            out.append(Tok(EOL, "", n, len(line), len(line)))
    return out


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


def find_sections(lines: tuple[str, ...]) -> Sections:
    found: dict[str, int] = {}
    loose: dict[str, int] = {}
    for i, line in enumerate(lines):
        if len(line) > 90 or not _HEADING_HINT.search(line):
            continue
        s = norm(_HEADING_PREFIX.sub("", line))
        if len(s) > 40:
            continue
        for part, keys in _HEADING_KEYS.items():
            if part in found or not all(k in s for k in keys):
                continue
            if s[0] == part and len(s) > 1 and s[1] in "、.,: ":
                found[part] = i
            elif s[0] not in _HEADING_NUMERALS and not s.startswith("("):
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
    label: list[Tok]
    values: list[Tok]


@lru_cache(maxsize=8)
def _key_regex(tdef: TableDef) -> tuple[re.Pattern[str], dict[str, int]]:
    owner: dict[str, int] = {}
    for i, r in enumerate(tdef.rows):
        for k in r.keys:
            owner.setdefault(k, i)
    keys = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)) if keys else r"(?!x)x"), owner


def _pad_start(toks: list[Tok], i: int) -> int:
    """Index of the first blank token that pads the label at ``i`` (its own line or record), else ``i``."""
    j = i - 1
    while j >= 0 and toks[j].kind == BLANK:
        j -= 1
    if j < 0 or toks[j].kind in (BREAK, EOL):
        return j + 1
    return i


def _match_rows(toks: list[Tok], tdef: TableDef) -> tuple[dict[int, _Acc], list[tuple[int, Tok]]]:
    rx, owner = _key_regex(tdef)
    rows = tdef.rows
    accs: dict[int, _Acc] = {}
    stray: list[tuple[int, Tok]] = []
    cursor = -1
    current: int | None = None

    def start(ri: int, i: int) -> None:
        nonlocal cursor, current
        if current is not None:
            # blanks that pad this label's own line or record belong to neither row
            n_pad = i - _pad_start(toks, i)
            if n_pad:
                vals = accs[current].values
                del vals[len(vals) - n_pad :]
        adopted: list[Tok] = []
        if current is None and rows[ri].kind == "value" and stray and stray[-1][0] == cursor:
            # numbers that followed a heading row (which has no cells) before this row's key appeared,
            # as when a wrapped label's key sits on the line after its numbers
            while stray and stray[-1][0] == cursor:
                adopted.append(stray.pop()[1])
            adopted.reverse()
        cursor = ri
        current = ri if rows[ri].kind == "value" else None
        accs[ri] = _Acc([toks[i]], adopted)

    for i, t in enumerate(toks):
        kind = t.kind
        if kind == TEXT:
            hits = sorted((m.start(), owner[m.group()]) for m in rx.finditer(t.norm))
            matched = False
            for _, ri in hits:
                if ri == current or ri == cursor:
                    if not matched:
                        accs[ri].label.append(t)
                    matched = True
                elif ri > cursor:
                    start(ri, i)
                    matched = True
            if not matched:
                bare = strip_enumerator(t.norm)
                for ri in range(cursor + 1, len(rows)):
                    r = rows[ri]
                    if bare in r.weak:
                        start(ri, i)
                        break
                    if r.kind == "value":
                        break
        elif kind in VALUE_KINDS:
            if current is not None:
                accs[current].values.append(t)
            elif cursor >= 0 and (kind != BLANK or (stray and stray[-1][0] == cursor)):
                stray.append((cursor, t))
    return accs, stray


# ------------------------------------------------------------------------------------------------ shape
def fit(vals: list[Tok], n: int) -> tuple[list[Tok] | None, bool]:
    """Fit value tokens to ``n`` columns → (tokens, split). None when the shape cannot be made certain."""
    numbers = [t for t in vals if t.kind != BLANK]
    if len(numbers) == n:
        return numbers, False
    if len(numbers) > n:
        return None, False
    seq = list(vals)
    while len(seq) > n and seq[-1].kind == BLANK:
        seq.pop()
    while len(seq) > n and seq[0].kind == BLANK:
        seq.pop(0)
    if len(seq) == n:
        return seq, False
    if len(numbers) == len(vals) and all(t.kind == NUM and t.raw.isdigit() for t in numbers):
        if sum(len(t.raw) for t in numbers) == n and any(len(t.raw) > 1 for t in numbers):
            split = [
                Tok(NUM, t.raw[k], t.line, t.start + k, t.start + k + 1, int(t.raw[k]))
                for t in numbers
                for k in range(len(t.raw))
            ]
            return split, True
    return None, False


def _cell(ref: CellRef, t: Tok, kind: str, note: str = "") -> Cell:
    if t.kind == BLANK:
        raw = t.raw.strip(_WS)
        return Cell(ref, None, raw, t.span, "blank", note or (f"written as {raw!r}" if raw else ""))
    if t.kind == BAD:
        return Cell(ref, None, t.raw, t.span, "bad", "unreadable")
    v = t.value
    if kind == "count" and isinstance(v, float):
        return Cell(ref, None, t.raw, t.span, "bad", "not a whole number")
    return Cell(ref, v, t.raw, t.span, "ok", note)


def _row(tdef: TableDef, ri: int, acc: _Acc | None) -> Row:
    rdef = tdef.rows[ri]
    cols = tdef.row_columns(rdef)
    refs = [CellRef(tdef.id, rdef.id, c.id) for c in cols]
    if acc is None:
        return Row(rdef.id, rdef.label, tuple(Cell(r, None, status="missing") for r in refs), found=False)
    label_span = acc.label[0].span
    spans = tuple(t.span for t in acc.label) + tuple(t.span for t in acc.values)
    raw_values = tuple(t.raw for t in acc.values if t.kind != BLANK)
    fitted, split = fit(acc.values, len(cols))
    if fitted is None:
        numbers = sum(1 for t in acc.values if t.kind != BLANK)
        cells = tuple(Cell(r, None, status="bad", note="row-shape") for r in refs)
        return Row(rdef.id, rdef.label, cells, True, label_span, spans, (numbers, len(cols)), raw_values)
    note = "split" if split else ""
    cells = tuple(_cell(r, t, c.kind, note) for r, t, c in zip(refs, fitted, cols, strict=True))
    return Row(rdef.id, rdef.label, cells, True, label_span, spans, None, raw_values)


def _rows_table(tdef: TableDef, toks: list[Tok], span: Span | None) -> tuple[Table, list[tuple[str, Tok]]]:
    accs, stray = _match_rows(toks, tdef)
    rows = tuple(_row(tdef, ri, accs.get(ri)) for ri, r in enumerate(tdef.rows) if r.kind == "value")
    columns = tuple(c.id for c in tdef.columns)
    if not columns:
        seen: dict[str, None] = {}
        for r in tdef.rows:
            for c in tdef.row_columns(r):
                seen.setdefault(c.id)
        columns = tuple(seen)
    found = bool(accs)
    return Table(tdef.id, tdef.title, columns, rows, found, span), [(tdef.rows[ri].id, t) for ri, t in stray]


def _run_table(tdef: TableDef, toks: list[Tok], span: Span | None) -> Table:
    header = set(tdef.header_chars)
    first_num = next((i for i, t in enumerate(toks) if t.kind in (NUM, BAD)), None)
    h = -1
    limit = first_num if first_num is not None else len(toks)
    for i in range(limit):
        t = toks[i]
        if t.kind == TEXT and (first_num is not None or set(t.norm) <= header):
            h = i
    run: list[Tok] = []
    for t in toks[h + 1 :]:
        if t.kind == TEXT:
            if run:
                break
            continue
        if t.kind in VALUE_KINDS:
            run.append(t)
    header_found = h >= 0 and any(k in "".join(t.norm for t in toks[: h + 1]) for k in ("复议", "诉讼"))
    cols = tdef.columns
    n = len(cols) * len(tdef.rows)
    rows: list[Row] = []
    if not header_found and not run:
        for rdef in tdef.rows:
            cells = tuple(Cell(CellRef(tdef.id, rdef.id, c.id), None, status="missing") for c in cols)
            rows.append(Row(rdef.id, rdef.label, cells, found=False))
        return Table(tdef.id, tdef.title, tuple(c.id for c in cols), tuple(rows), False, span)
    fitted, split = fit(run, n)
    raw_values = tuple(t.raw for t in run if t.kind != BLANK)
    for k, rdef in enumerate(tdef.rows):
        refs = [CellRef(tdef.id, rdef.id, c.id) for c in cols]
        if fitted is None:
            numbers = sum(1 for t in run if t.kind != BLANK)
            cells = tuple(Cell(r, None, status="bad", note="row-shape") for r in refs)
            spans = tuple(t.span for t in run)
            rows.append(Row(rdef.id, rdef.label, cells, True, None, spans, (numbers, n), raw_values))
            continue
        part = fitted[k * len(cols) : (k + 1) * len(cols)]
        note = "split" if split else ""
        cells = tuple(_cell(r, t, c.kind, note) for r, t, c in zip(refs, part, cols, strict=True))
        rows.append(Row(rdef.id, rdef.label, cells, True, part[0].span, tuple(t.span for t in part), None,
                        tuple(t.raw for t in part)))
    return Table(tdef.id, tdef.title, tuple(c.id for c in cols), tuple(rows), True, span)


# ------------------------------------------------------------------------------------------------ title
_TITLE = re.compile(
    r"(\d{4})\s*年\s*度?\s*(?:的\s*)?(?:政\s*府\s*信\s*息\s*公\s*开|政\s*务\s*公\s*开)"
    r"\s*(?:工\s*作\s*)?(?:年\s*度\s*)?(?:报\s*告|年\s*报)"
)
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*至")
_BODY_NOISE = re.compile(r"^[#*\s]+|[\s*]+$|关于$|的$|[:：]$")


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


def _detect_template(toks: list[Tok], year: int | None) -> tuple[str, list[Marker]]:
    markers: list[Marker] = []
    counts: dict[str, set[str]] = {tid: set() for tid in BY_ID}
    for t in toks:
        if t.kind != TEXT:
            continue
        for m in _MARKERS.finditer(t.norm):
            tid = _MARKER_OWNER[m.group()]
            counts[tid].add(m.group())
            markers.append(Marker("template", t.raw, t.span, tid))
    c19, c21 = len(counts["2019"]), len(counts["2021"])
    if c19 > c21:
        return "2019", markers
    if c21 > c19:
        return "2021", markers
    return template_for_year(year) or "2021", markers


# ------------------------------------------------------------------------------------------------ entry
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
    template_id, markers = _detect_template(toks.get("二", []) + toks.get("三", []), year)
    template = BY_ID[template_id]

    tables: dict[str, Table] = {}
    stray: list[tuple[str, Tok]] = []
    for part, tdef in template.tables.items():
        heading = sections.headings.get(part)
        span = Span(heading, 0, len(lines[heading])) if heading is not None else None
        part_toks = toks.get(part, [])
        if tdef.layout == "run":
            tables[part] = _run_table(tdef, part_toks, span)
        else:
            table, s = _rows_table(tdef, part_toks, span)
            tables[part] = table
            stray.extend((f"{part}|{rid}", t) for rid, t in s)
    if stray:
        markers.extend(Marker("stray", t.raw, t.span, key) for key, t in stray)
    return Report(source, body, year, template_id, tables, tuple(markers), body_span, year_span)
