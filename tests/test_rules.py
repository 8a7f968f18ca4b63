"""Each rule with a grid that passes and a grid that fails; the registry; not-evaluable findings."""

from __future__ import annotations

import copy

import pytest
from reportgen import consistent3, consistent4, render

from auditui.core.model import Source
from auditui.core.parse import parse
from auditui.core.rules import RULES, check, rule


def run(g3, g4, template="2021", year=2022, layout="tsv"):
    report = parse(Source.from_text(render(g3, g4, template, year, layout=layout), "t.txt"))
    return report, check(report)


def rules_of(findings, severity=None):
    return sorted({f.rule for f in findings if severity is None or f.severity == severity})


@pytest.mark.parametrize("template,year", [("2019", 2020), ("2021", 2023)])
def test_consistent_grid_passes_every_rule(template, year):
    report, findings = run(consistent3(template, 7), consistent4(7), template, year)
    assert report.template == template
    assert findings == []


def test_column_balance_fails_when_carry_over_is_wrong():
    g3 = consistent3(seed=3)
    g3["四"][0] += 1
    g3["四"][6] += 1
    _, findings = run(g3, consistent4())
    errors = [(f.rule, f.column, f.expected, f.actual) for f in findings if f.severity == "error"]
    left = g3["一"][0] + g3["二"][0]
    assert errors == [("column-balance", "自然人", left, left + 1), ("column-balance", "总计",
                      g3["一"][6] + g3["二"][6], g3["一"][6] + g3["二"][6] + 1)]


def test_subtotal_fails_when_a_leaf_is_wrong():
    g3 = consistent3(seed=4)
    g3["三.五.2"][1] += 2
    g3["三.五.2"][6] += 2
    # keep the column balance true so only the subtotal breaks
    g3["一"][1] += 2
    g3["一"][6] += 2
    _, findings = run(g3, consistent4())
    errors = [(f.rule, f.row, f.column) for f in findings if f.severity == "error"]
    assert errors == [("column-balance", None, "商业企业"), ("column-balance", None, "总计"),
                      ("subtotal", "三.七", "商业企业"), ("subtotal", "三.七", "总计")]


def test_row_total_fails_and_names_the_row():
    g3 = consistent3(seed=5)
    g3["三.三.4"][6] += 1
    g3["三.七"][6] += 1
    g3["一"][6] += 1
    _, findings = run(g3, consistent4())
    errors = [f for f in findings if f.severity == "error"]
    assert [(f.rule, f.row, f.column, f.expected, f.actual) for f in errors] == [
        ("row-total", "三.三.4", "总计", sum(g3["三.三.4"][:6]), g3["三.三.4"][6]),
        ("row-total", "三.七", "总计", sum(g3["三.七"][:6]), g3["三.七"][6]),
        ("row-total", "一", "总计", sum(g3["一"][:6]), g3["一"][6]),
    ] or [(f.rule, f.row) for f in errors] == [("row-total", "一"), ("row-total", "三.三.4"), ("row-total", "三.七")]
    assert "保护第三方合法权益" in next(f.message for f in errors if f.row == "三.三.4")


def test_litigation_total():
    g4 = consistent4(2)
    assert run(consistent3(), g4)[1] == []
    g4[2][4] += 3
    errors = [f for f in run(consistent3(), g4)[1] if f.severity == "error"]
    assert [(f.rule, f.table, f.row, f.column, f.expected, f.actual) for f in errors] == [
        ("litigation-total", "四", "复议后起诉", "总计", sum(g4[2][:4]), g4[2][4])]


def test_blank_cell_blocks_rules_without_inventing_errors():
    g3 = consistent3(seed=6)
    g3["三.二"][2] = None
    _, findings = run(g3, consistent4())
    assert rules_of(findings, "error") == []
    blocked = [(f.rule, f.row, f.column) for f in findings if not f.evaluable]
    assert ("subtotal", "三.七", "科研机构") in blocked
    assert ("row-total", "三.二", "总计") in blocked
    assert [(f.rule, f.row, f.column) for f in findings if f.rule == "blank-cell"] == [("blank-cell", "三.二", "科研机构")]
    assert all("无法核验" in f.message for f in findings if not f.evaluable)


