"""The ``narrative`` rule: claims in the prose against the table (issue 6, part 1)."""

from __future__ import annotations

import pytest
from conftest import REAL_PDF, SEEDS
from reportgen import consistent3, consistent4, render, zeros3, zeros4

from auditui.core.batch import check_file
from auditui.core.model import Source
from auditui.core.narrative import prose_lines
from auditui.core.parse import parse
from auditui.core.rules import check

# consistent3("2021", 7): 一 582, 二 10, 三.一 22, 三.二 26, 三.三 219, 三.四 95, 三.五 146, 三.六 70, 三.七 578, 四 14;
# 一's 自然人 83, its five organisation columns 499.
# consistent4(7): 行政复议 10 4 12 20 | 46; 未经复议直接起诉 1 2 17 3 | 23; 复议后起诉 11 18 1 16 | 46.
G3, G4 = consistent3("2021", 7), consistent4(7)


def narrative(prose: str, g3=None, g4=None, template="2021", year=2022, layout="tsv", fmt="text"):
    text = render(g3 or G3, g4 or G4, template, year, layout=layout, prose=prose)
    report = parse(Source.from_text(text, "t.txt", format=fmt))
    return report, [f for f in check(report) if f.rule == "narrative"]


def shape(findings):
    return [(f.table, f.row, f.column, f.expected, f.actual) for f in findings]


def test_grid_is_what_the_tests_assume():
    assert (G3["一"][6], G3["二"][6], G3["三.七"][6], G3["四"][6], G3["三.一"][6]) == (582, 10, 578, 14, 22)
    assert G3["一"][0] == 83 and sum(G3["一"][1:6]) == 499
    assert [row[4] for row in G4] == [46, 23, 46]


# (sentence with {n}, the right number, the cell it is compared with)
PHRASINGS = [
    ("2022年，我办共受理政府信息公开申请{n}件，均在法定期限内予以答复。", 582, ("三", "一", "总计")),
    ("全年共收到政府信息公开申请{n}件。", 582, ("三", "一", "总计")),
    ("本年度新收政府信息公开申请{n}件，申请人主要为自然人。", 582, ("三", "一", "总计")),
    ("2022年，我办办结政府信息公开申请{n}件。", 578, ("三", "三.七", "总计")),
    ("全年受理政府信息公开申请582件，答复{n}件。", 578, ("三", "三.七", "总计")),
    ("办理上年结转政府信息公开申请{n}件。", 10, ("三", "二", "总计")),
    ("全年答复578件（含上年度结转申请{n}件），均在法定期限内予以答复。", 10, ("三", "二", "总计")),
    ("因需征求第三方意见，结转下年度继续办理{n}件。", 14, ("三", "四", "总计")),
    ("全年答复578件，另有{n}件顺延到下年度答复。", 14, ("三", "四", "总计")),
    ("全年收到政府信息公开申请后，予以公开{n}件。", 22, ("三", "三.一", "总计")),
    ("依申请公开方面，部分公开{n}件。", 26, ("三", "三.二", "总计")),
    ("依申请公开方面，不予公开{n}件。", 219, ("三", "三.三", "总计")),
    ("依申请公开方面，无法提供{n}件。", 95, ("三", "三.四", "总计")),
    ("依申请公开方面，不予处理{n}件。", 146, ("三", "三.五", "总计")),
    ("依申请公开方面，其他处理{n}件。", 70, ("三", "三.六", "总计")),
    ("发生政府信息公开行政复议{n}件。", 46, ("四", "行政复议", "总计")),
    ("政府信息公开行政复议46件，其中结果维持{n}件。", 10, ("四", "行政复议", "结果维持")),
    ("政府信息公开行政复议46件，其中结果维持10件，结果纠正{n}件。", 4, ("四", "行政复议", "结果纠正")),
    ("政府信息公开行政复议46件，其中结果维持10件，结果纠正4件，其他结果{n}件。", 12, ("四", "行政复议", "其他结果")),
    ("政府信息公开行政复议46件，其中结果维持10件，尚未审结{n}件。", 20, ("四", "行政复议", "尚未审结")),
    ("因政府信息公开被提起行政诉讼{n}件。", 69, ("四", None, "总计")),
    ("政府信息公开行政诉讼69件，其中结果维持{n}件。", 12, ("四", None, "结果维持")),
    ("政府信息公开行政诉讼69件，其中结果维持12件，结果纠正{n}件，其他结果18件，尚未审结19件。", 20,
     ("四", None, "结果纠正")),
    ("全年共收到政府信息公开申请582件，其中自然人申请{n}件。", 83, ("三", "一", "自然人")),
    ("全年共收到政府信息公开申请582件，其中自然人83件，法人或其他组织{n}件。", 499, ("三", "一", None)),
]


