"""PDF reports: the real municipal report read exactly; every seed's PDF twin says what its text says."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache

import pytest
from conftest import REAL_PDF, ROOT, SEEDS

from auditui.core.load import load
from auditui.core.model import Source
from auditui.core.parse import parse
from auditui.core.rules import check
from auditui.core.text import page_mark

COLS3 = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
COLS4 = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Read off the PDF (pages 4 and 5 of huaian-2024-municipal-government.pdf), not from auditui's output.
REAL_三 = {
    "一": (3001, 53, 0, 0, 61, 4, 3119),
    "二": (34, 0, 0, 0, 0, 0, 34),
    "三.一": (1288, 21, 0, 0, 50, 3, 1362),
    "三.二": (447, 7, 0, 0, 0, 0, 454),
    "三.三.1": (2, 0, 0, 0, 0, 0, 2),
    "三.三.2": (30, 1, 0, 0, 0, 0, 31),
    "三.三.3": (5, 0, 0, 0, 0, 0, 5),
    "三.三.4": (6, 0, 0, 0, 0, 0, 6),
    "三.三.5": (7, 1, 0, 0, 0, 0, 8),
    "三.三.6": (12, 0, 0, 0, 0, 0, 12),
    "三.三.7": (9, 0, 0, 0, 0, 0, 9),
    "三.三.8": (105, 0, 0, 0, 0, 0, 105),
    "三.四.1": (746, 12, 0, 0, 10, 1, 769),
    "三.四.2": (11, 0, 0, 0, 0, 0, 11),
    "三.四.3": (1, 0, 0, 0, 0, 0, 1),
    "三.五.1": (56, 6, 0, 0, 0, 0, 62),
    "三.五.2": (25, 0, 0, 0, 0, 0, 25),
    "三.五.3": (0, 0, 0, 0, 0, 0, 0),
    "三.五.4": (0, 0, 0, 0, 0, 0, 0),
    "三.五.5": (1, 0, 0, 0, 0, 0, 1),
    "三.六.1": (67, 3, 0, 0, 1, 0, 71),
    "三.六.2": (6, 0, 0, 0, 0, 0, 6),
    "三.六.3": (108, 2, 0, 0, 0, 0, 110),
    "三.七": (2932, 53, 0, 0, 61, 4, 3050),
    "四": (103, 0, 0, 0, 0, 0, 103),
}
REAL_四 = {
    "行政复议": (72, 64, 178, 37, 351),
    "未经复议直接起诉": (13, 4, 8, 1, 26),
    "复议后起诉": (12, 1, 1, 6, 20),
}


@cache
def real() -> tuple[Source, object]:
    source = load(REAL_PDF)
    return source, parse(source)


def page_of(source: Source, line: int) -> int:
    return sum(1 for start in source.pages if start <= line)


def test_real_pdf_title_year_template():
    _, report = real()
    assert report.body == "淮安市人民政府"
    assert report.year == 2024
    assert report.template == "2021"


def test_real_pdf_part3_grid():
    _, report = real()
    expected = {row: dict(zip(COLS3, values, strict=True)) for row, values in REAL_三.items()}
    assert report.values()["三"] == expected


def test_real_pdf_part4_grid():
    _, report = real()
    expected = {row: dict(zip(COLS4, values, strict=True)) for row, values in REAL_四.items()}
    assert report.values()["四"] == expected


def test_real_pdf_has_no_error_findings():
    _, report = real()
    findings = check(report)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.rule in ("blank-cell", "bad-cell", "row-shape", "missing-row")] == []


def test_real_pdf_pages_stay_visible_and_spans_point_into_them():
    source, report = real()
    assert source.format == "pdf"
    assert len(source.pages) == 6 and source.pages[0] == 0
    for n, start in enumerate(source.pages[1:], start=2):
        assert source.lines[start] == page_mark(n)
    assert source.lines[source.pages[1] - 1] == "- 1 -"  # the page's own footer, kept
    for table in ("三", "四"):
        for row in report.tables[table].rows:
            for cell in row.cells:
                assert cell.span is not None
                assert source.snippet(cell.span) == cell.raw == str(cell.value)
    t3 = report.tables["三"]
    # the table is cut by a page break: rows before it on page 4, after it on page 5
    assert page_of(source, t3.row("三.四.1").cell("总计").span.line) == 4
    assert page_of(source, t3.row("三.四.2").cell("总计").span.line) == 5
    assert page_of(source, report.tables["四"].row("复议后起诉").cell("总计").span.line) == 5


def test_real_pdf_rows_are_rebuilt_from_the_ruled_table():
    source, _ = real()
    lines = source.lines
    # the vertical label (one character a line in the PDF) and labels wrapped inside their cell, joined
    assert "三、本年度办理结果\t（一）予以公开\t\t1288\t21\t0\t0\t50\t3\t1362" in lines
    assert "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t447\t7\t0\t0\t0\t0\t454" in lines
    assert "\t\t5.要求行政机关确认或重新出具已获取信息\t1\t0\t0\t0\t0\t0\t1" in lines
    assert ("\t（六）其他处理\t1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
            "\t67\t3\t0\t0\t1\t0\t71") in lines
    # the merged group label cut by the page break: each half on its own page
    cut = lines.index("\t法提供\t2.没有现成信息需要另行制作\t11\t0\t0\t0\t0\t0\t11")
    assert lines[cut - 1] == page_mark(5)
    assert lines[cut - 3] == "\t（四）无\t1.本机关不掌握相关政府信息\t746\t12\t0\t0\t10\t1\t769"
    assert "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20" in lines
    # prose outside the tables: wrapped lines rejoined into paragraphs, a box around a paragraph is prose
    assert lines[:2] == ("淮安市人民政府", "2024 年政府信息公开工作年度报告")
    assert lines[2].startswith("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》")
    assert lines[2].endswith("电子邮箱：hazwgkc@163.com）。")
    assert any("全市共受理政府信息公开申请 3119 件，答复 3050 件" in line for line in lines)


def test_real_pdf_loses_no_character():
    """Every character on every page is in the shown text (tables and prose together, nothing twice)."""
    import collections

    import pdfplumber

    source, _ = real()
    with pdfplumber.open(REAL_PDF) as pdf:
        on_pages = collections.Counter(c["text"] for p in pdf.pages for c in p.chars if c["text"].strip())
    marks = "".join(page_mark(n) for n in range(2, 7))
    shown = collections.Counter(ch for ch in source.text if ch.strip()) - collections.Counter(
        ch for ch in marks if ch.strip())
    assert shown == on_pages


# ------------------------------------------------------------------------------------------------ twins
def _key(f) -> tuple:
    return (f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual)


def _same(text_path, pdf_path) -> None:
    rt, rp = parse(load(text_path)), parse(load(pdf_path))
    assert (rp.body, rp.year, rp.template) == (rt.body, rt.year, rt.template)
    assert rp.values() == rt.values()
    assert sorted(map(_key, check(rp)), key=repr) == sorted(map(_key, check(rt)), key=repr)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_pdf_twin_gives_the_findings_of_its_text(seed):
    text = SEEDS[seed]
    pdf = text.with_suffix(".pdf")
    assert pdf.exists(), f"run scripts/make_sample_pdfs.py to make {pdf.name}"
    source = load(pdf)
    assert source.format == "pdf" and len(source.pages) >= 2
    _same(text, pdf)


def test_twins_have_ruled_tables_cut_by_page_breaks():
    """The twins are real tests of the PDF reading: part 三 is cut by a page break in most of them."""
    cut = 0
    for text in SEEDS.values():
        source = load(text.with_suffix(".pdf"))
        t3 = parse(source).tables["三"]
        pages = {page_of(source, s.line) for r in t3.rows for s in r.spans}
        cut += len(pages) > 1
    assert cut >= 3


def test_make_sample_pdfs_script(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_pdfs", ROOT / "scripts" / "make_sample_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_sample_pdfs", module)
    spec.loader.exec_module(module)
    for seed in ("003", "004"):
        out = module.make_pdf(SEEDS[seed], tmp_path / f"{seed}.pdf")
        _same(SEEDS[seed], out)
        assert out.read_bytes() == SEEDS[seed].with_suffix(".pdf").read_bytes()  # the committed twin is current


# ------------------------------------------------------------------------------------------------ unruled
def test_table_drawn_without_rules_keeps_one_line_per_row(tmp_path):
    """A table without rules is read as text; its rows run to the right margin but are never joined."""
    from merged_tables import VALUES3, VALUES4, expected_values, part3_cells
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    labels = {}
    cells, _, _ = part3_cells()
    for r, c, text, _rs, _cs in cells:
        if r >= 3 and c <= 2:
            labels[r] = text  # the row's own label: the last label cell of the row
    path = tmp_path / "unruled.pdf"
    cv = canvas.Canvas(str(path))
    y = 780

    def line(text: str, x: float = 72, size: float = 10) -> None:
        nonlocal y
        cv.setFont("STSong-Light", size)
        cv.drawString(x, y, text)
        y -= size * 1.6

    line("某区统计局2023年政府信息公开工作年度报告", 110, 14)
    line("三、收到和处理政府信息公开申请情况", 96, 11)
    for r, rid in enumerate(VALUES3, start=3):
        cv.setFont("STSong-Light", 9)
        cv.drawString(72, y, labels[r][:22])
        for k, v in enumerate(VALUES3[rid]):  # numbers out to the right margin
            cv.drawRightString(330 + 36 * k, y, str(v))
        y -= 15
    line("四、政府信息公开行政复议、行政诉讼情况", 96, 11)
    line("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉", 72, 8)
    line(" ".join(str(v) for row in VALUES4.values() for v in row), 72, 9)
    cv.showPage()
    cv.save()
    source = load(path)
    assert "一、本年新收政府信息公开申请数量 694 22 11 0 30 4 761" in source.lines
    assert "二、上年结转政府信息公开申请数量 1 0 0 0 1 0 2" in source.lines
    assert parse(source).values() == expected_values()


def test_tabular_lines():
    from auditui.core.load.pdf import _tabular

    assert _tabular("一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119")
    assert _tabular("72 64 178 37 351")
    assert not _tabular("全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件")
    assert not _tabular("2024 年，市政府严格落实")


def test_fake_bold_characters_drawn_twice_are_read_once(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "bold.pdf"
    cv = canvas.Canvas(str(path))
    cv.setFont("STSong-Light", 16)
    for dx in (0, 0.4):  # a bold title as some PDF makers draw it: twice, a hair apart
        cv.drawString(120 + dx, 760, "某镇人民政府2023年政府信息公开工作年度报告")
    cv.setFont("STSong-Light", 12)
    cv.drawString(96, 720, "一、总体情况")
    cv.showPage()
    cv.save()
    assert load(path).lines[:2] == ("某镇人民政府2023年政府信息公开工作年度报告", "一、总体情况")


def test_heavy_libraries_are_imported_only_when_their_format_is_opened():
    import subprocess

    code = ("import sys; from auditui.core.load import load; from auditui.core.parse import parse; "
            "parse(load(sys.argv[1])); print(sorted(m for m in ('pdfplumber', 'pdfminer', 'bs4', 'docx', 'lxml') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS["001"])], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
