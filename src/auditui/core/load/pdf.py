"""PDF reports (made by Word, WPS or a PDF editor) → Source, with pdfplumber (imported only here).

Per page: the ruled tables are found with ``find_tables()`` (merged cells come back as None) and rendered one
row per line, cells separated by tabs; the rest of the page (prose, headings, page footers) comes from the
page's text lines outside those tables. Tables and prose lines are interleaved in their vertical order.
Pages are separated by a :func:`~auditui.core.text.page_mark` line whose index is recorded in
``Source.pages``; a table cut by a page break thus shows as its two halves on either side of the mark.

A box drawn around a paragraph (a one-column "table") is prose, not a table.

Broken files give one clear reason: not a PDF, truncated or damaged, encrypted, no readable text layer.
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cache
from operator import itemgetter

from ..model import LoadError, Source
from ..text import CJK, is_page_line, page_mark
from .tables import cell_text, join_lines, tsv_lines
from .text import clean_text

NEEDS_OCR = "no readable text layer: needs OCR"
NOT_PDF = "not a PDF (no %PDF header)"
TRUNCATED = "truncated or damaged PDF"
ENCRYPTED = "encrypted PDF: needs a password"
MAX_PAGES = 300
"""A PDF with more pages is refused before any page is read (a report has 5 to 50; pdfplumber takes about a
tenth of a second a page, so 300 pages is under a minute). Pages are read one at a time and let go, so memory
does not grow with the page count."""

# Signatures of what a file named .pdf often really is.
_SNIFF = (
    (b"PK\x03\x04", "a ZIP archive or Word/Excel file"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel file (.doc/.xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)


def _sniff(data: bytes) -> str:
    for magic, what in _SNIFF:
        if data.startswith(magic):
            return what
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta")) or b"<html" in head:
        return "an HTML page"
    return ""


def _check_bytes(path: str, data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:
        what = _sniff(data)
        raise LoadError(path, NOT_PDF + (f"; it looks like {what}" if what else ""))
    if b"%%EOF" not in data[-4096:].rstrip(b"\x00\r\n\t\x0c ")[-2048:]:  # padding after the marker is harmless
        raise LoadError(path, TRUNCATED + " (the end-of-file marker is missing: the file was cut short)")


def _reason(exc: BaseException) -> str:
    """A pdfminer/pdfplumber exception → one line an auditor understands."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inner = exc
    for _ in range(3):  # pdfplumber wraps pdfminer's exception: PdfminerException(PDFSyntaxError(...))
        if type(inner).__name__ in ("PdfminerException", "MalformedPDFException") and inner.args \
                and isinstance(inner.args[0], BaseException):
            inner = inner.args[0]
    if isinstance(inner, PDFPasswordIncorrect):
        return ENCRYPTED
    if isinstance(inner, PDFEncryptionError):
        return f"{ENCRYPTED} (unsupported encryption: {inner})" if str(inner) else ENCRYPTED
    detail = str(inner).strip().splitlines()[0][:120] if str(inner).strip() else type(inner).__name__
    return f"{TRUNCATED} ({detail})"


def load_pdf(path: str, data: bytes, digest: str) -> Source:
    _check_bytes(path, data)
    import pdfplumber

    # pdfminer logs every oddity of a file (a font without a bounding box...) as a warning; an auditor can do
    # nothing with them and they would end up on the terminal between the results.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from pdfminer.psexceptions import PSException

    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise LoadError(path, f"PDF has {len(pdf.pages):,} pages; auditui reads reports of up to "
                                      f"{MAX_PAGES} pages (an annual report is rarely over 50)")
            pages = []
            for page in pdf.pages:
                pages.append(_page_lines(page))
                page.close()  # drop the page's parsed objects: they would otherwise stay until the end
    except LoadError:
        raise
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            EOFError, OSError, RecursionError, ZeroDivisionError) as e:
        raise LoadError(path, _reason(e)) from None
    except Exception as e:  # pdfplumber's own wrappers
        if type(e).__name__ in ("PdfminerException", "MalformedPDFException"):
            raise LoadError(path, _reason(e)) from None
        raise
    if not pages:
        raise LoadError(path, f"{TRUNCATED} (no pages)")
    _check_text_layer(path, pages)

    left, right = _margins(pages)
    lines: list[str] = []
    starts: list[int] = []
    for n, page in enumerate(pages, start=1):
        if n > 1:
            starts.append(len(lines))
            lines.append(page_mark(n))
        else:
            starts.append(0)
        text = _paragraphs(page.items, left, right)
        lines.extend(line.replace("\r", " ").replace("\n", " ") for line in text)  # keep pages' lines
    text = clean_text("\n".join(lines))
    return Source(path=path, text=text, encoding="", format="pdf", sha256=digest, pages=tuple(starts))


