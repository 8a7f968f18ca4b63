"""The parse cache (auditui.core.cache): what a file gave, found again by the hash of its bytes, never wrongly."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from auditui.core import batch, cache
from auditui.core.batch import check_file, check_many
from auditui.core.cache import CacheDir, open_cache
from auditui.core.checked import Checked
from auditui.core.load import read_report
from auditui.core.output import to_json

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
TEXTS = sorted(SAMPLES.glob("0*.txt"))
PDF = SAMPLES / "003_a190ec9e232fd5b0.pdf"
GOLDEN = ROOT / "tests" / "data" / "cache_golden.json"


@pytest.fixture
def where(tmp_path) -> CacheDir:
    return CacheDir(str(tmp_path / "cache"))


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The files actually read and parsed (not found in the cache), in order."""
    seen: list[str] = []
    real = batch._check

    def counting(raw, prose):
        seen.append(raw.path)
        return real(raw, prose)

    monkeypatch.setattr(batch, "_check", counting)
    return seen


def same(a: Checked, b: Checked) -> bool:
    """Everything a checked report holds, tables and prose included."""
    return (to_json(a) == to_json(b) and repr(a.report.tables) == repr(b.report.tables)
            and a.findings == b.findings and a.prose.text == b.prose.text
            and list(a.prose.pieces) == list(b.prose.pieces))


def copy(src: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(src, folder / (name or src.name)))


# ------------------------------------------------------------------------------------------------ hits


def test_second_check_is_found_and_gives_the_same(tmp_path, where, parses):
    paths = [copy(p, tmp_path / "r") for p in [*TEXTS, PDF]]
    first = [check_file(p, prose=True, cache=where) for p in paths]
    assert len(parses) == len(paths)
    again = [check_file(p, prose=True, cache=where) for p in paths]
    assert len(parses) == len(paths)  # nothing read again
    plain = [check_file(p, prose=True) for p in paths]
    for a, b, c in zip(first, again, plain, strict=True):
        assert same(a, c) and same(b, c)
    assert open_cache(where).info().entries == len(paths)


def test_a_copy_elsewhere_is_found_under_its_own_path(tmp_path, where, parses):
    a = copy(TEXTS[3], tmp_path / "a")
    b = copy(TEXTS[3], tmp_path / "b")
    check_file(a, cache=where)
    found = check_file(b, cache=where)
    assert parses == [str(a)]
    assert found.path == str(b) and found.report.path == str(b) and found.report.source.path == str(b)
    assert same(found, check_file(b, prose=True))


def test_the_file_name_is_part_of_the_key(tmp_path, where, parses):
    """A report whose text has no year takes it from its file name: a renamed copy is read again."""
    text = TEXTS[3].read_text("utf-8")
    year_less = "\n".join(line for line in text.split("\n") if "年" not in line[:40] or "表" in line)
    a = tmp_path / "某局2021年报.txt"
    b = tmp_path / "某局2023年报.txt"
    a.write_text(year_less, "utf-8")
    b.write_text(year_less, "utf-8")
    ya = check_file(a, cache=where).report.year
    yb = check_file(b, cache=where).report.year
    assert len(parses) == 2
    assert (ya, yb) == (check_file(a).report.year, check_file(b).report.year)


def test_a_changed_file_is_read_again(tmp_path, where, parses):
    p = copy(TEXTS[3], tmp_path)
    before = check_file(p, cache=where)
    p.write_text(p.read_text("utf-8").replace("张家港市工业和信息化局", "张家港市商务局", 1), "utf-8")
    after = check_file(p, cache=where)
    assert parses == [str(p), str(p)]
    assert before.report.body != after.report.body == "张家港市商务局"
    assert after.report.source.sha256 == read_report(p).sha256


def test_a_file_that_cannot_be_read_is_kept_too(tmp_path, where, parses):
    p = tmp_path / "scan.pdf"
    p.write_bytes(b"%PDF-1.4\n" + b"0" * 100)  # not a PDF past its header
    first = check_file(p, cache=where)
    again = check_file(p, cache=where)
    assert first.error and again.error == first.error and len(parses) == 1


