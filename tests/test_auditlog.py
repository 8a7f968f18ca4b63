"""The TOML audit log: shape, round trips, reopening, stale reports, corrupted logs, concurrent writers."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditui import __version__
from auditui.core.auditlog import (
    AuditLog,
    LogError,
    UndoError,
    count_open_errors,
    finding_keys,
    load_logs,
    log_file_name,
    read_verdicts,
)
from auditui.core.model import Finding, Report, Source

ROOT = Path(__file__).resolve().parent.parent
REPORT_PATH = "reports/某县/2022年报告.txt"


def make_report(text: str = "某县人民政府 2022 年报告 v1", path: str = REPORT_PATH, body: str = "某县人民政府",
                year: int | None = 2022, template: str = "2021") -> Report:
    return Report(source=Source.from_text(text, path=path), body=body, year=year, template=template, tables={})


def F(rule: str, table: str | None = "三", row: str | None = "一", column: str | None = "总计",
      severity: str = "error", message: str = "") -> Finding:
    return Finding(rule=rule, severity=severity, table=table, row=row, column=column, expected=3, actual=4,
                   message=message or f"{rule} {table}/{row}/{column}")


F1 = F("row-total", row="一")
F2 = F("subtotal", row="三.七", column="自然人")
F3 = F("blank-cell", table="四", row="行政复议", column="结果维持", severity="warning")
F4 = F("template-year", table=None, row=None, column=None, severity="warning")


def toml_of(log: AuditLog) -> dict:
    return tomllib.loads(log.path.read_text("utf-8"))


# ------------------------------------------------------------------------------------------------ shape


def test_new_log_shape(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2, F3, F4], tmp_path / "logs", "张审计")
    # nothing to record yet: no file, not even the folder
    assert not (tmp_path / "logs").exists() and not log.exists
    assert [e.key for e in log.entries] == [F1.key, F2.key, F3.key, F4.key] and log.history == []
    log.set_comment(F2.key, "第一条意见")
    assert log.exists and sorted(p.name for p in (tmp_path / "logs").iterdir()) == [log.path.name]
    assert log.path.parent == tmp_path / "logs"
    assert log.path.name == log_file_name(REPORT_PATH)
    assert log.path.name.startswith("2022年报告-") and log.path.name.endswith(".toml")
    doc = toml_of(log)
    assert list(doc) == ["schema", "report", "finding", "history"]
    assert doc["schema"] == 1
    rep = make_report().source
    assert doc["report"] == {"path": REPORT_PATH, "sha256": rep.sha256, "body": "某县人民政府", "year": 2022,
                             "template": "2021", "auditui": __version__}
    assert [f["key"] for f in doc["finding"]] == [F1.key, F2.key, F3.key, F4.key]
    assert doc["finding"][3]["key"] == "template-year/-/-/-"
    assert doc["finding"][3]["table"] == ""
    first = doc["finding"][0]
    assert list(first) == ["key", "rule", "severity", "table", "row", "column", "message", "message_en", "fixes",
                           "status", "reason", "comment", "auditor", "time", "resolved", "stale"]
    assert first["status"] == "open" and first["auditor"] == "" and first["resolved"] is False
    assert [e.key for e in log.entries] == log.keys == [F1.key, F2.key, F3.key, F4.key]


def test_file_names_are_stable_and_readable():
    assert log_file_name("a/b/003_x.txt") == log_file_name("./a/b/003_x.txt") == log_file_name("a\\b\\003_x.txt")
    assert log_file_name("a/b/003_x.txt") != log_file_name("c/003_x.txt")
    name = log_file_name('x/报 告:*?"<>|.pdf')
    assert name.startswith("报_告-") and name.endswith(".toml") and "/" not in name
    assert log_file_name("<text>").startswith("text-")


def test_reopen_without_change_does_not_rewrite(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    before = log.path.read_bytes(), os.stat(log.path).st_ino
    again = AuditLog.open(make_report(), [F1, F2], tmp_path, "wang")
    assert (again.path.read_bytes(), os.stat(again.path).st_ino) == before
    assert again.status(F1.key) == "confirmed"


def test_status_comment_history(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    log.set_status(F1.key, "confirmed", "总计应为 4")
    with pytest.raises(ValueError, match="reason"):
        log.set_status(F2.key, "dismissed")
    with pytest.raises(ValueError):
        log.set_status(F2.key, "resolved", "x")
    with pytest.raises(KeyError):
        log.set_comment("nope/-/-/-", "x")
    log.set_status(F2.key, "dismissed", "口径不同")
    log.set_comment(F2.key, "见附件")
    log.set_comment(F2.key, "见附件")  # no change, no history
    other = AuditLog.open(make_report(), [F1, F2], tmp_path, "wang")
    e1, e2 = other.entry(F1.key), other.entry(F2.key)
    assert (e1.status, e1.reason, e1.auditor) == ("confirmed", "总计应为 4", "li")
    assert (e2.status, e2.reason, e2.comment) == ("dismissed", "口径不同", "见附件")
    assert e2.time.startswith("20") and ("+" in e2.time[10:] or "-" in e2.time[10:] or e2.time.endswith("Z"))
    h = [(c.seq, c.key, c.field, c.before, c.after, c.auditor, c.kind) for c in other.history]
    assert h == [
        (1, F1.key, "status", "open", "confirmed", "li", "edit"),
        (2, F1.key, "reason", "", "总计应为 4", "li", "edit"),
        (3, F2.key, "status", "open", "dismissed", "li", "edit"),
        (4, F2.key, "reason", "", "口径不同", "li", "edit"),
        (5, F2.key, "comment", "", "见附件", "li", "edit"),
    ]
    assert [c.change for c in other.history] == [1, 1, 3, 3, 5]
    assert other.counts() == {"open": 0, "confirmed": 1, "dismissed": 1, "resolved": 0, "stale": 0}


def test_duplicate_keys_are_numbered(tmp_path):
    a, b = F("narrative", None, None, None, "warning", "受理"), F("narrative", None, None, None, "warning", "复议")
    assert finding_keys([a, b, F1]) == ["narrative/-/-/-", "narrative/-/-/-#2", F1.key]
    log = AuditLog.open(make_report(), [a, b], tmp_path, "li")
    log.set_comment("narrative/-/-/-#2", "second")
    assert [e.message for e in log.entries] == ["受理", "复议"]
    assert read_verdicts(make_report(), [a, b], tmp_path)["narrative/-/-/-#2"]["comment"] == "second"


# ------------------------------------------------------------------------------------------------ round trip

TRICKY = st.sampled_from([*"\"'\\\n\r\t\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\u2028\u2029\ufeff\u200b中文〇·「」—😀",
                          "🇨🇳", "👨‍👩‍👧", '"""', "'''", "\r\n", "\\u0000", "${x}", "#", "[x]"])
