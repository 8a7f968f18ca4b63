"""Worker processes (auditui.core.pool): chunks of equal work, results in order or as they come, stopped at once;
the one report of ``auditui report.txt`` read in a child of its own."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from auditui.core import batch, pool
from auditui.core.batch import check_file, check_many
from auditui.core.cache import CacheDir, open_cache
from auditui.core.output import to_json
from auditui.core.pool import HEAVY, Checking, Forked, chunks, worth_processes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"


def corpus(folder: Path) -> list[Path]:
    """Every sample (six PDFs among them: work enough for worker processes), twice under other names."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(2):
        for p in sorted(SAMPLES.iterdir()):
            out.append(Path(shutil.copyfile(p, folder / f"{i}-{p.name}")))
    return out


def test_chunks_are_cut_by_work_and_keep_every_path_in_order():
    paths = [f"r{i}.pdf" if i % 6 == 0 else f"r{i}.txt" for i in range(600)]
    cut = chunks(paths, 2)
    assert [p for c in cut for p in c] == paths
    work = [sum(HEAVY if p.endswith(".pdf") else 1 for p in c) for c in cut]
    assert max(work) <= pool.MAX_CHUNK + HEAVY and len(cut) >= 16  # some eight chunks a worker at least
    assert chunks(["a.pdf", "b.pdf", "c.pdf"], 2) == [["a.pdf"], ["b.pdf"], ["c.pdf"]]
    assert chunks([f"{i}.txt" for i in range(200)], 2)[0] == [f"{i}.txt" for i in range(12)]


def test_worth_processes():
    assert not worth_processes(["a.txt", "b.txt", "c.md"], 2)
    assert not worth_processes(["a.pdf", "b.pdf"], 1)
    assert not worth_processes(["a.pdf"], 4)
    assert worth_processes(["a.pdf", "b.pdf"], 2)
    assert worth_processes([f"{i}.txt" for i in range(80)], 2)


def test_workers_give_what_one_process_gives_in_order_or_as_they_come(tmp_path):
    paths = corpus(tmp_path / "r")
    plain = [to_json(check_file(p, prose=True)) for p in paths]
    with Checking(paths, 2, prose=True) as checking:
        assert [to_json(c) for c in checking] == plain
    with Checking(paths, 2, prose=True, ordered=False) as checking:
        got = {c.path: c for c in checking}
    assert [to_json(got[str(p)]) for p in paths] == plain
    assert all(got[str(p)].prose is not None for p in paths if got[str(p)].report is not None)


def test_check_many_spreads_work_and_fills_the_cache(tmp_path):
    paths = corpus(tmp_path / "r")
    where = CacheDir(str(tmp_path / "cache"))
    done = []
    out = [to_json(c) for c in check_many(paths, jobs=2, cache=where, on_done=done.append)]
    assert out == [to_json(check_file(p)) for p in paths] and len(done) == len(paths)
    assert open_cache(where).info().entries == len(paths)  # written by the workers


def test_close_stops_the_workers_at_once(tmp_path):
    big = SAMPLES / "huaian-2024-municipal-government.pdf"
    # 200 PDFs: reading them all takes a minute or more on 2 cores, so a close that waited for the work would
    # take far longer than the bound, which leaves room for a loaded machine (no speed is measured here).
    paths = [shutil.copyfile(big, tmp_path / f"{i}.pdf") for i in range(200)]
    checking = Checking(paths, 2)
    first = next(iter(checking))
    assert first.report is not None
    processes = list(checking._pool._processes.values())
    t0 = time.monotonic()
    checking.close()
    assert time.monotonic() - t0 < 20
    assert processes and not any(p.is_alive() for p in processes)


def test_a_file_the_core_crashes_on_becomes_an_unreadable_one(tmp_path, monkeypatch):
    def boom(path, prose=False, cache=None):
        raise ValueError("a parser bug")

    monkeypatch.setattr(batch, "check_file", boom)
    import pickle

    (c,) = pickle.loads(pool._check_chunk(["x.txt"], False, None))
    assert c.report is None and c.error == "ValueError: a parser bug"


def test_forked_sends_the_one_report_whole(tmp_path):
    """``auditui report.txt``: the child's report comes with its tables (the TUI does not import the parser to
    make them again), and is the report check_file gives."""
    path = SAMPLES / "003_a190ec9e232fd5b0.txt"
    with Forked(path) as forked:
        assert forked.paths == [str(path)]
        deadline = time.monotonic() + 30
        while not forked.ready():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        (checked,) = list(forked)
        assert list(forked) == []  # (one result, once)
    assert checked.report._rebuild is None and checked.report._tables is not None
    assert to_json(checked) == to_json(check_file(path))
    assert checked.report.tables == check_file(path).report.tables


def test_forked_close_stops_the_child_at_once(tmp_path):
    big = SAMPLES / "huaian-2024-municipal-government.pdf"
    forked = Forked(big)
    assert not forked.ready()  # (reading a PDF takes longer than this)
    t0 = time.monotonic()
    forked.close()
    assert time.monotonic() - t0 < 5
    with pytest.raises(ChildProcessError):  # reaped: no child left behind
        os.waitpid(forked._pid, os.WNOHANG)
    assert list(forked) == [] and forked.ready()
    forked.close()  # (twice is harmless)


def test_a_child_that_dies_gives_an_unreadable_report(tmp_path, monkeypatch):
    def killed(paths, prose, cache, whole=False):
        os._exit(9)  # as the kernel would end a child that takes all the memory

    monkeypatch.setattr(pool, "_check_chunk", killed)
    (c,) = list(Forked(SAMPLES / "003_a190ec9e232fd5b0.txt"))
    assert c.report is None and c.error == "the process checking it stopped unexpectedly"