def test_what_took_too_long_is_not_kept(tmp_path, where, parses, monkeypatch):
    from auditui.core.model import TookTooLong

    p = copy(PDF, tmp_path)
    monkeypatch.setattr(batch, "load_raw", lambda raw: (_ for _ in ()).throw(TookTooLong(raw.path, "too long")))
    assert check_file(p, cache=where).error == "too long"
    assert open_cache(where).info().entries == 0


def test_without_prose_asked_the_entry_still_has_it(tmp_path, where):
    p = copy(TEXTS[0], tmp_path)
    check_file(p, cache=where)
    assert check_file(p, prose=True, cache=where).prose is not None


def test_report_sent_twice_keeps_its_values(tmp_path, where):
    """A report from the cache, its tables not parsed again, pickled once more (a worker process sends it)."""
    p = copy(TEXTS[3], tmp_path)
    check_file(p, cache=where)
    hit = check_file(p, cache=where)
    twice = pickle.loads(pickle.dumps(hit))
    assert twice.report.values(("二", "三", "四")) == check_file(p).report.values(("二", "三", "四"))


def test_jobs_and_cache_give_what_one_process_without_cache_gives(tmp_path, where):
    paths = [copy(p, tmp_path / "r") for p in [*TEXTS, PDF]]
    plain = [to_json(c) for c in check_many(paths)]
    for _ in range(2):  # cold, then every file from the cache
        assert [to_json(c) for c in check_many(paths, jobs=2, cache=where)] == plain
    unordered = {c.path: to_json(c) for c in check_many(paths, jobs=2, cache=where, ordered=False)}
    assert [unordered[str(p)] for p in paths] == plain


# ------------------------------------------------------------------------------------------------ never wrong


def test_a_version_change_reads_every_file_again(tmp_path, where, parses, monkeypatch):
    p = copy(TEXTS[1], tmp_path)
    check_file(p, cache=where)
    monkeypatch.setattr(cache, "version", lambda: "another auditui")
    check_file(p, cache=where)
    check_file(p, cache=where)
    assert parses == [str(p), str(p)]
    info = open_cache(where).info()
    assert (info.entries, info.current) == (2, 1)


def _entry_data(where: CacheDir, value: bytes) -> None:
    with sqlite3.connect(where.path) as db:
        db.execute("UPDATE entries SET data = ?", (value,))


@pytest.mark.parametrize("data", [
    b"not zlib at all",
    zlib.compress(b"\x80\x05not a pickle"),
    zlib.compress(pickle.dumps({"path": "x"})),  # a pickle, not a Checked
    zlib.compress(pickle.dumps(os.getcwd)),  # names a function no entry holds: refused before it is looked up
    zlib.compress(pickle.dumps(Checked("/elsewhere/other-name.txt", error="x"))),  # another file's
], ids=["not-compressed", "not-pickle", "foreign-pickle", "foreign-function", "other-file"])
def test_a_damaged_or_foreign_entry_is_ignored_and_written_again(tmp_path, where, parses, data):
    p = copy(TEXTS[2], tmp_path)
    good = check_file(p, prose=True, cache=where)
    _entry_data(where, data)
    again = check_file(p, prose=True, cache=where)
    assert same(again, good)
    assert check_file(p, prose=True, cache=where) is not None
    assert parses == [str(p), str(p)]  # read again once, then found


def test_an_entry_of_other_bytes_under_the_key_is_ignored(tmp_path, where, parses):
    a = copy(TEXTS[2], tmp_path / "a", "r.txt")
    b = copy(TEXTS[3], tmp_path / "b", "r.txt")
    check_file(a, cache=where)
    with sqlite3.connect(where.path) as db:
        db.execute("UPDATE entries SET key = ?", (cache.key(read_report(b)),))  # b's key, a's report
    body = check_file(b, cache=where).report.body
    assert parses == [str(a), str(b)]
    assert body == check_file(b).report.body != check_file(a).report.body


