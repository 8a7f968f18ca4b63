"""The likely wrong cell of a report with arithmetic errors (issue 6, part 3)."""

from __future__ import annotations

import json

from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportgen import consistent3, consistent4, render

from auditui.cli import main
from auditui.core.batch import check_file
from auditui.core.model import CellRef, Source
from auditui.core.parse import parse
from auditui.core.rules import check
from auditui.core.suggest import NO_FIX, describe, digit_distance, no_fix
from auditui.core.template import BY_ID

COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
ROWS_2021 = [r.id for r in BY_ID["2021"].tables["三"].value_rows]


def errors(g3, g4, template="2021", year=2022):
    report = parse(Source.from_text(render(g3, g4, template, year), "t.txt"))
    return [f for f in check(report) if f.severity == "error"]


def fixes(finding):
    return [(str(s.cell), s.current, s.proposed, tuple((str(a.cell), a.current, a.proposed) for a in s.also))
            for s in finding.suggestions]


def test_digit_distance():
    assert digit_distance(2, 0) == 1
    assert digit_distance(12, 10) == 1
    assert digit_distance(105, 15) == 2
    assert digit_distance(7, 17) == 1
    assert digit_distance(46, 64) == 2
    assert digit_distance(3119, 3119) == 0


def test_seed_003_lists_the_one_value_that_fixes_both_subtotals():
    """三.四.1 says 2 (自然人 and 总计) while 一 and （七） say 1: the subtotal fails in 自然人 and 总计.
    No single cell repairs two columns. Changing （七） to 3 repairs both subtotals but breaks the column balance
    (1 + 0 ≠ 3 + 0); lowering 三.一 would make it negative. What remains is one value: 三.四.1's 自然人 count,
    with the row's 总计 that carries it."""
    findings = [f for f in check_file(SEEDS["003"]).findings if f.severity == "error"]
    assert [(f.rule, f.column) for f in findings] == [("subtotal", "自然人"), ("subtotal", "总计")]
    want = [("三/三.四.1/自然人", 2, 0, (("三/三.四.1/总计", 2, 0),))]
    for f in findings:
        assert fixes(f) == want
        assert NO_FIX not in f.message and not no_fix(f)
        assert f.to_json()["suggestions"] == [
            {"cell": "三/三.四.1/自然人", "current": 2, "proposed": 0, "changed_digits": 1,
             "also": [{"cell": "三/三.四.1/总计", "current": 2, "proposed": 0, "changed_digits": 1, "also": []}]}]
    assert describe(findings[0].to_json()["suggestions"][0]) == "三.四.1/自然人 2 → 0（总计 2 → 0）"


def test_seed_003_check_text_shows_the_correction(capsys):
    assert main(["check", str(SEEDS["003"])]) == 1
    out = capsys.readouterr().out
    assert out.count("→ 可能的修正：三.四.1/自然人 2 → 0（总计 2 → 0）") == 2


def test_two_independent_errors_have_no_single_value_fix():
    g3 = consistent3(seed=11)
    g3["三.一"][0] += 1  # a typo in one row and column…
    g3["三.五.2"][2] += 3  # …and another elsewhere
    found = errors(g3, consistent4())
    assert {(f.rule, f.row, f.column) for f in found} == {
        ("subtotal", "三.七", "自然人"), ("subtotal", "三.七", "科研机构"),
        ("row-total", "三.一", "总计"), ("row-total", "三.五.2", "总计")}
    for f in found:
        assert f.suggestions == () and no_fix(f) and no_fix(f.to_json())
        assert f.message.endswith(NO_FIX)
        assert f.message_en.endswith("no correction of a single value makes every rule hold")


def test_single_mistyped_total_is_the_only_suggestion():
    g3 = consistent3(seed=12)
    right = g3["三.七"][6]
    g3["三.七"][6] = int(str(right)[::-1]) if str(right)[::-1] != str(right) else right + 10
    found = errors(g3, consistent4())
    assert {f.rule for f in found} == {"column-balance", "subtotal", "row-total"}
    for f in found:
        assert fixes(f) == [("三/三.七/总计", g3["三.七"][6], right, ())]


