"""Across the years (issue 17): prose copied from last year, tables frozen year to year, the grouping shown."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SEEDS
from reportgen import consistent3, consistent4, prose_sentences, render, zeros3, zeros4
from test_json_contract import validate
from test_series import fresh_prose

from auditui.cli import main
from auditui.core.batch import check_file
from auditui.core.load import load
from auditui.core.model import Source
from auditui.core.parse import parse
from auditui.core.reuse import NEAR, Prose, compare, mask
from auditui.core.series import across, aliases, body_key, check_series

BODY = "某某县人民政府办公室"


def prose_of_text(text: str) -> Prose:
    return Prose.of(parse(Source.from_text(text)))


def next_year(text: str) -> str:
    """A report copied from last year with only the year and the numbers changed: every number, the tables'
    too, one more."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text)


def write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def reword(text: str, prose: Prose, every: int = 2) -> str:
    """Re-word one prose sentence in ``every``: four characters inserted where it starts (more than a near copy
    may differ by)."""
    lines = text.split("\n")
    starts = sorted({prose.spans(i)[0][:2] for i in range(0, len(prose), every)}, reverse=True)
    for line, start in starts:
        lines[line] = lines[line][:start] + "结合实际" + lines[line][start:]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ masking
def test_years_numbers_spaces_and_punctuation_width_are_masked():
    assert mask("2021年，我局共收到申请１５件，占3.5%。") == mask("二〇二二年,我局共收到申请 7 件, 占 12%.")
    assert mask("2021年，我局共收到申请15件。") != mask("2021年，我局共办结申请15件。")


def test_prose_leaves_out_headings_tables_titles_and_short_lines():
    c = check_file(SEEDS["000"])
    prose = Prose.of(c.report)
    text = c.report.source.lines
    starts = [text[prose.spans(i)[0].line] for i in range(len(prose))]
    assert len(prose) == 25
    assert not any(line.startswith(("一、", "二、", "三、", "四、", "五、")) for line in starts)
    assert all("尧都区工信局" != line.strip() for line in starts)  # the signature
    assert not any("\t" in line for line in starts)  # no table line
    # "（一）进一步加强组织领导。" opens a paragraph as its heading: the sentence after it is prose
    first = prose.sentences()
    assert not any(s.startswith("进#步加强组织领导") and len(s) < 12 for s in first)
    for i in range(len(prose)):
        for span in prose.spans(i):
            assert 0 <= span.start < span.end <= len(text[span.line])


# ------------------------------------------------------------------------------------------------ the share
def test_a_report_copied_with_only_the_year_and_numbers_changed_is_a_warning(tmp_path):
    text = SEEDS["000"].read_text("utf-8")
    a = write(tmp_path, "2020.txt", text)
    b = write(tmp_path, "2021.txt", next_year(text))
    checked = [check_file(a), check_file(b)]
    assert [c.report.year for c in checked] == [2020, 2021]
    found = across(checked)
    reuse = found.reuse[b]
    assert reuse.previous == a and reuse.sentences == 25 and reuse.share >= 0.9
    [f] = [f for f in found.findings[b] if f.rule == "prose-reuse"]
    assert (f.severity, f.actual) == ("warning", round(reuse.share, 3))
    assert "2020年度报告（2020.txt）" in f.message and f"{len(reuse.copied)} 句" in f.message
    assert len(f.spans) >= len(reuse.copied)  # every copied sentence, one span per line it covers
    assert a not in found.reuse  # the first year has no year before


def test_two_unrelated_reports_share_almost_nothing(tmp_path):
    # two real reports of different bodies, given one body's name and consecutive years
    one = SEEDS["000"].read_text("utf-8")
    other = SEEDS["003"].read_text("utf-8").replace("张家港市工业和信息化局", "尧都区工信局").replace("2020", "2021")
    a, b = write(tmp_path, "a.txt", one), write(tmp_path, "b.txt", other)
    found = across([check_file(a), check_file(b)])
    assert found.keys[a] == found.keys[b]  # one series…
    assert found.reuse[b].share < 0.1  # …but nothing of the prose in common
    assert not [f for f in found.findings.get(b, ()) if f.rule == "prose-reuse" and f.severity == "warning"]


