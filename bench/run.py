#!/usr/bin/env python
"""auditui's benchmark: speed and limits, printed as a table (metric, figure, target, met?). Not a test.

    python bench/run.py                      # everything: about 12 minutes on 2 cores
    python bench/run.py --only text,pdf      # some sections: text, cli, pdf, tui, cache, memory, limits, series,
                                             # auditlog
    python bench/run.py --quick              # fewer files and repetitions (a smoke run)
    python bench/run.py --only text --against 541a5f7,c3bac23
                                             # the text line also for earlier revisions, on the same corpus

In-process figures are CPU time (``time.process_time_ns``) and medians, so that other work on the machine
disturbs them little; the CLI, first-frame and limit figures are wall-clock medians of separate processes.
Every section runs the code of the checkout it is in (``src/`` first on the path), its modules compiled first
(as ``pip install`` leaves them; an environment with ``PYTHONDONTWRITEBYTECODE`` would otherwise have every process
compile auditui again, some 100 ms of each start). No section reads or writes the user's parse cache.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]), LANG="C.UTF-8")


# ------------------------------------------------------------------------------------------------ the table
@dataclass
class Row:
    metric: str
    figure: str
    target: str = ""
    met: bool | None = None
    note: str = ""


ROWS: list[Row] = []


def row(metric: str, figure: str, target: str = "", met: bool | None = None, note: str = "") -> None:
    r = Row(metric, figure, target, met, note)
    ROWS.append(r)
    print(f"  {metric}: {figure}" + (f"  (target {target}: {'met' if met else 'MISSED'})" if target else ""),
          flush=True)


def print_table() -> None:
    head = ("metric", "figure", "target", "met?")
    cells = [(r.metric, r.figure, r.target, "" if r.met is None else ("yes" if r.met else "NO")) for r in ROWS]
    width = [max(_w(c[i]) for c in [head, *cells]) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in width)
    print(f"\n+{line}+")
    print("| " + " | ".join(_pad(h, w) for h, w in zip(head, width, strict=True)) + " |")
    print(f"+{line}+")
    for c in cells:
        print("| " + " | ".join(_pad(x, w) for x, w in zip(c, width, strict=True)) + " |")
    print(f"+{line}+")
    notes = [r for r in ROWS if r.note]
    for r in notes:
        print(f"  * {r.metric}: {r.note}")


def _w(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _w(s))


def machine() -> str:
    import platform

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load average {load:.1f} at start")


# ------------------------------------------------------------------------------------------------ corpus
def make_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` report files made from the samples: the five seeds (each under its own body name) and reports
    rendered in the five layouts of tests/reportgen.py with varied values, one in ten with an arithmetic
    error, as .txt, .md and .tsv. Folder and file names have spaces and CJK."""
    from reportgen import LAYOUTS, consistent3, consistent4, render

    from auditui.core.load import load
    from auditui.core.parse import parse

    seeds = []
    for p in sorted(SAMPLES.glob("0*.txt")):
        text = p.read_text("utf-8")
        seeds.append((text, parse(load(p)).body))
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(7)
    paths = []
    for i in range(n):
        if i % 2 == 0:
            text, body = seeds[(i // 2) % len(seeds)]
            text = text.replace(body, f"{body}第{i}号", 1) if body else text
            name, suffix = f"样本 {i:04d}", ".txt"
        else:
            template = "2019" if i % 4 == 1 else "2021"
            layout = LAYOUTS[(i // 2) % len(LAYOUTS)]
            g3, g4 = consistent3(template, seed=i), consistent4(seed=i)
            if i % 10 == 1:
                row_id = rnd.choice(list(g3))
                g3[row_id][rnd.randrange(7)] += 1
            text = render(g3, g4, template, 2020 if template == "2019" else 2022, body=f"测试县第{i}号单位",
                          layout=layout)
            name = f"生成 {i:04d} {layout}"
            suffix = {"markdown": ".md", "tsv": ".tsv"}.get(layout, ".txt")
        path = folder / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------------ (a) text
def bench_text(paths: list[Path], quick: bool) -> None:
    from text_child import timed

    from auditui.core.load import load
    from auditui.core.parse import clear_caches, parse
    from auditui.core.rules import check
    from auditui.core.suggest import clear_cache as clear_suggest_cache

    print(f"(a) text, in-process: {len(paths)} reports", flush=True)
    times, parse_times, check_times = timed([load(p) for p in paths], 1 if quick else 3)
    n = len(times)
    med = statistics.median(times) / 1000
    per_core = n / (sum(times) / 1e9)
    row("text: parse + check per report (median)", f"{med:,.0f} µs", "≤ 1,000 µs", med <= 1000,
        note=f"least of 3 passes per report; parse {statistics.median(parse_times) / 1000:,.0f} µs + check "
             f"{statistics.median(check_times) / 1000:,.0f} µs (medians); p90 "
             f"{statistics.quantiles(times, n=10)[-1] / 1000:,.0f} µs")
    row(f"text: reports/s per core, in-process ({n:,} reports / CPU time)", f"{per_core:,.0f}/s", "≥ 1,000/s",
        per_core >= 1000)
    # cold: every cache of the parser cleared before each report (the first report the TUI opens)
    cold = []
    clock = time.process_time_ns
    for s in [load(p) for p in paths[: 100 if quick else 300]]:
        clear_caches()
        clear_suggest_cache()
        t0 = clock()
        check(parse(s))
        cold.append(clock() - t0)
    row("text: parse + check, cold caches (median)", f"{statistics.median(cold) / 1000:,.0f} µs")


def bench_against(corpus: Path, revs: list[str], quick: bool) -> None:
    """The text line of this checkout and of earlier revisions (each checked out in a worktree of its own) on this
    same corpus, in child processes taking turns (so that the machine's load falls on all alike): the least of
    each one's medians over the rounds. A revision's own bench would time its own corpus, not this one."""
    import json

    print(f"(a') text, against {', '.join(revs)}", flush=True)
    trees: dict[str, Path] = {"this checkout": ROOT}
    wt_root = Path(tempfile.mkdtemp(prefix="auditui against "))
    try:
        for rev in revs:
            tree = wt_root / rev.replace("/", "_")
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), rev],
                           check=True)
            import compileall

            compileall.compile_dir(tree / "src", quiet=1)
            trees[rev] = tree
        best: dict[str, dict[str, float]] = {}
        for _ in range(1 if quick else 2):
            for name, tree in trees.items():
                out = subprocess.run([sys.executable, str(ROOT / "bench" / "text_child.py"), str(corpus)],
                                     env=dict(ENV, PYTHONPATH=str(tree / "src")), capture_output=True, text=True,
                                     check=True)
                got = json.loads(out.stdout.strip().splitlines()[-1])
                if name not in best or got["median"] < best[name]["median"]:
                    best[name] = got
        mine = best["this checkout"]
        row("text against earlier revisions: this checkout (median; parse)",
            f"{mine['median']:,.0f} µs; {mine['parse']:,.0f} µs")
        for rev in revs:
            theirs = best[rev]
            row(f"text against earlier revisions: {rev} (median; parse)",
                f"{theirs['median']:,.0f} µs; {theirs['parse']:,.0f} µs (this checkout takes "
                f"{mine['median'] / theirs['median']:.2f}×)")
    finally:
        for tree in trees.values():
            if tree != ROOT:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(wt_root, ignore_errors=True)


def bench_cli(folder: Path, n: int, quick: bool) -> None:
    print(f"(a) text, `auditui check` over {n} files", flush=True)
    for jobs in (1, 2):
        walls = []
        for _ in range(1 if quick else 3):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "auditui", "check", "--format", "json", "--no-progress",
                                "--no-cache", "--jobs", str(jobs), str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=ENV, text=True)
            walls.append(time.perf_counter() - t0)
            assert r.returncode in (0, 1), r.stderr
        wall = statistics.median(walls)
        row(f"text: `auditui check --jobs {jobs}` ({n} files)", f"{n / wall:,.0f} reports/s",
            note=f"{wall:.2f} s wall, process start to exit, JSON to /dev/null, no parse cache; "
                 f"{n / wall / jobs:,.0f}/s per process")


