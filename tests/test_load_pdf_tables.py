"""The PDF loader's own table finding and cell reading (auditui.core.load.pdf) against pdfplumber's.

The loader does what ``page.find_tables()`` and ``Table.extract()`` do without their quadratic steps; these
tests hold it to giving exactly what pdfplumber's functions give, on the sample PDFs, on random PDFs with
ruled tables (merged cells, rules missing or cut short, rotated text, fake bold, a box around prose) and on
random sets of rules. A pdfplumber upgrade that changes its table finding shows here first.
"""

from __future__ import annotations

import io
import random

import pytest
from conftest import SAMPLES

pdfplumber = pytest.importorskip("pdfplumber")

from auditui.core.load import pdf as loader  # noqa: E402
from auditui.core.load.tables import cell_text, tsv_lines  # noqa: E402


def _reference_page(page) -> tuple[list, int, int, int]:
    """What the loader reads off a page, through pdfplumber's public API only (the loader's first version):
    the items (tables' TSV lines and prose lines, in vertical order) and the counts of letters, (cid:N)
    glyphs and images."""
    if loader._has_duplicates(page.chars):
        page = page.dedupe_chars(tolerance=1.5)
    chars = page.chars
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    letters = sum(1 for c in chars if len(c["text"]) == 1
                  and (c["text"].isalpha() or loader.CJK.match(c["text"])))
    if not chars:
        return [], 0, 0, len(page.images)
    items, boxes = [], []
    for table in page.find_tables():
        rows = table.extract()
        if max((sum(1 for c in row if c is not None) for row in rows), default=0) < 2:
            continue
        boxes.append(table.bbox)
        items.append((table.bbox[1], 1, tsv_lines(rows)))

    def outside(o: dict) -> bool:
        x, y = (o["x0"] + o["x1"]) / 2, (o["top"] + o["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    prose = page.filter(lambda o: o.get("object_type") != "char" or outside(o)) if boxes else page
    for line in prose.extract_text_lines(return_chars=False):
        text = cell_text(line["text"]) if "\t" in line["text"] else line["text"].strip()
        if text:
            line["text"] = text
            items.append((line["top"], 0, line))
    items.sort(key=lambda it: (it[0], it[1]))
    return items, letters, cid, len(page.images)


def _check_page(page) -> int:
    """The loader's tables, cell texts and page items are pdfplumber's; the number of tables compared."""
    chars = page.chars
    theirs, ours = page.find_tables(), loader._find_tables(page)
    assert [sorted(t.cells) for t in ours] == [sorted(t.cells) for t in theirs]
    centres = loader._Centres(chars)
    for mine, their in zip(ours, theirs, strict=True):
        grid = [row.cells for row in mine.rows]
        assert grid == [row.cells for row in their.rows] and mine.bbox == their.bbox
        assert loader._extract(grid, chars, centres) == their.extract()
    got = loader._page_lines(page)
    assert (got.items, got.letters, got.cid, got.images) == _reference_page(page)
    return len(theirs)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.pdf")), ids=lambda p: p.stem[:12])
def test_sample_pdfs_tables_and_text_are_pdfplumbers(path):
    with pdfplumber.open(path) as pdf:
        assert sum(_check_page(page) for page in pdf.pages) >= 2


_WORDS = ("申请", "总计", "0", "12", "3001", "Total amount", "行政 处罚", "（一）予以公开", "ﬁle", " ",
          "第二十条第（一）项")


def _random_pdf(rnd: random.Random) -> bytes:
    """A page of prose and ruled tables drawn the ways PDF makers draw them, and some ways they should not."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=(595, 842))
    cv.setFont("STSong-Light", 10)
    y = 800.0
    for _ in range(rnd.randint(0, 3)):
        cv.drawString(rnd.uniform(40, 100), y, rnd.choice(_WORDS) * rnd.randint(1, 6))
        y -= 14
    for _ in range(rnd.randint(1, 3)):
        widths = [rnd.choice((25, 40, 60, 80)) for _ in range(rnd.randint(1, 6))]
        heights = [rnd.choice((14, 18, 30)) for _ in range(rnd.randint(1, 7))]
        xs, ys = [rnd.uniform(30, 80)], [y - 10]
        for w in widths:
            xs.append(xs[-1] + w)
        for h in heights:
            ys.append(ys[-1] - h)
        if ys[-1] < 40:
            break
        cv.setLineWidth(rnd.choice((0.5, 1, 2)))
        for yy in ys:  # horizontal rules, some missing or starting late (merged cells)
            if rnd.random() < 0.9:
                start = 0 if rnd.random() < 0.85 else rnd.randrange(len(xs))
                cv.line(xs[start] + rnd.choice((0, 0, 1.5, -2)), yy, xs[-1], yy)
        per_row = rnd.random() < 0.3
        for i, xx in enumerate(xs):  # vertical rules, whole or row by row with some missing
            if per_row:
                for r in range(len(heights)):
                    if rnd.random() < 0.85 or i in (0, len(widths)):
                        cv.line(xx, ys[r], xx, ys[r + 1])
            elif rnd.random() < 0.95:
                cv.line(xx, ys[0], xx, ys[-1])
        if rnd.random() < 0.3:
            cv.rect(xs[0] + 3, ys[-1] + 3, 30, 20)  # a box inside the table
        for r in range(len(heights)):
            for c in range(len(widths)):
                if rnd.random() < 0.2:
                    continue
                text = rnd.choice(_WORDS)
                fx, fy = xs[c] + rnd.choice((2, 5, -3, 20)), ys[r] - rnd.choice((11, 8, 13, 20, 2))
                if rnd.random() < 0.1:  # rotated
                    cv.saveState()
                    cv.translate(fx, fy)
                    cv.rotate(90)
                    cv.drawString(0, 0, text)
                    cv.restoreState()
                    continue
                cv.drawString(fx, fy, text)
                if rnd.random() < 0.05:
                    cv.drawString(fx + 0.3, fy, text)  # fake bold
                if rnd.random() < 0.2:
                    cv.drawString(xs[c] + 2, fy - 10, rnd.choice(_WORDS))  # a second line in the cell
        y = ys[-1] - 20
        if rnd.random() < 0.3:  # a box around a paragraph
            cv.rect(40, y - 20, 400, 30)
            cv.drawString(45, y - 10, "本报告所列数据统计期限自2024年1月1日起至2024年12月31日止。")
            y -= 40
    cv.showPage()
    cv.save()
    return buf.getvalue()


def test_random_ruled_pdfs_tables_and_text_are_pdfplumbers():
    rnd = random.Random(2024)
    tables = 0
    for _ in range(25):
        with pdfplumber.open(io.BytesIO(_random_pdf(rnd))) as pdf:
            tables += sum(_check_page(page) for page in pdf.pages)
    assert tables >= 25


def _random_rules(rnd: random.Random) -> list[dict]:
    """Rules on a coarse lattice, so that many meet, end, cross or overlap at the same places."""
    step = rnd.choice((0.5, 1, 5, 10))
    edges = []
    for _ in range(rnd.randint(0, 40)):
        if rnd.random() < 0.5:
            x, top = rnd.randint(0, 20) * step, rnd.randint(0, 20) * step
            bottom = top + rnd.randint(0, 10) * step
            edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top,
                          "orientation": "v", "object_type": "line"})
        else:
            top = rnd.randint(0, 20) * step + rnd.choice((0, 0, 0.3, -0.7))
            x0 = rnd.randint(0, 20) * step
            x1 = x0 + rnd.randint(0, 10) * step
            edges.append({"x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0,
                          "orientation": "h", "object_type": "line"})
    return edges


def test_table_steps_are_pdfplumbers_on_random_rules():
    from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells

    rnd = random.Random(7)
    for _ in range(3000):
        edges = _random_rules(rnd)
        tolerance = rnd.choice((0, 1, 3))
        theirs = edges_to_intersections(edges, tolerance, tolerance)
        ours = loader._intersections(edges, tolerance, tolerance)
        assert list(ours) == list(theirs)
        for point, rules in theirs.items():  # the very same rule objects, in the same order
            assert [list(map(id, ours[point][k])) for k in "vh"] == [list(map(id, rules[k])) for k in "vh"]
        cells = intersections_to_cells(theirs)
        assert loader._cells(theirs) == cells
        tables, mine = cells_to_tables(cells), loader._tables(cells)
        assert [sorted(t) for t in mine] == [sorted(t) for t in tables]
        assert [[r.cells for r in Table(None, t).rows] for t in mine] == \
               [[r.cells for r in Table(None, t).rows] for t in tables]


def test_cell_texts_are_pdfplumbers_on_random_grids():
    """Characters centred on a cell's edges, on the table's border, in merged cells, on two lines, rotated."""
    from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells

    class Page:
        def __init__(self, chars: list[dict]) -> None:
            self.chars = chars

    rnd = random.Random(11)
    compared = 0
    while compared < 300:
        cells = intersections_to_cells(edges_to_intersections(_random_rules(rnd), 3, 3))
        if not cells:
            continue
        step = min(c[2] - c[0] for c in cells) / 2 or 1
        chars = []
        for _ in range(rnd.randint(0, 60)):  # centres on a lattice of half the smallest cell: many on edges
            x, y = rnd.randint(-2, 50) * step, rnd.randint(-2, 50) * step
            w, h = rnd.choice((0.5, 1, 2)) * step, step
            chars.append({"text": rnd.choice("申请0129 a"), "x0": x - w / 2, "x1": x + w / 2, "top": y - h / 2,
                          "bottom": y + h / 2, "doctop": y - h / 2, "upright": rnd.random() < 0.9, "size": h})
        centres = loader._Centres(chars)
        for group in cells_to_tables(cells):
            table = Table(Page(chars), group)
            grid = [row.cells for row in table.rows]
            assert loader._extract(grid, chars, centres) == table.extract()
            compared += 1


def test_rules_at_absurd_places_go_to_pdfplumber(monkeypatch):
    """A NaN or astronomically far rule is left to pdfplumber's own table finding."""
    class Page:
        def find_tables(self):
            return ["pdfplumber's"]

    from pdfplumber.table import TableFinder

    rule = {"x0": float("nan"), "x1": float("nan"), "top": 0, "bottom": 10, "orientation": "v"}
    monkeypatch.setattr(TableFinder, "get_edges", lambda self: [rule])
    assert loader._find_tables(Page()) == ["pdfplumber's"]
