"""Command line: ``auditui [PATH...]`` (the TUI), ``auditui check PATH...``, ``auditui export``.

Exit status of ``check``: 0 no errors, 1 some report has errors, 2 some file could not be read (the other
files are still checked). Report text is untrusted: it reaches Rich only inside ``rich.text.Text``, never as
markup; so are file names, error reasons and audit-log comments, which also go through
:func:`~auditui.core.text.visible` (report text was made visible by its loader).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__
from .core.text import visible  # light (re, unicodedata): the TUI's first frame imports it too

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _check_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check reports headless and print findings",
                       description="Check reports (files or folders, recursive) and print their findings.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    p.add_argument("--format", choices=("text", "json", "toml"), default="text",
                   help="text (default), json (JSON Lines, one object per report) or toml")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="spread the batch over N processes")
    p.add_argument("--log-dir", metavar="D", help="show each finding's verdict from the audit logs in D")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--no-series", action="store_true",
                   help="don't compare one body's reports across years (JSON lines then stream as they are checked)")
    _cache_arguments(p)


def _cache_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cache-dir", metavar="D",
                   help="keep checked files in the parse cache in D (default: see README)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the parse cache")


def _cache_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cache", help="the parse cache: how large it is, or empty it",
                       description="The parse cache keeps what each file gave, by the hash of its bytes.")
    p.add_argument("action", choices=("info", "clear"), help="info: where it is and what it holds; clear: empty it")
    p.add_argument("--cache-dir", metavar="D", help="the cache folder (default: see README)")


def _export_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="merge audit logs into one TOML, CSV or Markdown file",
                       description="Merge all audit logs into one summary.")
    p.add_argument("--log-dir", metavar="D", help="where the audit logs are (default: see README)")
    p.add_argument("--format", metavar="FMT", help="toml, csv or md (default: from the suffix of -o, else md)")
    p.add_argument("--lang", metavar="LANG",
                   help="zh or en: the language of the export (default: lang in the config file, else zh)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (a relative path is in the current folder); default: standard output")


def _tui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="auditui",
        description="Review 政府信息公开工作年度报告 in a split-pane TUI. "
                    "Subcommands: 'auditui check PATH...', 'auditui export', 'auditui cache info|clear'.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="report files or folders (default: .)")
    p.add_argument("--log-dir", metavar="D", help="where audit logs are kept")
    p.add_argument("--auditor", metavar="NAME", help="your name in the audit log")
    p.add_argument("--lang", choices=("zh", "en"), help="interface language")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="check the reports with N processes (default: one per core)")
    _cache_arguments(p)
    p.add_argument("--version", action="version", version=f"auditui {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("check", "export", "cache"):
        parser = argparse.ArgumentParser(prog="auditui")
        sub = parser.add_subparsers(dest="command", required=True)
        _check_parser(sub)
        _export_parser(sub)
        _cache_parser(sub)
        args = parser.parse_args(argv)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "cache":
            return cmd_cache(args)
        return cmd_export(args)
    args = _tui_parser().parse_args(argv)
    return cmd_tui(args)


# ------------------------------------------------------------------------------------------------ check
def cmd_check(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console

    from .core.batch import check_many
    from .core.load import iter_report_paths
    from .core.output import dumps_toml, join, series_json, to_json
    from .core.series import Facts, across, aliases

    out = Console(highlight=False, soft_wrap=args.format != "text")
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = 160  # a file or a pipe: don't fold findings into 80 columns
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    paths = list(iter_report_paths(args.paths))
    if not paths:
        err.print("auditui: no report files found in " + ", ".join(map(visible, args.paths)), markup=False)
        return EXIT_UNREADABLE
    reviewed = _log_reader(args.log_dir, err) if args.log_dir else None
    verdicts = _verdict_reader(args.log_dir, err) if args.log_dir else None
    series = not args.no_series and len(paths) > 1
    settings = _config(err)
    config = settings if series else None
    cache = _cache(args.cache_dir, args.no_cache, settings, err)
    jobs = max(1, args.jobs)
    # workers start before the progress bar's thread (forked then: see auditui.core.pool)
    results = check_many(paths, jobs=jobs, prose=series, cache=cache, on_done=lambda n: done(n))

    show_progress = err.is_terminal and not args.no_progress and len(paths) > 1
    progress = None
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=err, transient=True)
        task = progress.add_task("check", total=len(paths))
        progress.start()

    def done(n: int) -> None:
        if progress is not None:
            progress.advance(task, n)

    status = EXIT_OK
    unreadable = False
    totals: list[dict] = []  # text: the counts of what was printed, for the totals line
    facts: list[Facts | None] = []  # what the checks across years read of each report
    held: list[tuple[str, dict | str, bool]] = []  # JSON with the series checks, and TOML: output once all are checked
    # (path, the report's output as a dict or as its JSON line, whether the file was read)

    def output(c):
        """The report's JSON object, and the report as the audit log leaves it (readings applied)."""
        got = reviewed(c) if reviewed is not None and c.report is not None else None
        if got is None:  # no --log-dir, an unreadable file, or a log that can't be read (named on stderr)
            s = to_json(c)
        else:
            c = got.checked
            s = to_json(c, got.verdicts, got.readings, got.review)
        tally(s)
        return s, c

    def tally(s: dict) -> None:
        nonlocal status, unreadable
        if s["error"] is not None:
            unreadable = True
        elif _open_errors(s):
            status = EXIT_ERRORS


    try:
        for c in results:
            s, c = output(c)
            if series:
                facts.append(Facts.of(c))
            if args.format == "text":
                totals.append({"error": s["error"], "counts": s.get("counts")})
                _print_report(out, err, s)
            elif args.format == "toml":
                held.append((c.path, s, s["error"] is None))
            elif series:  # held as its line of output, not as a report (a thousand reports' grids weigh GBs)
                held.append((c.path, _json_line(s), s["error"] is None))
            else:
                out.file.write(_json_line(s))
                out.file.flush()
    finally:
        results.close()
        if progress is not None:
            progress.stop()
    if cache is not None and jobs == 1:
        _cache_problem(cache, err)
    found = across(facts, config.reuse_threshold, aliases(config.aliases)) if config is not None else None
    if args.format == "text":
        if found is not None:
            _series(out, found)
        if len(totals) > 1:
            _print_totals(out, totals)
        return EXIT_UNREADABLE if unreadable else status
    reports = []  # TOML: every report's object, written at once
    for path, s, read in held:
        if found is not None:
            # how the checks across years grouped the report and what they found, joined to its line of output
            # (the findings with their audit-log verdicts, counted as its own are)
            if isinstance(s, str):
                line = _joined_line(s, found, path) if read else s  # (nothing is joined to an unread file's)
                if line is not None:
                    out.file.write(line)
                    continue
                s = json.loads(s)
            if s["error"] is None:
                extra = found.findings.get(path, ())
                s = join(s, extra, verdicts(_stand_in(s, extra)) if verdicts and extra else None)
                s.update(series_json(found, path))
                tally(s)
        if args.format == "toml":
            reports.append(s)
        else:
            out.file.write(s if isinstance(s, str) else _json_line(s))
    if args.format == "toml":
        out.file.write(dumps_toml(reports))
    return EXIT_UNREADABLE if unreadable else status