COMMENT_TEXT = st.lists(st.one_of(st.characters(codec="utf-8"), TRICKY), max_size=40).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=COMMENT_TEXT)
@example(text='引号"\'\\ 换行\n回车\r\n制表\t空\x00控制\x01\x1b\x7f 表情😀 """ \'\'\'')
@example(text="\ufefftrailing backslash\\")
@example(text="")
def test_comment_round_trips_exactly(text):
    with tempfile.TemporaryDirectory() as d:
        log = AuditLog.open(make_report(), [F1, F2], d, "li")
        log.set_comment(F1.key, text)
        log.set_status(F2.key, "dismissed", text + "x")
        if text:
            note_id = log.add_note("三/三.七/总计", text)
        # read back three ways: a fresh AuditLog, the read-only reader, the raw TOML
        again = AuditLog.open(make_report(), [F1, F2], d, "wang")
        assert again.entry(F1.key).comment == text
        assert again.entry(F2.key).reason == text + "x"
        if text:
            assert [n.text for n in again.notes if n.id == note_id] == [text]
        assert read_verdicts(make_report(), [F1, F2], d)[F1.key]["comment"] == text
        raw = tomllib.loads(Path(log.path).read_bytes().decode("utf-8"))
        assert raw["finding"][0]["comment"] == text
        if text:
            assert raw["history"][0]["after"] == text


def test_unstorable_text_is_refused_before_writing(tmp_path):
    log = AuditLog.open(make_report(), [F1], tmp_path, "li")
    log.set_comment(F1.key, "ok")
    before = log.path.read_bytes()
    with pytest.raises(ValueError, match="surrogate"):
        log.set_comment(F1.key, "bad \ud800 text")
    assert log.path.read_bytes() == before


