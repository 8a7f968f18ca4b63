"""Word (.docx) reports: merged cells, tables between paragraphs, document order."""

from __future__ import annotations

import docx
import pytest
from docx.shared import Pt
from merged_tables import expected_values, part3_cells, part4_cells

from auditui.core.load import load
from auditui.core.model import LoadError
from auditui.core.parse import parse
from auditui.core.rules import check

CELL_RULES = {"blank-cell", "bad-cell", "row-shape", "missing-row"}


def _table(document, cells, nrows: int, ncols: int):
    table = document.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    for r, c, text, rs, cs in cells:
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        parts = [text]
        if text == "三、本年度办理结果":
            parts = ["三、", *"本年度办理结果"]  # one character a paragraph, as typed into a narrow cell
        elif len(text) > 14 and "，" in text:
            cut = text.index("，") + 1
            parts = [text[:cut], text[cut:]]  # a label typed over two paragraphs
        cell.paragraphs[0].text = parts[0]
        for part in parts[1:]:
            cell.add_paragraph(part)
    return table


def word_report(path) -> None:
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    d.add_paragraph("某县卫生健康委员会")
    d.add_paragraph("2022年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("2022年，我委共受理政府信息公开申请761件。")
    d.add_paragraph("二、主动公开政府信息情况")
    t2 = d.add_table(rows=4, cols=4)
    t2.cell(0, 0).merge(t2.cell(0, 3)).text = "第二十条第（一）项"
    for c, h in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        t2.cell(1, c).text = h
    for r, row in ((2, ("规章", "0", "0", "0")), (3, ("行政规范性文件", "3", "1", "20"))):
        for c, v in enumerate(row):
            t2.cell(r, c).text = v
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    _table(d, *part3_cells())
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _table(d, *part4_cells())
    d.add_paragraph("五、存在的主要问题及改进情况")
    p = d.add_paragraph("公开内容不够全面。")
    p.add_run().add_break()
    p.add_run("下一步将进一步完善。")
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("无。")
    d.save(path)


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    word_report(path)  # python-docx merges cells slowly: build the file once
    return path


def test_docx_with_merged_cells_parses_to_the_grid(report_docx):
    source = load(report_docx)
    assert source.format == "docx" and source.pages == ()
    report = parse(source)
    assert (report.body, report.year, report.template) == ("某县卫生健康委员会", 2022, "2021")
    assert report.values() == expected_values()
    for table in ("三", "四"):  # every cell's span points at its number in the text shown
        for row in report.tables[table].rows:
            for cell in row.cells:
                assert source.snippet(cell.span) == cell.raw == str(cell.value)
    findings = check(report)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.rule in CELL_RULES and f.table in ("三", "四")] == []


def test_docx_shown_text_keeps_document_order_and_writes_merged_cells_once(report_docx):
    lines = load(report_docx).lines
    assert lines[:4] == ("某县卫生健康委员会", "2022年政府信息公开工作年度报告", "一、总体情况",
                         "2022年，我委共受理政府信息公开申请761件。")
    # horizontal merge (gridSpan): written once, the columns it covers are empty fields
    assert "第二十条第（一）项\t\t\t" in lines
    assert "四、结转下年度继续办理\t\t\t2\t1\t0\t0\t0\t0\t3" in lines
    # vertical merge (vMerge): written in its first row only; paragraphs of a cell joined
    assert "三、本年度办理结果\t（一）予以公开\t\t3\t1\t1\t0\t1\t0\t6" in lines
    assert "\t\t3.危及“三安全一稳定”\t15\t2\t1\t0\t1\t1\t20" in lines
    assert "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t6\t2\t0\t0\t2\t0\t10" in lines
    assert ("\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
            in lines)
    # tables sit between the paragraphs around them
    i3 = lines.index("三、收到和处理政府信息公开申请情况")
    i4 = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    i5 = lines.index("五、存在的主要问题及改进情况")
    assert i3 < lines.index("二、上年结转政府信息公开申请数量\t\t\t1\t0\t0\t0\t1\t0\t2") < i4
    assert i4 < lines.index("3\t1\t2\t1\t7\t2\t0\t1\t0\t3\t1\t1\t0\t2\t4") < i5
    # a line break inside a paragraph is a line break of the text
    assert lines[i5 + 1 : i5 + 3] == ("公开内容不够全面。", "下一步将进一步完善。")


def test_docx_box_around_text_is_prose(tmp_path):
    d = docx.Document()
    d.add_paragraph("标题")
    box = d.add_table(rows=1, cols=1)
    box.cell(0, 0).paragraphs[0].text = "第一段。"
    box.cell(0, 0).add_paragraph("第二段。")
    path = tmp_path / "box.docx"
    d.save(path)
    assert load(path).lines == ("标题", "第一段。", "第二段。")


def test_not_a_docx(tmp_path, report_docx):
    doc = tmp_path / "old.docx"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(LoadError, match=r"old Word \.doc"):
        load(doc)
    broken = tmp_path / "cut.docx"
    broken.write_bytes(report_docx.read_bytes()[:3000])
    with pytest.raises(LoadError, match="truncated or damaged"):
        load(broken)
