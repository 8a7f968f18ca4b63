"""HTML reports: a page saved from a government site, Word-generated markup, merged cells, charsets."""

from __future__ import annotations

import pytest
from merged_tables import expected_values, part3_cells, part4_cells

from auditui.core.load import load
from auditui.core.load.html import NO_TABLES, decode_html
from auditui.core.load.tables import expand_spans, join_lines, tsv_lines
from auditui.core.model import LoadError
from auditui.core.parse import parse
from auditui.core.rules import check

CELL_RULES = {"blank-cell", "bad-cell", "row-shape", "missing-row"}


def _word_cell(text: str, rowspan: int, colspan: int) -> str:
    """A cell as Word's "save as web page" writes it: <p class=MsoNormal><span> inside, spans as attributes,
    long labels broken over two paragraphs or by <br>, the markup itself wrapped mid-sentence."""
    attrs = "".join(f" {k}={v}" for k, v in (("rowspan", rowspan), ("colspan", colspan)) if v > 1)
    if text == "三、本年度办理结果":  # the vertical label: one character a line
        body = "<br>\n".join(["三、", *"本年度办理结果"])
    elif len(text) > 14 and "，" in text:  # broken over two paragraphs at a comma
        cut = text.index("，") + 1
        body = f"{text[:cut]}</span></p>\n<p class=MsoNormal><span style='font-family:仿宋_GB2312'>{text[cut:]}"
    elif len(text) > 10:  # the markup wrapped between two Chinese characters
        body = text[:6] + "\n" + text[6:]
    else:
        body = text
    return (f"<td width=60{attrs} valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'>\n"
            f"<p class=MsoNormal align=center style='text-align:center'><span style='font-family:仿宋_GB2312'>"
            f"{body}<o:p></o:p></span></p>\n</td>")


def _word_table(cells, nrows: int, ncols: int) -> str:
    by_row: dict[int, list] = {}
    for r, c, text, rs, cs in cells:
        by_row.setdefault(r, []).append((c, text, rs, cs))
    rows = []
    for r in range(nrows):
        tds = "".join(_word_cell(t, rs, cs) for _, t, rs, cs in sorted(by_row.get(r, [])))
        rows.append(f"<tr style='height:18.0pt'>\n{tds}\n</tr>")
    # Word's hidden column-width row
    rows.append("<![if !supportMisalignedColumns]>\n<tr height=0>" + "<td width=40 style='border:none'></td>" * ncols
                + "</tr>\n<![endif]>")
    return ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>\n"
            + "\n".join(rows) + "\n</table>")


def word_page() -> str:
    p3, n3, w3 = part3_cells()
    p4, n4, w4 = part4_cells()
    return f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=Generator content="Microsoft Word 15 (filtered)">