_Item = tuple[float, int, "list[str] | dict"]
"""(top, kind, what): kind 0 is a prose line (pdfplumber's line dict), kind 1 a table (its TSV lines)."""


class _Page:
    __slots__ = ("cid", "images", "items", "letters")

    def __init__(self, items: list[_Item], letters: int, cid: int, images: int) -> None:
        self.items = items
        self.letters = letters
        self.cid = cid
        self.images = images


def _check_text_layer(path: str, pages: list[_Page]) -> None:
    letters = sum(p.letters for p in pages)
    cid = sum(p.cid for p in pages)
    if letters < 10 or cid > letters:
        if cid:
            detail = "the fonts have no Unicode map: only (cid:N) glyphs"
        elif any(p.images for p in pages):
            detail = "the pages are images, probably scanned"
        elif letters:
            detail = "hardly any text on the pages"
        else:
            detail = "no text on the pages"
        raise LoadError(path, f"{NEEDS_OCR} ({detail})")


class _Centres:
    """The centres of a page's characters, sorted by height on the page, to find the characters of a table or
    a cell by bisection rather than by testing every character of the page for each of them."""

    __slots__ = ("entries", "ys")

    def __init__(self, chars: list[dict]) -> None:
        entries = []
        for i, c in enumerate(chars):
            y = (c["top"] + c["bottom"]) / 2
            if y == y:  # not NaN: such a character is in no box, and would spoil the sorting
                entries.append((y, (c["x0"] + c["x1"]) / 2, i))
        entries.sort()
        self.entries = entries
        self.ys = [e[0] for e in entries]

    def within(self, bbox: tuple[float, float, float, float], closed: bool) -> list[tuple[int, float, float]]:
        """``(index, x, y)`` of the characters centred in ``bbox``, in the page's order. A closed box holds
        its four edges (a table's box, for the prose around it); an open one, like pdfplumber's cells, only
        its left and top edges."""
        x0, top, x1, bottom = bbox
        ys = self.ys
        start = bisect_left(ys, top)
        end = bisect_right(ys, bottom) if closed else bisect_left(ys, bottom)
        if closed:
            found = [(i, x, y) for y, x, i in self.entries[start:end] if x0 <= x <= x1]
        else:
            found = [(i, x, y) for y, x, i in self.entries[start:end] if x0 <= x < x1]
        found.sort()
        return found


def _has_duplicates(chars: list[dict]) -> bool:
    """Whether some character is drawn twice at (almost) the same place: "fake bold" of PDF makers whose font
    has no bold face, which would read as 一一、、总总体体."""
    seen = set()
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            return True
        seen.add(key)
    return False


