#!/usr/bin/env python
"""Render each seed text report of sample_reports/ into a PDF twin that looks like a published report.

    python scripts/make_sample_pdfs.py            # every seed → sample_reports/<seed stem>.pdf
    python scripts/make_sample_pdfs.py 003 004    # only seeds whose name starts with these

The values come from auditui's own reading of the seed (``parse``), so the twin must give exactly the seed's
findings (tests/test_load_pdf.py checks it). Each twin has what a report made with Word or WPS has: a centred
title, justified prose with a first-line indent, page numbers, and the three parts' tables as ruled tables
with the template's real header structure: merged header cells, long labels wrapped inside their cell, the
vertical label 三、本年度办理结果 one character per line, merged group labels, blank cells left blank. A table
that runs past the end of a page is cut there, the cut merged cells continuing on the next page as Word does.

A table whose rows the parser could not fit to the template (a mangled TSV: rows with too many or too few
numbers) cannot be drawn with the template's structure without changing what it says. Such a table is drawn
as it was read instead: each line of the seed is one ruled row holding exactly that line's fields, so the
twin keeps the seed's fields (and its findings); it looks like the broken table it is.

Uses reportlab's built-in STSong-Light CID font: no font file is needed (viewers substitute a Song face).
The output is deterministic (``invariant=1``), so re-running the script gives byte-identical files.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: E402

from auditui.core.load import load  # noqa: E402
from auditui.core.model import Report, Source  # noqa: E402
from auditui.core.parse import find_sections, make_view, parse  # noqa: E402
from auditui.core.template import BY_ID  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 72.0, 80.0
TEXT_W = PAGE_W - 2 * MARGIN_X

BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, firstLineIndent=24, alignment=TA_JUSTIFY,
                      wordWrap="CJK")
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0, alignment=TA_LEFT)
HEADING = ParagraphStyle("heading", parent=BODY, fontSize=12.5, spaceBefore=4, spaceAfter=2, alignment=TA_LEFT)
TITLE = ParagraphStyle("title", parent=BODY, fontSize=18, leading=30, firstLineIndent=0, alignment=TA_CENTER)
CLOSING = ParagraphStyle("closing", parent=BODY, firstLineIndent=0, alignment=TA_RIGHT, rightIndent=24)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11, alignment=TA_LEFT, wordWrap="CJK")
CELL_C = ParagraphStyle("cell_c", parent=CELL, alignment=TA_CENTER)
CELL_NOTE = ParagraphStyle("cell_note", parent=CELL, fontSize=8, leading=10.5)

STYLES = {"label": CELL, "head": CELL_C, "value": CELL_C, "vertical": CELL_C, "note": CELL_NOTE}


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------------------------- ruled grids
@dataclass
class Grid:
    """A ruled table: ``cells[(row, col)] = (text, kind)``; ``spans`` are (c0, r0, c1, r1), inclusive."""

    widths: list[float]
    nrows: int = 0
    cells: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: int = 0

    def put(self, r: int, c: int, text: str, kind: str, rows: int = 1, cols: int = 1) -> None:
        self.cells[(r, c)] = (text, kind)
        if rows > 1 or cols > 1:
            self.spans.append((c, r, c + cols - 1, r + rows - 1))
        self.nrows = max(self.nrows, r + rows)


class GridTable(Table):
    """A platypus Table that can be cut inside merged cells at a page end, as Word cuts a table.

    platypus will not split a table inside a row span; this one splits at the last whole row that fits and
    continues each cut merged cell on the next page, its text shared between the two parts by height."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        data = [["" for _ in grid.widths] for _ in range(grid.nrows)]
        for (r, c), (text, kind) in grid.cells.items():
            data[r][c] = Paragraph(_xml(text), STYLES[kind]) if text else ""
        cmds = [
            ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        cmds += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in grid.spans]
        super().__init__(data, colWidths=grid.widths, style=TableStyle(cmds), hAlign="CENTER")

    def split(self, availWidth, availHeight):  # platypus names
        self.wrap(availWidth, availHeight)
        heights = self._rowHeights
        used, n = 0.0, 0
        while n < len(heights) and used + heights[n] <= availHeight:
            used += heights[n]
            n += 1
        if n >= len(heights):
            return [self]
        if n <= self.grid.header_rows + 1:
            return []  # do not leave a header alone at a page end: the whole table goes to the next page
        top, bottom = Grid(self.grid.widths), Grid(self.grid.widths)
        top.header_rows = self.grid.header_rows
        spanned = {}
        for c0, r0, c1, r1 in self.grid.spans:
            spanned[(r0, c0)] = (c1, r1)
        for (r, c), (text, kind) in self.grid.cells.items():
            c1, r1 = spanned.get((r, c), (c, r))
            if r1 < n:
                top.put(r, c, text, kind, r1 - r + 1, c1 - c + 1)
            elif r >= n:
                bottom.put(r - n, c, text, kind, r1 - r + 1, c1 - c + 1)
            else:  # a merged cell cut by the page end
                above = sum(heights[r:n])
                total = above + sum(heights[n : r1 + 1])
                head, tail = _share(text, kind, above / total)
                top.put(r, c, head, kind, n - r, c1 - c + 1)
                bottom.put(0, c, tail, kind, r1 - n + 1, c1 - c + 1)
        top.nrows, bottom.nrows = n, len(heights) - n
        return [GridTable(top), GridTable(bottom)]


