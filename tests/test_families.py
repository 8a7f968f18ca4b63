"""Every family of layouts real reports come in (tests/reportgen.py), over both templates, with and without planted
errors: the grid is exact where the text holds it, the arithmetic errors are found, and — the property that
matters most — no cell is ever read wrong without a finding on its row."""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportgen import FAMILIES, Truth, generate, judge

from auditui.core.model import Report, Source
from auditui.core.parse import parse
from auditui.core.rules import check

EXACT = [f for f in FAMILIES if f != "flattened"]
"""The families whose text holds every number apart when no cell is blank (a flattened page runs neighbouring
cells' digits together: some rows can be cut in several ways and stay unread, for the auditor to choose)."""


class Read(NamedTuple):
    truth: Truth
    report: Report
    findings: list
    judged: dict


def read(family: str, seed: int, **kw) -> Read:
    truth, text = generate(family, seed, **kw)
    report = parse(Source.from_text(text, path=f"{family}-{seed}.txt"))
    findings = check(report)
    return Read(truth, report, findings, judge(truth, report, findings))


@given(family=st.sampled_from(sorted(FAMILIES)), seed=st.integers(0, 10**6))
def test_no_cell_is_wrong_without_a_finding_on_its_row(family, seed):
    truth, report, _, j = read(family, seed)
    assert j["wrong"] == [], f"{family} seed {seed}: read wrong without a flag: {j['wrong'][:5]}"
    # and no error is raised over arithmetic that holds
    assert j["counts"]["false_error_reports"] == 0, [(f.rule, f.row, f.column) for f in j["errors"]]
    assert (report.template, report.year) == (truth.template, truth.year)



@pytest.mark.parametrize(("family", "seed"), [("cells", 308379), ("cells", 2572), ("flattened", 919),
                                             ("crawled-cells", 238), ("crawled-cells", 432), ("crawled-cells", 1771),
                                             ("crawled-cells", 1887), ("converter-md", 152)])
def test_reports_once_read_by_a_guess(family, seed):
    """Reports the property above failed for (fuzz runs): part 四's numbers printed one space apart under a header
    printed so too, placed by where they happened to stand (a false error); a table cut into cells on the premise
    of its totals, all of which then held, with no finding to say so; blanks on both sides of a row's values, the
    padding taken from the end (a crawler's "|" line before part 四's cells) or placed by full rows whose labels
    take one cell more; a row whose label the converter lost, run into the row above once that one was ambiguous."""
    j = read(family, seed).judged
    assert j["wrong"] == []
    assert j["counts"]["false_error_reports"] == 0, [(f.rule, f.row, f.column) for f in j["errors"]]


@pytest.mark.parametrize("family", EXACT)
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_clean_report_reads_exactly(family, template):
    for seed in range(4):
        truth, report, _, j = read(family, seed, errors=0, blanks=0.0, template=template)
        c = j["counts"]
        assert c["right"] == c["cells"], (seed, [x for x in j["wrong"]][:5])
        assert not j["errors"]
        assert (report.template, report.year, report.body) == (truth.template, truth.year, truth.body)


@pytest.mark.parametrize("family", EXACT)
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_planted_errors_are_found(family, template):
    for seed in range(4):
        truth, _, _, j = read(family, seed, errors=2, blanks=0.0, template=template)
        c = j["counts"]
        assert c["violations_found"] == c["violations"] > 0, (seed, truth.planted)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_flattened_pages_are_read_where_certain_and_flag_the_rest(template):
    right = cells = 0
    for seed in range(12):
        _, report, _, j = read("flattened", seed, errors=seed % 2, blanks=0.0, template=template)
        c = j["counts"]
        assert j["wrong"] == []
        right, cells = right + c["right"], cells + c["cells"]
        # every arithmetic violation is found, or a row of it could not be read (and says so)
        assert c["violations_found"] + c["violations_flagged"] == c["violations"]
        for row in (r for t in report.tables.values() for r in t.rows):
            if row.candidates:  # every row left unread lists the readings the auditor may choose from
                assert all(len(cand) == len(row.cells) for cand in row.candidates)
    assert right / cells > 0.85


