"""The audit log as a team uses it, and as things go wrong: shared folders, symlinked logs, a stuck lock,
recovery with several writers, undo in two places, bad history records, logs that grow, leftovers of a kill,
file names that are not UTF-8."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from auditui.core.auditlog import (
    MAX_LOG_BYTES,
    AuditLog,
    LockTimeout,
    LogData,
    LogError,
    load_logs,
    log_file_name,
    read_verdicts,
)
from auditui.core.auditlog import records as records_module
from auditui.core.model import Finding, Report, Source

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
REPORT_PATH = "reports/某县/2022年报告.txt"


def make_report(text: str = "某县人民政府 2022 年报告", path: str = REPORT_PATH) -> Report:
    return Report(source=Source.from_text(text, path=path), body="某县人民政府", year=2022, template="2021",
                  tables={})


def F(row: str) -> Finding:
    return Finding(rule="row-total", severity="error", table="三", row=row, column="总计", expected=3, actual=4,
                   message=f"row {row}")


F1, F2, F3 = F("一"), F("二"), F("三.一")
ALL = [F1, F2, F3]


def _run(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], env=ENV, capture_output=True, text=True,
                          timeout=timeout)


# ------------------------------------------------------------------------------------------------ shared folders

GID = 24680  # a group the test process and "nobody" share for the test


@pytest.fixture
def team_dir():
    """A team's log folder: group-writable, set-group-id (new files get its group), reachable by others."""
    if os.geteuid() != 0:
        pytest.skip("needs root to act as a second user")
    d = Path(tempfile.mkdtemp(prefix="auditui-team-"))
    os.chmod(d, 0o755)
    logs = d / "logs"
    logs.mkdir()
    os.chown(logs, 0, GID)
    os.chmod(logs, 0o2775)
    old = os.umask(0o002)
    try:
        yield logs
    finally:
        os.umask(old)
        subprocess.run(["rm", "-rf", str(d)], check=False)


SECOND_AUDITOR = textwrap.dedent("""
    import os, sys
    from auditui.core.auditlog import AuditLog, LogError
    from auditui.core.model import Finding, Report, Source
    log_dir, gid = sys.argv[1], int(sys.argv[2])
    report = Report(source=Source.from_text("某县人民政府 2022 年报告", path="reports/某县/2022年报告.txt"),
                    body="某县人民政府", year=2022, template="2021", tables={})
    f = Finding(rule="row-total", severity="error", table="三", row="二", column="总计", expected=3, actual=4,
                message="row 二")
    g = Finding(rule="row-total", severity="error", table="三", row="一", column="总计", expected=3, actual=4,
                message="row 一")
    import encodings.utf_8_sig  # everything is imported now: the interpreter's own files are out of reach of
    # "nobody", whom this process becomes, a member of the team's group
    os.setgroups([gid]); os.setgid(gid); os.setuid(65534)
    os.umask(0o002)
    try:
        log = AuditLog.open(report, [g, f, Finding(rule="row-total", severity="error", table="三", row="三.一",
                            column="总计", expected=3, actual=4, message="row 三.一")], log_dir, "wang")
        log.set_status(f.key, "dismissed", "王：口径不同")
        print("saved", log.path, *log.notices, sep="\\n")
    except LogError as e:
        print("error", e.path, e.reason, sep="\\n")
""")


def test_a_second_auditor_in_the_group_works_in_the_same_log(team_dir):
    li = AuditLog.open(make_report(), ALL, team_dir, "li")
    li.set_status(F1.key, "confirmed", "李：确有错误")
    st = os.stat(li.path)
    assert stat.S_IMODE(st.st_mode) == 0o664 and st.st_gid == GID  # the umask and the folder's group
    r = _run(SECOND_AUDITOR, str(team_dir), str(GID))
    assert r.returncode == 0, r.stderr
    out = r.stdout.split("\n")
    assert out[:2] == ["saved", str(li.path)], r.stdout  # the same log, no recovery file
    assert sorted(p.name for p in team_dir.iterdir()) == [li.path.name]
    li.refresh()
    assert (li.status(F1.key), li.status(F2.key)) == ("confirmed", "dismissed")
    st = os.stat(li.path)
    assert stat.S_IMODE(st.st_mode) == 0o664 and st.st_gid == GID and st.st_uid == 65534