@pytest.mark.parametrize("sentence,right,where", PHRASINGS, ids=[p[0][:14] for p in PHRASINGS])
def test_each_phrasing_is_compared_with_its_cell(sentence, right, where):
    heading = "（二）依申请公开办理情况\n\n"
    _, ok = narrative(heading + sentence.format(n=right))
    assert ok == [], sentence
    wrong = right + 3
    _, findings = narrative(heading + sentence.format(n=wrong))
    assert shape(findings) == [(*where, right, wrong)]
    f = findings[0]
    assert f.severity == "warning" and f.evaluable
    assert str(wrong) in f.message and str(right) in f.message and f.message_en


def test_a_consistent_paragraph_in_the_register_of_the_seeds_gives_no_finding():
    prose = ("（二）依申请公开情况。2022年，我办共受理政府信息公开申请582件，答复578件（含上年度结转申请10件，"
             "另有14件顺延到下年度答复），均在法定期限内予以答复。其中予以公开22件，占3.8%；部分公开26件，占4.5%；"
             "不予公开219件；无法提供95件；不予处理146件；其他处理70件。政府信息公开行政复议46件，其中结果维持10件，"
             "结果纠正4件，其他结果12件，尚未审结20件；政府信息公开行政诉讼69件，其中结果维持12件，结果纠正20件，"
             "其他结果18件，尚未审结19件。")
    _, findings = narrative(prose)
    assert findings == []


def test_received_is_row_one_not_one_plus_carry_over():
    # 二 (上年结转) is 10: "收到申请 582 件" is 一's 总计, and no false alarm is raised for it.
    assert G3["二"][6] == 10
    _, findings = narrative("2022年，我局共收到政府信息公开申请582件，办结578件。")
    assert findings == []
    # 592 = 一 + 二 without a word about carry-over: the prose disagrees with 一.
    _, findings = narrative("2022年，我局共收到政府信息公开申请592件。")
    assert shape(findings) == [("三", "一", "总计", 582, 592)]
    # …but when the sentence itself says the count includes last year's, 一 + 二 is accepted.
    _, findings = narrative("2022年，我局共受理政府信息公开申请592件（含上年结转申请10件）。")
    assert findings == []


def small_grid():
    g3 = zeros3("2021")
    g3["一"] = [12, 0, 0, 0, 0, 0, 12]
    g3["二"] = [2, 0, 0, 0, 0, 0, 2]
    g3["三.一"] = [10, 0, 0, 0, 0, 0, 10]
    g3["三.七"] = [10, 0, 0, 0, 0, 0, 10]
    g3["四"] = [4, 0, 0, 0, 0, 0, 4]
    g4 = zeros4()
    g4[0] = [1, 1, 0, 0, 2]
    return g3, g4


@pytest.mark.parametrize("prose", [
    "本年度共收到政府信息公开申请十二件，上年结转两件，予以公开十件，结转下年度继续办理四件。",
    "本年度共收到政府信息公开申请１２件，上年结转２件，予以公开１０件，结转下年度继续办理４件。",
    "本年度发生政府信息公开行政复议两件，其中结果维持一件，结果纠正一件，未发生行政诉讼。",
])
def test_chinese_and_full_width_numerals(prose):
    g3, g4 = small_grid()
    _, findings = narrative(prose, g3, g4)
    assert findings == []