# ------------------------------------------------------------------------------------------------ series
def make_series_corpus(folder: Path, bodies: int, years: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023)
                       ) -> list[Path]:
    """``bodies`` bodies × ``years``: each body's reports chained (this year's 二 = last year's 四), on the template
    of their year, in the layouts of tests/reportgen.py. A third of the bodies copy their prose from year to year
    (years and numbers changed), a third half of it, a third write it anew; one body in ten breaks a carry-over."""
    from reportgen import LAYOUTS, consistent3, consistent4, prose_sentences, render

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for b in range(bodies):
        body = f"测试县第{b}号单位"
        copied = (20, 10, 0)[b % 3]
        prev4 = None
        for k, year in enumerate(years):
            template = "2019" if year <= 2020 else "2021"
            g3 = consistent3(template, seed=b * 31 + k)
            if prev4 is not None:
                one = [g3["三.七"][c] + g3["四"][c] - prev4[c] for c in range(7)]
                if min(one) >= 0:
                    g3["二"], g3["一"] = list(prev4), one
            if b % 10 == 3 and k == 3:
                g3["二"][0] += 1
                g3["二"][6] += 1
                g3["一"][0] -= 1
                g3["一"][6] -= 1
            prev4 = g3["四"]
            prose = prose_sentences(100_000 + b, year, copied) + prose_sentences(b * 10 + k, year, 20 - copied)
            text = render(g3, consistent4(b + k), template, year, body=body, layout=LAYOUTS[(b + k) % 2],
                          prose="".join(prose[:14]), prose5="".join(prose[14:]))
            path = folder / f"{body} {year}{'.md' if LAYOUTS[(b + k) % 2] == 'markdown' else '.tsv'}"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def bench_series(work: Path, quick: bool) -> None:
    from auditui.core.batch import check_file
    from auditui.core.reuse import Prose
    from auditui.core.series import Facts, across

    bodies = 50 if quick else 200
    folder = work / "年报 系列"
    paths = make_series_corpus(folder, bodies)
    print(f"(e) across years: {bodies} bodies × 5 years = {len(paths)} reports", flush=True)
    clock = time.process_time_ns
    checked = [check_file(p) for p in paths]
    prose_times = []
    for c in checked[:300]:
        t0 = clock()
        Prose.of(c.report)
        prose_times.append(clock() - t0)
    facts = [Facts.of(c) for c in checked]
    del checked
    figures = {}
    for n in sorted({min(250, len(facts)), len(facts)}):
        best = float("inf")
        for _ in range(3):
            gc.collect()
            t0 = clock()
            found = across(facts[:n])
            best = min(best, clock() - t0)
        figures[n] = best
        rules = {}
        for fs in found.findings.values():
            for f in fs:
                rules[f"{f.rule}/{f.severity}"] = rules.get(f"{f.rule}/{f.severity}", 0) + 1
        row(f"series: reuse + carry-over + tables over {n:,} reports ({n // 5} bodies × 5 years)",
            f"{best / 1e6:,.1f} ms = {best / n / 1000:,.0f} µs/report",
            note=f"CPU time, least of 3; found {', '.join(f'{k} {v}' for k, v in sorted(rules.items()))}")
    if len(figures) == 2:
        (a, ta), (b, tb) = sorted(figures.items())
        ratio = (tb / b) / (ta / a)
        row(f"series: time per report, {b:,} against {a:,} reports", f"{ratio:.2f}×", "≈ 1× (linear)",
            ratio <= 1.3)
    row("series: prose sentences of one report (Prose.of, in the check's worker; median)",
        f"{statistics.median(prose_times) / 1000:,.0f} µs")
    for flag in ("--no-series", None):
        walls = []
        for _ in range(1 if quick else 3):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "auditui", "check", "--format", "json", "--no-progress",
                                "--jobs", "2", str(folder), *([flag] if flag else [])], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=ENV, text=True)
            walls.append(time.perf_counter() - t0)
            assert r.returncode in (0, 1), r.stderr
        wall = statistics.median(walls)
        row(f"series: `auditui check --jobs 2` over the {len(paths):,} reports, "
            f"{'series off (--no-series)' if flag else 'series on'}", f"{len(paths) / wall:,.0f} reports/s",
            note=f"{wall:.2f} s wall, process start to exit, JSON to /dev/null")
    bench_memory(folder, quick, f"reports of {bodies} bodies × 5 years queued (their facts and prose kept)")


