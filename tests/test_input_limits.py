"""Input that is not a report and costs what it likes to read: decompression bombs, devices and pipes,
folders deep or unreadable, file names that are not UTF-8.

Bombs and devices are read in a subprocess whose address space is capped (``RLIMIT_AS``), so that a loader
that does not bound itself fails the test instead of taking the machine's memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import SEEDS
from test_bad_files import minimal_pdf

from auditui.cli import main
from auditui.core.load import MAX_BYTES, iter_report_paths, load
from auditui.core.load.sandbox import MEMORY_BUDGET
from auditui.core.model import LoadError

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
GB = 1024 ** 3

CHECK = textwrap.dedent("""
    import json, resource, sys, time
    from auditui.core.batch import check_file
    from auditui.core.load import sandbox
    if len(sys.argv) > 2:
        sandbox.MEMORY_BUDGET = int(sys.argv[2])
    t0 = time.monotonic()
    c = check_file(sys.argv[1])
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024
    print(json.dumps({"error": c.error, "secs": time.monotonic() - t0, "peak": peak}))
""")


def check_capped(path: Path, cap: int = 3 * GB, timeout: float = 120, budget: int | None = None) -> dict:
    """``check_file(path)`` in a subprocess with at most ``cap`` bytes of address space (and the loaders'
    memory budget set to ``budget``): its error, seconds and peak resident memory (of it or of any process it
    started)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    budget_arg = [] if budget is None else [str(budget)]
    r = subprocess.run([sys.executable, "-c", CHECK, str(path), *budget_arg], env=ENV, capture_output=True,
                       text=True, timeout=timeout, preexec_fn=limit)
    assert r.returncode == 0, f"crashed: {r.stderr[-2000:]}"
    assert r.stderr == "", r.stderr
    return json.loads(r.stdout)


# ------------------------------------------------------------------------------------------------ bombs


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_with_stream(stream: bytes) -> bytes:
    """A one-page PDF whose content stream is ``stream`` (Flate-compressed)."""
    return minimal_pdf(stream, HELVETICA, flate=True)