def test_chinese_numerals_that_disagree():
    g3, g4 = small_grid()
    _, findings = narrative("本年度共收到政府信息公开申请十五件，上年结转三件，发生政府信息公开行政复议一百零五件。", g3, g4)
    assert shape(findings) == [("三", "一", "总计", 12, 15), ("三", "二", "总计", 2, 3),
                               ("四", "行政复议", "总计", 2, 105)]


def test_zero_claims():
    g3, g4 = small_grid()
    _, findings = narrative("2022年度我局未收到政府信息公开申请，未发生因政府信息公开引起的行政复议、行政诉讼。", g3, g4)
    assert shape(findings) == [("三", "一", "总计", 12, 0), ("四", "行政复议", "总计", 2, 0)]
    # seed 004 says "2022年度我局未收到申请公开事项" with an all-zero row 一: a claim of 0 that holds.
    z3, z4 = zeros3("2021"), zeros4()
    _, findings = narrative("2022年度我局未收到申请公开事项。", z3, z4)
    assert findings == []


def test_shares_against_results_total():
    # 予以公开 22 of 578 (三.七) = 3.81%; stated to any precision, rounded or truncated.
    for pct in ("3.8", "4", "3.81", "3.80"):
        _, findings = narrative(f"全年受理政府信息公开申请582件，其中予以公开22件，占{pct}%。")
        assert findings == [], pct
    _, findings = narrative("全年受理政府信息公开申请582件，其中予以公开22件，占5.2%。")
    assert shape(findings) == [("三", "三.一", "总计", 3.8, 5.2)]
    assert "22/578" in findings[0].message
    # a share of 一 (22/582 = 3.78%) is the report's choice of denominator, not an error
    _, findings = narrative("全年受理政府信息公开申请582件，其中予以公开22件，占3.78%。")
    assert findings == []


@pytest.mark.parametrize("prose", [
    "对于不能当场答复的，应当自收到申请之日起15个工作日内予以答复；如需延长答复期限的，延长答复期限最长不得超过15个工作日。",
    "突出监督保障，全年收到市政府交办的“两会”期间市人大代表建议1件，市政协提案9件，6月办结。",
    "2022年，政务服务中心共受理行政许可申请5000件，办结4998件。",
    "2021年，我办共受理政府信息公开申请30件。",
    "全年受理政府信息公开申请较上年增加5件，同比增长12%。",
    "全年受理政府信息公开申请300余件。",
    "全年发生政府信息公开行政复议、行政诉讼共3件。",
    "2022年，我局公开政府信息60条，主动公开政务信息20条，回复网民留言21次。",
    "全年共推送文章230篇，开展政策解读3次。",
    "如未收到申请人补正材料，不再处理。",
    "今年来，我局共印发党组文件23个，行政文件47个，印发简报58期。",
    "全年收取政府信息公开信息处理费 3940 元。",
    "2022年，全县各级行政机关共受理政府信息公开申请1200件，办结1180件。",
    "对申请人逾期未补正的，不再处理，共涉及申请人3人次。",
    "因政府信息公开被申请行政复议、提起行政诉讼均为0件。",
    "本机关政府信息公开工作中未发生行政复议被纠错的情形。",
    "本年度未收到申请人的补正材料，视为放弃申请。",
])
def test_sentences_not_tied_to_one_cell_are_ignored(prose):
    """Distractors in the register of the seeds: procedure, other years, proposals, other kinds of application,
    approximate counts, a list of two kinds, counts of other things, conditions."""
    _, findings = narrative(prose)
    assert findings == [], prose


def test_claims_outside_any_disclosure_context_are_ignored():
    # "办结 N 件" alone could be proposals or petitions: only under a disclosure heading or sentence is it a claim.
    _, findings = narrative("全年办结12件，结转下年度继续办理3件。")
    assert findings == []
    _, findings = narrative("（二）依申请公开情况\n全年办结12件，结转下年度继续办理3件。")
    assert shape(findings) == [("三", "三.七", "总计", 578, 12), ("三", "四", "总计", 14, 3)]


