"""The five seed reports: complete grids and the exact findings of each (issue 2's "must show")."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from auditui.core.batch import check_file

Z = [0, 0, 0, 0, 0, 0, 0]
N7 = [None] * 7
N5 = [None] * 5
Z5 = [0, 0, 0, 0, 0]
ROWS_2019 = ["一", "二", "三.一", "三.二", *[f"三.三.{i}" for i in range(1, 9)], *[f"三.四.{i}" for i in range(1, 4)],
             *[f"三.五.{i}" for i in range(1, 6)], "三.六", "三.七", "四"]
ROWS_2021 = [r for r in ROWS_2019 if r != "三.六"]
ROWS_2021[ROWS_2021.index("三.七"):ROWS_2021.index("三.七")] = ["三.六.1", "三.六.2", "三.六.3"]
COLS3 = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
COLS4 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def grid3(rows: list[str], overrides: dict[str, list]) -> dict:
    return {r: dict(zip(COLS3, overrides.get(r, Z), strict=True)) for r in rows}


def grid4(a, b, c) -> dict:
    return {k: dict(zip(COLS4, v, strict=True)) for k, v in zip(["行政复议", "未经复议直接起诉", "复议后起诉"],
                                                                   [a, b, c], strict=True)}


EXPECTED = {
    "000": ("尧都区工信局", 2020, "2019",
            grid3(ROWS_2019, {"三.七": N7, "四": N7}), grid4(Z5, Z5, Z5)),
    "001": ("会宁县工业和信息化局", 2021, "2021", grid3(ROWS_2021, {}), grid4(Z5, Z5, Z5)),
    "002": ("尧都区解放路办事处", 2020, "2019", grid3(ROWS_2019, {}), grid4(Z5, Z5, Z5)),
    "003": ("张家港市工业和信息化局", 2020, "2019",
            grid3(ROWS_2019, {"一": [1, 0, 0, 0, 0, 0, 1], "三.一": [1, 0, 0, 0, 0, 0, 1],
                              "三.四.1": [2, 0, 0, 0, 0, 0, 2], "三.七": [1, 0, 0, 0, 0, 0, 1]}),
            grid4(N5, Z5, Z5)),
    # 004: rows carrying 1, 8 or 9 numbers where 7 belong are unreadable as a whole (never guessed).
    "004": ("工信局", 2022, "2021",
            grid3(ROWS_2021, {r: N7 for r in ROWS_2021 if r not in ("一", "二", "三.三.1")}),
            grid4(Z5, Z5, Z5)),
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_identity_and_complete_grids(seed):
    body, year, template, g3, g4 = EXPECTED[seed]
    c = check_file(SEEDS[seed])
    assert c.error is None
    r = c.report
    assert (r.body, r.year, r.template) == (body, year, template)
    assert r.values() == {"三": g3, "四": g4}


def _shape(findings):
    return [(f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual, f.evaluable) for f in findings]


def test_seed_001_and_002_have_no_findings():
    assert check_file(SEEDS["001"]).findings == ()
    assert check_file(SEEDS["002"]).findings == ()


def test_seed_003_findings_exactly():
    assert _shape(check_file(SEEDS["003"]).findings) == [
        ("subtotal", "error", "三", "三.七", "自然人", 3, 1, True),
        ("subtotal", "error", "三", "三.七", "总计", 3, 1, True),
        ("litigation-total", "warning", "四", "行政复议", "总计", None, None, False),
        *[("blank-cell", "warning", "四", "行政复议", c, None, None, True) for c in COLS4],
    ]


def test_seed_000_findings_exactly():
    blocked = [("column-balance", "warning", "三", None, c, None, None, False) for c in COLS3]
    blocked += [("subtotal", "warning", "三", "三.七", c, None, None, False) for c in COLS3]
    blocked += [("row-total", "warning", "三", r, "总计", None, None, False) for r in ("三.七", "四")]
    blanks = [("blank-cell", "warning", "三", r, c, None, None, True) for r in ("三.七", "四") for c in COLS3]
    assert _shape(check_file(SEEDS["000"]).findings) == blocked + blanks
    assert len(blanks) == 14


def test_seed_004_findings_exactly():
    shapes = {r: (7, 8) for r in ROWS_2021 if r not in ("一", "二", "三.一", "三.三.1")}
    shapes.update({"三.一": (7, 1), "三.七": (7, 9), "四": (7, 9)})
    expected = [("column-balance", "warning", "三", None, c, None, None, False) for c in COLS3]
    expected += [("subtotal", "warning", "三", "三.七", c, None, None, False) for c in COLS3]
    expected += [("row-shape", "warning", "三", r, None, *shapes[r], True) for r in ROWS_2021 if r in shapes]
    assert _shape(check_file(SEEDS["004"]).findings) == expected
    one = next(f for f in check_file(SEEDS["004"]).findings if f.rule == "row-shape" and f.row == "三.一")
    assert "1 个数值" in one.message and "7 个" in one.message


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_gb18030_and_crlf_copies_give_identical_output(seed, tmp_path):
    text = SEEDS[seed].read_text(encoding="utf-8")
    variants = {
        "gbk.txt": text.encode("gb18030"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gbk-crlf.txt": text.replace("\n", "\r\n").encode("gb18030"),
    }
    base = check_file(SEEDS[seed])
    for name, data in variants.items():
        p = tmp_path / name
        p.write_bytes(data)
        c = check_file(p)
        assert c.error is None, name
        assert c.report.values() == base.report.values(), name
        assert (c.report.body, c.report.year, c.report.template) == (
            base.report.body, base.report.year, base.report.template)
        assert [f.to_json() for f in c.findings] == [f.to_json() for f in base.findings], name
        assert c.report.source.text == base.report.source.text


def test_cells_keep_raw_text_and_exact_spans():
    c = check_file(SEEDS["003"])
    src = c.report.source
    for table in ("三", "四"):
        for row in c.report.tables[table].rows:
            for cell in row.cells:
                assert cell.span is not None
                if cell.value is not None:
                    assert src.snippet(cell.span) == cell.raw
                    assert int(cell.raw) == cell.value
    total = c.report.tables["三"].row("三.七").cell("自然人")
    assert src.lines[total.span.line].startswith("| (七) 总计")