def test_a_damaged_database_file_is_replaced(tmp_path, where, parses):
    p = copy(TEXTS[0], tmp_path)
    plain = check_file(p, prose=True)
    check_file(p, cache=where)
    cache._local.caches = {}  # this thread's connection goes; the file is then overwritten
    where.path.write_bytes(b"this is not a database " * 500)
    for suffix in ("-wal", "-shm"):
        Path(f"{where.path}{suffix}").unlink(missing_ok=True)
    parses.clear()
    assert same(check_file(p, prose=True, cache=where), plain)
    check_file(p, cache=where)
    assert parses == [str(p)]
    assert open_cache(where).info().entries == 1


def test_a_cache_that_cannot_be_made_is_done_without(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    where = CacheDir(str(blocker / "cache"))
    with pytest.raises(cache.CacheError, match="cannot make the cache folder"):
        open_cache(where)
    assert check_file(TEXTS[0], cache=where).report is not None


# ------------------------------------------------------------------------------------------------ the bound


def test_the_size_bound_holds_least_recently_used_out_first(tmp_path, monkeypatch):
    paths = [copy(TEXTS[i % len(TEXTS)], tmp_path / "r", f"{i:02d}.txt") for i in range(24)]
    entry = len(cache.encode(check_file(paths[0], prose=True))) + cache.OVERHEAD
    where = CacheDir(str(tmp_path / "cache"), max_bytes=entry * 8)
    clock = iter(range(10_000))
    monkeypatch.setattr(cache.time, "time", lambda: float(next(clock) * 1000))  # (every read marks its entry used)
    for p in paths[:8]:
        check_file(p, cache=where)
    check_file(paths[0], cache=where)  # the first one used again: the second is now the least recently used
    for p in paths[8:]:
        check_file(p, cache=where)
        info = open_cache(where).info()
        assert info.bytes <= where.max_bytes
    with sqlite3.connect(where.path) as db:
        kept = {k for (k,) in db.execute("SELECT key FROM entries")}
        total = db.execute("SELECT total(size) FROM entries").fetchone()[0]
    assert total == open_cache(where).info().bytes  # the triggers' sum is the sum
    assert cache.key(read_report(paths[-1])) in kept
    assert cache.key(read_report(paths[1])) not in kept


def test_clear_and_info(tmp_path, where):
    for p in TEXTS:
        check_file(p, cache=where)
    c = open_cache(where)
    assert c.info().entries == len(TEXTS) and c.info().bytes > 0
    assert c.clear() == len(TEXTS)
    assert c.info().entries == 0 and c.info().bytes == 0


# ------------------------------------------------------------------------------------------------ the CLI


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditui", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)


def test_check_uses_the_cache_and_no_cache_writes_nothing(tmp_path):
    folder = tmp_path / "c"
    env = dict(os.environ, AUDITUI_CACHE_DIR=str(folder))
    off = run_cli("check", "--no-cache", "--format", "json", str(SAMPLES), env=env)
    assert off.returncode in (0, 1), off.stderr
    assert not folder.exists()
    on = run_cli("check", "--format", "json", str(SAMPLES), env=env)
    assert on.stdout == off.stdout
    assert (folder / cache.FILE_NAME).is_file()
    again = run_cli("check", "--format", "json", "--jobs", "2", str(SAMPLES), env=env)
    assert again.stdout == off.stdout
    info = run_cli("cache", "info", env=env)
    assert info.returncode == 0 and str(folder) in info.stdout
    assert f"entries:  {len(list(SAMPLES.iterdir()))} " in info.stdout
    cleared = run_cli("cache", "clear", env=env)
    assert cleared.returncode == 0 and "entries removed" in cleared.stdout
    assert "entries:  0 " in run_cli("cache", "info", env=env).stdout


def test_cache_dir_option_config_and_environment(tmp_path, monkeypatch):
    from auditui.core.config import load_config

    conf = tmp_path / "config.toml"
    conf.write_text('cache_dir = "here"\ncache_max_mb = 2\n', "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(conf))
    monkeypatch.delenv("AUDITUI_CACHE_DIR", raising=False)
    config = load_config()
    assert cache.resolve(None, False, config) == CacheDir(str(tmp_path / "here"), 2 * 1024 * 1024)
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(tmp_path / "env"))
    assert cache.resolve(None, False, config).folder == str(tmp_path / "env")
    assert cache.resolve(str(tmp_path / "cli"), False, config).folder == str(tmp_path / "cli")
    assert cache.resolve(str(tmp_path / "cli"), True, config) is None
    p = run_cli("check", "--cache-dir", str(tmp_path / "opt"), str(TEXTS[0]))
    assert p.returncode in (0, 1), p.stderr
    assert (tmp_path / "opt" / cache.FILE_NAME).is_file() and not (tmp_path / "env").exists()


def test_check_names_a_cache_it_cannot_use_and_goes_on(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = run_cli("check", "--cache-dir", str(blocker / "c"), str(TEXTS[0]))
    assert p.returncode in (0, 1)
    assert "parse cache not used" in p.stderr and str(blocker) in p.stderr
    assert TEXTS[0].name in p.stdout


# ------------------------------------------------------------------------------------------------ the version


def test_every_module_that_makes_a_checked_is_in_the_version(tmp_path):
    """Checking a file of each format imports only modules of auditui whose source the version hashes (so a
    change anywhere else cannot change what the cache should hold)."""
    import docx

    d = docx.Document()
    d.add_paragraph("某某局2023年政府信息公开工作年度报告")
    word = tmp_path / "r.docx"
    d.save(word)
    html = tmp_path / "r.html"
    html.write_text("<html><body><p>某某局2023年政府信息公开工作年度报告</p>"
                    + "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td></tr></table></body></html>",
                    "utf-8")
    code = ("import sys; from auditui.core.batch import check_file\n"
            "for p in sys.argv[1:]: check_file(p, prose=True)\n"
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('auditui') "
            "and getattr(m, '__file__', None)))")
    env = dict(os.environ, AUDITUI_NO_SANDBOX="1")  # the loaders in this process, where sys.modules shows them
    out = subprocess.run([sys.executable, "-c", code, str(TEXTS[0]), str(PDF), str(word), str(html)],
                         capture_output=True, text=True, env=env, check=True).stdout.split()
    core = Path(cache.__file__).parent
    hashed = set()
    for name in cache.VERSIONED:
        p = core / name
        hashed |= set(p.rglob("*.py")) if p.is_dir() else {p}
    outside = {core.parent / "__init__.py", core / "__init__.py"}  # (the version string is hashed itself)
    loaded = {Path(f) for f in out}
    assert loaded - hashed - outside == set()
    assert core / "load" / "pdf.py" in loaded and core / "load" / "docx.py" in loaded


def test_golden_slice_changes_only_with_the_version(tmp_path):
    """What each file of a slice of the golden corpus gives (everything the cache keeps) is what it gave when
    tests/data/cache_golden.json was written, unless the cache version changed: a change that alters what a file
    gives without changing the version would have the cache serve stale results."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import golden
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    recorded = json.loads(GOLDEN.read_text("utf-8"))
    now = golden.slice_digests(tmp_path)
    if recorded["version"] != cache.version():
        pytest.skip("the cache version changed since tests/data/cache_golden.json was written: write it again "
                    "with `python scripts/golden.py slice tests/data/cache_golden.json`")
    assert set(now) == set(recorded["reports"])
    changed = sorted(p for p in now if now[p] != recorded["reports"][p])
    assert not changed, (f"these files give something else but the cache version is the same: {changed}; "
                         "add what changed to auditui.core.cache.VERSIONED (or LIBRARIES)")
