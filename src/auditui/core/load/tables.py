"""What every structured loader (PDF, HTML, DOCX) shares: how a table becomes lines of the shown text.

The parser reads one text format for every loader: each table row is one line, its cells separated by a TAB;
a merged cell (a copy of a cell spanning several grid positions) is an empty field; the line breaks inside a
cell are joined (without a space between Chinese characters). Prose stays as lines of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WS = re.compile(r"[ \t\u00a0\u3000]+")
_LATIN = re.compile(r"[A-Za-z0-9]")


def _needs_space(left: str, right: str) -> bool:
    """Whether two pieces of one cell, broken apart by a line break, are joined with a space: between two Latin
    words or numbers ("Total" / "amount"), never next to a Chinese character or punctuation.

    Two numbers stay apart: a cell holding "3001" over "34" is a table whose row rules are missing, and gluing
    them would invent the value 300134; kept apart, the parser sees too many numbers and says it cannot read
    the row. (A long number wrapped inside a narrow cell is rare, and is then reported the same way.)"""
    return bool(_LATIN.match(left[-1]) and _LATIN.match(right[0]))


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one cell → one line: each line stripped, empty lines dropped, joined per ``_needs_space``."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and _needs_space(out, line):
            out += " "
        out += line
    return out


def cell_text(text: str | None) -> str:
    """A cell's text as one TSV field: line breaks joined, tabs and runs of blanks made one space."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _WS.sub(" ", join_lines(text.split("\n"))).strip()


def tsv_line(cells: Sequence[str | None]) -> str:
    """One table row → one line; None (a merged copy) and empty cells both become empty fields."""
    return "\t".join(cell_text(c) for c in cells)


def tsv_lines(rows: Iterable[Sequence[str | None]]) -> list[str]:
    """Table rows → lines, dropping rows that are empty in every cell (spacer rows)."""
    out = []
    for row in rows:
        line = tsv_line(row)
        if line.strip("\t "):
            out.append(line)
    return out


def expand_spans(rows: Sequence[Sequence[tuple[str, int, int]]]) -> list[list[str | None]]:
    """Rows of ``(text, rowspan, colspan)`` cells (HTML/DOCX) → a rectangular grid.

    A cell is written at its top-left grid position; the other positions it covers are None, so that a label
    spanning several columns is not repeated into the value columns. Spans are clipped to sane sizes (a page
    saying ``rowspan="1000"`` does not make a thousand rows)."""
    grid: list[list[str | None]] = []
    taken: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(rowspan, len(rows) - r))
            colspan = max(1, min(colspan, 100))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
                    while len(grid) <= r + dr:
                        grid.append([])
                    line = grid[r + dr]
                    while len(line) <= c + dc:
                        line.append(None)
                    line[c + dc] = text if (dr, dc) == (0, 0) else None
            c += colspan
            width = max(width, c)
    for line in grid:
        line.extend([None] * (width - len(line)))
    return grid