def test_row_candidates_for_a_column_balance_error_are_ranked():
    g3 = consistent3(seed=13)
    # 一's 自然人 count mistyped, its 总计 added up from it: the column balance fails in 自然人 and 总计.
    g3["一"][0] += 5
    g3["一"][6] += 5
    [a, b] = errors(g3, consistent4())
    assert (a.rule, a.column, b.rule, b.column) == ("column-balance", "自然人", "column-balance", "总计")
    cells = [s.cell for s in a.suggestions]
    # 一 back down, or 二 up, or 四 up; never （七）总计 (the subtotal would break)
    assert set(cells) <= {CellRef("三", r, "自然人") for r in ("一", "二", "四")}
    assert CellRef("三", "一", "自然人") in cells
    keys = [(s.changed_digits + sum(x.changed_digits for x in s.also), abs(s.proposed - s.current))
            for s in a.suggestions]
    assert keys == sorted(keys)
    assert all(s.also and s.also[0].cell.column == "总计" for s in a.suggestions)


def test_litigation_candidates_ranked_by_changed_digits():
    g4 = [[10, 4, 12, 20, 46], [1, 2, 17, 3, 23], [11, 18, 1, 16, 46]]
    g4[0][0] = 100  # 10 typed with an extra 0
    [f] = errors(consistent3(seed=14), g4)
    assert f.rule == "litigation-total"
    # 结果维持 100 → 10 (two digits) before 总计 46 → 136 (three); lowering the others would go negative.
    assert fixes(f) == [("四/行政复议/结果维持", 100, 10, ()), ("四/行政复议/总计", 46, 136, ())]


def test_grids_are_independent_part_three_and_each_row_of_part_four():
    g3 = consistent3(seed=15)
    g3["三.七"][6] += 1
    g4 = [[10, 4, 12, 20, 47], [1, 2, 17, 3, 23], [11, 18, 1, 16, 46]]
    found = errors(g3, g4)
    three = [f for f in found if f.table == "三"]
    four = [f for f in found if f.table == "四"]
    assert three and four
    assert all(fixes(f) == [("三/三.七/总计", g3["三.七"][6], g3["三.七"][6] - 1, ())] for f in three)
    assert len(four[0].suggestions) == 5 and four[0].suggestions[0].changed_digits == 1


def test_json_output_carries_suggestions(capsys):
    assert main(["check", str(SEEDS["003"]), "--format", "json"]) == 1
    obj = json.loads(capsys.readouterr().out)
    sub = [f for f in obj["findings"] if f["rule"] == "subtotal"]
    assert [s["cell"] for f in sub for s in f["suggestions"]] == ["三/三.四.1/自然人"] * 2


# --------------------------------------------------------------------------------------------- properties
grids = st.integers(min_value=0, max_value=10_000)
cells = st.tuples(st.sampled_from(ROWS_2021), st.integers(min_value=0, max_value=6))
deltas = st.integers(min_value=-9, max_value=40).filter(lambda d: d != 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=grids, cell=cells, delta=deltas)
def test_one_mistyped_cell_is_always_among_the_suggestions(seed, cell, delta):
    g3 = consistent3(seed=seed)
    row, col = cell
    right = g3[row][col]
    if right + delta < 0:
        return
    g3[row][col] = right + delta
    found = errors(g3, consistent4(seed))
    assert found
    for f in found:
        assert (f"三/{row}/{COLS[col]}", right + delta, right, ()) in fixes(f)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=grids, cell=st.tuples(st.sampled_from(ROWS_2021), st.integers(min_value=0, max_value=5)),
       delta=deltas)
def test_one_mistyped_count_carried_into_its_row_total_is_among_the_suggestions(seed, cell, delta):
    g3 = consistent3(seed=seed)
    row, col = cell
    right, total = g3[row][col], g3[row][6]
    if right + delta < 0:
        return
    g3[row][col] += delta
    g3[row][6] += delta
    found = errors(g3, consistent4(seed))
    assert found
    want = (f"三/{row}/{COLS[col]}", right + delta, right, ((f"三/{row}/总计", total + delta, total),))
    for f in found:
        assert want in fixes(f)
