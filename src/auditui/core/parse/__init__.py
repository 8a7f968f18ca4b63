"""Source → Report.

One mechanism reads every layout (one cell per line, tab-indented, Markdown tables and converters' Markdown, TSV
with shifted or empty columns, cells each ended by a pipe, PDF text with wrapped and vertical labels, a page's text
flattened onto one line):

1. **View** (:mod:`.tokens`). The source's lines; a long line (a page kept on one line) is cut at its part
   headings.
2. **Sections** (:mod:`.sections`). Part headings bound each table.
3. **Tokens** (:mod:`.tokens`). Each line is split into cells and each cell into numbers, blanks, unreadable
   values and text, every token keeping its exact span in the source.
4. **Rows** (:mod:`.rows`). A text token holding a row's label key starts that row; its values follow.
5. **Shape** (:mod:`.shape`). A row's values are fitted to its columns, never guessed.
6. **Template** by the table's shape: part 三's rows say which template it is printed in; part 二 is read by its
   own markers; the year only feeds the ``template-year`` warning.
7. **Title** (:mod:`.title`): body and year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress
from operator import attrgetter

from ..model import Marker, Report, Source, Span, Table
from ..template import BY_ID, DEFAULT_TEMPLATE, PART_PROACTIVE, PART_REQUESTS, Sum, template_for_year
from ..text import norm
from . import rows as _rows
from . import tokens as _tokens
from .rows import plan, table_shape
from .sections import Sections, find_sections, heading_parts
from .shape import rows_table, run_table
from .title import find_title
from .tokens import NO_TOKS, Memo, Tok, Toks, View, make_view, tokenize

__all__ = ["Sections", "View", "clear_caches", "find_sections", "make_view", "parse", "tables_found"]

_MARKER_OWNER = {m: tid for tid, tpl in BY_ID.items() for m in tpl.markers}
_MARKERS = re.compile("|".join(map(re.escape, sorted(_MARKER_OWNER, key=len, reverse=True))))
_MARKERS_SEEN = Memo(lambda normed: tuple(m.group() for m in _MARKERS.finditer(normed)), 64, 4096)
"""Normalised text → the template markers in it (labels recur in every report; most tokens hold none)."""
_norm_of = attrgetter("norm")

_ROW_TOTALS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    tid: {rel.table: (rel.total, rel.parts) for rel in t.relations if isinstance(rel, Sum) and rel.axis == "columns"}
    for tid, t in BY_ID.items()}
"""Template → table → (its rows' total column, the columns it adds up): the premise a run-together row may be cut by."""


def _markers(parts: Iterable[Toks]) -> tuple[dict[str, set[str]], list[Marker]]:
    markers: list[Marker] = []
    counts: dict[str, set[str]] = {tid: set() for tid in BY_ID}
    for toks in parts:
        # Only text has a normalised form (a value's is ""), so no kind test is needed.
        found = list(map(_MARKERS_SEEN.__getitem__, map(_norm_of, toks.specs)))
        for i in compress(range(len(found)), found):
            sp = toks.specs[i]
            for marker in found[i]:
                tid = _MARKER_OWNER[marker]
                counts[tid].add(marker)
                markers.append(Marker("template", sp.raw, Span(toks.lines[i], sp.start, sp.end), tid))
    return counts, markers


def _by_markers(counts: dict[str, set[str]]) -> str | None:
    """The template with more of its markers found than any other (None: a tie, or none found)."""
    most = max(map(len, counts.values()))
    ahead = [tid for tid, found in counts.items() if len(found) == most]
    return ahead[0] if most and len(ahead) == 1 else None


def clear_caches() -> None:
    """Forget what the parser memoises across reports (split lines and cells, normalised labels, key scans,
    template markers), as in a fresh process: for measuring a cold start. Parsing gives the same either way."""
    _tokens.clear_caches()
    _rows.clear_caches()
    _MARKERS_SEEN.clear()
    heading_parts.cache_clear()
    norm.cache_clear()  # type: ignore[attr-defined]


def parse(source: Source) -> Report:
    view = make_view(source.lines, source.text)
    body, year, body_span, year_span = find_title(view, source.path)
    sections = find_sections(view)
    toks = {part: tokenize(view, lo, hi) for part, (lo, hi) in sections.ranges.items()}

    # The template: part 三's own rows say which table it is; part 二 is read by its markers; neither: the year.
    counts2, markers = _markers([toks[p] for p in (PART_PROACTIVE,) if p in toks])
    counts3, markers3 = _markers([toks[p] for p in (PART_REQUESTS,) if p in toks])
    markers += markers3
    shape = table_shape(toks[PART_REQUESTS]) if PART_REQUESTS in toks else None
    part2 = _by_markers(counts2)
    template_id = shape or _by_markers({k: counts2[k] | counts3[k] for k in counts2}) or template_for_year(year) \
        or DEFAULT_TEMPLATE
    template = BY_ID[template_id]

    lines = source.lines
    totals = _ROW_TOTALS[template_id]
    tables: dict[str, Table] = {}
    stray: list[tuple[str, Tok]] = []
    for part in template.tables:
        heading = sections.headings.get(part)
        span = view.span(heading) if heading is not None else None
        part_toks = toks.get(part, NO_TOKS)
        tid = part2 if part == PART_PROACTIVE and part2 is not None else template_id
        tp = plan(tid, part)
        if tp.tdef.layout == "run":
            tables[part] = run_table(tp, part_toks, span, lines, totals)
        else:
            table, s, doubts, lost = rows_table(tp, part_toks, span, lines, totals)
            tables[part] = table
            markers.extend(Marker("placed", "", table.row(rid).spans[0], f"{part}|{rid}")
                           for rid in lost if table.row(rid).spans)
            stray.extend((f"{part}|{rid}", t) for rid, t in s)
            markers.extend(Marker("doubt", "", table.row(rid).label_span, f"{part}|{rid}")  # type: ignore[arg-type]
                           for rid in doubts)
    if stray:
        markers.extend(Marker("stray", t.raw, t.span, key) for key, t in stray)
    return Report(source, body, year, template_id, tables, tuple(markers), body_span, year_span, rebuild=parse)


def tables_found(report: Report) -> bool:
    """Whether the text holds any of a report's tables (a heading of one, or a row label of one)."""
    return any(t.found for t in report.tables.values())

