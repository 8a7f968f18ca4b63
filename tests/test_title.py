"""Body and year from the title wherever it sits, else the statistics period, else the file name (issue 12)."""

from __future__ import annotations

import pytest
from reportgen import consistent3, consistent4, render

from auditui.core.model import Source
from auditui.core.parse import parse

TABLES = render(consistent3("2021", 2), consistent4(2), "2021", 2022).split("一、总体情况", 1)[1]


def read(head: str, path: str = "r.txt"):
    r = parse(Source.from_text(head + "\n一、总体情况" + TABLES, path=path))
    return r.body, r.year


@pytest.mark.parametrize("head,body,year", [
    ("某某县人民政府办公室2022年政府信息公开工作年度报告", "某某县人民政府办公室", 2022),
    ("2022年某某县人民政府办公室政府信息公开工作年度报告", "某某县人民政府办公室", 2022),
    ("某某县人民政府办公室\n2022年政府信息公开工作年度报告", "某某县人民政府办公室", 2022),
    ("某某县人民政府办公室政府信息公开工作2022年度报告", "某某县人民政府办公室", 2022),
    ("某某县人民政府办公室\n关于2022年度政府信息公开情况的报告", "某某县人民政府办公室", 2022),
    ("某某县人民政府办公室关于2022年度政府信息公开工作的报告", "某某县人民政府办公室", 2022),
    ("标题：某某县教育局2022年政府信息公开工作年度报告\n来源：某某县教育局\n发布时间：2023-01-20", "某某县教育局", 2022),
    ("首页 > 政务公开 > 年报 > 某某县教育局2022年政府信息公开工作年度报告", "某某县教育局", 2022),
    ("索引号：1234567/2023-00012 某某县教育局2022年政府信息公开工作年度报告", "某某县教育局", 2022),
    ("Page 3 - 某某县教育局2022年政府信息公开工作年度报告", "某某县教育局", 2022),
    ("根据条例规定，现将某某镇2022年政府信息公开工作年度报告予以公布。", "某某镇", 2022),
    ("根據條例規定,現將某某鎮2022年政府信息公開工作年度報告進行公開。", "某某鎮", 2022),  # traditional characters
    ("我局2022年政府信息公开工作年度报告如下", "", 2022),  # how a report names itself, no body name
])
def test_title_forms(head, body, year):
    assert read(head) == (body, year)


def test_a_notice_about_writing_reports_is_no_title():
    head = ("按照《关于做好2021年政府信息公开工作年度报告编制发布工作的通知》要求，做好2021年政府信息公开工作年度报告"
            "编制工作。\n本年度报告中所列数据统计期限自2022年1月1日起至2022年12月31日止。")
    assert read(head) == ("", 2022)  # from the statistics period, not from the notice


def test_year_from_the_statistics_period_then_the_file_name():
    assert read("本年度报告所列数据统计期限从2019年1月1日到12月31日止。")[1] == 2019
    assert read("", path="reports/huaian-2024-municipal.txt")[1] == 2024


def test_a_metadata_line_is_never_the_body():
    assert read("来源：某某县教育局\n2022年政府信息公开工作年度报告") == ("", 2022)


def test_a_traditional_report_reads_like_a_simplified_one():
    """A report copied by a site that prints it in traditional characters, pinyin after some characters."""
    simple = render(consistent3("2021", 4), consistent4(4), "2021", 2022, body="某某县教育局")
    trad = (simple.replace("开", "開").replace("请", "請").replace("数量", "數(shù)量").replace("处理", "處理")
            .replace("结转", "結轉").replace("诉讼", "訴訟").replace("复议", "復議").replace("报告", "報告")
            .replace("况", "況"))
    a, b = parse(Source.from_text(simple)), parse(Source.from_text(trad))
    assert (b.body, b.year, b.template) == (a.body, a.year, a.template)
    assert b.values() == a.values()