# ------------------------------------------------------------------------------------------------ (b) PDF
def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the PDF loader runs in a child)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_pdf(quick: bool) -> None:
    import pdfplumber

    from auditui.core.batch import check_file

    files = sorted(SAMPLES.glob("*.pdf"))
    print(f"(b) PDF: auditui against pdfplumber's own extract_text() (and + extract_tables()), {len(files)} files",
          flush=True)

    def bare(path: Path, tables: bool) -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                if tables:
                    page.extract_tables()

    ratios, ratios2 = [], []
    for path in files:
        bare(path, True), check_file(path)  # warm: imports, fonts
        a, a2, b = [], [], []
        for _ in range(2 if quick else 5):  # alternate, so that a busy moment hits all three
            t0 = _cpu()
            bare(path, False)
            t1 = _cpu()
            bare(path, True)
            t2 = _cpu()
            c = check_file(path)
            t3 = _cpu()
            assert c.error is None, c.error
            a.append(t1 - t0)
            a2.append(t2 - t1)
            b.append(t3 - t2)
        ratio = statistics.median(b) / statistics.median(a)
        ratio2 = statistics.median(b) / statistics.median(a2)
        ratios.append(ratio)
        ratios2.append(ratio2)
        row(f"PDF {path.name[:24]}: auditui / bare", f"{ratio:.2f}× ({statistics.median(b) * 1000:,.0f} ms vs "
            f"{statistics.median(a) * 1000:,.0f} ms); {ratio2:.2f}× text + tables "
            f"({statistics.median(a2) * 1000:,.0f} ms)", "≤ 1.2×", ratio <= 1.2)
    med = statistics.median(ratios)
    row("PDF: median ratio over the files", f"{med:.2f}×", "≤ 1.2×", med <= 1.2)
    med2 = statistics.median(ratios2)
    row("PDF: median ratio to pdfplumber's extract_text() + extract_tables()", f"{med2:.2f}×", "≤ 1.25×",
        med2 <= 1.25, note="auditui reads tables with pdfplumber's public find_tables()/extract(); "
                           "CPU time includes the child process each PDF is read in")


