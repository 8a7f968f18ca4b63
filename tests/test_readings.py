"""The auditor's readings of cells and blank-as-zero (issue 13): applied to the parse, checked again, kept in the
audit log with history and undo, to look at again after the report changed, in `check --log-dir` and the exports."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from conftest import SEEDS
from reportgen import consistent3, consistent4, generate, render
from test_json_contract import validate

from auditui.cli import main
from auditui.core.auditlog import AuditLog, LogError, load_logs, read_review
from auditui.core.batch import check_file
from auditui.core.export import export, export_bytes
from auditui.core.model import CellRef, Source
from auditui.core.parse import parse
from auditui.core.readings import (
    READ,
    READ_AS_ZERO,
    Readings,
    Rechecker,
    apply_readings,
    check_read,
    parse_value,
    recheck,
)
from auditui.core.rules import check

BAD = "三/二/商业企业"
"""The cell of :func:`unreadable` written "1O" (its true value is 0)."""


def unreadable(tmp_path: Path) -> Path:
    """A 2021 report whose arithmetic holds, but for one unreadable cell ("1O" where 0 stands) and one blank."""
    g3, g4 = consistent3("2021", seed=1), consistent4(1)
    assert g3["二"][1] == 0
    g3["二"][1] = "1O"
    g3["三.三.1"][0] = None
    path = tmp_path / "unreadable.txt"
    path.write_text(render(g3, g4, "2021", 2022, layout="tsv"), "utf-8")
    return path


def flattened(tmp_path: Path) -> Path:
    """A flattened page whose row 三/一 ran its digits together and can be cut in three ways (the first is right)."""
    _truth, text = generate("flattened", 12, errors=0, blanks=0.0, template="2021")
    path = tmp_path / "flattened.txt"
    path.write_text(text, "utf-8")
    return path


def rules_at(findings, cell: str) -> set[tuple[str, str]]:
    table, row, _ = cell.split("/")
    return {(f.rule, f.severity) for f in findings if f.table == table and (f.row == row or f.row is None)}


# ------------------------------------------------------------------------------------------------ the core


def test_parse_value():
    assert parse_value(" 1,234 ") == 1234 and parse_value("１２") == 12 and parse_value("0") == 0
    assert parse_value("") is None and parse_value("　") is None
    for bad in ("-1", "1.5", "1O", "12a", "9" * 16):
        with pytest.raises(ValueError):
            parse_value(bad)


def test_a_reading_makes_the_blocked_rules_evaluable_and_can_find_a_real_error(tmp_path):
    c = check_file(unreadable(tmp_path))
    blocked = [f for f in c.findings if not f.evaluable and CellRef(*BAD.split("/")) in f.cells]
    assert {f.rule for f in blocked} == {"column-balance", "row-total"}
    assert not any(f.severity == "error" for f in c.findings)

    right = recheck(c, Readings.of({BAD: 0}))  # what the original says: every rule over the cell holds
    assert right.report.cell(CellRef("三", "二", "商业企业"))[1:] == (0, "1O", c.report.cell(
        CellRef("三", "二", "商业企业")).span, "ok", READ)  # the span stays: the source still highlights it
    assert rules_at(right.findings, BAD) == set()
    assert right.report.values()["三"]["二"]["商业企业"] == 0

    wrong = recheck(c, Readings.of({BAD: 10}))  # a 10: the report's own arithmetic is then wrong
    errors = {(f.rule, f.row, f.column) for f in wrong.findings if f.severity == "error"}
    assert errors == {("column-balance", None, "商业企业"), ("row-total", "二", "总计")}
    balance = next(f for f in wrong.findings if f.rule == "column-balance" and f.severity == "error")
    assert balance.evaluable and balance.suggestions  # the suggestions follow the reading too
    assert wrong.counts["error"] == 2 and c.counts["error"] == 0
    # the rest of the report is as parsed: the blank cell is still a blank cell
    assert ("blank-cell", "warning") in rules_at(wrong.findings, "三/三.三.1/自然人")


def test_picking_a_candidate_split_reads_the_row(tmp_path):
    c = check_file(flattened(tmp_path))
    row = c.report.tables["三"].row("一")
    assert row.shape is not None and len(row.candidates) == 3
    shape = next(f for f in c.findings if f.rule == "row-shape" and f.row == "一")
    assert shape.candidates == row.candidates
    pick = dict(zip((f"三/一/{x.ref.column}" for x in row.cells), row.candidates[0], strict=True))
    read = recheck(c, Readings.of(pick))
    new = read.report.tables["三"].row("一")
    assert new.shape is None and new.candidates == () and all(x.note == READ for x in new.cells)
    assert [x.value for x in new.cells] == list(row.candidates[0])
    assert not [f for f in read.findings if f.rule == "row-shape" and f.row == "一"]
    assert not any(f.severity == "error" for f in read.findings)  # the right cut: every rule holds
    assert not any(not f.evaluable and f.row == "一" for f in read.findings)
    # another cut: the row's own total is checked again, and the column rules find it wrong
    other = recheck(c, Readings.of(dict(zip(pick, row.candidates[1], strict=True))))
    assert any(f.severity == "error" for f in other.findings)
    # a reading of some of the row's cells only leaves the row misshapen (its columns are not all placed)
    some = recheck(c, Readings.of({"三/一/自然人": row.candidates[0][0]}))
    assert some.report.tables["三"].row("一").shape is not None
    assert [f for f in some.findings if f.rule == "row-shape" and f.row == "一"]


def test_blank_as_zero_collapses_the_blank_warnings_and_lets_the_arithmetic_run():
    c = check_file(SEEDS["000"])
    blanks = [f for f in c.findings if f.rule == "blank-cell"]
    blocked = [f for f in c.findings if not f.evaluable]
    assert len(blanks) == 14 and blocked and c.counts["warning"] == 30
    zero = recheck(c, Readings.of({}, "李四"))
    assert zero.counts == {"error": 0, "warning": 0, "info": 1}
    [line] = zero.findings
    assert (line.rule, line.severity, line.actual) == ("blank-cell", "info", 14)
    assert line.message == "第三部分的 14 个空白单元格由 李四 按 0 读取"
    assert line.message_en == "14 blank cells read as 0 by 李四"
    assert {f.key for f in blanks} == {f"blank-cell/{r.table}/{r.row}/{r.column}" for r in line.cells}
    cells = [zero.report.cell(r) for r in line.cells]
    assert all(x.value == 0 and x.note == READ_AS_ZERO for x in cells)


def test_blank_as_zero_leaves_unreadable_cells_and_part_2_alone(tmp_path):
    c = check_file(unreadable(tmp_path))
    zero = recheck(c, Readings.of({}, "李四"))
    assert zero.report.cell(CellRef("三", "三.三.1", "自然人")).value == 0
    bad = zero.report.cell(CellRef("三", "二", "商业企业"))
    assert (bad.value, bad.status) == (None, "bad")
    assert ("bad-cell", "warning") in rules_at(zero.findings, BAD)
    # a cell the auditor read as blank is a blank cell, and blank-as-zero reads it as 0 too
    both = recheck(c, Readings.of({BAD: None}, "李四"))
    assert both.report.cell(CellRef("三", "二", "商业企业")).value == 0
    assert not any(f.severity == "error" for f in both.findings)
    blank_only = recheck(c, Readings.of({BAD: None}))
    assert ("blank-cell", "warning") in rules_at(blank_only.findings, BAD)


def test_nothing_to_apply_is_the_same_report_and_findings_across_reports_are_kept(tmp_path):
    c = check_file(unreadable(tmp_path))
    assert apply_readings(c.report, Readings()) is c.report and recheck(c, Readings()) is c
    report, findings = check_read(c.report, Readings.of({"三/九/自然人": 3}))  # no such cell: passed over
    assert report is c.report and findings == check(c.report)
    from auditui.core.model import Finding

    carry = Finding("carry-over", "warning", "三", "二", "总计", 1, 2, "结转不一致")
    joined = c.with_findings([carry])
    assert carry in recheck(joined, Readings.of({BAD: 0})).findings


# ------------------------------------------------------------------------------------------------ the log


def open_log(path: Path, log_dir: Path, auditor: str = "李四", **kw) -> tuple[AuditLog, Rechecker]:
    c = check_file(path)
    rechecker = Rechecker(c)
    return AuditLog.open(c.report, c.findings, log_dir, auditor, recheck=rechecker, **kw), rechecker


def toml(log: AuditLog) -> dict:
    return tomllib.loads(log.path.read_text("utf-8"))


def test_readings_are_recorded_with_history_and_the_findings_follow(tmp_path):
    path = unreadable(tmp_path)
    log, _ = open_log(path, tmp_path / "logs")
    assert not log.exists
    before = list(log.keys)
    assert "bad-cell/三/二/商业企业" in before
    log.set_readings({BAD: 10}, note="原件为 10")
    doc = toml(log)
    assert doc["schema"] == 2
    [r] = doc["reading"]
    assert r == {"cell": BAD, "value": "10", "note": "原件为 10", "was": "1O", "auditor": "李四", "time": r["time"],
                 "stale": False}
    assert {(h["key"], h["field"], h["before"], h["after"], h["kind"]) for h in doc["history"]} >= {
        (f"reading:{BAD}", "value", "", "10", "edit"), (f"reading:{BAD}", "note", "", "原件为 10", "edit"),
        ("bad-cell/三/二/商业企业", "resolved", "false", "true", "auto")}
    # the findings are those of the report as read: a real error, the bad cell's warning resolved
    assert "row-total/三/二/总计" in log.keys and "bad-cell/三/二/商业企业" not in log.keys
    entries = {f["key"]: f for f in doc["finding"]}
    assert entries["bad-cell/三/二/商业企业"]["resolved"] is True
    assert entries["row-total/三/二/总计"]["severity"] == "error"
    assert log.readings == Readings.of({BAD: 10})
    # undo: one step takes the reading (and its note) back; the findings are those of the parse again
    log.undo()
    assert log.reading_list == [] and log.keys == before
    assert toml(log).get("reading") is None
    assert {f["key"]: f for f in toml(log)["finding"]}["bad-cell/三/二/商业企业"]["resolved"] is False
    # reopened by another session, the reading (made again) is there and the findings follow it
    log.set_readings({BAD: 10})
    again, _ = open_log(path, tmp_path / "logs", "王五")
    assert again.readings == Readings.of({BAD: 10}) and again.keys == log.keys


def test_clearing_a_reading_and_undoing_it_brings_back_its_note(tmp_path):
    log, _ = open_log(unreadable(tmp_path), tmp_path / "logs")
    log.set_readings({BAD: 0}, note="看原件")
    log.clear_readings([BAD])
    assert log.reading(BAD) is None
    log.undo()
    r = log.reading(BAD)
    assert (r.value, r.note) == ("0", "看原件")


def test_blank_as_zero_and_reviewed_are_recorded_and_undone(tmp_path):
    path = tmp_path / "000.txt"
    path.write_bytes(SEEDS["000"].read_bytes())
    log, _ = open_log(path, tmp_path / "logs")
    assert len(log.findings) == 30
    log.set_blank_zero(True)
    assert [f.severity for f in log.findings] == ["info"]
    doc = toml(log)
    assert doc["review"]["blank_zero"] is True and doc["review"]["blank_zero_by"] == "李四"
    assert sum(1 for f in doc["finding"] if f["resolved"]) == 30
    log.set_reviewed(True)
    assert toml(log)["review"]["reviewed"] is True
    log.undo()
    assert toml(log)["review"]["reviewed"] is False and len(log.findings) == 1
    log.undo()
    assert len(log.findings) == 30 and toml(log)["review"]["blank_zero"] is False


def test_bulk_verdicts_are_one_undo_step(tmp_path):
    path = tmp_path / "000.txt"
    path.write_bytes(SEEDS["000"].read_bytes())
    log, _ = open_log(path, tmp_path / "logs")
    keys = [k for k, f in zip(log.keys, log.findings, strict=True) if f.rule == "blank-cell"]
    log.set_statuses(keys, "dismissed", "原表空白即为 0")
    assert all(log.status(k) == "dismissed" for k in keys)
    assert len({h.change for h in log.history}) == 1
    with pytest.raises(ValueError):
        log.set_statuses(keys, "dismissed", " ")
    log.undo()
    assert all(log.status(k) == "open" for k in keys)


def test_a_changed_report_lists_what_was_made_on_the_old_bytes(tmp_path):
    path = unreadable(tmp_path)
    log, _ = open_log(path, tmp_path / "logs")
    log.set_readings({BAD: 0})
    blank = "blank-cell/三/三.三.1/自然人"
    log.set_status(blank, "dismissed", "原件如此")
    log.set_reviewed(True)
    # the report is corrected: its blank cell is filled in (the blank-cell finding is gone)
    text = path.read_text("utf-8")
    assert "1.属于国家秘密\t\t" in text
    path.write_text(text.replace("1.属于国家秘密\t\t", "1.属于国家秘密\t0\t"), "utf-8")
    changed, _ = open_log(path, tmp_path / "logs", "王五")
    assert changed.report_changed
    gone = changed.look_again()
    assert [e.key for e in gone] == [blank] and gone[0].resolved and gone[0].status == "dismissed"
    assert changed.reading(BAD).stale and changed.review.stale
    assert changed.readings == Readings.of({BAD: 0})  # kept, and still applied
    ro = read_review(check_file(path), tmp_path / "logs")
    assert ro.stale and ro.readings[0].stale
    # marking it reviewed again takes them on, in one change (one undo brings them back)
    changed.set_reviewed(True)
    assert not changed.look_again() and not changed.reading(BAD).stale and not changed.review.stale
    changed.undo()
    assert [e.key for e in changed.look_again()] == [blank] and changed.reading(BAD).stale


def test_another_writers_reading_changes_the_findings_of_this_one(tmp_path):
    path = unreadable(tmp_path)
    mine, _ = open_log(path, tmp_path / "logs", "李四", session="a")
    theirs, _ = open_log(path, tmp_path / "logs", "王五", session="b")
    theirs.set_readings({BAD: 10})
    mine.set_status("blank-cell/三/三.三.1/自然人", "confirmed")
    assert "row-total/三/二/总计" in mine.keys  # the other reading came in with the save
    doc = toml(mine)
    assert doc["reading"][0]["auditor"] == "王五"
    assert {f["key"]: f for f in doc["finding"]}["blank-cell/三/三.三.1/自然人"]["status"] == "confirmed"


@pytest.mark.parametrize(("record", "message"), [
    ('key = "reading:三/二"\nfield = "value"\nbefore = ""\nafter = "3"', "needs a cell"),
    ('key = "reading:三/二/总计"\nfield = "value"\nbefore = ""\nafter = "3.5"', "not a whole number"),
    ('key = "review"\nfield = "reviewed"\nbefore = "false"\nafter = "yes"', "not true or false"),
    ('key = "review"\nfield = "auditor"\nbefore = ""\nafter = "x"', "not one history records"),
])
def test_bad_reading_records_are_reported_and_skipped(tmp_path, record, message):
    log, _ = open_log(unreadable(tmp_path), tmp_path / "logs")
    log.set_readings({BAD: 0})
    text = log.path.read_text("utf-8")
    log.path.write_text(text + f'\n[[history]]\nseq = 99\nchange = 99\ntime = ""\nauditor = "x"\nkind = "edit"\n'
                        f'{record}\n', "utf-8")
    again, _ = open_log(tmp_path / "unreadable.txt", tmp_path / "logs")
    assert any(message in n for n in again.notices), again.notices
    assert again.readings == Readings.of({BAD: 0})


def test_a_bad_reading_table_makes_the_log_unusable_not_misread(tmp_path):
    log, _ = open_log(unreadable(tmp_path), tmp_path / "logs")
    log.set_readings({BAD: 0})
    log.path.write_text(log.path.read_text("utf-8").replace('value = "0"', 'value = "zero"'), "utf-8")
    with pytest.raises(LogError, match="value must be a whole number"):
        open_log(tmp_path / "unreadable.txt", tmp_path / "logs", recover=False)


# ------------------------------------------------------------------------------------------------ the outputs


def test_check_log_dir_json_reflects_readings_and_blank_as_zero(tmp_path, capsys):
    path = unreadable(tmp_path)
    zero = tmp_path / "000.txt"
    zero.write_bytes(SEEDS["000"].read_bytes())
    logs = tmp_path / "logs"
    log, _ = open_log(path, logs)
    log.set_readings({BAD: 10}, note="原件为 10")
    log2, _ = open_log(zero, logs)
    log2.set_blank_zero(True)
    log2.set_reviewed(True)
    status = main(["check", "--format", "json", "--no-series", "--log-dir", str(logs), str(path), str(zero)])
    a, b = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    validate(a)
    validate(b)
    assert status == 1  # the reading made an arithmetic error
    assert a["values"]["三"]["二"]["商业企业"] == 10 and a["counts"]["error"] == 2
    assert {f["rule"] for f in a["findings"] if f["severity"] == "error"} == {"column-balance", "row-total"}
    assert all(f["status"] == "open" for f in a["findings"])
    [r] = a["readings"]
    assert (r["cell"], r["value"], r["was"], r["note"], r["auditor"], r["stale"]) == (BAD, 10, "1O", "原件为 10",
                                                                                    "李四", False)
    assert a["blank_zero"] is None and a["reviewed"] is None
    assert b["values"]["三"]["三.七"]["自然人"] == 0 and b["counts"] == {"error": 0, "warning": 0, "info": 1}
    assert b["findings"][0]["message"] == "第三部分的 14 个空白单元格由 李四 按 0 读取"
    assert b["blank_zero"]["auditor"] == "李四" and b["reviewed"]["auditor"] == "李四" and b["readings"] == []
    # without --log-dir: the report as parsed
    main(["check", "--format", "json", "--no-series", str(path)])
    plain = json.loads(capsys.readouterr().out)
    assert plain["values"]["三"]["二"]["商业企业"] is None and "readings" not in plain
    # the text report says it too
    main(["check", "--no-series", "--log-dir", str(logs), str(path), str(zero)])
    text = capsys.readouterr().out
    assert f"read {BAD}: 1O → 10 by 李四" in text and "blank cells of 三 and 四 read as 0 by 李四" in text


def test_the_exports_list_readings_blank_as_zero_and_reviewed(tmp_path):
    path = unreadable(tmp_path)
    logs = tmp_path / "logs"
    log, _ = open_log(path, logs)
    log.set_readings({BAD: 10}, note="原件为 10")
    log.set_readings({"三/三.三.1/自然人": None})
    log.set_blank_zero(True)
    log.set_reviewed(True)
    data, _ = load_logs(logs)
    md = export(data, "md")
    assert "### Readings" in md
    assert f"- **{BAD}**: 1O → 10 · By: 李四 20" in md and "Note: 原件为 10" in md
    assert "- **三/三.三.1/自然人**: ∅ → blank · By: 李四" in md
    assert "- **Marked reviewed by 李四 20" in md and "read as 0 by 李四" in md
    zh = export(data, "md", lang="zh")
    assert "### 读数" in zh and "→ 空白" in zh and "标记为已审" in zh
    rows = list(csv.DictReader(io.StringIO(export_bytes(data, "csv").decode("utf-8-sig"), newline="")))
    readings = {r["key"]: r for r in rows if r["kind"] == "reading"}
    r = readings[BAD]
    assert (r["table"], r["row"], r["column"], r["was"], r["value"], r["auditor"], r["comment"]) == (
        "三", "二", "商业企业", "1O", "10", "李四", "原件为 10")
    assert r["time"][:2] == "20" and readings["三/三.三.1/自然人"]["value"] == "blank"
    assert {r["kind"] for r in rows} >= {"reviewed", "blank_zero", "finding", "reading"}
    doc = tomllib.loads(export(data, "toml"))
    [report] = doc["report"]
    assert report["review"]["reviewed"] is True and report["reading"][0]["cell"] == BAD


def test_a_report_parsed_again_from_a_pickle_takes_readings():
    """A report sent back by a worker process (``check --jobs``) parses its source again on first use."""
    import pickle

    c = check_file(SEEDS["000"])
    back = pickle.loads(pickle.dumps(c))
    assert recheck(back, Readings.of({}, "x")).counts == {"error": 0, "warning": 0, "info": 1}
    assert parse(Source.from_text(back.report.source.text)).template == back.report.template


def test_the_reasons_an_auditor_used_are_offered_latest_first(tmp_path):
    from auditui.core.auditlog import used_reasons

    path = tmp_path / "000.txt"
    path.write_bytes(SEEDS["000"].read_bytes())
    log, _ = open_log(path, tmp_path / "logs", "李四")
    keys = log.keys
    log.set_status(keys[0], "dismissed", "原表如此")
    log.set_status(keys[1], "dismissed", "口径不同")
    log.set_status(keys[2], "dismissed", "原表如此 ")
    other, _ = open_log(path, tmp_path / "logs", "王五", session="other")
    other.set_status(keys[3], "dismissed", "王五的理由")
    (tmp_path / "logs" / "notes.toml").write_text("not a log", "utf-8")  # passed over
    assert set(used_reasons(tmp_path / "logs", "李四")) == {"原表如此", "口径不同"}
    assert used_reasons(tmp_path / "logs", "王五") == ["王五的理由"]
    assert used_reasons(tmp_path / "nowhere", "李四") == []
