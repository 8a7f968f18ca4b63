"""The parser is general: every layout real reports use gives the same grid (not tuned to the seeds)."""

from __future__ import annotations

import unicodedata

import pytest
from reportgen import LAYOUTS, consistent3, consistent4, render

from auditui.core.model import Source
from auditui.core.parse import parse
from auditui.core.rules import check


def grid(report, table):
    return [[c.value for c in row.cells] for row in report.tables[table].rows]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template,year", [("2019", 2019), ("2021", 2021)])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_layout_reads_the_same_grid(layout, template, year, seed):
    g3, g4 = consistent3(template, seed), consistent4(seed)
    report = parse(Source.from_text(render(g3, g4, template, year, layout=layout)))
    assert report.template == template
    assert report.year == year
    assert report.body == "某某县人民政府办公室"
    assert grid(report, "三") == list(g3.values())
    assert grid(report, "四") == g4
    assert check(report) == []


@pytest.mark.parametrize("layout", ["tsv", "markdown", "one-per-line", "indented"])
def test_blank_cells_stay_blank_in_cell_layouts(layout):
    g3, g4 = consistent3(seed=4), consistent4(4)
    g3["三.七"] = [None] * 7
    g4[0] = [None] * 5
    report = parse(Source.from_text(render(g3, g4, layout=layout)))
    assert grid(report, "三")[-2] == [None] * 7
    assert grid(report, "四")[0] == [None] * 5
    assert grid(report, "四")[1:] == g4[1:]


def test_full_width_digits_and_brackets():
    g3, g4 = consistent3(seed=5), consistent4(5)
    text = render(g3, g4)
    wide = text.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}).replace("(", "（").replace(")", "）")
    report = parse(Source.from_text(wide))
    assert grid(report, "三") == list(g3.values())
    assert report.year == 2022


def test_labels_split_over_lines_and_page_breaks():
    g3, g4 = consistent3(seed=6), consistent4(6)
    text = render(g3, g4, layout="pdf-text")
    text = text.replace("（一）予以公开", "三、本年度办理\n- 4 -\n结果 （一）予以公开")
    text = text.replace("3.补正后申请内容仍不明确", "第 5 页\n3.补正后申请内\n容仍不明确")
    report = parse(Source.from_text(text))
    assert grid(report, "三") == list(g3.values())
    assert check(report) == []


def test_vertical_label_interleaved_with_rows():
    g3, g4 = consistent3(seed=7), consistent4(7)
    lines = render(g3, g4, layout="pdf-text").split("\n")
    out, chars = [], iter("三、本年度办理结果")
    for line in lines:
        out.append(line)
        if line.startswith(("1.属于", "2.其他", "3.危及", "4.保护", "5.属于", "6.属于", "7.属于")):
            out.append(next(chars, ""))
    report = parse(Source.from_text("\n".join(out)))
    assert grid(report, "三") == list(g3.values())


def test_digits_run_together_split_only_when_certain():
    g3, g4 = consistent3(seed=8), consistent4(8)
    g3["三.五.3"] = [0, 0, 0, 0, 0, 0, 0]
    text = render(g3, g4).replace("3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0", "3.要求提供公开出版物\t0000000")
    report = parse(Source.from_text(text))
    row = report.tables["三"].row("三.五.3")
    assert [c.value for c in row.cells] == [0] * 7
    assert "bad-cell" in {f.rule for f in check(report)}  # the split is reported for a look
    # 10 digits for 7 cells: the split is not certain, the row is unreadable
    text = render(g3, g4).replace("3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0", "3.要求提供公开出版物\t1203400\t101")
    report = parse(Source.from_text(text))
    assert [c.value for c in report.tables["三"].row("三.五.3").cells] == [None] * 7
    assert ("row-shape", "三.五.3") in {(f.rule, f.row) for f in check(report)}


def test_units_and_thousands_separators():
    g3, g4 = consistent3(seed=9), consistent4(9)
    g3["三.一"] = [1234, 0, 0, 0, 0, 0, 1234]
    g3["三.七"] = [v + (1234 if i in (0, 6) else 0) for i, v in enumerate(g3["三.七"])]
    g3["一"] = [v + (1234 if i in (0, 6) else 0) for i, v in enumerate(g3["一"])]
    text = render(g3, g4).replace("（一）予以公开\t1234\t0", "（一）予以公开\t1,234件\t0")
    report = parse(Source.from_text(text))
    assert report.tables["三"].row("三.一").cell("自然人").value == 1234


def test_social_organisation_alias_and_quotes():
    g3, g4 = consistent3(seed=10), consistent4(10)
    text = render(g3, g4).replace("社会公益组织", "社会组织").replace("“三安全一稳定”", "三安全一稳定")
    assert grid(parse(Source.from_text(text)), "三") == list(g3.values())


def test_markup_and_escapes_in_report_text_are_kept_literally():
    g3, g4 = consistent3(seed=11), consistent4(11)
    nasty = "[bold red]假[/] \x1b[31m红\x1b[0m \u202e反向"
    report = parse(Source.from_text(render(g3, g4, prose=nasty)))
    assert "[bold red]假[/]" in report.source.text
    assert grid(report, "三") == list(g3.values())


def test_normalisation_is_only_for_matching():
    g3, g4 = consistent3(seed=12), consistent4(12)
    text = render(g3, g4).replace("(", "（")
    report = parse(Source.from_text(text))
    assert report.source.text == text
    assert unicodedata.normalize("NFKC", report.source.text) != report.source.text or "（" not in text