def _config(err):
    """The config's settings (for the checks across years and the parse cache); a config that cannot be used is
    named on stderr and the defaults are used."""
    from .core.config import Config, ConfigError, default_auditor, load_config

    try:
        return load_config()
    except ConfigError as e:
        err.print(f"auditui: warning: config ignored: {visible(str(e))}", markup=False)
        return Config(auditor=default_auditor())


def _cache(cache_dir: str | None, no_cache: bool, config, err):
    """The parse cache to use (:class:`~auditui.core.cache.CacheDir`), or None: ``--no-cache``, or a cache that
    cannot be opened (named on stderr; the files are checked without it)."""
    from .core.cache import CacheError, open_cache, resolve

    where = resolve(cache_dir, no_cache, config)
    if where is None:
        return None
    try:
        open_cache(where).close()
    except CacheError as e:
        err.print(f"auditui: warning: parse cache not used: {visible(str(e))}", markup=False)
        return None
    return where


def _cache_problem(where, err) -> None:
    """What went wrong with the cache during the run (a write that failed), said once."""
    from .core.cache import opened

    store = opened(where)
    if store is not None and store.problem:
        err.print(f"auditui: warning: {visible(store.problem)}", markup=False)


def _stand_in(s: dict, extra):
    """A checked report holding only what the audit log knows a report by (path, hash, body, year, template)
    and ``extra``: to read the verdicts of the findings across years of a report whose line is held as JSON."""
    from .core.checked import Checked
    from .core.model import Report, Source

    report = Report(Source(s["path"], "", sha256=s["sha256"]), s["body"], s["year"], s["template"], {})
    return Checked(s["path"], report, tuple(extra))