def test_a_reworded_report_has_a_middle_share_and_an_info_line(tmp_path):
    text = SEEDS["000"].read_text("utf-8")
    copied = next_year(text)
    reworded = reword(copied, prose_of_text(copied))
    a, b = write(tmp_path, "2020.txt", text), write(tmp_path, "2021.txt", reworded)
    found = across([check_file(a), check_file(b)])
    assert 0.3 <= found.reuse[b].share <= 0.6
    [f] = [f for f in found.findings[b] if f.rule == "prose-reuse"]
    assert f.severity == "info"
    # the threshold is the config's: lower it, and the same share warns
    low = across([check_file(a), check_file(b)], reuse_threshold=0.2)
    assert [f.severity for f in low.findings[b] if f.rule == "prose-reuse"] == ["warning"]


def test_one_or_two_characters_changed_still_count_as_copied():
    text = SEEDS["000"].read_text("utf-8")
    before = prose_of_text(text)
    s = before.sentences()[2]
    assert len(s) > 20
    raw_line = text.split("\n")[before.spans(2)[0].line]
    for changes, copied in ((1, True), (NEAR, True), (NEAR + 2, False)):
        # replace characters of that sentence (spread out, none a number) by a character it does not have
        i0 = raw_line.index("为切实加强")
        edited = list(raw_line)
        for k in range(changes):
            edited[i0 + 6 + 9 * k] = "驫"
        after = prose_of_text(text.replace(raw_line, "".join(edited)))
        assert (2 in compare("a", before, after).copied) is copied, changes
        assert len(compare("a", before, after).copied) == len(before) - (not copied)


def test_reuse_is_linear_each_report_is_compared_with_its_year_before_only(monkeypatch):
    """Five bodies × three years: each report is compared with one report (its body's year before)."""
    from auditui.core import series

    calls = []
    real = series.best

    def counting(previous, current):
        previous = list(previous)
        calls.append(len(previous))
        return real(previous, current)

    monkeypatch.setattr(series, "best", counting)
    items = []
    for b in range(5):
        for year in (2021, 2022, 2023):
            text = render(consistent3(seed=year), consistent4(year), year=year, body=f"某某县第{b}局",
                          prose="".join(prose_sentences(b, year, 12)))
            items.append(check_file_text(text, f"{b}-{year}.txt"))
    found = across(items)
    assert calls == [1] * 10
    assert all(found.reuse[f"{b}-{y}.txt"].share == 1.0 for b in range(5) for y in (2022, 2023))


def check_file_text(text: str, path: str):
    from auditui.core.checked import Checked
    from auditui.core.rules import check

    report = parse(Source.from_text(text, path=path))
    return Checked(path, report, tuple(check(report)))


# ------------------------------------------------------------------------------------------------ tables
def test_a_table_equal_to_last_years_cell_for_cell_is_a_warning(tmp_path):
    g3, g4 = consistent3(seed=5), consistent4(5)
    paths = [write(tmp_path, f"{y}.txt", render(g3, g4, year=y, body=BODY, **fresh_prose(y)))
             for y in (2022, 2023)]
    found = check_series([check_file(p) for p in paths])
    repeated = [(f.severity, f.table) for f in found[paths[1]] if f.rule == "table-repeated"]
    # parts 三 and 四 are last year's; part 二 is all zeros both years (nothing to say)
    assert repeated == [("warning", "三"), ("warning", "四")]
    f = next(f for f in found[paths[1]] if f.rule == "table-repeated")
    assert "2022年度报告（2022.txt）" in f.message and "逐格相同" in f.message
    assert "carry-over" in {f.rule for f in found[paths[1]]}  # (the same grid cannot carry over right too)