def test_the_old_table_in_a_later_year_is_read_as_the_old_template():
    for family in FAMILIES:
        _, report, findings, _ = read(family, 3, template="2019", year=2023, errors=0, blanks=0.0)
        assert report.template == "2019", family
        assert report.tables["三"].get("三.六").found, family
        assert "template-year" in {f.rule for f in findings}, family


def test_a_row_whose_label_the_converter_lost_is_placed_by_order_and_said_so():
    truth, text = generate("converter-md", 7, errors=0, blanks=0.0, template="2021")
    lines = text.split("\n")
    row_line = next(i for i, line in enumerate(lines) if "没有现成信息" in line)
    lines[row_line] = "| " + lines[row_line].split("|", 2)[2]  # the label cell left empty
    report = parse(Source.from_text("\n".join(lines)))
    row = report.tables["三"].row("三.四.2")
    assert [c.value for c in row.cells] == truth.g3["三.四.2"]
    placed = [f for f in check(report) if f.rule == "row-shape" and f.row == "三.四.2"]
    assert placed and placed[0].severity == "info" and "标签缺失" in placed[0].message


def test_a_line_holding_text_is_never_taken_for_a_lost_label():
    """Rows swapped out of order keep their unmatched labels: their numbers are not given to the missing row."""
    truth, text = generate("converter-md", 7, errors=0, blanks=0.0, template="2021")
    lines = text.split("\n")
    a = next(i for i, line in enumerate(lines) if "没有现成信息" in line)
    b = next(i for i, line in enumerate(lines) if "补正后申请" in line)
    lines[a], lines[b] = lines[b], lines[a]
    report = parse(Source.from_text("\n".join(lines)))
    row = report.tables["三"].row("三.四.2")
    assert [c.value for c in row.cells] in ([None] * 7, truth.g3["三.四.2"])


@given(seed=st.integers(0, 10**6), cut=st.integers(1, 6), which=st.integers(0, 10**3), keep_column=st.booleans())
def test_a_row_wrapped_over_two_lines_is_never_read_in_a_made_up_order(seed, cut, which, keep_column):
    """A crawled or PDF-rendered row can run over two lines (some cells on the label's line, the rest below, at
    their columns or not): the numbers are read in their order or the row is left unread with a finding, never put
    in other cells."""
    truth, text = generate("layout", seed, errors=0, blanks=0.0)
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if len(re.findall(r"(?<![\d.．])\d+(?=\s|$)", line)) == 7]
    assert rows
    i = rows[which % len(rows)]
    at = [m.start() for m in re.finditer(r"(?<![\d.．])\d+(?=\s|$)", lines[i])][cut]
    rest = lines[i][at:]
    lines[i:i + 1] = [lines[i][:at].rstrip(), (" " * at if keep_column else "") + rest]
    report = parse(Source.from_text("\n".join(lines)))
    j = judge(truth, report, check(report))
    assert j["wrong"] == [], j["wrong"][:5]


def test_digits_too_many_to_cut_leave_the_row_unread_at_once():
    """However long the digits run, the ways to cut them are counted, not tried: the row is unread and says so."""
    _, text = generate("converter-md", 3, errors=0, blanks=0.0, template="2021")
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if "没有现成信息" in line)
    label = lines[i].split("|")[1]
    lines[i] = f"|{label}| {'12345678' * 8} |"
    report = parse(Source.from_text("\n".join(lines)))
    row = report.tables["三"].row("三.四.2")
    assert [c.value for c in row.cells] == [None] * 7
    assert ("row-shape", "三.四.2") in {(f.rule, f.row) for f in check(report)}


@given(raws=st.lists(st.text("0123456789", min_size=1, max_size=9), min_size=1, max_size=4),
       n=st.integers(1, 9))
def test_the_ways_to_cut_digits_are_counted_as_they_are_made(raws, n):
    from auditui.core.parse.shape import _ways, count_ways

    ways = _ways(raws, n)
    assert count_ways(raws, n) == len(ways) == len(set(ways))
    for w in ways:
        assert ["".join(parts) for parts in w] == raws and sum(map(len, w)) == n
        assert all(p == "0" or not p.startswith("0") for parts in w for p in parts)