def _joined_line(line: str, found, path: str) -> str | None:
    """A held line of output with ``series`` and ``reuse`` joined to it as text, when the checks across years found
    nothing on its report (its findings, counts and exit status stand as they are): the keys
    :func:`~auditui.core.output.series_json` adds, written after the others as ``dict.update`` would place them.
    None when the line must be read back and written again (findings across years)."""
    import json

    from .core.output import series_json
    from .core.text import has_surrogates

    if found.findings.get(path):
        return None
    tail = json.dumps(series_json(found, path), ensure_ascii=False)
    if has_surrogates(tail):
        return None
    return f"{line[:-2]}, {tail[1:]}\n"


def _json_line(s: dict) -> str:
    """One JSON line, valid UTF-8 whatever the file's name: a name that is not UTF-8 (Python carries its bytes as
    lone surrogates) is written with its bytes as ``\\xNN``, as it is shown everywhere else."""
    import json

    from .core.text import has_surrogates, unsurrogate_all

    line = json.dumps(s, ensure_ascii=False)
    if has_surrogates(line):
        line = json.dumps(unsurrogate_all(s), ensure_ascii=False)
    return line + "\n"


def _open_errors(s: dict) -> bool:
    return any(f["severity"] == "error" and f.get("status") != "dismissed" for f in s["findings"])


def _log_reader(log_dir: str, err):
    """A function giving a checked report as its audit log leaves it (:func:`~auditui.core.auditlog.read_review`:
    the auditor's readings and blank-as-zero applied, each finding's verdict); None for a log that can't be read,
    which is named on stderr (the report is then shown without verdicts)."""
    from .core.auditlog import read_review

    def read(checked):
        try:
            return read_review(checked, log_dir)
        except Exception as e:  # a corrupted log: name it, carry on without it
            err.print(f"auditui: {visible(str(e))}", markup=False)
            return None

    return read


def _verdict_reader(log_dir: str, err):
    """A function giving each finding's audit-log entry (in findings order) for a checked report; a log that
    can't be read is named on stderr and its report shown without verdicts."""
    from .core.auditlog import finding_keys, read_verdicts

    def read(checked) -> list[dict[str, Any] | None] | None:
        try:
            v = read_verdicts(checked.report, checked.findings, log_dir)
        except Exception as e:  # a corrupted log: name it, carry on without verdicts
            err.print(f"auditui: {visible(str(e))}", markup=False)
            return None
        return [v.get(key) for key in finding_keys(checked.findings)]

    return read


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_MARK = {"confirmed": "✔ confirmed", "dismissed": "✘ dismissed", "resolved": "resolved", "open": ""}


def _print_report(out, err, s: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    from .core.model import cell_path

    if s["error"] is not None:
        line = Text()
        line.append("✖ ", style="bold red")
        line.append(visible(s["path"]), style="bold")
        line.append(": " + visible(s["error"]))
        err.print(line)
        return
    c = s["counts"]
    head = Text()
    head.append(visible(s["path"]), style="bold")
    head.append("  ")
    head.append(visible(s["body"] or "(body unknown)"))
    head.append(f"  {s['year'] or '????'}  template {s['template']}  ")
    head.append(f"{c['error']} errors", style="bold red" if c["error"] else "green")
    head.append(", ")
    head.append(f"{c['warning']} warnings", style="yellow" if c["warning"] else "green")
    out.print(head)
    _print_log_state(out, s)
    if not s["findings"]:
        out.print(Text("  no findings", style="green"))
        return
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False, padding=(0, 1))
    t.add_column("severity")
    t.add_column("rule")
    t.add_column("where")
    t.add_column("message", overflow="fold")
    has_status = any("status" in f for f in s["findings"])
    if has_status:
        t.add_column("verdict")
    for f in s["findings"]:
        where = cell_path(f["table"], f["row"], f["column"])
        sev = f["severity"] if f["evaluable"] else f"{f['severity']}*"
        row = [Text(sev, style=SEVERITY_STYLE[f["severity"]]), Text(f["rule"]), Text(where),
               Text(visible(f["message"]))]
        if has_status:
            mark = STATUS_MARK.get(f.get("status", "open"), f.get("status", ""))
            for extra in ("reason", "comment"):
                if f.get(extra):
                    mark += f" — {f[extra]}"
            if f.get("stale"):
                mark += " (stale: the report changed)"
            row.append(Text(visible(mark)))
        t.add_row(*row)
        _suggestion_row(t, f, has_status)
    out.print(t)