def test_one_cell_changed_or_unreadable_is_not_a_repeated_table(tmp_path):
    g3, g4 = consistent3(seed=5), consistent4(5)
    g3b = {k: list(v) for k, v in g3.items()}
    g3b["三.一"][0] += 1
    g3b["三.一"][6] += 1
    g4b = [list(r) for r in g4]
    g4b[0][0] = None  # blank: cannot be said to repeat
    texts = [render(g3, g4, year=2022, body=BODY), render(g3b, g4b, year=2023, body=BODY)]
    paths = [write(tmp_path, f"{k}.txt", t) for k, t in enumerate(texts)]
    found = check_series([check_file(p) for p in paths])
    assert not [f for f in found.get(paths[1], ()) if f.rule == "table-repeated"]


def test_all_zeros_two_years_running_is_an_info_line_not_a_warning(tmp_path):
    paths = [write(tmp_path, f"{y}.txt", render(zeros3(), zeros4(), year=y, body=BODY, **fresh_prose(y)))
             for y in (2022, 2023)]
    found = check_series([check_file(p) for p in paths])
    assert [(f.rule, f.severity, f.table) for f in found[paths[1]]] == [("table-repeated", "info", "三")]
    assert "连续两年未收到政府信息公开申请" in found[paths[1]][0].message
    assert "no requests two years running" in found[paths[1]][0].message_en


# ------------------------------------------------------------------------------------------------ grouping
def test_config_aliases_group_names_written_differently(tmp_path, monkeypatch):
    assert body_key("区政府办") is None  # too generic on its own
    alias = aliases({"区政府办": "某某区人民政府办公室"})
    assert body_key("区政府办", alias) == body_key("某某区人民政府办公室") == body_key("某某区 政府办公室", alias)
    a = write(tmp_path, "a.txt", render(consistent3(seed=1), consistent4(1), year=2022, body="某某区人民政府办公室"))
    b = write(tmp_path, "b.txt", render(consistent3(seed=2), consistent4(2), year=2023, body="区政府办"))
    assert across([check_file(a), check_file(b)]).keys == {a: "某某区政府办公室"}
    found = across([check_file(a), check_file(b)], alias=alias)
    assert found.keys == {a: "某某区政府办公室", b: "某某区政府办公室"} and found.years(b) == [2022, 2023]