# ------------------------------------------------------------------------------------------------ (c) TUI
def _pty_first_frame(argv: list[str], markers: dict[str, bytes], timeout: float = 30.0) -> dict[str, float]:
    """Seconds from fork to the first output holding each marker, the program running in a 160×45 pty."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    env = dict(ENV, TERM="xterm-256color", COLORTERM="truecolor")
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty's size must be set before the program asks for it
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        os.execvpe(argv[0], argv, env)
    seen: dict[str, float] = {}
    buf = b""
    try:
        while len(seen) < len(markers) and time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            now = time.perf_counter() - t0
            for name, marker in markers.items():
                if name not in seen and marker in buf:
                    seen[name] = now
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return seen


REAL_PDF = SAMPLES / "huaian-2024-municipal-government.pdf"
SHOWN = {
    # a line of each report's text, drawn only by the review screen's source pane (the queue shows the body's
    # name too: it would be seen before the report is)
    SAMPLES / "003_a190ec9e232fd5b0.txt": "根据张家港市人民政府办公室",
    REAL_PDF: "本报告由淮安市人民政府办公室",
}

_PDFPLUMBER_ALONE = r"""
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
"""


def _wall(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, env=ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def bench_tui(quick: bool) -> None:
    """Process start to the first frame and to the report on screen, against a bare ``import textual.app`` (and
    for a PDF, against pdfplumber reading it in a process of its own); the runs alternate, so that a busy moment
    of the machine falls on all of them."""
    report = SAMPLES / "003_a190ec9e232fd5b0.txt"
    print("(c) TUI: first frame, report on screen, `n`", flush=True)
    bare, frames, shown, pdf_shown, pdf_alone = [], [], [], [], []
    logs = tempfile.mkdtemp(prefix="auditui bench logs ")
    cache = tempfile.mkdtemp(prefix="auditui bench cache ")
    for _ in range(3 if quick else 7):
        bare.append(_wall([sys.executable, "-c", "import textual.app"]))
        seen = _pty_first_frame(
            [sys.executable, "-m", "auditui", "--log-dir", logs, "--no-cache", str(report)],
            # the first screen painted (cursor home, then content), and the report itself on screen
            {"frame": b"\x1b[1;1H", "report": SHOWN[report].encode()})
        if "frame" in seen:
            frames.append(seen["frame"])
        if "report" in seen:
            shown.append(seen["report"])
        pdf_alone.append(_wall([sys.executable, "-c", _PDFPLUMBER_ALONE, str(REAL_PDF)]))
        seen = _pty_first_frame([sys.executable, "-m", "auditui", "--log-dir", logs, "--no-cache", str(REAL_PDF)],
                                {"report": SHOWN[REAL_PDF].encode()})
        if "report" in seen:
            pdf_shown.append(seen["report"])
    warm = []
    for _ in range(3 if quick else 5):  # the PDF again, from the parse cache
        seen = _pty_first_frame([sys.executable, "-m", "auditui", "--log-dir", logs, "--cache-dir", cache,
                                 str(REAL_PDF)], {"report": SHOWN[REAL_PDF].encode()})
        if "report" in seen:
            warm.append(seen["report"])
    shutil.rmtree(logs, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    b = statistics.median(bare)
    row("TUI: bare `python -c 'import textual.app'`", f"{b * 1000:,.0f} ms")
    if frames:
        f = statistics.median(frames)
        row("TUI: process start → first frame (one report)", f"{f * 1000:,.0f} ms = {f / b:.2f}× bare",
            "≤ 1.5× bare", f / b <= 1.5)
    else:
        row("TUI: process start → first frame (one report)", "no frame seen", "≤ 1.5× bare", False)
    if shown:
        s = statistics.median(shown)
        row("TUI: process start → text report on screen", f"{s * 1000:,.0f} ms = {s / b:.2f}× bare",
            "≤ 2.0× bare", s / b <= 2.0, note=f"report 003 at 160x45, no parse cache; median of {len(shown)}, "
                                              f"fastest {min(shown) * 1000:,.0f} ms")
    else:
        row("TUI: process start → text report on screen", "not seen", "≤ 2.0× bare", False)
    a = statistics.median(pdf_alone)
    row("TUI: pdfplumber alone reads the real PDF (process start to exit)", f"{a * 1000:,.0f} ms",
        note=f"{REAL_PDF.name}: import pdfplumber, extract_text() + extract_tables() of every page")
    if pdf_shown:
        s = statistics.median(pdf_shown)
        row("TUI: process start → the real PDF on screen", f"{s * 1000:,.0f} ms = {s / (b + a):.2f}× (bare + "
            "pdfplumber alone)", "≤ 2.0×", s / (b + a) <= 2.0, note="no parse cache")
    else:
        row("TUI: process start → the real PDF on screen", "not seen", "≤ 2.0×", False)
    if warm:
        s = statistics.median(warm)
        row("TUI: process start → the real PDF on screen, from the parse cache", f"{s * 1000:,.0f} ms = "
            f"{s / b:.2f}× bare")
    _bench_next_finding(quick)
    _bench_next_report(quick)


class _Pty:
    """A program running in a 160×45 pty: keys in, the time each marker is first seen out."""

    def __init__(self, argv: list[str]) -> None:
        import fcntl
        import pty
        import struct
        import termios

        env = dict(ENV, TERM="xterm-256color", COLORTERM="truecolor")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
            os.execvpe(argv[0], argv, env)
        self.buf = b""

    def _read(self, timeout: float) -> None:
        import select

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                self.buf += os.read(self.fd, 1 << 16)
            except OSError:
                pass

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float | None:
        """The time ``marker`` is first seen (what came before it is dropped), None past ``timeout``."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            i = self.buf.find(marker)
            if i >= 0:
                self.buf = self.buf[i + len(marker):]
                return time.perf_counter()
            self._read(0.01)
        return None

    def settle(self, seconds: float) -> None:
        """Read what the program draws for ``seconds``, then forget it."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            self._read(0.01)
        self.buf = b""

    def send(self, keys: bytes) -> float:
        self.buf = b""
        t0 = time.perf_counter()
        os.write(self.fd, keys)
        return t0

    def close(self) -> None:
        import signal

        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _bench_next_report(quick: bool) -> None:
    """`]` from one report to the next, over the samples (text and PDF), each time the next report's place in
    the queue ("3/11") drawn in the review header: the time from the key to the whole next report on screen (the
    header is drawn with the rest). The auditor reads each report two seconds (the next is read ahead
    meanwhile)."""
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    n = len(files)
    logs = tempfile.mkdtemp(prefix="auditui bench logs ")
    cache = tempfile.mkdtemp(prefix="auditui bench cache ")
    times: list[float] = []
    try:
        for _ in range(1 if quick else 2):
            term = _Pty([sys.executable, "-m", "auditui", "--log-dir", logs, "--cache-dir", cache, str(SAMPLES)])
            try:
                assert term.wait_for(f"{n} 份报告：".encode(), 60), "the queue did not fill"
                term.settle(1.0)
                term.send(b"\r")
                assert term.wait_for(f"1/{n} ".encode()), "no review screen"
                for i in range(2, n + 1):
                    term.settle(2.0)
                    t0 = term.send(b"]")
                    t = term.wait_for(f"{i}/{n} ".encode(), 10)
                    if t is not None:
                        times.append(t - t0)
            finally:
                term.close()
    finally:
        shutil.rmtree(logs, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    if not times:
        row("TUI: `]` → next report on screen (median)", "not seen", "≤ 100 ms", False)
        return
    med = statistics.median(times) * 1000
    row("TUI: `]` → next report on screen (median)", f"{med:,.0f} ms", "≤ 100 ms", med <= 100,
        note=f"{len(times)} steps over the {n} samples (text and PDF), read ahead; p90 "
             f"{statistics.quantiles(times, n=10)[-1] * 1000:,.0f} ms, slowest {max(times) * 1000:,.0f} ms")


def _bench_next_finding(quick: bool) -> None:
    """`n` on the review screen, from the key event to the screen painted again.

    Pilot drives the app, but ``pilot.press()`` itself waits for the process to be idle in steps of 20 ms
    (twice), which would be measured as latency; so the key goes straight to the driver's queue, and the clock
    stops once the selection moved, every widget has processed what is pending, and the screen has been laid
    out and painted (what ``pilot.pause()`` does, without its idle wait). The press+pause round trip is noted."""
    import asyncio

    from textual import events

    from auditui.tui.app import AuditApp
    from auditui.tui.screens.review import ReviewScreen

    report = SAMPLES / "004_642eda999c787a13.txt"  # 36 findings over parts 三 and 四
    times: list[float] = []
    cpu: list[float] = []
    round_trips: list[float] = []

    async def main() -> None:
        logs = tempfile.mkdtemp(prefix="auditui bench logs ")
        app = AuditApp([str(report)], log_dir=logs, auditor="bench", lang="zh", cursor_blink=False)
        async with app.run_test(size=(160, 45)) as pilot:
            for _ in range(500):
                if isinstance(app.screen, ReviewScreen):
                    break
                await pilot.pause(0.02)
            await pilot.pause()
            screen = app.screen
            for i in range(40 if quick else 120):
                before = screen.selected
                t0, c0 = time.perf_counter(), time.process_time()
                app._driver.send_message(events.Key("n", "n"))
                while screen.selected == before:
                    await asyncio.sleep(0)
                for _ in range(2):  # what the key's action posted, then what that posted
                    await pilot._wait_for_screen()
                screen._on_timer_update()  # lay out and paint now, as the next frame would
                t1, c1 = time.perf_counter(), time.process_time()
                await pilot.pause()
                if i >= 3:
                    times.append(t1 - t0)
                    cpu.append(c1 - c0)
            for _ in range(10):
                t0 = time.perf_counter()
                await pilot.press("n")
                await pilot.pause()
                round_trips.append(time.perf_counter() - t0)
        shutil.rmtree(logs, ignore_errors=True)

    asyncio.run(main())
    med = statistics.median(times) * 1000
    row("TUI: `n` (next finding) → screen updated (median)", f"{med:,.0f} ms", "≤ 50 ms", med <= 50,
        note=f"CPU {statistics.median(cpu) * 1000:,.0f} ms, p90 {statistics.quantiles(times, n=10)[-1] * 1000:,.0f}"
             f" ms over {len(times)} presses, report 004 (36 findings); Pilot press+pause round trip "
             f"{statistics.median(round_trips) * 1000:,.0f} ms (includes its idle waits)")


# ------------------------------------------------------------------------------------------------ cache
def make_mixed_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` files copied from the samples, five PDFs to one text file (the sample PDFs in turn, the real one
    among them), each under a name of its own."""
    pdfs = sorted(SAMPLES.glob("*.pdf"))
    texts = sorted(SAMPLES.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = texts[(i // 6) % len(texts)] if i % 6 == 5 else pdfs[(i - i // 6) % len(pdfs)]
        out.append(Path(shutil.copyfile(src, folder / f"年报 {i:04d}{src.suffix}")))
    return out


def _check_run(folder: Path, jobs: int, cache: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "auditui", "check", "--format", "json", "--no-progress", "--jobs",
                        str(jobs), "--cache-dir", str(cache), str(folder)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=ENV, text=True)
    assert r.returncode in (0, 1), r.stderr
    return time.perf_counter() - t0


def bench_cache(work: Path, quick: bool) -> None:
    """Issue 18: a folder of PDFs and texts (5:1) checked for the first time with one and two processes (each
    with an empty parse cache, which it fills), then again with the cache filled; the TUI's queue over it, the
    second time."""
    n = 120 if quick else 1000
    folder = work / "混合 语料"
    make_mixed_corpus(folder, n)
    print(f"(e) the parse cache and worker processes: {n} files, PDFs and texts 5:1", flush=True)
    one, two = work / "cache 1", work / "cache 2"
    cold1 = _check_run(folder, 1, one)
    cold2 = _check_run(folder, 2, two)
    row(f"cache: first `check --jobs 1` over {n} files", f"{cold1:,.1f} s", note="an empty cache filled")
    row(f"cache: first `check --jobs 2` over {n} files", f"{cold2:,.1f} s = {cold1 / cold2:.2f}× faster",
        "≥ 1.7× faster", cold1 / cold2 >= 1.7)
    warm1 = min(_check_run(folder, 1, two) for _ in range(3))
    warm2 = min(_check_run(folder, 2, two) for _ in range(3))
    warm = min(warm1, warm2)
    row(f"cache: second `check` over {n} files (cache filled)", f"{warm1:,.2f} s (--jobs 1), {warm2:,.2f} s "
        f"(--jobs 2) = {warm1 / cold1:.1%} of the first --jobs 1", "≤ 2 s, ≤ 5 %",
        warm <= 2 and warm1 / cold1 <= 0.05, note="process start to exit, JSON to /dev/null, the checks across "
                                                  "years made again; fastest of 3")
    logs = tempfile.mkdtemp(prefix="auditui bench logs ")
    full = []
    try:
        for _ in range(3):
            seen = _pty_first_frame([sys.executable, "-m", "auditui", "--log-dir", logs, "--cache-dir", str(two),
                                     str(folder)], {"full": f"{n} 份报告：".encode()}, timeout=120)
            if "full" in seen:
                full.append(seen["full"])
    finally:
        shutil.rmtree(logs, ignore_errors=True)
    if full:
        f = statistics.median(full)
        row(f"cache: TUI, process start → queue full of {n} files, second opening", f"{f:,.2f} s", "≤ 2 s",
            f <= 2, note="the status line says how many reports were read; median of 3")
    else:
        row(f"cache: TUI, process start → queue full of {n} files, second opening", "not seen", "≤ 2 s", False)


# ------------------------------------------------------------------------------------------------ (d) memory
_MEMORY_CHILD = r"""
import asyncio, resource, sys, time
from auditui.tui.app import AuditApp
folder, logs = sys.argv[1], sys.argv[2]

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

async def main():
    app = AuditApp([folder], log_dir=logs, auditor="bench", lang="zh", cursor_blink=False)
    async with app.run_test(size=(160, 45)) as pilot:
        t0 = time.perf_counter()
        while app.queue is None or app.queue.is_loading:
            await pilot.pause(0.1)
        loaded = time.perf_counter() - t0
        await pilot.pause(0.5)
        print(app.queue.total, f"{loaded:.2f}", f"{rss_mb():.0f}",
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")

asyncio.run(main())
"""


def bench_memory(folder: Path, quick: bool, what: str = "reports queued") -> None:
    n = len(list(folder.iterdir()))
    print(f"(d) memory: the TUI with {n} reports in its queue", flush=True)
    logs = tempfile.mkdtemp(prefix="auditui bench logs ")
    r = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(folder), logs], env=ENV, capture_output=True,
                       text=True, timeout=900)
    shutil.rmtree(logs, ignore_errors=True)
    if r.returncode != 0:
        row(f"TUI: resident memory, {n} {what}", "failed", "≤ 300 MB", False,
            note=r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "")
        return
    total, loaded, rss, peak = r.stdout.split()
    row(f"TUI: resident memory, {total} {what}", f"{rss} MB (peak {peak} MB)", "≤ 300 MB",
        float(peak) <= 300, note=f"queue filled in {loaded} s")


# ------------------------------------------------------------------------------------------------ limits
_LIMIT_CHILD = r"""
import resource, sys, time
from auditui.core.batch import check_file
t0 = time.perf_counter()
c = check_file(sys.argv[1])
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(f"{time.perf_counter() - t0:.2f}", f"{peak / 1024:.0f}")  # (a PDF is read in a child process)
print(c.error or f"read: {len(c.findings)} findings")
"""


def _check_in_child(path: Path) -> tuple[float, float, str]:
    r = subprocess.run([sys.executable, "-c", _LIMIT_CHILD, str(path)], env=ENV, capture_output=True, text=True,
                       timeout=900)
    if r.returncode != 0:
        return float("nan"), float("nan"), "crashed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    first, outcome = r.stdout.strip().split("\n", 1)
    secs, mb = first.split()
    return float(secs), float(mb), outcome


def make_long_pdf(path: Path, pages: int) -> None:
    """A report's text followed by pages of prose, as reportlab draws them (CJK font, page numbers)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = (SAMPLES / "001_64184a962bfd4335.txt").read_text("utf-8").split("\n")
    c = canvas.Canvas(str(path), invariant=1)
    k = 0
    for p in range(pages):
        c.setFont("STSong-Light", 11)
        for i in range(38):
            text = lines[k % len(lines)] if k < len(lines) else f"附件说明第{p + 1}页第{i + 1}行：本机关依法公开政府信息。"
            c.drawString(60, 790 - i * 19, text[:46])
            k += 1
        c.drawString(290, 30, f"- {p + 1} -")
        c.showPage()
    c.save()


def bench_limits(work: Path, quick: bool) -> None:
    from auditui.core.load import MAX_TEXT_BYTES
    from auditui.core.load.pdf import MAX_PAGES

    print("limits: a 50 MB text file, long PDFs", flush=True)
    seed = (SAMPLES / "001_64184a962bfd4335.txt").read_bytes()
    big = work / "大 文件 50MB.txt"
    with open(big, "wb") as f:
        for _ in range(50 * 1024 * 1024 // len(seed) + 1):
            f.write(seed)
    secs, mb, outcome = _check_in_child(big)
    row("limit: 50 MB text file", f"refused in {secs:.2f} s, {mb:.0f} MB peak", "clear refusal, no OOM",
        outcome.startswith("file is") and mb < 300, note=outcome)
    edge = work / "边界 8MB.txt"
    with open(edge, "wb") as f:
        for _ in range((MAX_TEXT_BYTES - 1) // len(seed)):
            f.write(seed)
    secs, mb, outcome = _check_in_child(edge)
    row(f"limit: {edge.stat().st_size / 1048576:.1f} MB text file (just under the limit)",
        f"read in {secs:.1f} s, {mb:.0f} MB peak", "≤ 500 MB", mb <= 500, note=outcome)
    for pages in ((60, MAX_PAGES, 2000) if not quick else (60, 2000)):
        pdf = work / f"长 文档 {pages}页.pdf"
        make_long_pdf(pdf, pages)
        secs, mb, outcome = _check_in_child(pdf)
        refused = pages > MAX_PAGES
        row(f"limit: {pages:,}-page PDF", f"{'refused' if refused else 'read'} in {secs:.1f} s, {mb:.0f} MB peak",
            "clear refusal, no OOM" if refused else "≤ 500 MB", (outcome.startswith("PDF has") if refused else
                                                                 not outcome.startswith("crashed")) and mb <= 500,
            note=outcome)


# ------------------------------------------------------------------------------------------------ (g) audit log
_LOG_SETUP = """
import sys, time
from auditui.core.auditlog import AuditLog
from auditui.core.model import Finding, Report, Source

def findings(n):
    return [Finding(rule="row-total", severity="error", table="三", row=f"r{i}", column="总计", expected=1,
                    actual=2, message=f"第{i}行") for i in range(n)]

def report(text="同一份报告"):
    return Report(source=Source.from_text(text, path="r/同一份.txt"), body="某局", year=2022, template="2021",
                  tables={})
"""

_LOG_WRITER = _LOG_SETUP + """
log_dir, name, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fs = findings(8)
import os
while not os.path.exists(go):
    time.sleep(0.001)
log = AuditLog.open(report(), fs, log_dir, name)
for i in range(n):
    if i % 2:
        log.add_note("三/r1/总计", f"{name}-{i}")
    else:
        log.set_comment(fs[i % 8].key, f"{name}-{i}")
    print(i, flush=True)  # saved: the change is on disk
"""


def _log_values(log_dir: Path) -> set[str]:
    from auditui.core.auditlog import load_logs

    logs, errors = load_logs(log_dir)
    assert not errors, errors
    return {h.after for d in logs for h in d.history if h.field in ("comment", "text")}


def _concurrent_writers(work: Path, writers: int, saves: int) -> tuple[int, int, float]:
    """``writers`` processes saving ``saves`` changes each to one log at once: (saves, lost, seconds)."""
    d, go = work / "log", work / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _LOG_WRITER, str(d), f"w{k}", str(saves), str(go)],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for k in range(writers)]
    time.sleep(0.5)
    t0 = time.perf_counter()
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=3600)
        assert p.returncode == 0, err
    secs = time.perf_counter() - t0
    values = _log_values(d)
    want = {f"w{k}-{i}" for k in range(writers) for i in range(saves)}
    return len(want), len(want - values), secs


def _killed_writers(work: Path, trials: int) -> tuple[int, int, int]:
    """A writer killed (SIGKILL) at a random moment ``trials`` times, a second one saving beside it:
    (confirmed saves, lost, temporaries left). A save counts as confirmed once its line was printed."""
    import signal

    d, go = work / "killed", work / "go-killed"
    go.touch()
    rnd = random.Random(3)
    confirmed: set[str] = set()
    for t in range(trials):
        procs = [subprocess.Popen([sys.executable, "-c", _LOG_WRITER, str(d), f"t{t}{w}", "100000", str(go)],
                                  env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                 for w in "ab"]
        time.sleep(rnd.uniform(0.4, 1.2))
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)
        for p, w in zip(procs, "ab", strict=True):
            out, _ = p.communicate()
            confirmed |= {f"t{t}{w}-{line}" for line in out.split()}
    lost = len(confirmed - _log_values(d))
    temps = len([p for p in d.iterdir() if p.name.endswith(".tmp")])
    return len(confirmed), lost, temps


def _timed_saves(log_dir: Path, history: int, repeat: int) -> tuple[float, int]:
    """Median wall time of a save (set a comment) on a log that already holds ``history`` records."""
    code = _LOG_SETUP + f"""
from auditui.core.auditlog import Change, Entry, LogData, ReportInfo, log_file_name
log_dir = __import__("pathlib").Path(sys.argv[1])
log_dir.mkdir(parents=True, exist_ok=True)
fs = findings(20)
r = report()
info = ReportInfo(path=r.source.path, sha256=r.source.sha256, body=r.body, year=r.year, template=r.template,
                  auditui="0.1.0")
data = LogData(path=log_dir / log_file_name("r/同一份.txt"), report=info, entries=[Entry.of(f.key, f) for f in fs])
for s in range(1, {history} + 1):  # a history of comments, written as a log file
    data.history.append(Change(seq=s, change=s, time="2025-01-01T00:00:00+08:00", auditor="li", kind="edit",
                               key=fs[s % 20].key, field="comment", before=f"h{{s - 20}}" if s > 20 else "",
                               after=f"h{{s}}"))
    data.entry(fs[s % 20].key).comment = f"h{{s}}"
data.path.write_text(data.dumps(), "utf-8")
log = AuditLog.open(r, fs, log_dir, "li")
assert len(log.history) == {history}, len(log.history)
times = []
for i in range({repeat}):
    t0 = time.perf_counter()
    log.set_comment(fs[i % 20].key, f"timed {{i}}")
    times.append(time.perf_counter() - t0)
times.sort()
print(times[len(times) // 2], log.path.stat().st_size)
"""
    return _seconds_and_size(code, log_dir)


def _seconds_and_size(code: str, log_dir: Path) -> tuple[float, int]:
    """Run ``code`` (which prints seconds and a file size) in a fresh process on ``log_dir``."""
    r = subprocess.run([sys.executable, "-c", code, str(log_dir)], env=ENV, capture_output=True, text=True,
                       timeout=1800)
    assert r.returncode == 0, r.stderr
    secs, size = r.stdout.split()
    return float(secs), int(size)


def _timed_open(log_dir: Path, entries: int) -> tuple[float, int]:
    """Wall time of AuditLog.open on an existing log of ``entries`` finding entries (its findings reparsed)."""
    code = _LOG_SETUP + f"""
log_dir = sys.argv[1]
fs = findings({entries})
from auditui.core.auditlog import Entry, LogData, ReportInfo, log_file_name
path = __import__("pathlib").Path(log_dir) / log_file_name("r/同一份.txt")
path.parent.mkdir(parents=True, exist_ok=True)
r = report()
info = ReportInfo(path=r.source.path, sha256=r.source.sha256, body=r.body, year=r.year, template=r.template,
                  auditui="0.1.0")
data = LogData(path=path, report=info, entries=[Entry.of(f.key, f) for f in fs])
path.write_text(data.dumps(), "utf-8")
t0 = time.perf_counter()
log = AuditLog.open(r, fs, log_dir, "li")
print(time.perf_counter() - t0, path.stat().st_size)
"""
    return _seconds_and_size(code, log_dir)


def bench_auditlog(work: Path, quick: bool) -> None:
    print("audit log: saves as the history grows, a large log opened, concurrent and killed writers", flush=True)
    base = work / "审计 日志"
    for n in (100, 4000):
        secs, size = _timed_saves(base / f"h{n}", n, 10 if quick else 30)
        row(f"audit log: one save, {n:,} history records", f"{secs * 1000:.1f} ms ({size / 1024:,.0f} KB file)",
            note="wall time of set_comment: lock, check the file, write, fsync, rename")
    secs, size = _timed_open(base / "open", 20_000)
    row("audit log: open a log of 20,000 findings", f"{secs:.2f} s ({size / 1048576:.1f} MB file)")
    big = base / "big"
    big.mkdir(parents=True)
    from auditui.core.auditlog import log_file_name

    with open(big / log_file_name("r/同一份.txt"), "wb") as f:  # a 50 MB log
        f.write('schema = 1\n[report]\npath = "r/同一份.txt"\n'.encode())
        f.write(b'[[history]]\nseq = 1\nkey = "report"\nfield = "body"\nbefore = "x"\nafter = "y"\n\n' * 700_000)
    code = _LOG_SETUP + """
from auditui.core.auditlog import LogError
t0 = time.perf_counter()
try:
    AuditLog.open(report(), findings(3), sys.argv[1], "li", recover=False)
except LogError as e:
    print(time.perf_counter() - t0, 0, e.reason, file=sys.stderr)
print(time.perf_counter() - t0, 0)
"""
    r = subprocess.run([sys.executable, "-c", code, str(big)], env=ENV, capture_output=True, text=True, timeout=600)
    secs, _, reason = r.stderr.strip().split(" ", 2)
    row("audit log: open a 50 MB log", f"refused in {float(secs) * 1000:.1f} ms", "clear refusal",
        "auditui reads logs of up to" in reason, note=reason)
    writers, saves = (4, 50) if quick else (7, 600)
    n, lost, secs = _concurrent_writers(base, writers, saves)
    row(f"audit log: {writers} writers at once, {saves} saves each", f"{lost} of {n:,} lost ({secs:.0f} s)",
        "0 lost", lost == 0)
    trials = 5 if quick else 30
    n, lost, temps = _killed_writers(base, trials)
    row(f"audit log: 2 writers killed (SIGKILL) mid-save, {trials} trials", f"{lost} of {n:,} confirmed saves lost",
        "0 lost", lost == 0, note=f"{temps} temporary files left beside the log")


# ------------------------------------------------------------------------------------------------ main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="text,cli,pdf,tui,cache,memory,limits,series,auditlog")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("-n", type=int, default=2000, help="text reports in the corpus (default 2,000)")
    ap.add_argument("--against", default="", metavar="REV,...",
                    help="with the text section: also time these git revisions on the same corpus")
    args = ap.parse_args()
    only = set(args.only.split(","))
    n = min(args.n, 300) if args.quick else args.n
    print(machine(), flush=True)
    import compileall

    compileall.compile_dir(ROOT / "src", quiet=1)
    gc.collect()
    with tempfile.TemporaryDirectory(prefix="auditui bench ") as tmp:
        work = Path(tmp)
        ENV["AUDITUI_CACHE_DIR"] = str(work / "user cache")  # (never the user's own)
        corpus = work / "年报 语料"
        paths = make_corpus(corpus, n) if only & {"text", "cli", "memory"} else []
        if "text" in only:
            bench_text(paths, args.quick)
            if args.against:
                bench_against(corpus, args.against.split(","), args.quick)
        if "cli" in only:
            bench_cli(corpus, n, args.quick)
        if "pdf" in only:
            bench_pdf(args.quick)
        if "tui" in only:
            bench_tui(args.quick)
        if "cache" in only:
            bench_cache(work, args.quick)
        if "memory" in only:
            queue = work / "队列 1000"
            queue.mkdir()
            for p in paths[:1000]:
                os.link(p, queue / p.name)
            bench_memory(queue, args.quick)
        if "limits" in only:
            bench_limits(work, args.quick)
        if "series" in only:
            bench_series(work, args.quick)
        if "auditlog" in only:
            bench_auditlog(work, args.quick)
    print_table()
    print(f"\n{machine()} at the end; {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak "
          "in this process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