def test_quoted_categories_and_units_of_the_older_register():
    prose = ("（二）依申请公开情况\n本局2022年共受理政府信息公开申请582件，其中当面申请1宗，占0.2%。在已经答复的578件申请中，"
             "“予以公开”的22件，占总数的3.8%；“部分公开”的29件。")
    _, findings = narrative(prose)
    assert shape(findings) == [("三", "三.二", "总计", 26, 29)]


def test_a_sentence_across_lines_points_at_each_line_piece():
    report, findings = narrative("2022年，全市共受理政府信息公开\n申请 590 件，答复 578 件。", fmt="pdf")
    assert shape(findings) == [("三", "一", "总计", 582, 590)]
    spans = findings[0].spans
    assert len(spans) == 2 and spans[1].line == spans[0].line + 1
    text = "".join(report.source.snippet(s) for s in spans)
    assert text == "2022年，全市共受理政府信息公开申请 590 件，答复 578 件。"


def test_blank_cell_claim_is_not_evaluable():
    g3 = {k: list(v) for k, v in G3.items()}
    g3["一"][6] = "1O"  # unreadable
    _, findings = narrative("全年共收到政府信息公开申请582件。", g3)
    assert [(f.row, f.column, f.evaluable, f.actual) for f in findings] == [("一", "总计", False, 582)]
    assert "无法核对" in findings[0].message


def test_same_claim_twice_is_one_finding_with_both_sentences():
    _, findings = narrative("全年共收到政府信息公开申请590件。2022年，我办共受理政府信息公开申请590件。")
    assert shape(findings) == [("三", "一", "总计", 582, 590)]
    assert [(s.start, s.end) for s in findings[0].spans] == [(0, 18), (18, 42)]


@pytest.mark.parametrize("layout", ["tsv", "markdown", "one-per-line", "indented", "pdf-text"])
def test_table_cells_are_never_read_as_prose(layout):
    report, findings = narrative("2022年，我办共受理政府信息公开申请582件。", layout=layout)
    assert findings == []
    prose = set(prose_lines(report)) - {None}
    for table in report.tables.values():
        for row in table.rows:
            assert not {s.line for s in row.spans} & prose, row.id


def test_2019_template_other_handling_is_one_row():
    g3 = consistent3("2019", 3)
    _, findings = narrative(f"依申请公开方面，其他处理{g3['三.六'][6] + 1}件。", g3, G4, "2019", 2020)
    assert shape(findings) == [("三", "三.六", "总计", g3["三.六"][6], g3["三.六"][6] + 1)]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_no_narrative_findings_on_the_seeds(seed):
    assert [f for f in check_file(SEEDS[seed]).findings if f.rule == "narrative"] == []


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real PDF not present")
def test_real_pdf_prose_agrees_with_its_tables():
    """淮安 2024: 受理 3119 (一), 答复 3050 (（七）), 上年度结转 34 (二), 顺延到下年度 103 (四), 行政复议 351 with
    its four outcomes, 行政诉讼 46 with its four outcomes (sums of both litigation rows): all agree."""
    c = check_file(REAL_PDF)
    if c.error is not None:
        pytest.skip(c.error)
    from auditui.core.narrative import _claims, sentences
    from auditui.core.template import BY_ID

    r = c.report
    claims = [cl for s in sentences(r) for cl in _claims(r, BY_ID[r.template], s)]
    assert [(cl.target.id, cl.value) for cl in claims] == [
        ("new", 3119), ("closed", 3050), ("carried-in", 34), ("carried-out", 103),
        ("review", 351), ("review:结果维持", 72), ("review:结果纠正", 64), ("review:其他结果", 178),
        ("review:尚未审结", 37),
        ("suits", 46), ("suits:结果维持", 25), ("suits:结果纠正", 5), ("suits:其他结果", 9), ("suits:尚未审结", 7),
    ]
    assert [f for f in c.findings if f.rule == "narrative"] == []