def test_check_json_shows_series_and_reuse_and_keeps_the_contract(tmp_path, capsys, monkeypatch):
    conf = tmp_path / "config.toml"
    conf.write_text('reuse_threshold = 0.8\n[series]\naliases = {"区政府办" = "某某区人民政府办公室"}\n', "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(conf))
    reports = tmp_path / "reports"
    reports.mkdir()
    prose = "".join(prose_sentences(3, 2021, 10))
    texts = {"2021.txt": render(consistent3(seed=1), consistent4(1), year=2021, body="某某区人民政府办公室",
                                prose=prose),
             "2022.txt": render(consistent3(seed=2), consistent4(2), year=2022, body="区政府办",
                                prose=next_year(prose)),
             "other.txt": render(consistent3(seed=3), consistent4(3), year=2022, body="工信局")}
    paths = {name: write(reports, name, text) for name, text in texts.items()}
    for jobs in ("1", "2"):
        main(["check", str(reports), "--format", "json", "--jobs", jobs])
        out = capsys.readouterr().out.splitlines()
        objs = {o["path"]: o for o in map(json.loads, out)}
        for o in objs.values():
            validate(o)
        # every line as one json.dumps of its object writes it (those joined to as text too)
        assert out == [json.dumps(json.loads(line), ensure_ascii=False) for line in out]
        assert objs[paths["2021.txt"]]["series"] == objs[paths["2022.txt"]]["series"] == {
            "key": "某某区政府办公室", "years": [2021, 2022]}
        assert objs[paths["other.txt"]]["series"] is None and objs[paths["other.txt"]]["reuse"] is None
        assert objs[paths["2021.txt"]]["reuse"] is None
        reuse = objs[paths["2022.txt"]]["reuse"]
        assert reuse["previous"] == paths["2021.txt"] and reuse["share"] >= 0.9 and reuse["sentences"] >= 10
        lines = texts["2022.txt"].split("\n")
        assert all(lines[ln][s:e] for ln, s, e in reuse["copied"])
        assert "全年发布信息" in "".join(lines[ln][s:e] for ln, s, e in reuse["copied"])
        # 0.8 from the config: the share (1.0) is above it
        [f] = [f for f in objs[paths["2022.txt"]]["findings"] if f["rule"] == "prose-reuse"]
        assert f["severity"] == "warning" and f["actual"] == reuse["share"]
        assert objs[paths["2022.txt"]]["counts"]["warning"] >= 1


def test_series_findings_get_their_verdicts_with_log_dir(tmp_path, capsys):
    """Findings across years are joined to a report's JSON line with their audit-log verdicts, as its own."""
    from auditui.core.auditlog import AuditLog

    prose = "".join(prose_sentences(4, 2021, 10))
    a = write(tmp_path, "2021.txt", render(consistent3(seed=1), consistent4(1), year=2021, body=BODY, prose=prose))
    b = write(tmp_path, "2022.txt", render(consistent3(seed=2), consistent4(2), year=2022, body=BODY,
                                           prose=next_year(prose)))
    logs = tmp_path / "logs"
    checked = [check_file(a), check_file(b)]
    joined = checked[1].with_findings(check_series(checked)[b])
    log = AuditLog.open(joined.report, joined.findings, logs, "tester")
    key = next(k for k, f in zip(log.keys, joined.findings, strict=True) if f.rule == "prose-reuse")
    log.set_status(key, "dismissed", "boilerplate the province asks for")
    main(["check", a, b, "--format", "json", "--log-dir", str(logs)])
    objs = {o["path"]: o for o in map(json.loads, capsys.readouterr().out.splitlines())}
    [f] = [f for f in objs[b]["findings"] if f["rule"] == "prose-reuse"]
    assert (f["status"], f["reason"], f["auditor"]) == ("dismissed", "boilerplate the province asks for", "tester")
    assert all(f["status"] == "open" for f in objs[b]["findings"] if f["rule"] != "prose-reuse")


def test_unusable_config_is_named_and_defaults_used(tmp_path, capsys, monkeypatch):
    conf = tmp_path / "config.toml"
    conf.write_text("reuse_threshold = 2\n", "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(conf))
    prose = "".join(prose_sentences(4, 2021, 10))
    a = write(tmp_path, "2021.txt", render(consistent3(seed=1), consistent4(1), year=2021, body=BODY, prose=prose))
    b = write(tmp_path, "2022.txt", render(consistent3(seed=2), consistent4(2), year=2022, body=BODY,
                                           prose=next_year(prose)))
    main(["check", a, b, "--format", "json"])
    out = capsys.readouterr()
    assert "config ignored" in out.err and str(conf) in out.err and "reuse_threshold" in out.err
    assert json.loads(out.out.splitlines()[1])["reuse"]["share"] == 1.0


@pytest.mark.parametrize("bad", ['reuse_threshold = "half"', "reuse_threshold = true", "[series]\naliases = 3",
                                 '[series]\naliases = {"区政府办" = 3}'])
def test_config_series_keys_are_checked(tmp_path, bad):
    from auditui.core.config import ConfigError, load_config

    conf = tmp_path / "config.toml"
    conf.write_text(bad + "\n", "utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(conf)
    assert str(conf) in str(e.value)


def test_pdf_prose_is_compared_too():
    """The real PDF against itself a year later: its prose is found, its copy is found."""
    from conftest import REAL_PDF

    r = parse(load(REAL_PDF))
    prose = Prose.of(r)
    assert len(prose) >= 15
    assert compare("x", prose, prose).share == 1.0
