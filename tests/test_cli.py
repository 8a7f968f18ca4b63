"""`auditui check`: exit codes, formats, the JSON contract (docs/json.md), jobs, bad paths."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

from conftest import ROOT, SEEDS
from test_json_contract import validate as validate_schema

from auditui.cli import main


def validate(obj: dict) -> None:
    """The JSON contract (docs/json.md), checked strictly against its schema; and 三 and 四 always present."""
    validate_schema(obj)
    if obj["error"] is None:
        assert set(obj["values"]) == {"三", "四"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditui", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_json_lines_over_sample_reports_validate():
    p = run_cli("check", "sample_reports/", "--format", "json")
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(lines) >= 5
    for obj in lines:
        validate(obj)
    by_name = {o["path"].rsplit("/", 1)[-1]: o for o in lines}
    assert by_name[SEEDS["003"].name]["values"]["三"]["三.七"]["自然人"] == 1
    assert p.returncode == 1  # 003 has errors


def test_exit_codes(tmp_path, capsys):
    assert main(["check", str(SEEDS["001"]), str(SEEDS["002"])]) == 0
    assert main(["check", str(SEEDS["003"])]) == 1
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["check", str(empty), str(SEEDS["003"])]) == 2
    out = capsys.readouterr()
    assert "empty.txt" in out.err and "empty file" in out.err
    assert "张家港市工业和信息化局" in out.out  # the other file was still checked


def test_unreadable_file_in_json(tmp_path, capsys):
    bad = tmp_path / "x.txt"
    bad.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 50)
    assert main(["check", str(bad), "--format", "json"]) == 2
    obj = json.loads(capsys.readouterr().out)
    validate(obj)
    assert obj["error"]


def test_folder_recursion_and_jobs_give_identical_output(tmp_path, capsys):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    for i, p in enumerate(SEEDS.values()):
        (sub if i % 2 else tmp_path).joinpath(f"{i}-{p.name}").write_bytes(p.read_bytes())
    (tmp_path / "notes.json").write_text("{}")
    main(["check", str(tmp_path), "--format", "json"])
    one = capsys.readouterr().out
    main(["check", str(tmp_path), "--format", "json", "--jobs", "2"])
    two = capsys.readouterr().out
    assert one == two
    assert len(one.splitlines()) == 5


def test_toml_format_parses(capsys):
    assert main(["check", str(SEEDS["003"]), "--format", "toml"]) == 1
    doc = tomllib.loads(capsys.readouterr().out)
    (rep,) = doc["report"]
    assert rep["template"] == "2019"
    assert rep["values"]["三"]["三.七"]["自然人"] == 1
    assert "行政复议" not in rep["values"]["四"] or "总计" not in rep["values"]["四"]["行政复议"]  # null omitted
    assert [f["rule"] for f in rep["findings"]][:2] == ["subtotal", "subtotal"]


def test_text_output_is_not_markup(tmp_path, capsys):
    p = tmp_path / "[bold]x[red] 报告.txt"
    # (with a table: a text without one is refused as no report, see test_bad_files)
    p.write_text("[red]某局[/red]\n2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
                 "一、本年新收政府信息公开申请数量\t0\n二、上年结转政府信息公开申请数量\t0\n（一）予以公开\t0\n",
                 encoding="utf-8")
    main(["check", str(p)])
    out = capsys.readouterr().out.replace("\n", "")
    assert "[red]某局[/red]" in out
    assert "[bold]x[red] 报告.txt" in out


def test_missing_path_is_named():
    p = run_cli("check", "no/such/file.txt")
    assert p.returncode == 2
    assert "no/such/file.txt" in p.stderr and "no such file" in p.stderr


def test_core_never_imports_textual():
    code = ("import sys, auditui.core.batch, auditui.core.parse, auditui.core.rules, auditui.core.load, "
            "auditui.core.template, auditui.cli; "
            "from auditui.core.batch import check_file; check_file(sys.argv[1]); "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'")
    p = subprocess.run([sys.executable, "-c", code, str(SEEDS["003"])], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_import_linter_contract_holds():
    """pyproject's import-linter contract: auditui.core imports neither textual, the TUI nor the CLI. Run through
    this interpreter (what the ``lint-imports`` script runs), so it does not depend on the venv being on PATH."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "1 kept, 0 broken" in p.stdout


def test_batch_tunes_the_collector_only_for_the_batch():
    import gc

    from auditui.core.batch import check_many
    from auditui.core.collector import YOUNG as BATCH_GC_THRESHOLD

    before = gc.get_threshold()
    seen = []
    for checked in check_many(sorted((ROOT / "sample_reports").glob("*.txt"))[:2]):
        seen.append((gc.get_threshold()[0], checked.report is not None))
    assert seen == [(BATCH_GC_THRESHOLD, True), (BATCH_GC_THRESHOLD, True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_verdicts_and_exit_status_are_the_same_whatever_jobs(tmp_path, capsys):
    """One result type whatever --jobs is: with two worker processes the audit log's verdicts still reach every
    finding (carry-over ones too) and decide the exit status (they were dropped, and the status flipped to 1)."""
    from auditui.core.auditlog import AuditLog
    from auditui.core.batch import check_file

    for name in ("003_a190ec9e232fd5b0.txt", "001_64184a962bfd4335.txt"):
        (tmp_path / name).write_bytes((ROOT / "sample_reports" / name).read_bytes())
    logs = tmp_path / "logs"
    c = check_file(tmp_path / "003_a190ec9e232fd5b0.txt")
    log = AuditLog.open(c.report, c.findings, logs, "li")
    for f in c.findings:
        if f.severity == "error":
            log.set_status(f.key, "dismissed", "表格如此")
    out = {}
    for jobs in ("1", "2"):
        status = main(["check", str(tmp_path / "003_a190ec9e232fd5b0.txt"), str(tmp_path / "001_64184a962bfd4335.txt"),
                       "--log-dir", str(logs), "--format", "json", "--jobs", jobs])
        out[jobs] = (status, capsys.readouterr().out)
    assert out["1"] == out["2"]
    assert out["2"][0] == 0
    objs = [json.loads(line) for line in out["2"][1].splitlines()]
    errors = [f for o in objs for f in o["findings"] if f["severity"] == "error"]
    assert errors and all(f["status"] == "dismissed" and f["reason"] == "表格如此" for f in errors)
    assert all("status" in f for o in objs for f in o["findings"])


def test_checked_reports_cross_processes_whole():
    """What a worker sends back is the Checked it made, every cell, span and finding intact."""
    import pickle

    from auditui.core.batch import check_file

    for p in [*SEEDS.values(), ROOT / "sample_reports" / "huaian-2024-municipal-government.pdf"]:
        c = check_file(p)
        back = pickle.loads(pickle.dumps(c))
        assert (back.path, back.findings, back.error) == (c.path, c.findings, c.error)
        r, b = c.report, back.report
        assert (b.body, b.year, b.template, b.body_span, b.year_span) == (r.body, r.year, r.template, r.body_span,
                                                                          r.year_span)
        assert back.report.tables == c.report.tables and back.report.markers == c.report.markers
        assert back.report.source.lines == c.report.source.lines
        assert back.report.int_values == c.report.int_values