def _print_log_state(out, s: dict) -> None:
    """What the audit log says of the report as a whole: reviewed, blank cells read as 0, the readings of cells."""
    from rich.text import Text

    for name, what in (("reviewed", "reviewed"), ("blank_zero", "blank cells of 三 and 四 read as 0")):
        state = s.get(name)
        if state:
            line = Text(f"  {what} by {visible(state['auditor'])} {state['time']}", style="cyan")
            if state["stale"]:
                line.append(" (stale: the report changed)", style="yellow")
            out.print(line)
    for r in s.get("readings") or ():
        value = "blank" if r["value"] is None else str(r["value"])
        line = Text(f"  read {r['cell']}: {visible(r['was']) or '∅'} → {value} by {visible(r['auditor'])} {r['time']}",
                    style="cyan")
        if r["note"]:
            line.append(f" — {visible(r['note'])}")
        if r["stale"]:
            line.append(" (stale: the report changed)", style="yellow")
        out.print(line)


def _suggestion_row(t, f: dict, has_status: bool) -> None:
    """The likely corrections of an arithmetic error, on a line of their own under it."""
    from rich.text import Text

    from .core.suggest import describe_all

    fix = describe_all(f.get("suggestions") or [])
    if fix:
        t.add_row(Text(""), Text(""), Text(""), Text("→ " + fix, style="green"), *[Text("")] * has_status)


def _series(out, found) -> None:
    """The checks across one body's reports (carry-over, tables repeated, prose reused), printed after the
    reports, grouped by body."""
    from rich.table import Table
    from rich.text import Text

    from .core.model import cell_path

    if not found.findings:
        return
    out.print(Text("\nacross years (跨年度核对)", style="bold"))
    for items in found.groups.values():
        listed = [(f, x) for f in items for x in found.findings.get(f.path, ())]
        if not listed:
            continue
        out.print(Text(visible(f"{items[0].body}  ") + ", ".join(str(f.year) for f in items), style="bold"))
        t = Table(show_header=False, box=None, pad_edge=False, padding=(0, 1))
        for name in ("severity", "rule", "report", "where", "message"):
            t.add_column(name, overflow="fold" if name == "message" else "ellipsis", no_wrap=name != "message")
        for f, x in listed:
            t.add_row(Text(x.severity, style=SEVERITY_STYLE[x.severity]), Text(x.rule),
                      Text(visible(os.path.basename(f.path))), Text(cell_path(x.table, x.row, x.column)),
                      Text(visible(x.message)))
        out.print(t)


def _print_totals(out, results: list[dict]) -> None:
    from rich.text import Text

    n_err = sum(1 for s in results if s["error"] is None and s["counts"]["error"])
    n_bad = sum(1 for s in results if s["error"] is not None)
    line = Text(f"\n{len(results)} reports: ")
    line.append(f"{n_err} with errors", style="bold red" if n_err else "green")
    line.append(", ")
    line.append(f"{n_bad} unreadable", style="bold red" if n_bad else "green")
    line.append("   (* = rule could not be evaluated)")
    out.print(line)