def _page_lines(page) -> _Page:
    from pdfplumber.utils import chars_to_textmap, dedupe_chars

    chars = page.chars
    if _has_duplicates(chars):
        chars = dedupe_chars(chars, tolerance=1.5)  # what page.dedupe_chars() keeps, without a derived page
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    letters = sum(1 for c in chars if len(c["text"]) == 1 and (c["text"].isalpha() or CJK.match(c["text"])))
    if not chars:
        return _Page([], 0, 0, len(page.images))

    items: list[_Item] = []
    boxes = []
    try:
        tables = _find_tables(page)
    except (ValueError, ZeroDivisionError, IndexError, KeyError, TypeError):
        tables = []  # pdfplumber could not make sense of the page's rules: its text is still read, as prose
    centres = _Centres(chars if tables else [])  # sorted once per page, only if there is a table to read
    for table in tables:
        grid = [row.cells for row in table.rows]  # a cell's bbox, or None where a merged cell spans
        if max((sum(1 for c in row if c is not None) for row in grid), default=0) < 2:
            continue  # a box drawn around prose, not a table
        boxes.append(table.bbox)
        items.append((table.bbox[1], 1, tsv_lines(_extract(grid, chars, centres))))
    # The prose is the page's text lines (page.extract_text_lines()) over the characters outside the tables,
    # with the page's layout settings as pdfplumber's page.filter(...) would pass them.
    if boxes:
        inside = {i for box in boxes for i, _, _ in centres.within(box, closed=True)}
        prose = [c for i, c in enumerate(chars) if i not in inside]
    else:
        prose = chars
    textmap = chars_to_textmap(prose, layout_bbox=page.bbox, layout_width=page.width,
                               layout_height=page.height)
    for line in textmap.extract_text_lines(strip=True, return_chars=False):
        text = cell_text(line["text"]) if "\t" in line["text"] else line["text"].strip()
        if text:
            line["text"] = text
            items.append((line["top"], 0, line))
    items.sort(key=lambda it: (it[0], it[1]))
    return _Page(items, letters, cid, len(page.images))


# ------------------------------------------------------------------------------------------------ ruled tables
# pdfplumber's page.find_tables() and Table.extract() with their default settings, giving the same tables
# and the same cell texts, without the quadratic steps that made up most of the loader's time beyond what
# pdfplumber's bare extract_text() takes: edges_to_intersections() tests every vertical rule against every
# horizontal one, intersections_to_cells() scans all the later rule crossings for each one (and rebuilds
# sets of rules for every pair it compares), cells_to_tables() sweeps the remaining cells again for every
# cell it adds to a table, and Table.extract() filters all the page's characters again for every row and
# every cell.
# tests/test_load_pdf_tables.py holds each function here to giving what pdfplumber's own gives.

