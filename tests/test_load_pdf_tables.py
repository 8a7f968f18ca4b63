"""The PDF loader's pages (auditui.core.load.pdf) against pdfplumber's public API, and its text held fixed.

The loader finds tables with ``page.find_tables()``/``Table.extract()`` and reads the prose outside them
with pdfplumber's text lines; these tests compare every page item it makes (tables' TSV lines and prose lines,
in vertical order, and the letter counts) with a plain rendering through pdfplumber's public API only
(``page.filter()`` + ``page.extract_text_lines()``), on the sample PDFs and on random PDFs with ruled tables
(merged cells, rules missing or cut short, rotated text, fake bold, a box around prose). The whole text the
loader gives for the sample PDFs and the real report is held to what it was (its hash): a pdfplumber upgrade
that changes what auditors see shows here first.
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
    """The loader's page items are those of the public-API rendering; the number of tables on the page."""
    got = loader._page_lines(page)
    assert (got.items, got.letters, got.cid, got.images) == _reference_page(page)
    return sum(1 for _, kind, _ in got.items if kind == 1)


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


# The text of each PDF (and its page starts) as the loader gave it before it moved to pdfplumber's public API.
TEXT_SHA256 = {
    "000_633416d7cefaca87.pdf": "4c368defdb935e8e91bc1b0942b7b7361bdec2fe45235c25b20c08055ee6bbc1",
    "001_64184a962bfd4335.pdf": "69d25ea6be928f7f62a35b1f49453664dabda05165704e6f68011b7a7a09ef4e",
    "002_758d9aecda73259b.pdf": "950a1da103e886f6aed25583970816a4392e2a87af135a2fb86f2834fc0ffd8c",
    "003_a190ec9e232fd5b0.pdf": "869ff3900de4b08aa87cc66a1fd1b7b153e5cb99b0eaf3b116fdfb595e84492a",
    "004_642eda999c787a13.pdf": "631bcf31190edbef0d9aa9f6a8ab8827436989d532e236e501fb1d04b2cf384a",
    "huaian-2024-municipal-government.pdf": "671e052efba7bb03c707b00026a0bf6678e9e0711c84d4b553b6ac771fb24a9a",
}


@pytest.mark.parametrize("name", sorted(TEXT_SHA256), ids=lambda n: n[:12])
def test_the_text_of_the_sample_pdfs_is_unchanged(name):
    import hashlib

    from auditui.core.load import load

    source = load(SAMPLES / name)
    assert hashlib.sha256((source.text + repr(source.pages)).encode()).hexdigest() == TEXT_SHA256[name]