# ------------------------------------------------------------------------------------------------ cache
def cmd_cache(args: argparse.Namespace) -> int:
    """``auditui cache info`` (where the parse cache is, what it holds) or ``auditui cache clear`` (empty it).
    Exit status 0, or 2 when the cache cannot be opened."""
    from .core.cache import CacheError, open_cache, resolve
    from .core.config import Config, ConfigError, default_auditor, load_config

    try:
        config = load_config()
    except ConfigError as e:
        print(f"auditui: warning: config ignored: {visible(str(e))}", file=sys.stderr)
        config = Config(auditor=default_auditor())
    where = resolve(args.cache_dir, False, config)
    assert where is not None
    try:
        cache = open_cache(where)
    except CacheError as e:
        print(f"auditui cache: {visible(str(e))}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        if args.action == "clear":
            n = cache.clear()
            print(f"{visible(str(cache.path))}: {n:,} entries removed")
            return EXIT_OK
        i = cache.info()
    finally:
        cache.close()
    mb = 1024 * 1024
    print(f"cache:    {visible(str(i.path))}")
    print(f"entries:  {i.entries:,} ({i.current:,} of this version of auditui)")
    print(f"size:     {i.bytes / mb:,.1f} MB of {i.max_bytes / mb:,.0f} MB ({i.file_bytes / mb:,.1f} MB on disk)")
    return EXIT_OK


# ------------------------------------------------------------------------------------------------ export
def cmd_export(args: argparse.Namespace) -> int:
    return run_export(args.log_dir, args.format, args.output, lang=args.lang)


def run_export(log_dir: str | os.PathLike[str] | None, fmt: str | None, output: str | os.PathLike[str] | None, *,
               lang: str | None = None, stdout=None, stderr=None) -> int:
    """``auditui export``: merge the logs of the log folder (see :func:`~auditui.core.config.resolve_log_dir`)
    into ``output`` (``None`` or ``"-"``: standard output) in ``lang`` (None: the config's, else zh).
    ``fmt`` None: from the output's suffix, else md.

    Exit status: 0 done; 1 no logs found, or some logs could not be read (each named on stderr; the others
    are exported), or the output could not be written; 2 bad format or language, or an unreadable config.
    """
    from .core.auditlog import atomic_write, load_logs
    from .core.config import ConfigError, load_config, resolve_log_dir
    from .core.export import FORMATS, LANGS, export_bytes, infer_format

    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr

    def say(message: str) -> None:
        print(f"auditui export: {visible(message)}", file=err)

    output = None if output is None or str(output) == "-" else os.fspath(output)
    fmt = fmt or infer_format(output)
    if fmt not in FORMATS:
        say(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return EXIT_UNREADABLE
    if lang is not None and lang not in LANGS:
        say(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
        return EXIT_UNREADABLE
    try:
        config = load_config()
    except ConfigError as e:
        if log_dir is None and not os.environ.get("AUDITUI_LOG_DIR", "").strip():
            say(str(e))
            return EXIT_UNREADABLE
        say(f"warning: config ignored: {e}")
        config = None
    if lang is None:
        lang = config.lang if config is not None and config.lang in LANGS else "zh"
    d = resolve_log_dir(log_dir, config)
    if not d.is_dir():
        say(f"no audit logs: {d} is not a folder")
        return EXIT_ERRORS
    logs, errors = load_logs(d)
    for problem in errors:
        say(f"skipped {problem.path}: {problem.reason} (the file is left untouched)")
    if not logs and not errors:
        say(f"no audit logs in {d}")
        return EXIT_ERRORS
    data = export_bytes(logs, fmt, lang=lang)
    if output is None:
        out.flush()
        buf = getattr(out, "buffer", None)
        if buf is not None:
            buf.write(data)
            buf.flush()
        else:
            out.write(data.decode("utf-8-sig" if fmt == "csv" else "utf-8"))
    else:
        try:
            atomic_write(output, data)
        except OSError as e:
            say(f"cannot write {output}: {e.strerror or e}")
            return EXIT_ERRORS
        n = sum(len(x.entries) for x in logs)
        say(f"{len(logs)} report(s), {n} finding(s) → {output}")
    return EXIT_ERRORS if errors else EXIT_OK


# ------------------------------------------------------------------------------------------------ TUI
def cmd_tui(args: argparse.Namespace) -> int:
    """Start the TUI; a path that does not exist is named on stderr and nothing starts (exit 2), as a typo in
    a path should not open an empty review.

    The reports start being checked in worker processes before the interface is imported, so that the first
    ones are read on another core while Textual starts (see :mod:`auditui.core.pool`)."""
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        for p in missing:
            print(f"✖ {visible(p)}: no such file", file=sys.stderr)  # as `auditui check` says it
        return EXIT_UNREADABLE
    from .core.collector import set_thresholds

    # young collections every 50,000 allocations rather than 700 (Textual's start and each report drawn make
    # hundreds of thousands of objects, nearly all freed by reference counting): see also tui.app
    set_thresholds()
    from .core.cache import CacheError, open_cache, resolve
    from .core.config import ConfigError, load_config
    from .core.load import iter_report_paths

    paths = args.paths or [os.curdir]
    try:
        config = load_config()
    except ConfigError:  # (the app names it once it is up)
        config = None
    problem = None
    cache = resolve(args.cache_dir, args.no_cache, config)
    if cache is not None:
        try:
            open_cache(cache).close()
        except CacheError as e:
            problem, cache = str(e), None
    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    files = list(iter_report_paths(paths))
    from .core.pool import HEAVY, Checking, Forked, can_fork, weight, worth_processes

    checking: Checking | Forked | None = None

    # the files start being read now, on another core, while Textual starts: one file named (reviewed as soon
    # as it is read, see tui.screens.opening) in a child of its own that sends its report whole, so that this
    # process never imports the parser (issue 19); a queue's PDFs, Word files and HTML pages, or enough text
    # files, by a pool (a few text files are checked faster by the queue's own thread)
    if len(args.paths) == 1 and len(files) == 1 and os.path.isfile(args.paths[0]) and can_fork():
        checking = Forked(files[0], cache=cache)
    elif files and (worth_processes(files, jobs) or any(weight(f) == HEAVY for f in files)):
        checking = Checking(files, jobs, prose=True, cache=cache, ordered=False)

    from .tui.app import run

    return run(paths, log_dir=args.log_dir, auditor=args.auditor, lang=args.lang, jobs=jobs, cache=cache,
               checking=checking, cache_problem=problem)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