def _find_tables(page) -> list:
    """``page.find_tables()``: the same tables (pdfplumber ``Table`` objects), in the same order."""
    from pdfplumber.table import Table, TableFinder, TableSettings

    finder = TableFinder.__new__(TableFinder)  # its __init__ would run the quadratic steps
    finder.page = page
    finder.settings = settings = TableSettings.resolve(None)
    edges = finder.get_edges()
    if not all(abs(e[k]) < 1e9 for e in edges for k in ("x0", "x1", "top", "bottom")):
        # A rule at an absurd place (or NaN): the bisections below allow a margin of a point, not a relative
        # one, and NaN cannot be sorted; pdfplumber's own code gives whatever it gives for such a page.
        return page.find_tables()
    crossings = _intersections(edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return [Table(page, cells) for cells in _tables(_cells(crossings))]


def _intersections(edges: list[dict], x_tolerance: float, y_tolerance: float) -> dict:
    """pdfplumber's ``edges_to_intersections()``: the same crossings of rules, in the same order, each with
    the same rules in the same order.

    Each vertical rule is put to pdfplumber's test with only the horizontal rules at about the height of its
    span (found by bisection among them sorted by height: a point of margin is far more than the rounding of
    the coordinates of a sane page), rather than with all of them."""
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in h_edges]
    intersections: dict[tuple[float, float], dict[str, list[dict]]] = {}
    for v in v_edges:
        start = bisect_left(tops, v["top"] - y_tolerance - 1)
        end = bisect_right(tops, v["bottom"] + y_tolerance + 1)
        for h in h_edges[start:end]:
            if (v["top"] <= h["top"] + y_tolerance and v["bottom"] >= h["top"] - y_tolerance
                    and h["x0"] - x_tolerance <= v["x0"] <= h["x1"] + x_tolerance):
                vertex = (v["x0"], h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def _cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells()``: the same cells in the same order.

    For each crossing of rules (sorted by x, then top), the smallest cell having it as its top-left corner:
    going down the crossings below it that share a vertical rule with it, the first with a crossing to its
    right sharing a horizontal rule with it, whose bottom-right crossing exists and shares a vertical rule
    with the one on the right and a horizontal rule with the one below. The crossings below one follow it
    in the sorted order and those to its right are looked up in its row, and each crossing's rules are
    made a set once, where pdfplumber scans all the later crossings for each one and rebuilds the sets of
    rules for every pair it compares (its ``edge_connects()``, which tests the vertical rules of two
    crossings with the same x and the horizontal ones of two at the same height: only the one that applies
    is tested here)."""
    from pdfplumber.utils import obj_to_bbox

    points = sorted(intersections)
    vertical = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    horizontal = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}
    rows: dict[float, list[tuple[float, float]]] = {}
    for p in points:
        rows.setdefault(p[1], []).append(p)  # each row's crossings by increasing x
    place = {p: i for row in rows.values() for i, p in enumerate(row)}
    column_end = [0] * len(points)  # the index of the first crossing further right than each one
    end = len(points)
    for i in range(len(points) - 1, -1, -1):
        if i + 1 < len(points) and points[i + 1][0] != points[i][0]:
            end = i + 1
        column_end[i] = end

    cells = []
    for i, pt in enumerate(points):
        down, across = vertical[pt], horizontal[pt]
        right = rows[pt[1]][place[pt] + 1:]
        for j in range(i + 1, column_end[i]):
            below = points[j]
            if down.isdisjoint(vertical[below]):
                continue
            cell = None
            for q in right:
                if across.isdisjoint(horizontal[q]):
                    continue
                corner = (q[0], below[1])
                if (corner in intersections and not vertical[corner].isdisjoint(vertical[q])
                        and not horizontal[corner].isdisjoint(horizontal[below])):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                cells.append(cell)
                break
    return cells


def _tables(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's ``cells_to_tables()``: the same tables in the same order.

    A table is the cells sharing a corner with one another, directly or through other cells; a lone cell is
    no table; tables are sorted by their topmost, then leftmost, cell. The groups are made by union-find
    over the corners, where pdfplumber sweeps the remaining cells again for each cell it adds. A table's
    cells are kept in the order found, not pdfplumber's (the order in which its sweeps reached them): no
    two cells share a top-left corner, so a table's rows, columns and bounding box come out the same."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            a, b = root(owner.setdefault(corner, i)), root(i)
            if a != b:
                parent[b] = a
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _extract(grid: list[list[tuple[float, float, float, float] | None]], chars: list[dict],
             centres: _Centres) -> list[list[str | None]]:
    """``table.extract()`` over the page's ``chars``, given the table's ``grid`` (the cells of its rows):
    the same rows of cell texts, None for a merged copy.

    A character belongs to every cell holding its centre (left and top edges included, right and bottom
    edges not), and a cell's text is that of pdfplumber's ``extract_text()`` of its characters in the
    page's order. The cells' edges cut the table into a grid of slots, each slot knowing the cells covering
    it: each character of the table then finds its slot by bisection."""
    xs = sorted({cell[i] for row in grid for cell in row if cell is not None for i in (0, 2)})
    ys = sorted({cell[i] for row in grid for cell in row if cell is not None for i in (1, 3)})
    covering: dict[tuple[int, int], list[list[dict]]] = {}
    found: list[list[list[dict] | None]] = []
    for row in grid:
        found.append([])
        for cell in row:
            if cell is None:
                found[-1].append(None)
                continue
            mine: list[dict] = []
            found[-1].append(mine)
            for i in range(bisect_left(xs, cell[0]), bisect_left(xs, cell[2])):
                for j in range(bisect_left(ys, cell[1]), bisect_left(ys, cell[3])):
                    covering.setdefault((i, j), []).append(mine)
    for n, x, y in centres.within((xs[0], ys[0], xs[-1], ys[-1]), closed=False):
        for mine in covering.get((bisect_right(xs, x) - 1, bisect_right(ys, y) - 1), ()):
            mine.append(chars[n])
    return [[None if mine is None else _text(mine) for mine in row] for row in found]


def _text(chars: list[dict]) -> str:
    """pdfplumber's ``extract_text(chars)`` with its default settings: the words (``extract_words()``) in
    lines of words whose tops are within the y tolerance of one another, joined by spaces and line breaks.
    It is that function's own code, less building a TextMap of every character and a WordExtractor for
    every call, which cost more than the words themselves in a table's small cells."""
    from pdfplumber.utils import DEFAULT_Y_TOLERANCE, cluster_objects

    if not chars:
        return ""
    lines = cluster_objects(_words().extract_words(chars), _top, DEFAULT_Y_TOLERANCE)
    return "\n".join(" ".join(word["text"] for word in line) for line in lines)


def _top(obj: dict) -> float:
    return obj["top"]


@cache
def _words():
    """pdfplumber's WordExtractor with its default settings (one for all: it keeps no state between calls)."""
    from pdfplumber.utils.text import WordExtractor

    return WordExtractor()


_NUMBER = re.compile(r"^[+\-]?\d[\d,.]*$")


def _tabular(text: str) -> bool:
    """A row of a table drawn without rules ("…申请数量 3001 53 0 0 61 4 3119"): never joined to the next line.
    Its mark: it ends in two numbers, or holds three numbers in a row."""
    words = text.split()
    numeric = [bool(_NUMBER.match(w)) for w in words]
    if len(words) >= 2 and numeric[-1] and numeric[-2]:
        return True
    run = 0
    for is_num in numeric:
        run = run + 1 if is_num else 0
        if run >= 3:
            return True
    return False


def _margins(pages: list[_Page]) -> tuple[float, float]:
    """The body text's left and right margins over the whole document, from the lines set in the body's font
    size (titles, footers and page numbers do not count)."""
    lines = [it[2] for p in pages for it in p.items if it[1] == 0 and len(it[2]["text"]) >= 4
             and not is_page_line(it[2]["text"])]
    if not lines:
        return 0.0, 0.0
    sizes = Counter(round(line["bottom"] - line["top"]) for line in lines)
    body = sizes.most_common(1)[0][0]
    lines = [line for line in lines if abs(round(line["bottom"] - line["top"]) - body) <= 1] or lines
    # Full lines end at the right margin, give or take a punctuation mark hanging past it: their median.
    far = max(line["x1"] for line in lines)
    full = sorted(line["x1"] for line in lines if line["x1"] >= far - 3 * body)
    return min(line["x0"] for line in lines), full[len(full) // 2]


def _paragraphs(items: list[_Item], left: float, right: float) -> list[str]:
    """Rejoin prose lines that the page's width wrapped, so a paragraph is one line as in a text report.

    A line continues the paragraph of the line above when that line runs to the right margin and this one
    starts at the left margin (a new paragraph is indented, a heading is indented or short, a page number is
    centred), they are one line-pitch apart and in the same font size. A centred line under a line that fills
    the width is a long title wrapped in two. Table rows are never joined, whether ruled (found as tables) or
    not (lines of numbers, see ``_tabular``)."""
    out: list[str] = []
    prev: dict | None = None
    for _, kind, item in items:
        if kind:
            out.extend(item)
            prev = None
            continue
        size = item["bottom"] - item["top"]
        if (prev is not None
                and not _tabular(prev["text"]) and not _tabular(item["text"])
                and abs((prev["bottom"] - prev["top"]) - size) < 0.2 * size
                and prev["x1"] >= right - 1.5 * size
                and 0 <= item["top"] - prev["bottom"] < 1.2 * size
                and (item["x0"] <= left + 0.5 * size  # the paragraph goes on at the left margin
                     or (prev["x0"] <= left + 1.5 * size  # a centred title wrapped by its length
                         and abs(item["x0"] + item["x1"] - prev["x0"] - prev["x1"]) < 2 * size))):
            out[-1] = join_lines((out[-1], item["text"]))
        else:
            out.append(item["text"])
        prev = item
    return out