# ------------------------------------------------------------------------------------------------ notes, undo


def test_notes(tmp_path):
    log = AuditLog.open(make_report(), [F1], tmp_path, "li")
    for bad in ("", "三//总计", " 三/一", "a/b/c/d"):
        with pytest.raises(ValueError):
            log.add_note(bad, "x")
    with pytest.raises(ValueError):
        log.add_note("三/一", "")
    n1 = log.add_note("三/三.七/总计", "总计栏手写涂改")
    n2 = log.add_note("三/三.七", "整行字迹不清")
    assert (n1, n2) == ("n1", "n2")
    log.edit_note(n1, "总计栏手写涂改，已电话核实")
    log.edit_note(n2, "")  # delete
    again = AuditLog.open(make_report(), [F1], tmp_path, "wang")
    assert [(n.id, n.target, n.text) for n in again.notes] == [("n1", "三/三.七/总计", "总计栏手写涂改，已电话核实")]
    assert again.notes_for("三/三.七") == []
    assert again.add_note("三/一", "new") == "n3"  # ids are never reused
    doc = toml_of(again)
    assert [n["id"] for n in doc["note"]] == ["n1", "n3"]
    assert any(h["key"] == "note:n2" and h["before"] == "整行字迹不清" and h["after"] == "" for h in doc["history"])


def test_undo(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    log.set_status(F1.key, "dismissed", "不是问题")
    log.set_comment(F1.key, "c1")
    n = log.add_note("三/一", "note")
    log.edit_note(n, "")
    assert log.undo()[0].field == "text"  # the note comes back, with its target
    assert [(x.target, x.text) for x in log.notes] == [("三/一", "note")]
    log.undo()  # the note's creation
    assert log.notes == []
    undone = log.undo()
    assert [(c.field, c.before, c.after, c.kind) for c in undone] == [("comment", "c1", "", "undo")]
    assert log.entry(F1.key).comment == ""
    log.undo()
    assert (log.status(F1.key), log.entry(F1.key).reason) == ("open", "")
    assert log.undo() == []
    again = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    assert again.status(F1.key) == "open"
    assert [c.kind for c in again.history].count("undo") >= 4
    assert all(c.undoes for c in again.history if c.kind == "undo")
    assert [c.seq for c in again.history] == list(range(1, len(again.history) + 1))


def test_undo_never_overwrites_someone_elses_later_change(tmp_path):
    li = AuditLog.open(make_report(), [F1], tmp_path, "li")
    wang = AuditLog.open(make_report(), [F1], tmp_path, "wang")
    li.set_status(F1.key, "confirmed")
    wang.set_status(F1.key, "dismissed", "王：口径问题")
    before = li.path.read_bytes()
    with pytest.raises(UndoError, match="changed since"):
        li.undo()
    assert li.path.read_bytes() == before
    assert {(c.field, c.after) for c in wang.undo()} == {("status", "confirmed"), ("reason", "")}


# ------------------------------------------------------------------------------------------------ reopen


def test_reopen_after_reparse_keeps_vanished_findings_as_resolved(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2, F3], tmp_path, "li")
    log.set_status(F1.key, "confirmed", "确有错误")
    log.set_status(F2.key, "dismissed", "口径")
    log.set_comment(F3.key, "看一下")
    # the parser improved: F1 is gone, F4 is new; same bytes
    log2 = AuditLog.open(make_report(), [F4, F2, F3], tmp_path, "li")
    assert not log2.stale
    assert [e.key for e in log2.entries] == [F4.key, F2.key, F3.key, F1.key]
    e1 = log2.entry(F1.key)
    assert (e1.resolved, e1.status, e1.reason, e1.display_status) == (True, "confirmed", "确有错误", "resolved")
    assert log2.status(F2.key) == "dismissed" and log2.entry(F3.key).comment == "看一下"
    assert log2.entry(F4.key).status == "open"
    assert log2.counts() == {"open": 2, "confirmed": 0, "dismissed": 1, "resolved": 1, "stale": 0}
    doc = toml_of(log2)
    assert [f["key"] for f in doc["finding"]] == [F1.key, F2.key, F3.key, F4.key]  # file order is stable
    assert doc["history"][-1] | {"time": ""} == {
        "seq": 6, "change": 6, "time": "", "auditor": "li", "session": log.session, "kind": "auto", "key": F1.key,
        "field": "resolved", "before": "false", "after": "true"}
    # automatic records are not undone: li's undo reverts li's last edit, F3's comment
    assert [(c.key, c.field) for c in log2.undo()] == [(F3.key, "comment")]
    assert log2.entry(F1.key).resolved
    # the finding comes back: its verdict is still there
    log3 = AuditLog.open(make_report(), [F1, F2, F3, F4], tmp_path, "li")
    assert (log3.entry(F1.key).resolved, log3.status(F1.key)) == (False, "confirmed")