<title>某市交通运输局2023年政府信息公开工作年度报告</title>
<style>p.MsoNormal {{margin:0cm; font-size:10.5pt; font-family:"Times New Roman";}}</style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码 123");</script>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<table class="layout" width="100%"><tr>
<td class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></td>
</tr><tr><td class="content">
<div class=WordSection1>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>某市交通运输局<br>
2023年政府信息公开工作年度报告</span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt'>一、总体情况</span></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt'>2023年，我局认真贯彻落实《中华人民共和国
政府信息公开条例》，全年共受理政府信息公开申请761件。</span></p>
<p class=MsoNormal><span>二、主动公开政府信息情况</span></p>
<table class=MsoNormalTable border=1>
<tr><td colspan=4><p class=MsoNormal>第二十条第（一）项</p></td></tr>
<tr><td><p>信息内容</p></td><td><p>本年制发件数</p></td><td><p>本年废止件数</p></td><td><p>现行有效件数</p></td></tr>
<tr><td><p>规章</p></td><td><p>0</p></td><td><p>0</p></td><td><p>0</p></td></tr>
<tr><td><p>行政规范性文件</p></td><td><p>2</p></td><td><p>1</p></td><td><p>15</p></td></tr>
</table>
<p class=MsoNormal><span>三、收到和处理政府信息公开申请情况</span></p>
{_word_table(p3, n3, w3)}
<p class=MsoNormal><span>四、政府信息公开行政复议、行政诉讼情况</span></p>
{_word_table(p4, n4, w4)}
<p class=MsoNormal><span>五、存在的主要问题及改进情况</span></p>
<p class=MsoNormal><span>信息公开的及时性有待提高。<span style='display:none'>隐藏的文字</span></span></p>
<p class=MsoNormal><span>六、其他需要报告的事项</span></p>
<p class=MsoNormal><span>本年度未收取信息处理费。</span></p>
</div>
</td></tr></table>
</body>
</html>
"""


def test_word_html_page_with_merged_cells_parses_to_the_grid(tmp_path):
    path = tmp_path / "某市交通运输局2023.htm"
    path.write_bytes(word_page().encode("gb2312"))
    source = load(path)
    assert source.format == "html"
    assert source.encoding == "gb18030"  # declared gb2312, read as its superset
    report = parse(source)
    assert (report.body, report.year, report.template) == ("某市交通运输局", 2023, "2021")
    assert report.values() == expected_values()
    for table in ("三", "四"):  # every cell's span points at its number in the text shown
        for row in report.tables[table].rows:
            for cell in row.cells:
                assert source.snippet(cell.span) == cell.raw == str(cell.value)
    findings = check(report)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in findings if f.rule in CELL_RULES and f.table in ("三", "四")] == []


def test_word_html_shown_text(tmp_path):
    path = tmp_path / "r.html"
    path.write_bytes(word_page().encode("gb2312"))
    lines = load(path).lines
    # the vertical label is one cell, written once; the columns it covers below are empty fields
    assert "三、本年度办理结果\t（一）予以公开\t\t3\t1\t1\t0\t1\t0\t6" in lines
    assert "\t\t3.危及“三安全一稳定”\t15\t2\t1\t0\t1\t1\t20" in lines
    assert "\t（三）不予公开\t1.属于国家秘密\t9\t0\t1\t0\t3\t0\t13" in lines
    # a label spanning three columns is not repeated into them; paragraphs inside a cell are joined
    assert "四、结转下年度继续办理\t\t\t2\t1\t0\t0\t0\t0\t3" in lines
    assert "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t6\t2\t0\t0\t2\t0\t10" in lines
    assert ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况"
            + "\t" * 6) in lines
    # a layout table (holding tables) is not a table: its cells are blocks of text
    assert "首页 > 政务公开" in lines
    # prose: markup line breaks between Chinese characters vanish; <br> breaks a line
    assert "2023年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年共受理政府信息公开申请761件。" in lines
    assert lines[1:3] == ("某市交通运输局", "2023年政府信息公开工作年度报告")
    text = "\n".join(lines)
    for absent in ("统计代码", "_hmt", "MsoNormal", "隐藏的文字", "WordDocument", "<", "&gt;"):
        assert absent not in text
    # Word's hidden column-width row (all empty) leaves no line
    assert not any(line.strip("\t") == "" for line in lines)


def test_utf8_page_with_meta_charset_and_th_cells(tmp_path):
    html = word_page().replace("charset=gb2312", "charset=utf-8").replace("<td><p>信息内容", "<th><p>信息内容")
    path = tmp_path / "r.html"
    path.write_bytes(html.encode("utf-8"))
    s = load(path)
    assert s.encoding == "utf-8"
    assert parse(s).values() == expected_values()


def test_charset_detected_without_meta_and_when_meta_lies(tmp_path):
    no_meta = word_page().replace('<meta http-equiv=Content-Type content="text/html; charset=gb2312">', "")
    a = tmp_path / "a.html"
    a.write_bytes(no_meta.encode("gb18030"))
    assert parse(load(a)).values() == expected_values()
    lying = word_page().replace("charset=gb2312", "charset=utf-8")
    b = tmp_path / "b.html"
    b.write_bytes(lying.encode("gbk"))
    s = load(b)
    assert s.encoding == "gb18030"
    assert parse(s).values() == expected_values()


def test_decode_html_meta_forms():
    assert decode_html("x", b'<meta charset="GBK"><p>\xd6\xd0</p>') == ('<meta charset="GBK"><p>中</p>', "gb18030")
    assert decode_html("x", '<?xml version="1.0" encoding="utf-8"?><p>中</p>'.encode())[1] == "utf-8"
    assert decode_html("x", b"\xef\xbb\xbf<p>\xe4\xb8\xad</p>") == ("<p>中</p>", "utf-8-sig")
    assert decode_html("x", b'<meta charset="no-such-codec"><p>\xe4\xb8\xad</p>')[1] == "utf-8"


def test_page_without_report_tables_is_refused(tmp_path):
    path = tmp_path / "list.html"
    path.write_text("<html><head><meta charset=utf-8></head><body><h1>政府信息公开年报</h1>"
                    "<ul><li><a href='a.pdf'>某局2023年政府信息公开工作年度报告.pdf</a></li></ul>"
                    "<table><tr><td>发布日期</td><td>2024-01-20</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load(path)
    assert e.value.reason == NO_TABLES
    assert str(path) in str(e.value)


def test_report_written_as_text_in_html_is_kept(tmp_path):
    """A page whose part 三 is text (no <table>) is still a report: the parser reads its lines."""
    rows = "".join(f"<p>{label}</p><p>{' '.join(['0'] * 7)}</p>" for label in (
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开", "四、结转下年度继续办理"))
    path = tmp_path / "t.html"
    path.write_text(f"<html><body><p>某局2023年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>{rows}"
                    "</body></html>", encoding="utf-8")
    s = load(path)
    assert "0 0 0 0 0 0 0" in s.lines


def test_expand_spans_grid():
    rows = [[("a", 2, 1), ("b", 1, 2)], [("c", 1, 1), ("d", 1, 1)], [("e", 1, 3)]]
    assert expand_spans(rows) == [["a", "b", None], [None, "c", "d"], ["e", None, None]]
    # spans larger than the table are clipped; ragged rows are padded
    assert expand_spans([[("x", 9, 1), ("y", 1, 1)], [("z", 1, 1)]]) == [["x", "y"], [None, "z"]]


def test_join_lines_and_tsv():
    assert join_lines(["三、", "本", "年度"]) == "三、本年度"
    assert join_lines(["Total", "amount"]) == "Total amount"
    assert join_lines(["3001", "34"]) == "3001 34"  # never glued into 300134
    assert join_lines(["13030", "元"]) == "13030元"
    assert join_lines(["结果", "", " 维持 "]) == "结果维持"
    assert tsv_lines([["a\tb", None, " 1 "], [None, "", None], ["中\n文", "2", None]]) == ["a b\t\t1", "中文\t2\t"]