def _share(text: str, kind: str, fraction: float) -> tuple[str, str]:
    """The text of a merged cell cut by a page end: a centred label shows on the side where it stands."""
    if kind == "vertical" or len(text) < 4:
        return (text, "") if fraction >= 0.5 else ("", text)
    k = round(len(text) * fraction)
    k = min(max(k, 0), len(text))
    return text[:k], text[k:]


# --------------------------------------------------------------------------------------------- the parts
def _raw(report: Report, table: str, row: str) -> list[str]:
    return [c.raw.strip() if c.status != "missing" else "" for c in report.tables[table].row(row).cells]


def part2_grid(report: Report) -> Grid:
    template = report.template
    w = [TEXT_W * 0.34] + [TEXT_W * 0.22] * 3
    g = Grid(w)
    r = 0
    if template == "2019":
        sections = [
            ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "规范性文件"]),
            ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "其他对外管理服务事项"]),
            ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"]),
            ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
            ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"]),
        ]
    else:
        sections = [
            ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "规范性文件"]),
            ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
            ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
        ]
    tdef = BY_ID[template].tables["二"]
    labels = {rd.id: rd.label for rd in tdef.rows}
    for title, heads, rows in sections:
        g.put(r, 0, title, "label", cols=4)
        r += 1
        g.put(r, 0, "信息内容", "head")
        for k, h in enumerate(heads):
            g.put(r, 1 + k, h, "head", cols=(4 - len(heads) if k == len(heads) - 1 else 1))
        r += 1
        for rid in rows:
            g.put(r, 0, labels[rid], "label")
            for k, v in enumerate(_raw(report, "二", rid)):
                g.put(r, 1 + k, v, "value", cols=(4 - len(heads) if k == len(heads) - 1 else 1))
            r += 1
    return g


def part3_grid(report: Report) -> Grid:
    tdef = BY_ID[report.template].tables["三"]
    value_w = 34.0
    w = [20.0, 60.0, TEXT_W - 80.0 - 7 * value_w] + [value_w] * 7
    g = Grid(w)
    g.put(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "note", rows=3, cols=3)
    g.put(0, 3, "申请人情况", "head", cols=7)
    g.put(1, 3, "自然人", "head", rows=2)
    g.put(1, 4, "法人或其他组织", "head", cols=5)
    g.put(1, 9, "总计", "head", rows=2)
    for k, h in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        g.put(2, 4 + k, h, "head")
    g.header_rows = 3
    rows = list(tdef.rows)
    r = 3
    for i, rd in enumerate(rows):
        depth = rd.id.count(".")  # 一 / 三.一 / 三.三.1
        children = [x for x in rows[i + 1 :] if x.id.startswith(rd.id + ".")]
        if rd.kind == "group":
            if rd.id == "三":
                g.put(r, 0, rd.label, "vertical", rows=len([x for x in children if x.kind == "value"]))
            else:
                g.put(r, 1, rd.label, "label", rows=len(children))
            continue
        if depth == 0:
            g.put(r, 0, rd.label, "label", cols=3)
        elif depth == 1:
            g.put(r, 1, rd.label, "label", cols=2)
        else:
            g.put(r, 2, rd.label, "label")
        for k, v in enumerate(_raw(report, "三", rd.id)):
            g.put(r, 3 + k, v, "value")
        r += 1
    return g


def part4_grid(report: Report) -> Grid:
    g = Grid([TEXT_W / 15] * 15)
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    g.put(0, 0, "行政复议", "head", cols=5)
    g.put(0, 5, "行政诉讼", "head", cols=10)
    for k, h in enumerate(results):
        g.put(1, k, h, "head", rows=2)
    g.put(1, 5, "未经复议直接起诉", "head", cols=5)
    g.put(1, 10, "复议后起诉", "head", cols=5)
    for k, h in enumerate(results * 2):
        g.put(2, 5 + k, h, "head")
    g.header_rows = 3
    values = [v for rid in ("行政复议", "未经复议直接起诉", "复议后起诉") for v in _raw(report, "四", rid)]
    for k, v in enumerate(values):
        g.put(3, k, v, "value")
    return g