def test_title_broken_across_two_lines():
    g3, g4 = consistent3(seed=13), consistent4(13)
    text = render(g3, g4, year=2023).replace("2023年政府信息公开工作年度报告", "2023年政府信息公开工作年度\n报告")
    report = parse(Source.from_text(text))
    assert (report.body, report.year) == ("某某县人民政府办公室", 2023)
    text = render(g3, g4, year=2023).replace("某某县人民政府办公室\n2023年", "某某县人民政府办公室2023年政府信息\n公开工作年度报告\n#")
    report = parse(Source.from_text(text.replace("\n#政府信息公开工作年度报告", "")))
    assert report.year == 2023 and report.body == "某某县人民政府办公室"


@pytest.mark.parametrize("layout", ["tsv", "markdown"])
@pytest.mark.parametrize("blank", [0, 6])
def test_blank_first_or_last_value_next_to_label_padding(layout, blank):
    """Blanks on both sides of a row's numbers: label padding or a blank value? The table's other rows say
    where its values start (found as a TSV row with an empty 总计 read one column to the right)."""
    g3, g4 = consistent3(seed=14), consistent4(14)
    g3["一"][blank] = None
    g3["三.五.2"][blank] = None
    report = parse(Source.from_text(render(g3, g4, layout=layout)))
    assert grid(report, "三") == list(g3.values())
    blanks = {(f.row, f.column) for f in check(report) if f.rule == "blank-cell"}
    col = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"][blank]
    assert blanks == {("一", col), ("三.五.2", col)}


def test_a_blank_placed_by_the_header_stays_within_its_line():
    """Part 四 whose header words are wider than the short line of numbers under them ("-1", found by the fuzz
    run): each blank cell's span lies within the text (consumers slice the line by it)."""
    text = ("\n四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
            "结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计\n-1\n"
            "维持 纠正 结果 审结 维持 纠正 结果 审结 维持 纠正 结果 审结\n7 9 3 12 31 15 4 2 2 23 0 12 17 9 38\n")
    report = parse(Source.from_text(text))
    lines = report.source.lines
    spans = [s for row in report.tables["四"].rows for s in row.spans]
    assert spans
    assert all(0 <= s.start <= s.end <= len(lines[s.line]) for s in spans)


_PART4_TEXT = ("\n四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
               "结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计\n"
               "维持 纠正 结果 审结 维持 纠正 结果 审结 维持 纠正 结果 审结\n")


@pytest.mark.parametrize("numbers", ["131 6 137 13 10 23 35 122 157", "8 100 108 9 9"])
def test_numbers_one_space_apart_are_not_placed_by_where_they_happen_to_stand(numbers):
    """Nine numbers for fifteen cells, printed one after the other: their blank cells left no trace, so where a
    number happens to stand under the header says nothing. Read as [131, 6, 137, 13, 10] | … it made a false
    litigation-total error; it must be left unread, for the auditor."""
    report = parse(Source.from_text(_PART4_TEXT + numbers + "\n"))
    findings = check(report)
    assert not [f for f in findings if f.severity == "error"]
    assert all(c.status != "ok" for r in report.tables["四"].rows for c in r.cells)
    assert [f.rule for f in findings if f.table == "四" and f.row is None] == ["row-shape"]


def test_a_table_cut_on_the_premise_of_its_totals_says_so_when_they_all_hold():
    """Part 四's digits run together, cut the one way every row's total allows: each row says its total was the
    premise, not a check — also when every total then holds (the quick pass over a table that adds up skipped it)."""
    report = parse(Source.from_text(_PART4_TEXT + "0 00 00 0760 976 90 00 9\n"))
    assert {r.split for r in report.tables["四"].rows} == {"premise"}
    premise = [f for f in check(report) if f.rule == "litigation-total"]
    assert [f.row for f in premise] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert all(f.severity == "warning" and not f.evaluable for f in premise)


def test_padding_on_both_sides_of_a_row_is_not_taken_from_one_end():
    """A crawler's cells, one a line, with "|" lines (padding) before part 四's fifteen and after them, its first
    cell blank: which blanks are padding nothing says but the totals. The one way that keeps every total is read on
    that premise (said so); where none does (its last cell blank too), the table is left unread with the ways
    listed. (Taken from the end first, the cells were read one column off.)"""
    head = _PART4_TEXT + "|\n"

    def cells(g4):
        return "".join(f"{v} |\n" if v is not None else "|\n" for row in g4 for v in row)

    g4 = [[None, 0, 4, 0, 4], [1014, None, 7, 8, 1029], [0, 0, 0, 0, 0]]
    report = parse(Source.from_text(head + cells(g4) + "|\n"))
    assert grid(report, "四") == g4
    assert {r.split for r in report.tables["四"].rows} == {"placed"}
    said = [f for f in check(report) if f.rule == "litigation-total"]
    assert [f.row for f in said] == ["行政复议", "未经复议直接起诉", "复议后起诉"] and not any(f.evaluable for f in said)

    g4[2][4] = None
    report = parse(Source.from_text(head + cells(g4)))
    assert all(c.status != "ok" for r in report.tables["四"].rows for c in r.cells)
    whole = [f for f in check(report) if f.rule == "row-shape" and f.table == "四"]
    assert [v for r in g4 for v in r] in [list(c) for c in whole[0].candidates]
    assert "可能的读法" in whole[0].message and "None" not in whole[0].message
