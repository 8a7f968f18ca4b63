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

import contextlib
import io
import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from ..model import LoadError, Source
from ..text import CJK, is_page_line, page_mark
from .sandbox import allocation_failed
from .tables import cell_text, join_lines, tsv_lines
from .text import clean_text

if TYPE_CHECKING:
    from pdfplumber.page import Page

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


@cache
def prepare() -> None:
    """Import what reading a PDF needs, once in this process: the loader runs in a forked child (see
    .sandbox), which starts with what its parent has. That includes pdfminer's character maps of the Chinese
    CID fonts (Song and its kin, used without embedding by many PDF makers), which it reads from disk on
    first use and keeps: some 40 ms that each child would otherwise spend again."""
    import pdfplumber
    import pdfplumber.table
    import pdfplumber.utils.text  # noqa: F401
    from pdfminer.cmapdb import CMapDB

    with contextlib.suppress(Exception):  # a pdfminer without them reads the file all the same
        CMapDB.get_cmap("UniGB-UCS2-H")
        CMapDB.get_unicode_map("Adobe-GB1")


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
            for pdf_page in pdf.pages:
                pages.append(_page_lines(pdf_page))
                pdf_page.close()  # drop the page's parsed objects: they would otherwise stay until the end
    except LoadError:
        raise
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            EOFError, OSError, RecursionError, ZeroDivisionError) as e:
        if allocation_failed(e):  # a stream that inflates past the memory allowed (see .sandbox)
            raise MemoryError from None
        raise LoadError(path, _reason(e)) from None
    except Exception as e:  # pdfplumber's own wrappers
        if type(e).__name__ in ("PdfminerException", "MalformedPDFException"):
            if allocation_failed(e):
                raise MemoryError from None
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
        lines.extend(line.replace("\r", " ").replace("\n", " ")  # keep pages' lines
                     for line in _paragraphs(page.items, left, right))
    text = clean_text("\n".join(lines))
    return Source(path=path, text=text, encoding="", format="pdf", sha256=digest, pages=tuple(starts))


_Obj = dict[str, Any]
"""A character or a text line as pdfplumber gives them (``text``, ``x0``, ``x1``, ``top``, ``bottom``...)."""

_Item = tuple[float, Literal[0], _Obj] | tuple[float, Literal[1], list[str]]
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

    def __init__(self, chars: list[_Obj]) -> None:
        entries = []
        for i, c in enumerate(chars):
            y = (c["top"] + c["bottom"]) / 2
            if y == y:  # not NaN: such a character is in no box, and would spoil the sorting
                entries.append((y, (c["x0"] + c["x1"]) / 2, i))
        entries.sort()
        self.entries = entries
        self.ys = [e[0] for e in entries]

    def within(self, bbox: tuple[float, float, float, float]) -> list[tuple[int, float, float]]:
        """``(index, x, y)`` of the characters centred in ``bbox`` (its edges included), in the page's order."""
        x0, top, x1, bottom = bbox
        ys = self.ys
        found = [(i, x, y) for y, x, i in self.entries[bisect_left(ys, top):bisect_right(ys, bottom)]
                 if x0 <= x <= x1]
        found.sort()
        return found


def _has_duplicates(chars: list[_Obj]) -> bool:
    """Whether some character is drawn twice at (almost) the same place: "fake bold" of PDF makers whose font
    has no bold face, which would read as 一一、、总总体体."""
    seen = set()
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            return True
        seen.add(key)
    return False


def _page_lines(page: Page) -> _Page:
    from pdfplumber.utils.text import chars_to_textmap

    if _has_duplicates(page.chars):
        page = page.dedupe_chars(tolerance=1.5)
    chars = page.chars
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    letters = sum(1 for c in chars if len(c["text"]) == 1 and (c["text"].isalpha() or CJK.match(c["text"])))
    if not chars:
        return _Page([], 0, 0, len(page.images))

    items: list[_Item] = []
    boxes = []
    try:
        tables = page.find_tables()
    except (ValueError, ZeroDivisionError, IndexError, KeyError, TypeError):
        tables = []  # pdfplumber could not make sense of the page's rules: its text is still read, as prose
    for table in tables:
        rows = table.extract()  # a merged cell's further slots are None
        if max((sum(1 for c in row if c is not None) for row in rows), default=0) < 2:
            continue  # a box drawn around prose, not a table
        boxes.append(table.bbox)
        items.append((table.bbox[1], 1, tsv_lines(rows)))
    # The prose is the page's text lines (page.extract_text_lines()) over the characters outside the tables,
    # with the page's layout settings as pdfplumber's page.filter(...) would pass them; the characters inside
    # a table's box are found by bisection among them sorted by height, not by testing each against each box.
    if boxes:
        centres = _Centres(chars)
        inside = {i for box in boxes for i, _, _ in centres.within(box)}
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
    prev: _Obj | None = None
    for it in items:
        if it[1]:
            out.extend(it[2])
            prev = None
            continue
        item = it[2]
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