def as_read(source: Source, lo: int, hi: int) -> list:
    """A table the parser could not fit, drawn as it was read: one ruled row per line, that line's fields."""
    out: list = []
    for line in source.lines[lo:hi]:
        if not line.strip():
            continue
        fields = [f.strip() for f in (line.split("\t") if "\t" in line else _pipes(line))]
        if len(fields) < 2:
            out.append(Paragraph(_xml(line.strip()), PLAIN))
            continue
        widths = _widths(fields)
        g = Grid(widths)
        for c, f in enumerate(fields):
            g.put(0, c, f, "value" if re.fullmatch(r"[\d\s.,-]*", f) else "label")
        out.append(GridTable(g))
        out.append(Spacer(1, 6))  # apart, so that each row stays its own ruled strip
    return out


def _pipes(line: str) -> list[str]:
    s = line.strip()
    if not s.startswith("|") or set(s) <= set("|-: "):
        return [s]
    return s.strip("|").split("|")


def _widths(fields: list[str]) -> list[float]:
    weights = [max(1.0, min(len(f), 14)) if not re.fullmatch(r"[\d\s.,-]*", f) else 1.0 for f in fields]
    scale = TEXT_W / sum(weights)
    return [w * scale for w in weights]


def fits_template(report: Report, table: str) -> bool:
    t = report.tables.get(table)
    if t is None or not t.found:
        return False
    return all(r.found and r.shape is None and all(c.note != "split" for c in r.cells) for r in t.rows)


# --------------------------------------------------------------------------------------------- the report
_MARKUP = re.compile(r"^[#>\s]+|\*\*")
_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_TITLE_LINE = re.compile(r"\d{4}\s*年.*(?:报告|年报)")


def story(source: Source, report: Report) -> list:
    lines = source.lines
    sections = find_sections(make_view(tuple(lines)))
    regions = {lo: (part, hi) for part, (lo, hi) in sections.ranges.items() if part in report.tables}
    heading_lines = set(sections.headings.values())
    builders = {"二": part2_grid, "三": part3_grid, "四": part4_grid}

    clean = [_MARKUP.sub("", ln).strip() for ln in lines]
    nonempty = [i for i, s in enumerate(clean) if s]
    title_end = next((i for i in nonempty[:4] if _TITLE_LINE.search(clean[i])), None)
    closing: set[int] = set()
    for i in reversed(nonempty):
        if _DATE.match(clean[i]) or (report.body and clean[i] == report.body and i > len(lines) // 2):
            closing.add(i)
        else:
            break

    out: list = []
    i = 0
    while i < len(lines):
        if i in regions:
            part, hi = regions[i]
            if fits_template(report, part):
                out += [Spacer(1, 4), GridTable(builders[part](report)), Spacer(1, 8)]
            else:
                out += as_read(source, i, hi)
            i = hi
            continue
        text = clean[i]
        if text:
            if title_end is not None and i <= title_end:
                out.append(Paragraph(_xml(text), TITLE))
                if i == title_end:
                    out.append(Spacer(1, 10))
            elif i in closing:
                out.append(Paragraph(_xml(text), CLOSING))
            elif i in heading_lines or (_HEADING.match(text) and len(text) <= 30):
                out.append(Paragraph(_xml(text), HEADING))
            else:
                out.append(Paragraph(_xml(text), BODY))
        i += 1
    return out


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 10.5)
    canvas.drawCentredString(PAGE_W / 2, MARGIN_BOTTOM / 2, f"- {doc.page} -")
    canvas.restoreState()


def make_pdf(seed: Path, out: Path) -> Path:
    source = load(seed)
    report = parse(source)
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{report.body}{report.year or ''}年政府信息公开工作年度报告",
        author=report.body, creator="auditui scripts/make_sample_pdfs.py", invariant=1,
    )
    doc.build(story(source, report), onFirstPage=_page_number, onLaterPages=_page_number)
    return out


def seeds(folder: Path, prefixes: list[str]) -> list[Path]:
    found = sorted(p for p in folder.glob("[0-9][0-9][0-9]_*.txt"))
    return [p for p in found if not prefixes or any(p.name.startswith(x) for x in prefixes)]


def main(argv: list[str]) -> int:
    folder = ROOT / "sample_reports"
    for seed in seeds(folder, argv):
        out = make_pdf(seed, seed.with_suffix(".pdf"))
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
