"""Command line: ``auditui [PATH...]`` (the TUI), ``auditui check PATH...``, ``auditui export``.

Exit status of ``check``: 0 no errors, 1 some report has errors, 2 some file could not be read (the other
files are still checked). Report text is untrusted: it reaches Rich only inside ``rich.text.Text``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from . import __version__

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 2


def _check_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check reports headless and print findings",
                       description="Check reports (files or folders, recursive) and print their findings.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    p.add_argument("--format", choices=("text", "json", "toml"), default="text",
                   help="text (default), json (JSON Lines, one object per report) or toml")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="spread the batch over N processes")
    p.add_argument("--log-dir", metavar="D", help="show each finding's verdict from the audit logs in D")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")


def _export_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="merge audit logs into one TOML, CSV or Markdown file",
                       description="Merge all audit logs into one summary.")
    p.add_argument("--log-dir", metavar="D", help="where the audit logs are (default: see README)")
    p.add_argument("--format", choices=("toml", "csv", "md"), default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")


def _tui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="auditui",
        description="Review 政府信息公开工作年度报告 in a split-pane TUI. "
                    "Subcommands: 'auditui check PATH...', 'auditui export'.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="report files or folders (default: .)")
    p.add_argument("--log-dir", metavar="D", help="where audit logs are kept")
    p.add_argument("--auditor", metavar="NAME", help="your name in the audit log")
    p.add_argument("--lang", choices=("zh", "en"), help="interface language")
    p.add_argument("--version", action="version", version=f"auditui {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("check", "export"):
        parser = argparse.ArgumentParser(prog="auditui")
        sub = parser.add_subparsers(dest="command", required=True)
        _check_parser(sub)
        _export_parser(sub)
        args = parser.parse_args(argv)
        if args.command == "check":
            return cmd_check(args)
        return cmd_export(args)
    args = _tui_parser().parse_args(argv)
    return cmd_tui(args)


# ------------------------------------------------------------------------------------------------ check
def cmd_check(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .core.batch import Checked, check_many, summary
    from .core.load import iter_report_paths

    out = Console(highlight=False, soft_wrap=args.format != "text")
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = 160  # a file or a pipe: don't fold findings into 80 columns
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    paths = list(iter_report_paths(args.paths))
    if not paths:
        err.print("auditui: no report files found in " + ", ".join(args.paths), markup=False)
        return EXIT_UNREADABLE
    verdicts = _verdict_reader(args.log_dir, err) if args.log_dir else None
    if verdicts is False:
        return EXIT_UNREADABLE

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

    results: list[dict] = []
    status = EXIT_OK
    unreadable = False
    toml_reports: list[dict] = []
    try:
        for item in check_many(paths, jobs=max(1, args.jobs), on_done=done):
            s = summary(item) if isinstance(item, Checked) else item
            if verdicts and s["error"] is None and isinstance(item, Checked):
                s = verdicts(item, s)
            if s["error"] is not None:
                unreadable = True
            elif _open_errors(s):
                status = EXIT_ERRORS
            if args.format == "json":
                out.file.write(json.dumps(s, ensure_ascii=False) + "\n")
                out.file.flush()
            elif args.format == "toml":
                toml_reports.append(s)
            else:
                results.append(s)
                _print_report(out, err, s)
    finally:
        if progress is not None:
            progress.stop()
    if args.format == "toml":
        from .core.tomlout import dumps_reports

        out.file.write(dumps_reports(toml_reports))
    elif args.format == "text" and len(results) > 1:
        _print_totals(out, results)
    return EXIT_UNREADABLE if unreadable else status


def _open_errors(s: dict) -> bool:
    return any(f["severity"] == "error" and f.get("status") != "dismissed" for f in s["findings"])


def _verdict_reader(log_dir: str, err):
    """A function adding each finding's verdict from the audit logs, or False when the logs can't be read."""
    try:
        from .core.auditlog import read_verdicts
    except ImportError:  # pragma: no cover - the audit log module ships with auditui
        return None

    from .core.auditlog import finding_keys

    def add(checked, s: dict) -> dict:
        try:
            v = read_verdicts(checked.report, checked.findings, log_dir)
        except Exception as e:  # a corrupted log: name it, carry on without verdicts
            err.print(f"auditui: {e}", markup=False)
            return s
        for key, fj in zip(finding_keys(checked.findings), s["findings"], strict=True):
            entry = v.get(key) or {}
            fj["status"] = entry.get("status", "open")
            for field in ("reason", "comment", "auditor", "time"):
                fj[field] = entry.get(field, "")
            fj["stale"] = bool(entry.get("stale", False))
        return s

    return add


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_MARK = {"confirmed": "✔ confirmed", "dismissed": "✘ dismissed", "resolved": "resolved", "open": ""}


def _print_report(out, err, s: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    if s["error"] is not None:
        line = Text()
        line.append("✖ ", style="bold red")
        line.append(s["path"], style="bold")
        line.append(": " + s["error"])
        err.print(line)
        return
    c = s["counts"]
    head = Text()
    head.append(s["path"], style="bold")
    head.append("  ")
    head.append(s["body"] or "(body unknown)")
    head.append(f"  {s['year'] or '????'}  template {s['template']}  ")
    head.append(f"{c['error']} errors", style="bold red" if c["error"] else "green")
    head.append(", ")
    head.append(f"{c['warning']} warnings", style="yellow" if c["warning"] else "green")
    out.print(head)
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
        where = "/".join(x for x in (f["table"], f["row"], f["column"]) if x)
        sev = f["severity"] if f["evaluable"] else f"{f['severity']}*"
        row = [Text(sev, style=SEVERITY_STYLE[f["severity"]]), Text(f["rule"]), Text(where), Text(f["message"])]
        if has_status:
            mark = STATUS_MARK.get(f.get("status", "open"), f.get("status", ""))
            for extra in ("reason", "comment"):
                if f.get(extra):
                    mark += f" — {f[extra]}"
            if f.get("stale"):
                mark += " (stale: the report changed)"
            row.append(Text(mark))
        t.add_row(*row)
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


# ------------------------------------------------------------------------------------------------ export
def cmd_export(args: argparse.Namespace) -> int:
    from .core.export import run_export

    return run_export(args.log_dir, args.format, args.output)


# ------------------------------------------------------------------------------------------------ TUI
def cmd_tui(args: argparse.Namespace) -> int:
    from .tui.app import run

    return run(args.paths or [os.curdir], log_dir=args.log_dir, auditor=args.auditor, lang=args.lang)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
