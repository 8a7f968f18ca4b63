"""Web pages saved from a government site (.html/.htm, often Word-generated markup) → Source.

The page is parsed with a real HTML parser (BeautifulSoup over lxml). The shown text is the page's text, one
line per block (paragraph, heading, list item, <br>), with whitespace collapsed as a browser does. Every data
table is rendered one row per line, its cells separated by tabs; rowspan/colspan are expanded into a grid
whose spanned copies are empty fields. A table that holds other tables (page layout) or has a single column
is not a data table: its cells are rendered as blocks of text.

The charset is taken from a byte-order mark, the ``<meta>`` tag (or XML declaration), else detected.
"""

from __future__ import annotations

import codecs
import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning  # this module is imported only when a page is opened
from bs4.element import NavigableString, PageElement, Tag

from ..model import LoadError, Source
from .report_tables import has_report_tables, no_tables
from .tables import expand_spans, join_lines, tsv_lines
from .text import clean_text, decode

# An XHTML page (or one that opens with an XML declaration) is an ordinary report page: lxml's HTML parser
# reads it as it should, and bs4's warning that it "looks like XML" would only reach the auditor's terminal.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

NO_TABLES = no_tables("HTML page")

_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XMLDECL = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# What sites declare vs what they mean: GB2312/GBK pages routinely hold GBK-only or GB18030 characters.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "csgb2312": "gb18030", "cp936": "gb18030", "ms936": "gb18030", "windows-936": "gb18030",
            "unicode": "utf-8", "utf8": "utf-8", "iso-8859-1": "cp1252", "latin1": "cp1252",
            "us-ascii": "utf-8", "ascii": "utf-8"}


def _declared(data: bytes) -> str | None:
    head = data[:8192]
    m = _META.search(head) or _XMLDECL.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(path: str, data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding): a BOM wins, then the declared charset if the bytes agree, else detection."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(path, data)
    declared = _declared(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the page lies about its charset: detect it instead
    return decode(path, data)


# ------------------------------------------------------------------------------------------------ render
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
                   "svg", "canvas", "select", "button", "map", "audio", "video", "xml"})
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                    "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre",
                    "address", "figure", "figcaption", "form", "fieldset", "legend", "hr", "center",
                    "caption", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "body", "html",
                    "details", "summary", "menu", "dir", "frameset", "frame"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"[ \t\n\r\f\u00a0]+")
_BREAK = re.compile(r"[ \t\r\f\u00a0]*\n[ \t\n\r\f\u00a0]*")
_CJKISH = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]")


def _segment_break(m: re.Match[str], s: str) -> str:
    """A line break in the markup between two Chinese characters vanishes (CSS Text 3); elsewhere a space."""
    a = s[m.start() - 1] if m.start() else ""
    b = s[m.end()] if m.end() < len(s) else ""
    return "" if a and b and _CJKISH.match(a) and _CJKISH.match(b) else " "


def _collapse(s: str) -> str:
    if "\n" in s:
        s = _BREAK.sub(lambda m: _segment_break(m, s), s)
    return _SPACE.sub(" ", s)


class _Renderer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        if self.inline:
            line = _collapse("".join(self.inline)).strip()
            self.inline = []
            if line:
                self.lines.append(line)

    def visit(self, node: PageElement, pre: bool = False) -> None:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a Comment, Doctype, CData, processing instruction
                text = str(node)
                if pre:
                    parts = text.split("\n")
                    for i, part in enumerate(parts):
                        if i:
                            self.flush_pre()
                        self.inline.append(part)
                else:
                    self.inline.append(text)
            return
        if not isinstance(node, Tag):
            return
        name = (node.name or "").lower()
        if name in _SKIP or node.has_attr("hidden") or _HIDDEN.search(str(node.get("style") or "")):
            return
        if name == "br":
            if pre:
                self.flush_pre()
            else:
                self.flush()
            return
        if name == "table" and _is_data_table(node):
            self.flush()
            rendered = tsv_lines(_table_grid(node))
            if rendered:
                self.tables += 1
                self.lines.extend(rendered)
            return
        block = name in _BLOCK
        if block:
            self.flush()
        for child in node.children:
            self.visit(child, pre or name == "pre")
        if block:
            self.flush()

    def flush_pre(self) -> None:
        line = "".join(self.inline).replace("\u00a0", " ").rstrip()
        self.inline = []
        if line.strip():
            self.lines.append(line)


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows (not those of a nested table), in document order."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _is_data_table(table: Tag) -> bool:
    if table.find("table") is not None:
        return False  # page layout: a table holding tables
    widths = [sum(_span(td, "colspan") for td in tr.find_all(["td", "th"], recursive=False)) for tr in _rows(table)]
    return bool(widths) and max(widths) >= 2


def _span(td: Tag, attr: str) -> int:
    m = re.match(r"\s*(\d+)", str(td.get(attr) or ""))
    return int(m.group(1)) if m else 1


def _cell_text(td: Tag) -> str:
    r = _Renderer()
    for child in td.children:
        r.visit(child)
    r.flush()
    return join_lines(r.lines)


def _table_grid(table: Tag) -> list[list[str | None]]:
    rows = []
    trs = [tr for tr in _rows(table) if not _HIDDEN.search(str(tr.get("style") or ""))]
    for i, tr in enumerate(trs):
        cells = []
        for td in tr.find_all(["td", "th"], recursive=False):
            if _HIDDEN.search(str(td.get("style") or "")):
                continue
            rowspan = _span(td, "rowspan")
            if rowspan == 0:  # rowspan="0": to the end of the table
                rowspan = len(trs) - i
            cells.append((_cell_text(td), rowspan, max(1, _span(td, "colspan"))))
        rows.append(cells)
    return expand_spans(rows)


def load_html(path: str, data: bytes, digest: str) -> Source:
    text, encoding = decode_html(path, data)
    soup = BeautifulSoup(text, "lxml")
    r = _Renderer()
    r.visit(soup.body if soup.body is not None else soup)
    r.flush()
    shown = clean_text("\n".join(r.lines))
    if not shown.strip():
        raise LoadError(path, "no text in the HTML page")
    if not has_report_tables(shown):  # (a list of attachments, a notice: told now, before its text is shipped)
        raise LoadError(path, NO_TABLES)
    return Source(path=path, text=shown, encoding=encoding, format="html", sha256=digest)