def test_a_folder_the_auditor_may_not_write_is_a_clear_error_not_a_recovery(team_dir):
    li = AuditLog.open(make_report(), ALL, team_dir, "li")
    li.set_status(F1.key, "confirmed", "李")
    os.chmod(team_dir, 0o2755)  # the second auditor may read the logs but not write in the folder
    before = li.path.read_bytes()
    r = _run(SECOND_AUDITOR, str(team_dir), str(GID))
    assert r.returncode == 0, r.stderr
    kind, path, reason = r.stdout.strip().split("\n")
    assert (kind, path, reason) == ("error", str(li.path), "cannot save audit log: Permission denied")
    assert sorted(p.name for p in team_dir.iterdir()) == [li.path.name]  # not sent to a recovery file
    assert li.path.read_bytes() == before


def test_existing_mode_and_group_are_kept_on_every_rewrite(tmp_path):
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")
    log.set_comment(F1.key, "一")
    os.chmod(log.path, 0o640)
    if os.geteuid() == 0:
        os.chown(log.path, 0, GID)
    log.set_comment(F1.key, "二")
    st = os.stat(log.path)
    assert stat.S_IMODE(st.st_mode) == 0o640
    if os.geteuid() == 0:
        assert st.st_gid == GID


def test_a_read_only_log_is_not_replaced(tmp_path):
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    os.chmod(log.path, 0o444)
    before = log.path.read_bytes()
    with pytest.raises(LogError, match=r"read-only \(mode 0444\)"):
        log.set_status(F2.key, "confirmed")
    assert log.path.read_bytes() == before and stat.S_IMODE(os.stat(log.path).st_mode) == 0o444
    # reopened by a newer parse (which would record that F3 is gone): shown, with a word, not written
    again = AuditLog.open(make_report(), [F1, F2], tmp_path, "li")
    assert again.status(F1.key) == "confirmed" and any("read-only" in n for n in again.notices)
    assert log.path.read_bytes() == before


# ------------------------------------------------------------------------------------------------ symlinks