def test_reopen_after_reparse_with_the_parser(tmp_path):
    reportgen = pytest.importorskip("reportgen")
    from auditui.core.parse import parse
    from auditui.core.rules import check

    g3, g4 = reportgen.consistent3(), reportgen.consistent4()
    g3["三.一"][0] += 1  # 自然人 予以公开 one too many: row total and subtotal break
    path = "reports/某某县/2022.txt"
    r1 = parse(Source.from_text(reportgen.render(g3, g4), path=path))
    f1 = check(r1)
    errors = [f for f in f1 if f.severity == "error"]
    assert errors
    log = AuditLog.open(r1, f1, tmp_path, "li")
    for f in errors:
        log.set_status(f.key, "confirmed", "已核实")
    assert count_open_errors(f1, read_verdicts(r1, f1, tmp_path)) == len(errors)
    # same text, parsed again: every verdict reattaches
    r1b = parse(Source.from_text(reportgen.render(g3, g4), path=path))
    again = AuditLog.open(r1b, check(r1b), tmp_path, "li")
    assert [again.status(f.key) for f in errors] == ["confirmed"] * len(errors)
    assert not again.stale
    # the report is corrected: the findings vanish (resolved, kept) and the log is stale
    g3["三.一"][0] -= 1
    r2 = parse(Source.from_text(reportgen.render(g3, g4), path=path))
    assert [f for f in check(r2) if f.severity == "error"] == []
    fixed = AuditLog.open(r2, check(r2), tmp_path, "li")
    assert fixed.stale
    assert {e.key for e in fixed.entries if e.resolved} >= {f.key for f in errors}
    assert all(fixed.status(f.key) == "confirmed" for f in errors)


def test_stale_report_carries_verdicts_over(tmp_path):
    v1 = make_report("报告 第一版")
    log = AuditLog.open(v1, [F1, F2, F3], tmp_path, "li")
    log.set_status(F1.key, "confirmed", "错")
    log.set_comment(F2.key, "待查")
    v2 = make_report("报告 第二版（已修改）")
    assert v2.source.sha256 != v1.source.sha256
    # read-only reader flags the carried verdicts as stale before any log is rewritten
    ro = read_verdicts(v2, [F1, F2, F3], tmp_path)
    assert (ro[F1.key]["status"], ro[F1.key]["stale"], ro[F2.key]["stale"], ro[F3.key]["stale"]) == (
        "confirmed", True, True, False)
    log2 = AuditLog.open(v2, [F1, F2, F3, F4], tmp_path, "wang")
    assert log2.stale and log2.report_changed
    assert (log2.status(F1.key), log2.entry(F1.key).reason, log2.entry(F2.key).comment) == ("confirmed", "错", "待查")
    assert [e.stale for e in log2.entries] == [True, True, False, False]
    doc = toml_of(log2)
    assert doc["report"]["sha256"] == v2.source.sha256
    sha_change = [h for h in doc["history"] if h["key"] == "report" and h["field"] == "sha256"]
    assert [(h["before"], h["after"], h["kind"]) for h in sha_change] == [
        (v1.source.sha256, v2.source.sha256, "auto")]
    # reviewing a verdict (even unchanged) clears its stale flag; the log stays stale while others remain
    log2.set_status(F1.key, "confirmed", "错")
    assert not log2.entry(F1.key).stale
    log3 = AuditLog.open(v2, [F1, F2, F3, F4], tmp_path, "wang")
    assert not log3.report_changed and log3.stale and log3.counts()["stale"] == 1
    log3.set_status(F2.key, "open")
    assert not AuditLog.open(v2, [F1, F2, F3, F4], tmp_path, "wang").stale


