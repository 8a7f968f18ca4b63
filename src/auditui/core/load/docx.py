"""Word files (.docx) → Source, with python-docx (imported only here).

The body is read in document order, paragraphs and tables interleaved (content controls are looked into).
A table is rendered one row per line, its cells separated by tabs. A merged cell is written once, at its
top-left grid position: the further columns of a horizontal merge (``gridSpan``) and the further rows of a
vertical merge (``vMerge``) are empty fields, as are the grid positions a row skips (``gridBefore/After``).
The paragraphs inside a cell are joined (no space between Chinese characters). A one-column table (a box
drawn around text) is rendered as paragraphs. Word has no fixed pages: ``Source.pages`` stays empty.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model import LoadError, Source
from .tables import join_lines, tsv_lines
from .text import clean_text

if TYPE_CHECKING:
    from docx.oxml.table import CT_Row, CT_Tc
    from docx.oxml.text.paragraph import CT_P
    from docx.oxml.xmlchemy import BaseOxmlElement

NOT_DOCX = "not a Word .docx file"
MAX_UNPACKED = 256 * 1024 * 1024
"""A .docx whose parts unpack to more is refused before python-docx reads it (it holds every part in memory;
a crafted ZIP can unpack a thousand times its size)."""


def _sniff_reason(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return f"{NOT_DOCX}: it is an old Word .doc (or an encrypted .docx); save it as .docx or PDF"
    if data.startswith(b"%PDF-"):
        return f"{NOT_DOCX}: it is a PDF; rename it to .pdf"
    if data.lstrip()[:1] == b"<":
        return f"{NOT_DOCX}: it looks like a web page or XML; rename it to .html"
    return f"{NOT_DOCX} (not a ZIP package)"


def prepare() -> None:
    """Import what reading a Word file needs (the loader runs in a forked child: see .sandbox)."""
    import docx
    import docx.opc.exceptions
    import docx.oxml.ns
    import docx.text.paragraph  # noqa: F401


def load_docx(path: str, data: bytes, digest: str) -> Source:
    if not data.startswith(b"PK"):
        raise LoadError(path, _sniff_reason(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            unpacked = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile:
        raise LoadError(path, f"{NOT_DOCX}: a truncated or damaged ZIP package") from None
    if "word/document.xml" not in names:
        raise LoadError(path, f"{NOT_DOCX}: a ZIP package without word/document.xml")
    if unpacked > MAX_UNPACKED:
        raise LoadError(path, f"the Word file unpacks to {unpacked / 1048576:,.0f} MB; auditui reads Word files "
                              f"that unpack to up to {MAX_UNPACKED // 1048576} MB")

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as e:
        raise LoadError(path, f"{NOT_DOCX}: {e}") from None
    lines: list[str] = []
    _render_children(document.element.body, lines)
    text = clean_text("\n".join(lines))
    if not text.strip():
        raise LoadError(path, "no text in the Word file")
    return Source(path=path, text=text, encoding="utf-8", format="docx", sha256=digest)


def _render_children(parent: BaseOxmlElement, lines: list[str]) -> None:
    from docx.oxml.ns import qn

    P, TBL, SDT, SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
    for child in parent.iterchildren():
        if child.tag == P:
            text = _para_text(child)
            for line in text.split("\n"):
                if line.strip():
                    lines.append(line.strip(" \u00a0"))
        elif child.tag == TBL:
            _render_table(child, lines)
        elif child.tag == SDT:
            for content in child.iterchildren(SDT_CONTENT):
                _render_children(content, lines)


def _para_text(p: CT_P) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text  # type: ignore[arg-type]  # (its text needs no parent part)


def _tc_text(tc: CT_Tc) -> str:
    """Every paragraph in the cell (nested tables included), joined into one line."""
    from docx.oxml.ns import qn

    return join_lines(line for p in tc.iter(qn("w:p")) for line in _para_text(p).split("\n"))


def _render_table(tbl: BaseOxmlElement, lines: list[str]) -> None:
    from docx.oxml.ns import qn

    TR, TC, SDT, SDT_CONTENT = qn("w:tr"), qn("w:tc"), qn("w:sdt"), qn("w:sdtContent")

    def cells_of(tr: CT_Row) -> Iterator[CT_Tc]:
        for child in tr.iterchildren():
            if child.tag == TC:
                yield child
            elif child.tag == SDT:  # a content control around cells
                for content in child.iterchildren(SDT_CONTENT):
                    yield from (c for c in content.iterchildren(TC))

    def rows_of(parent: BaseOxmlElement) -> Iterator[CT_Row]:
        for child in parent.iterchildren():
            if child.tag == TR:
                yield child
            elif child.tag == SDT:
                for content in child.iterchildren(SDT_CONTENT):
                    yield from rows_of(content)

    tcs: list[list[CT_Tc | None]] = []  # each row: the w:tc element at its first grid position, None elsewhere
    for tr in rows_of(tbl):
        row: list[CT_Tc | None] = [None] * (tr.grid_before or 0)
        for tc in cells_of(tr):
            span = max(1, tc.grid_span or 1)
            row.append(None if tc.vMerge == "continue" else tc)
            row.extend([None] * (span - 1))
        row.extend([None] * (tr.grid_after or 0))
        tcs.append(row)
    width = max((len(r) for r in tcs), default=0)
    if max((sum(1 for c in r if c is not None) for r in tcs), default=0) < 2:
        for r in tcs:  # a box drawn around text (one column): its paragraphs are prose
            for cell in r:
                if cell is not None:
                    _render_children(cell, lines)
        return
    grid = [[None if tc is None else _tc_text(tc) for tc in r] + [None] * (width - len(r)) for r in tcs]
    lines.extend(tsv_lines(grid))
