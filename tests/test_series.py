"""Carry-over across one body's reports for consecutive years (issue 6, part 2)."""

from __future__ import annotations

import json

import pytest
from reportgen import consistent3, consistent4, prose_sentences, render

from auditui.cli import main
from auditui.core.batch import check_file
from auditui.core.output import to_json
from auditui.core.series import Facts, body_key, check_series, groups

BODY = "某某县人民政府办公室"


def chained(years: list[int], template: str = "2021") -> dict[int, dict[str, list]]:
    """Consistent grids for consecutive years where each year's 二 is the previous year's 四."""
    grids: dict[int, dict[str, list]] = {}
    prev_four = None
    for k, year in enumerate(years):
        g = consistent3(template, seed=20 + k)
        if prev_four is not None:
            g["二"] = list(prev_four)
            g["一"] = [g["三.七"][c] + g["四"][c] - g["二"][c] for c in range(7)]
            assert min(g["一"]) >= 0
        grids[year] = g
        prev_four = g["四"]
    return grids


def fresh_prose(year: int) -> dict[str, str]:
    """Prose of its own for each year (no sentence copied from the year before)."""
    return {"prose": "".join(prose_sentences(year, year, 12)), "prose5": "".join(prose_sentences(-year, year, 4))}


def write(tmp_path, grids, body=BODY, template="2021", part2=None) -> dict[int, str]:
    paths = {}
    for year, g in grids.items():
        text = render(g, consistent4(year), template, year, body=body, **fresh_prose(year))
        for old, new in (part2 or {}).get(year, {}).items():
            assert old in text
            text = text.replace(old, new)
        p = tmp_path / f"{body}-{year}.txt"
        p.write_text(text, encoding="utf-8")
        paths[year] = str(p)
    return paths


def summaries(paths):
    return [check_file(p) for p in paths]


def test_body_names_are_normalised_but_bodies_never_merged():
    assert body_key("某某县人民政府办公室") == body_key("某某县 政府办公室") == body_key("某某县人民政府办公室。")
    assert body_key("某某县人民政府办公室") == body_key("　某某县人民政府办公室（）")  # full-width space, brackets
    assert body_key("淮安市人民政府") != body_key("淮安市人民政府办公室")
    assert body_key("尧都区工信局") != body_key("尧都区解放路办事处")
    assert body_key("会宁县工业和信息化局") != body_key("会宁县工信局")  # abbreviations are not guessed
    # too generic to tell bodies apart: no series at all
    for generic in ("工信局", "市政府办公室", "区教育局", "", None):
        assert body_key(generic) is None, generic


def test_consistent_three_year_series_has_no_findings(tmp_path):
    paths = write(tmp_path, chained([2021, 2022, 2023]))
    assert check_series(summaries(paths.values())) == {}


def test_one_broken_carry_over_in_three_years_reports_exactly_that_column(tmp_path):
    grids = chained([2021, 2022, 2023])
    g = grids[2023]
    # 2023 says one more 商业企业 application was carried over than 2022 carried out; its own arithmetic holds.
    g["二"][1] += 1
    g["二"][6] += 1
    g["一"][1] -= 1
    g["一"][6] -= 1
    paths = write(tmp_path, grids)
    sums = summaries(paths.values())
    assert all(c.counts["error"] == 0 for c in sums)
    found = check_series(sums)
    assert list(found) == [paths[2023]]
    [f] = found[paths[2023]]
    want = grids[2022]["四"][1]
    assert (f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual) == \
        ("carry-over", "warning", "三", "二", "商业企业", want, want + 1)
    assert f.path == paths[2023]
    assert "2022" in f.message and "2023" in f.message and f"{BODY}-2022.txt" in f.message
    assert "总计" in f.message  # the total it moved is named in the same finding


def test_total_reported_when_the_columns_do_not_explain_it(tmp_path):
    grids = chained([2022, 2023])
    # 2023's 二 row total is wrong (a row-total error of its own) while every column carries over correctly
    grids[2023]["二"][6] += 2
    grids[2023]["一"][6] -= 2
    paths = write(tmp_path, grids)
    found = check_series(summaries(paths.values()))
    assert [(f.column, f.actual - f.expected) for f in found[paths[2023]]] == [("总计", 2)]


