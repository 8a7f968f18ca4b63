"""The output of `auditui check --format json` against its contract, docs/check.schema.json (docs/json.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SAMPLES
from reportgen import LAYOUTS, consistent3, consistent4, render

from auditui.cli import main

SCHEMA = json.loads((ROOT / "docs" / "check.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def validate(obj: dict) -> None:
    """Raise with every way ``obj`` breaks the contract."""
    errors = sorted(VALIDATOR.iter_errors(obj), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])


def check_json(capsys, *args: str) -> list[dict]:
    main(["check", "--format", "json", *args])
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_sample_reports_keep_the_contract(capsys):
    objs = check_json(capsys, str(SAMPLES))
    assert len(objs) == len([p for p in SAMPLES.iterdir() if p.is_file()])
    for obj in objs:
        validate(obj)
    assert {o["format"] for o in objs} == {"text", "pdf"}


@pytest.mark.parametrize("template,year", [("2019", 2020), ("2021", 2022)])
def test_generated_reports_with_errors_blanks_and_odd_cells_keep_the_contract(tmp_path, capsys, template, year):
    for k, layout in enumerate(LAYOUTS):
        g3, g4 = consistent3(template, seed=k), consistent4(k)
        g3["一"][0] += 3  # arithmetic errors with suggestions
        g3["三.七"][2] = None  # blank cells: rules that cannot be evaluated
        g3["二"][1] = "1O"  # unreadable
        g4[1][4] += 1
        (tmp_path / f"{layout}.txt").write_text(render(g3, g4, template, year, layout=layout), "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    objs = check_json(capsys, str(tmp_path))
    for obj in objs:
        validate(obj)
    rules = {f["rule"] for o in objs for f in o["findings"]}
    assert {"column-balance", "row-total", "litigation-total", "blank-cell", "bad-cell"} <= rules
    assert any(f["suggestions"] for o in objs for f in o["findings"])
    assert any(not f["evaluable"] for o in objs for f in o["findings"])
    assert [o["error"].split(" (")[0] for o in objs if o["error"]] == ["empty file"]


def test_verdicts_keep_the_contract(tmp_path, capsys):
    from auditui.core.auditlog import AuditLog
    from auditui.core.batch import check_file

    report = tmp_path / "003.txt"
    report.write_bytes((SAMPLES / "003_a190ec9e232fd5b0.txt").read_bytes())
    c = check_file(report)
    log = AuditLog.open(c.report, c.findings, tmp_path / "logs", "李四")
    log.set_status(c.findings[0].key, "dismissed", "原表如此")
    [obj] = check_json(capsys, str(report), "--log-dir", str(tmp_path / "logs"))
    validate(obj)
    assert obj["findings"][0]["status"] == "dismissed"


def test_the_schema_rejects_what_breaks_the_contract():
    """The schema is no rubber stamp: a value of the wrong type, a row or rule id that does not exist, a missing
    column are each refused."""
    good = json.loads(Path(ROOT / "docs" / "json.md").read_text("utf-8").split("```json\n")[1].split("\n```")[0]
                      .replace('"…"', '"三/三.三.1/自然人"'))
    good["values"]["三"].update({r: good["values"]["三"]["一"] for r in ("二", "四")})
    validate(good)
    for breaking in (
        lambda o: o["values"]["三"]["一"].update(自然人="1"),
        lambda o: o["values"]["三"].update({"三.九": o["values"]["三"]["一"]}),
        lambda o: o["values"]["三"]["一"].pop("总计"),
        lambda o: o["findings"][0].update(rule="made-up"),
        lambda o: o["findings"][0].update(severity="fatal"),
        lambda o: o.update(template="2020"),
        lambda o: o.pop("error"),
    ):
        bad = json.loads(json.dumps(good))
        breaking(bad)
        with pytest.raises(AssertionError):
            validate(bad)