def test_same_bytes_under_another_path_find_the_log(tmp_path):
    log = AuditLog.open(make_report(path="a/r.txt"), [F1], tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    moved = AuditLog.open(make_report(path="/elsewhere/b/r.txt"), [F1], tmp_path, "li")
    assert moved.path == log.path and moved.status(F1.key) == "confirmed"
    assert any("another path" in n for n in moved.notices)
    assert read_verdicts(make_report(path="c/r.txt"), [F1], tmp_path)[F1.key]["status"] == "confirmed"


def test_unknown_keys_are_kept(tmp_path):
    log = AuditLog.open(make_report(), [F1], tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    text = log.path.read_text("utf-8").replace("schema = 1\n", 'schema = 1\nteam = "二组"\n')
    text = text.replace('stale = false\n', 'stale = false\nchecked_by = "赵"\n', 1)
    log.path.write_text(text, "utf-8")
    log.set_comment(F1.key, "x")
    doc = toml_of(log)
    assert doc["team"] == "二组" and doc["finding"][0]["checked_by"] == "赵"
    assert doc["finding"][0]["comment"] == "x"


# ------------------------------------------------------------------------------------------------ safety


def _corrupt(path: Path) -> bytes:
    bad = path.read_bytes().replace(b'status = "open"', b'status = "open', 1)
    path.write_bytes(bad)
    return bad


def test_corrupted_log_is_left_untouched(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    primary = log.path
    bad = _corrupt(primary)
    mtime = os.stat(primary).st_mtime_ns
    with pytest.raises(LogError) as exc:
        AuditLog.open(make_report(), [F1, F2], tmp_path, "li", recover=False)
    msg = str(exc.value)
    assert str(primary) in msg and "not valid TOML" in msg and "line" in msg
    with pytest.raises(LogError, match="not valid TOML"):
        read_verdicts(make_report(), [F1, F2], tmp_path)
    # the default: a clear notice, and work continues in a new file beside it
    rec = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    assert rec.path != primary and rec.path.parent == primary.parent
    assert rec.path.name.startswith(primary.name[:-5] + ".recovered-")
    assert len(rec.notices) == 1
    assert primary.name in rec.notices[0] and "left untouched" in rec.notices[0] and "line" in rec.notices[0]
    rec.set_status(F2.key, "dismissed", "重复")
    assert primary.read_bytes() == bad and os.stat(primary).st_mtime_ns == mtime
    # the next session continues in the same recovery file, not yet another one
    rec2 = AuditLog.open(make_report(), [F1, F2], tmp_path, "wang")
    assert rec2.path == rec.path and rec2.status(F2.key) == "dismissed"
    assert read_verdicts(make_report(), [F1, F2], tmp_path)[F2.key]["status"] == "dismissed"
    logs, errors = load_logs(tmp_path)
    assert [d.path for d in logs] == [rec.path]
    assert [e.path for e in errors] == [str(primary)]
    assert primary.read_bytes() == bad


@pytest.mark.parametrize(("content", "message"), [
    (b'schema = 3\n[report]\npath = "x"\n', "newer auditui"),
    (b"\xff\xfe not utf-8", "not UTF-8"),
    (b"", "schema"),
    (b'schema = 1\n[[finding]]\nkey = "a"\nstatus = "maybe"\n', "status 'maybe'"),
    (b'schema = 1\n[[finding]]\nkey = "a"\ncomment = 3\n', "comment must be a string"),
    (b'schema = 1\n[[finding]]\nkey = "a"\n[[finding]]\nkey = "a"\n', "twice"),
    (b'schema = 1\nfinding = "x"\n', "array of tables"),
])
def test_invalid_logs_are_errors_not_overwritten(tmp_path, content, message):
    primary = tmp_path / log_file_name(REPORT_PATH)
    primary.write_bytes(content)
    with pytest.raises(LogError, match=message) as exc:
        AuditLog.open(make_report(), [F1], tmp_path, "li", recover=False)
    assert exc.value.path == str(primary)
    log = AuditLog.open(make_report(), [F1], tmp_path, "li")
    log.set_comment(F1.key, "继续")
    assert primary.read_bytes() == content
    assert log.path != primary


def test_log_corrupted_during_a_session(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    log.set_status(F1.key, "confirmed", "已核实")
    primary = log.path
    bad = _corrupt(primary)  # someone mangles it by hand while the TUI is open
    log.set_comment(F2.key, "继续工作")
    assert primary.read_bytes() == bad
    assert log.path != primary and any(primary.name in n for n in log.notices)
    doc = toml_of(log)  # the recovery file holds the earlier work too
    assert doc["finding"][0]["status"] == "confirmed" and doc["finding"][1]["comment"] == "继续工作"


def test_log_deleted_during_a_session_is_rewritten_whole(tmp_path):
    log = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    log.path.unlink()
    log.set_comment(F2.key, "x")
    doc = toml_of(log)
    assert doc["finding"][0]["status"] == "confirmed" and len(doc["history"]) == 2


def test_saves_leave_no_temporary_files(tmp_path):
    log = AuditLog.open(make_report(), [F1], tmp_path, "li")
    for i in range(5):
        log.set_comment(F1.key, str(i))
    assert [p.name for p in tmp_path.iterdir()] == [log.path.name]  # the lock is removed after each save


def test_read_verdicts_is_read_only(tmp_path):
    d = tmp_path / "none"
    v = read_verdicts(make_report(), [F1, F3], d)
    assert {k: x["status"] for k, x in v.items()} == {F1.key: "open", F3.key: "open"}
    assert not d.exists()
    assert count_open_errors([F1, F3], v) == 1
    log = AuditLog.open(make_report(), [F1, F2, F3], tmp_path, "li")
    log.set_status(F1.key, "dismissed", "不是错误")
    log.set_status(F2.key, "confirmed")
    before = sorted(p.name for p in tmp_path.iterdir()), log.path.read_bytes()
    v = read_verdicts(make_report(), [F1, F2, F3], tmp_path)
    assert count_open_errors([F1, F2, F3], v) == 1
    assert (sorted(p.name for p in tmp_path.iterdir()), log.path.read_bytes()) == before


# ------------------------------------------------------------------------------------------------ concurrency

WORKER = textwrap.dedent("""
    import os, sys, time
    from auditui.core.auditlog import AuditLog
    from auditui.core.model import Finding, Report, Source

    log_dir, name, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    def f(rule, row):
        return Finding(rule=rule, severity="error", table="三", row=row, column="总计", expected=1, actual=2,
                       message=rule)
    findings = [f("row-total", r) for r in ("一", "二", "三.一", "三.二")]
    report = Report(source=Source.from_text("同一份报告", path="r/同一份.txt"), body="某局", year=2022,
                    template="2021", tables={})
    deadline = time.monotonic() + 20
    while not os.path.exists(go) and time.monotonic() < deadline:  # start together
        time.sleep(0.001)
    log = AuditLog.open(report, findings, log_dir, name)
    for i in range(n):
        log.add_note("三/一/总计", f"{name}-{i}")
        log.set_comment(findings[i % 4].key, f"{name}-{i}")
    log.set_status(findings[0 if name == "A" else 1].key, "confirmed", f"{name} says so")
""")


def test_two_processes_writing_the_same_log_lose_nothing(tmp_path):
    n = 25
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path / "logs"), name, str(n), str(go)],
                              env=env, stderr=subprocess.PIPE, text=True) for name in ("A", "B")]
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    logs, errors = load_logs(tmp_path / "logs")
    assert errors == [] and len(logs) == 1
    data = logs[0]
    assert sorted(x.text for x in data.notes) == sorted(f"{w}-{i}" for w in "AB" for i in range(n))
    assert len({x.id for x in data.notes}) == 2 * n
    comments = {h.after for h in data.history if h.field == "comment"}
    assert comments == {f"{w}-{i}" for w in "AB" for i in range(n)}
    assert [h.seq for h in data.history] == list(range(1, len(data.history) + 1))
    assert data.entries[0].status == "confirmed" and data.entries[0].reason == "A says so"
    assert data.entries[1].status == "confirmed" and data.entries[1].reason == "B says so"
    # the final comment of each finding is the last value its history recorded
    for e in data.entries:
        last = [h.after for h in data.history if h.key == e.key and h.field == "comment"][-1]
        assert e.comment == last