def test_dash_and_slash_are_blank_not_zero():
    g3 = consistent3(seed=8)
    g3["三.五.3"] = ["-", "/", "0", "0", "0", "0", "-"]
    report, findings = run(g3, consistent4())
    row = report.tables["三"].row("三.五.3")
    assert [c.value for c in row.cells] == [None, None, 0, 0, 0, 0, None]
    assert [c.raw for c in row.cells][:2] == ["-", "/"]
    assert len([f for f in findings if f.rule == "blank-cell"]) == 3


def test_bad_cell_and_negative_count():
    g3 = consistent3(seed=9)
    g3["三.三.1"] = ["1O", "0", "0", "0", "0", "0", "1O"]
    g3["三.三.2"] = ["-1", "0", "0", "0", "0", "0", "-1"]
    g3["三.三.3"] = ["1.5", "0", "0", "0", "0", "0", "1.5"]
    _, findings = run(g3, consistent4())
    bad = [(f.row, f.column) for f in findings if f.rule == "bad-cell"]
    assert ("三.三.1", "自然人") in bad and ("三.三.1", "总计") in bad
    assert ("三.三.2", "自然人") in bad  # negative count
    assert ("三.三.3", "自然人") in bad  # not a whole number


def test_row_shape_too_few_and_too_many():
    g3 = consistent3(seed=10)
    g3["三.四.2"] = [1, 2, 3]
    g3["三.四.3"] = [1, 0, 0, 0, 0, 0, 0, 1]
    report, findings = run(g3, consistent4())
    shapes = {f.row: (f.expected, f.actual) for f in findings if f.rule == "row-shape"}
    assert shapes == {"三.四.2": (7, 3), "三.四.3": (7, 8)}
    assert all(c.value is None for c in report.tables["三"].row("三.四.3").cells)


def test_missing_row_and_missing_table():
    g3 = consistent3(seed=11)
    del g3["三.三.7"]
    _, findings = run(g3, consistent4())
    assert [(f.rule, f.row) for f in findings if f.rule == "missing-row"] == [("missing-row", "三.三.7")]
    blocked = {f.column for f in findings if f.rule == "subtotal" and not f.evaluable}
    assert blocked == {"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
    text = render(consistent3(), consistent4()).split("四、政府信息公开行政复议")[0]
    report = parse(Source.from_text(text))
    assert ("missing-row", "四", None) in {(f.rule, f.table, f.row) for f in check(report)}


def test_template_year_mismatch():
    _, findings = run(consistent3("2019"), consistent4(), "2019", 2022)
    assert [(f.rule, f.expected, f.actual) for f in findings] == [("template-year", "2021", "2019")]
    _, findings = run(consistent3("2021"), consistent4(), "2021", 2020)
    assert [(f.rule, f.expected, f.actual) for f in findings] == [("template-year", "2019", "2021")]


def test_template_mix_is_reported():
    text = render(consistent3("2021"), consistent4(), "2021", 2022).replace("本年制发件数", "本年新制作数量")
    text = text.replace("行政规范性文件\t0", "规范性文件\t0")
    text = text.replace("二、主动公开政府信息情况\n", "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t上一年项目数量\n")
    findings = check(parse(Source.from_text(text)))
    assert [f.rule for f in findings] == ["template-year"]
    assert "混用" in findings[0].message


def test_registry_adding_a_rule_touches_one_place():
    @rule("test-only", "info", "测试", "test")
    def _always(report, template):
        from auditui.core.model import Finding

        yield Finding("test-only", "info", None, None, None, None, None, "hello")

    try:
        report, _ = run(consistent3(), consistent4())
        assert [f.rule for f in check(report)] == ["test-only"]
        assert [f.rule for f in check(report, rules=["subtotal"])] == []
    finally:
        del RULES["test-only"]


def test_design_rule_ids_are_registered():
    assert set(RULES) >= {"column-balance", "subtotal", "row-total", "litigation-total", "blank-cell", "bad-cell",
                          "row-shape", "missing-row", "template-year"}
    assert {RULES[r].severity for r in ("column-balance", "subtotal", "row-total", "litigation-total")} == {"error"}


def test_finding_keys_are_stable_and_distinct():
    g3 = copy.deepcopy(consistent3(seed=12))
    g3["三.二"][0] += 1
    _, findings = run(g3, consistent4())
    keys = [f.key for f in findings]
    assert len(keys) == len(set(keys))
    assert "row-total/三/三.二/总计" in keys