def deflate_repeated(piece: bytes, total: int) -> bytes:
    z = zlib.compressobj(1)
    chunk = piece * (16 * 1024 * 1024 // len(piece))
    parts, done = [], 0
    while done < total:
        parts.append(z.compress(chunk))
        done += len(chunk)
    parts.append(z.flush())
    return b"".join(parts)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    zeros = d / "zeros.pdf"  # a 1.5 GB stream of zeros, 1.5 MB on disk
    zeros.write_bytes(pdf_with_stream(deflate_repeated(b"\0", 1536 * 1024 * 1024)))
    operators = d / "operators.pdf"  # 300 MB of text-showing operators
    operators.write_bytes(pdf_with_stream(deflate_repeated(b"BT /F1 1 Tf 1 0 0 1 9 9 Tm (ab) Tj ET\n",
                                                           300 * 1024 * 1024)))
    docx = d / "document.docx"  # a 250 MB document.xml, under the 256 MB unpacked limit
    body = b"<w:p><w:r><w:t>\xe5\xa4\xa7</w:t></w:r></w:p>"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"><w:body>')
            chunk = body * (4 * 1024 * 1024 // len(body))
            for _ in range(250 // 4):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    return {"zeros": zeros, "operators": operators, "docx": docx}


@pytest.mark.parametrize(("name", "budget"), [("zeros", MEMORY_BUDGET), ("docx", MEMORY_BUDGET),
                                              ("operators", 256 * 1024 ** 2)])
def test_decompression_bombs_are_refused_within_their_memory_budget(bombs, name, budget):
    # (millions of text operators fill memory slowly: that one is held to a smaller budget, to be quick)
    got = check_capped(bombs[name], budget=budget)
    what = "Word file" if name == "docx" else "PDF"
    assert got["error"] == (f"reading the {what} would take more than {budget // 1048576:,} MB of memory "
                            "(a part that unpacks far beyond its size?); auditui refuses it"), got
    assert got["peak"] < budget + 600 * 1024 ** 2, got  # bounded, whatever the file unpacks to


def test_a_loader_past_its_time_is_stopped(tmp_path, monkeypatch):
    from auditui.core.load import sandbox

    def slow(path, data, digest):
        while True:
            pass

    monkeypatch.setattr(sandbox, "WALL_SECONDS", 1)
    with pytest.raises(LoadError, match=r"reading the PDF took more than 1 s; auditui stopped it"):
        sandbox.run(slow, "x.pdf", b"", "", "PDF")


def test_the_child_gives_back_the_same_source_and_reasons(tmp_path, monkeypatch):
    from auditui.core.load import sandbox

    pdf = SEEDS["000"].with_suffix(".pdf")
    a = load(pdf)
    monkeypatch.setattr(sandbox, "AVAILABLE", False)
    b = load(pdf)
    assert (a.text, a.pages, a.sha256, a.format, a.encoding) == (b.text, b.pages, b.sha256, b.format, b.encoding)
    monkeypatch.setattr(sandbox, "AVAILABLE", True)
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"garbage" * 100 + b"\n%%EOF\n")
    with pytest.raises(LoadError, match="truncated or damaged"):
        load(bad)


# ------------------------------------------------------------------------------------------------ devices


@pytest.fixture
def devices(tmp_path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "zero.pdf").symlink_to("/dev/zero")
    os.mkfifo(d / "pipe.txt")
    (d / "good.txt").write_bytes(SEEDS["003"].read_bytes())
    return d


def test_devices_and_pipes_are_refused_without_reading_them(devices):
    for name, kind in (("zero.txt", "a device"), ("zero.pdf", "a device"), ("pipe.txt", "a FIFO (named pipe)")):
        got = check_capped(devices / name, cap=GB, timeout=30)
        assert got["error"] == f"not a regular file: it is {kind}", got
        assert got["secs"] < 10 and got["peak"] < 300 * 1024 ** 2


def test_check_names_devices_and_goes_on(devices, capsys):
    assert main(["check", str(devices), "--format", "json"]) == 2
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {Path(s["path"]).name: s["error"] for s in lines} == {
        "good.txt": None, "pipe.txt": "not a regular file: it is a FIFO (named pipe)",
        "zero.pdf": "not a regular file: it is a device", "zero.txt": "not a regular file: it is a device"}


def test_a_read_never_goes_past_the_limit_whatever_the_size_said(tmp_path, monkeypatch):
    from auditui.core import files

    f = tmp_path / "grows.txt"
    f.write_bytes(b"x" * 100)
    real_stat = os.stat

    def lying_stat(path, *a, **kw):  # a file that grows after it was looked at
        st = real_stat(path, *a, **kw)
        if str(path) == str(f):
            f.write_bytes(b"x" * (MAX_BYTES + 10))
        return st

    monkeypatch.setattr(files.os, "stat", lying_stat)
    with pytest.raises(LoadError, match="text reports up to 8 MB"):
        load(f)


# ------------------------------------------------------------------------------------------------ folders


def test_a_folder_nested_a_thousand_deep_is_walked(tmp_path, capsys):
    d = tmp_path / "deep"
    leaf = str(d)
    os.mkdir(leaf)
    for _ in range(1000):  # (pathlib's mkdir(parents=True) itself recurses)
        leaf += "/d"
        os.mkdir(leaf)
    leaf = Path(leaf)
    (leaf / "report.txt").write_bytes(SEEDS["003"].read_bytes())
    try:
        assert list(iter_report_paths([d])) == [str(leaf / "report.txt")]
        assert main(["check", str(d), "--format", "json"]) in (0, 1)
        assert json.loads(capsys.readouterr().out)["error"] is None
    finally:  # pytest's own clean-up (shutil.rmtree) recurses: remove it level by level
        os.remove(leaf / "report.txt")
        level = str(leaf)
        while level != str(d):
            os.rmdir(level)
            level = os.path.dirname(level)


def test_every_unreadable_folder_is_named_and_the_exit_status_says_so(tmp_path, monkeypatch, capsys):
    root = tmp_path / "reports"
    for sub in ("a", "b/locked", "c/also locked", "c/ok"):
        (root / sub).mkdir(parents=True)
    for sub in ("a", "c/ok"):
        (root / sub / "r.txt").write_bytes(SEEDS["003"].read_bytes())
    locked = {str(root / "b" / "locked"), str(root / "c" / "also locked")}
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) in locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert sorted(iter_report_paths([root])) == sorted([*locked, str(root / "a" / "r.txt"),
                                                        str(root / "c" / "ok" / "r.txt")])
    assert main(["check", str(root), "--format", "json"]) == 2
    out = {s["path"]: s["error"] for s in map(json.loads, capsys.readouterr().out.splitlines())}
    assert {p: out[p] for p in locked} == dict.fromkeys(locked, "cannot read the folder: permission denied")
    assert out[str(root / "a" / "r.txt")] is None


# ------------------------------------------------------------------------------------------------ names


def test_file_names_that_are_not_utf8_are_shown_escaped_and_output_stays_utf8(tmp_path, capsysbinary):
    name = os.fsdecode("报告".encode("gbk") + b".txt")
    (tmp_path / name).write_bytes(SEEDS["003"].read_bytes())
    for fmt in ("json", "toml", "text"):
        main(["check", str(tmp_path), "--format", fmt])
        out = capsysbinary.readouterr().out
        text = out.decode("utf-8")  # valid UTF-8, whatever the name
        assert "\\xb1\\xa8\\xb8\\xe6.txt" in text.replace("\\\\", "\\"), text[:300]
    assert json.loads(_line(tmp_path))["path"].endswith("\\xb1\\xa8\\xb8\\xe6.txt")


def _line(folder: Path) -> str:
    r = subprocess.run([sys.executable, "-m", "auditui.cli", "check", str(folder), "--format", "json"],
                       env=dict(ENV, LANG="C.UTF-8", PYTHONIOENCODING=""), capture_output=True, timeout=60)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout.decode("utf-8")