def test_a_symlinked_log_is_written_through_the_link(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    log = AuditLog.open(make_report(), ALL, shared, "li")
    log.set_status(F1.key, "confirmed")
    mine = tmp_path / "mine"
    mine.mkdir()
    link = mine / log.path.name
    link.symlink_to(log.path)
    linked = AuditLog.open(make_report(), ALL, mine, "wang")
    assert linked.status(F1.key) == "confirmed"
    linked.set_status(F2.key, "dismissed", "王")
    assert link.is_symlink() and os.readlink(link) == str(log.path)
    assert sorted(p.name for p in mine.iterdir()) == [link.name]  # no temporary or lock beside the link
    log.refresh()
    assert log.status(F2.key) == "dismissed"  # the target saw the change
    assert sorted(p.name for p in shared.iterdir()) == [log.path.name]


# ------------------------------------------------------------------------------------------------ a stuck lock

HOLD_LOCK = textwrap.dedent("""
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a save of a stuck auditui would
    print("locked", flush=True)
    time.sleep(120)
""")


def test_a_stuck_lock_times_out_with_a_message_naming_it(tmp_path):
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    lock = tmp_path  # a save locks the log's folder
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        # reading needs no lock: the log opens and shows its verdicts
        other = AuditLog.open(make_report(), ALL, tmp_path, "wang", timeout=0.5)
        assert other.status(F1.key) == "confirmed"
        t0 = time.monotonic()
        with pytest.raises(LockTimeout) as exc:
            other.set_status(F2.key, "confirmed")
        assert 0.4 < time.monotonic() - t0 < 10
        assert exc.value.path == str(lock) and str(lock) in str(exc.value)
        assert "0.5 s" in exc.value.reason and f"pid {holder.pid}" in exc.value.reason
        assert isinstance(exc.value, LogError)  # what the TUI and CLI already catch
    finally:
        holder.kill()
        holder.wait()
    other.set_status(F2.key, "confirmed")  # the holder is gone: the lock is free again
    assert AuditLog.open(make_report(), ALL, tmp_path, "li").status(F2.key) == "confirmed"


# ------------------------------------------------------------------------------------------------ recovery


def test_recovery_keeps_what_every_writer_saved(tmp_path):
    a = AuditLog.open(make_report(), ALL, tmp_path, "li")
    b = AuditLog.open(make_report(), ALL, tmp_path, "wang")
    a.set_status(F1.key, "dismissed", "李：上年结转")
    a.add_note("三/一/总计", "李的备注")
    primary = a.path
    primary.write_bytes(primary.read_bytes().replace(b'status = "', b'status = ', 1))  # corrupted by hand
    b.set_comment(F2.key, "王：继续工作")  # b has not seen a's dismissal: its recovery file starts without it
    b.add_note("三/二/总计", "王的备注")
    assert b.path != primary
    a.set_comment(F3.key, "李：也继续")  # a moves to the same recovery file, bringing what it had saved
    assert a.path == b.path
    for log in (a, b):
        log.refresh()
        assert (log.status(F1.key), log.entry(F1.key).reason) == ("dismissed", "李：上年结转")
        assert log.entry(F2.key).comment == "王：继续工作" and log.entry(F3.key).comment == "李：也继续"
        assert sorted((n.target, n.text) for n in log.notes) == [("三/一/总计", "李的备注"), ("三/二/总计", "王的备注")]
    data = tomllib.loads(a.path.read_text("utf-8"))
    assert [h["seq"] for h in data["history"]] == list(range(1, len(data["history"]) + 1))
    assert len({n["id"] for n in data["note"]}) == 2  # the two notes both called n1 are told apart
    # each can still undo its own last change
    assert [(c.key, c.field) for c in a.undo()] == [(F3.key, "comment")]
    assert {c.key for c in b.undo()} == {"note:n1"}  # b's note, made first in the recovery file
    b.refresh()
    assert [(n.id, n.text) for n in b.notes] == [("n2", "李的备注")]  # a's note, renamed on the way in


# ------------------------------------------------------------------------------------------------ undo

UNDOER = textwrap.dedent("""
    import os, sys, time
    from auditui.core.auditlog import AuditLog
    from auditui.core.model import Finding, Report, Source
    log_dir, go = sys.argv[1], sys.argv[2]
    report = Report(source=Source.from_text("某县人民政府 2022 年报告", path="reports/某县/2022年报告.txt"),
                    body="某县人民政府", year=2022, template="2021", tables={})
    fs = [Finding(rule="row-total", severity="error", table="三", row=r, column="总计", expected=3, actual=4,
                  message=f"row {r}") for r in ("一", "二", "三.一")]
    log = AuditLog.open(report, fs, log_dir, "li")
    log.set_status(fs[0].key, "confirmed")
    print("saved", flush=True)
    while not os.path.exists(go):
        time.sleep(0.01)
    print(*[f"{c.key} {c.field}" for c in log.undo()], sep="\\n")
""")


def test_undo_reverts_this_sessions_change_not_the_same_auditors_other_window(tmp_path):
    go = tmp_path / "go"
    other = subprocess.Popen([sys.executable, "-c", UNDOER, str(tmp_path / "logs"), str(go)], env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "saved"
    here = AuditLog.open(make_report(), ALL, tmp_path / "logs", "li")  # the same auditor, another window
    here.set_status(F2.key, "dismissed", "另一个窗口")
    go.touch()
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, err
    assert out.split("\n")[0] == f"{F1.key} status"  # the other window undid its own change
    here.refresh()
    assert (here.status(F1.key), here.status(F2.key)) == ("open", "dismissed")
    assert {(c.key, c.field) for c in here.undo()} == {(F2.key, "status"), (F2.key, "reason")}


# ------------------------------------------------------------------------------------------------ bad history


def test_bad_history_records_are_reported_and_skipped_never_a_crash(tmp_path):
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    bad = textwrap.dedent(f"""
        [[history]]
        seq = 2
        change = 2
        time = "2025-03-01T10:00:00+08:00"
        auditor = "li"
        session = "another-window"
        kind = "edit"
        key = "row-total/三/九十九/总计"
        field = "status"
        before = "open"
        after = "confirmed"

        [[history]]
        seq = 3
        change = 3
        time = "2025-03-01T10:00:00+08:00"
        auditor = "li"
        session = "another-window"
        kind = "edit"
        key = "{F2.key}"
        field = "colour"
        before = "red"
        after = "blue"
    """)
    with open(log.path, "a", encoding="utf-8") as f:
        f.write(bad)
    again = AuditLog.open(make_report(), ALL, tmp_path, "li")
    problems = [n for n in again.notices if "[[history]]" in n]
    assert len(problems) == 2 and all(str(log.path) in n and "ignored" in n for n in problems)
    assert "九十九" in problems[0] and "colour" in problems[1]
    assert [h.seq for h in again.history] == [1]
    assert [(c.key, c.field) for c in again.undo()] == [(F1.key, "status")]  # the valid record is undone
    text = log.path.read_text("utf-8")
    assert "九十九" in text and "colour" in text  # the bad records stay in the file, in their place
    assert read_verdicts(make_report(), ALL, tmp_path)[F1.key]["status"] == "open"


# ------------------------------------------------------------------------------------------------ logs that grow


def test_a_save_neither_reparses_nor_reserialises_the_history(tmp_path, monkeypatch):
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")
    for i in range(30):
        log.set_comment(F1.key, f"c{i}")
    parses, dumps = [], []
    real_parse, real_to_toml = LogData.parse.__func__, records_module.Change.to_toml
    monkeypatch.setattr(LogData, "parse", classmethod(lambda cls, *a: parses.append(1) or real_parse(cls, *a)))
    monkeypatch.setattr(records_module.Change, "to_toml", lambda self: dumps.append(self.seq) or real_to_toml(self))
    log.set_comment(F2.key, "new")
    assert parses == [] and dumps == [31]  # the file was ours: only the new record is made afresh
    other = AuditLog.open(make_report(), ALL, tmp_path, "wang")
    other.set_comment(F3.key, "wang")
    checked = []
    real_change = records_module._change
    monkeypatch.setattr(records_module, "_change", lambda h, *a: checked.append(h["after"]) or real_change(h, *a))
    dumps.clear()
    for i in range(3):  # two writers taking turns: each reads of the other's file only what is new
        other.set_comment(F3.key, f"wang {i}")
        log.set_comment(F1.key, f"li {i}")
    assert checked == ["wang", "wang 0", "li 0", "wang 1", "li 1", "wang 2"]  # (li 2: no one read yet)
    # each writer makes the TOML of a record once: its own as it saves it, the other's as it learns it
    assert sorted(dumps) == [32, 33, 33, 34, 34, 35, 35, 36, 36, 37, 37, 38]
    other.refresh()
    assert checked[-1] == "li 2"
    for who in (log, other):  # what each holds is what reading the whole file gives
        assert who.data.to_toml() == LogData.parse(who.path.read_bytes(), who.path).to_toml()
    doc = tomllib.loads(log.path.read_text("utf-8"))
    assert [h["seq"] for h in doc["history"]] == list(range(1, 39))
    assert [h["after"] for h in doc["history"][-3:]] == ["li 1", "wang 2", "li 2"]
    dumps.clear()
    third = AuditLog.open(make_report(), ALL, tmp_path, "zhao")  # a new session's first save, too
    third.set_comment(F2.key, "zhao")
    assert dumps == [39]
    one = tmp_path / "one"
    AuditLog.open(make_report(), ALL, one, "li").set_comment(F1.key, "only one")
    path = next(one.iterdir())
    assert LogData.parse(path.read_bytes(), path).dumps().encode() == path.read_bytes()


def test_a_log_beyond_the_size_limit_is_refused_with_a_clear_message(tmp_path):
    primary = tmp_path / log_file_name(REPORT_PATH)
    with open(primary, "wb") as f:
        f.write(b'schema = 1\n[report]\npath = "x"\n')
        f.write(b"# padding\n" * (MAX_LOG_BYTES // 10 + 1))
    with pytest.raises(LogError) as exc:
        AuditLog.open(make_report(), ALL, tmp_path, "li", recover=False)
    assert exc.value.reason == f"the audit log is {primary.stat().st_size / 1048576:,.0f} MB; auditui reads logs " \
                               f"of up to {MAX_LOG_BYTES // 1048576} MB"
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")  # the default: left untouched, work goes on beside
    log.set_status(F1.key, "confirmed")
    assert log.path != primary and any("up to 16 MB" in n for n in log.notices)
    _, errors = load_logs(tmp_path)
    assert [e.reason for e in errors] == [exc.value.reason]


# ------------------------------------------------------------------------------------------------ leftovers


def test_stale_temporaries_of_a_killed_writer_are_removed_on_the_next_save(tmp_path):
    log = AuditLog.open(make_report(), ALL, tmp_path, "li")
    log.set_status(F1.key, "confirmed")
    left = [tmp_path / f".{log.path.name}.1a2b3c4d.tmp", tmp_path / f".{log.path.name}.z8_ab12x.tmp"]
    for p in left:
        p.write_bytes(b"half a log")
    unrelated = tmp_path / ".another.toml.1a2b3c4d.tmp"
    unrelated.write_bytes(b"not ours")
    log.set_status(F2.key, "confirmed")
    assert not any(p.exists() for p in left) and unrelated.exists()


KILLED_WRITER = textwrap.dedent("""
    import sys
    from auditui.core.auditlog import AuditLog
    from auditui.core.model import Finding, Report, Source
    report = Report(source=Source.from_text("某县人民政府 2022 年报告", path="reports/某县/2022年报告.txt"),
                    body="某县人民政府", year=2022, template="2021", tables={})
    f = Finding(rule="row-total", severity="error", table="三", row="一", column="总计", expected=3, actual=4,
                message="row 一")
    log = AuditLog.open(report, [f], sys.argv[1], sys.argv[2])
    for i in range(100000):
        log.set_comment(f.key, f"{sys.argv[2]}-{i}")
        print(i, flush=True)
""")


def test_writers_killed_in_the_middle_of_saves_lose_no_confirmed_save(tmp_path):
    confirmed = set()
    for trial in range(4):
        procs = [subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path), f"t{trial}{w}"], env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for w in "ab"]
        time.sleep(0.6 + 0.2 * trial)
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)
        for p, w in zip(procs, "ab", strict=True):
            out, _ = p.communicate()
            confirmed |= {f"t{trial}{w}-{n}" for n in out.split()}
    logs, errors = load_logs(tmp_path)
    assert errors == [] and len(logs) == 1
    assert confirmed and confirmed <= {h.after for h in logs[0].history}
    AuditLog.open(make_report(), [Finding(rule="row-total", severity="error", table="三", row="一",
                                          column="总计", expected=3, actual=4, message="row 一")],
                  tmp_path, "li").set_comment("row-total/三/一/总计", "after the kills")
    assert sorted(p.name for p in tmp_path.iterdir()) == [logs[0].path.name]  # no temporary, no lock left


# ------------------------------------------------------------------------------------------------ names


def test_a_report_whose_name_is_not_utf8_gets_a_log(tmp_path):
    name = os.fsdecode("报告".encode("gbk") + b".txt")  # a GBK name on a UTF-8 system
    report = make_report(path=f"reports/{name}")
    log = AuditLog.open(report, ALL, tmp_path, "li")
    log.set_status(F1.key, "confirmed", "名字不是 UTF-8")
    assert log.path.name.startswith("xb1_xa8_xb8_xe6-")  # the log's own name is UTF-8, the bytes shown
    raw = log.path.read_bytes()
    raw.decode("utf-8")
    assert tomllib.loads(raw.decode("utf-8"))["report"]["path"] == "reports/\\xb1\\xa8\\xb8\\xe6.txt"
    assert read_verdicts(report, ALL, tmp_path)[F1.key]["status"] == "confirmed"
    assert AuditLog.open(report, ALL, tmp_path, "wang").status(F1.key) == "confirmed"