def test_years_must_be_consecutive_and_bodies_the_same(tmp_path):
    a = chained([2021, 2022])
    a[2022]["二"][0] += 1
    a[2022]["二"][6] += 1
    a[2022]["一"][0] -= 1
    a[2022]["一"][6] -= 1
    pa = write(tmp_path, {2021: a[2021]}, body="甲县人民政府办公室")
    pb = write(tmp_path, {2022: a[2022]}, body="乙县人民政府办公室")
    assert check_series(summaries([*pa.values(), *pb.values()])) == {}
    gap = write(tmp_path, {2021: a[2021], 2023: a[2022]})
    assert check_series(summaries(gap.values())) == {}
    generic = write(tmp_path, a, body="工信局")
    assert check_series(summaries(generic.values())) == {}


def test_2021_template_rules_in_force_are_an_informational_finding(tmp_path):
    grids = chained([2022, 2023])
    part2 = {2022: {"规章\t0\t0\t0": "规章\t1\t0\t11", "行政规范性文件\t0\t0\t0": "行政规范性文件\t8\t2\t60"},
             2023: {"规章\t0\t0\t0": "规章\t2\t1\t12", "行政规范性文件\t0\t0\t0": "行政规范性文件\t5\t3\t64"}}
    paths = write(tmp_path, grids, part2=part2)
    found = check_series(summaries(paths.values()))
    # 规章: 11 + 2 − 1 = 12 holds. 行政规范性文件: 60 + 5 − 3 = 62, the report says 64 (an amendment, maybe).
    assert [(f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual) for f in found[paths[2023]]] == [
        ("carry-over", "info", "二", "规范性文件", "现行有效件数", 62, 64)]


def test_2019_template_has_no_rules_in_force_check(tmp_path):
    grids = chained([2019, 2020], template="2019")
    paths = write(tmp_path, grids, template="2019")
    assert check_series(summaries(paths.values())) == {}


def test_with_findings_keeps_severity_order_and_counts(tmp_path):
    grids = chained([2022, 2023])
    grids[2023]["二"][0] += 1
    grids[2023]["二"][6] += 1
    grids[2023]["一"][0] -= 1
    grids[2023]["一"][6] -= 1
    paths = write(tmp_path, grids)
    sums = summaries(paths.values())
    found = check_series(sums)
    s = to_json(sums[1].with_findings(found[paths[2023]]))
    assert s["counts"]["warning"] == 1 and [f["rule"] for f in s["findings"]] == ["carry-over"]
    assert json.dumps(s, ensure_ascii=False)


def test_facts_and_checked_reports_give_the_same_series(tmp_path):
    paths = write(tmp_path, chained([2022, 2023]))
    checked = [check_file(p) for p in paths.values()]
    a = check_series(Facts.of(c) for c in checked)
    b = check_series(checked)
    assert a == b == {}
    assert [f.year for f in next(iter(groups(checked).values()))] == [2022, 2023]


def _broken_series(tmp_path):
    grids = chained([2021, 2022, 2023])
    grids[2023]["二"][1] += 1
    grids[2023]["二"][6] += 1
    grids[2023]["一"][1] -= 1
    grids[2023]["一"][6] -= 1
    return write(tmp_path, grids)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_on_a_folder_puts_carry_over_in_the_right_report_json(tmp_path, capsys, jobs):
    paths = _broken_series(tmp_path)
    assert main(["check", str(tmp_path), "--format", "json", "--jobs", jobs]) == 0  # warnings only
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    by_path = {o["path"]: o for o in lines}
    assert set(by_path) == set(paths.values())
    carry = {p: [f for f in o["findings"] if f["rule"] == "carry-over"] for p, o in by_path.items()}
    assert [len(carry[paths[y]]) for y in (2021, 2022, 2023)] == [0, 0, 1]
    assert carry[paths[2023]][0]["column"] == "商业企业"
    assert by_path[paths[2023]]["counts"]["warning"] == 1


def test_check_text_prints_series_after_reports_and_no_series_turns_it_off(tmp_path, capsys):
    _broken_series(tmp_path)
    assert main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "across years" in out and out.index("across years") > out.rindex("template 2021")
    assert "carry-over" in out and BODY in out
    assert main(["check", str(tmp_path), "--format", "json", "--no-series"]) == 0
    assert "carry-over" not in capsys.readouterr().out


def test_toml_output_includes_series_findings(tmp_path, capsys):
    import tomllib

    paths = _broken_series(tmp_path)
    assert main(["check", str(tmp_path), "--format", "toml"]) == 0
    doc = tomllib.loads(capsys.readouterr().out)
    rules = {r["path"]: [f["rule"] for f in r.get("findings", [])] for r in doc["report"]}
    assert rules[paths[2023]] == ["carry-over"] and rules[paths[2021]] == []
