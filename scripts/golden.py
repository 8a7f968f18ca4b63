"""A golden run: the JSON of ``auditui check`` over a fixed corpus, to prove that a refactoring changes nothing.

The corpus: the bundled sample reports (text and PDF, the real PDF among them), reports rendered from
``tests/reportgen.py`` in every layout and family it knows, both templates, with and without planted errors, and
seeds mutated line by line (deleted, duplicated, swapped, cut). Everything is made from fixed seeds, so the
corpus is the same on every run and machine.

    python scripts/golden.py write golden.jsonl      # before the change
    python scripts/golden.py compare golden.jsonl    # after: counts identical / differing, first differences
    python scripts/golden.py slice tests/data/cache_golden.json   # the slice tests/test_cache.py holds

The slice: every ``SLICE_STEP``-th file of the corpus, each as a hash of everything ``check_file`` gives for it (what
the parse cache keeps: the report, its tables, cells and spans, findings, prose sentences), written with the
cache's version (``auditui.core.cache.version()``). tests/test_cache.py fails when a file of the slice gives
something else while that version stays the same (a change the cache would not notice), and asks for the slice
to be written again when the version has changed.

Each line is ``auditui check --format json``'s object for one file (``--jobs 1``, series across files on, as
the CLI runs it), the path made relative to the corpus folder.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

import reportgen  # noqa: E402  (tests/ is put on the path above)


def _mutate(text: str, rnd: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rnd.randint(1, 4)):
        if not lines:
            break
        i = rnd.randrange(len(lines))
        op = rnd.choice(("delete", "duplicate", "swap", "cut", "digit"))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and len(lines) > 1:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut" and len(lines[i]) > 2:
            k = rnd.randrange(1, len(lines[i]))
            lines[i : i + 1] = [lines[i][:k], lines[i][k:]]
        elif op == "digit":
            digits = [k for k, ch in enumerate(lines[i]) if ch.isdigit()]
            if digits:
                k = rnd.choice(digits)
                lines[i] = lines[i][:k] + str(rnd.randrange(10)) + lines[i][k + 1 :]
    return "\n".join(lines)


def build_corpus(folder: Path) -> list[Path]:
    """Write the corpus into ``folder``; return its files in a fixed order."""
    files: list[Path] = []
    for p in sorted((ROOT / "sample_reports").iterdir()):
        if p.is_file():
            dst = folder / "samples" / p.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
            files.append(dst)
    rnd = random.Random(20261204)
    gen = folder / "generated"
    gen.mkdir(parents=True, exist_ok=True)
    for template, year in (("2019", 2020), ("2021", 2022), ("2019", 2023), ("2021", 2021)):
        for layout in reportgen.LAYOUTS:
            for seed in range(6):
                g3, g4 = reportgen.consistent3(template, seed), reportgen.consistent4(seed)
                planted = seed % 3
                if planted == 1:  # one mistyped cell
                    row = rnd.choice(list(g3))
                    col = rnd.randrange(7)
                    g3[row][col] = g3[row][col] + rnd.randint(1, 9)
                elif planted == 2:  # a blank cell and a part-四 typo
                    row = rnd.choice(list(g3))
                    g3[row][rnd.randrange(7)] = None
                    g4[rnd.randrange(3)][rnd.randrange(5)] += 1
                text = reportgen.render(g3, g4, template, year, body=f"某某县{seed}号局", layout=layout)
                p = gen / f"{template}-{year}-{layout}-{seed}.txt"
                p.write_text(text, "utf-8")
                files.append(p)
    mut = folder / "mutated"
    mut.mkdir(parents=True, exist_ok=True)
    seeds = sorted((ROOT / "sample_reports").glob("*.txt"))
    bases = [p.read_text("utf-8") for p in seeds] + [
        reportgen.render(reportgen.consistent3(t, k), reportgen.consistent4(k), t, 2020 if t == "2019" else 2022,
                         layout=layout)
        for k, layout in enumerate(reportgen.LAYOUTS) for t in ("2019", "2021")
    ]
    for n in range(300):
        text = _mutate(bases[n % len(bases)], rnd)
        p = mut / f"m{n:03d}.txt"
        p.write_text(text, "utf-8")
        files.append(p)
    return files


SLICE_STEP = 12
"""The slice of the corpus tests/test_cache.py checks: every twelfth file (the samples' PDFs among them)."""


def checked_digest(checked) -> str:
    """A hash of everything a :class:`~auditui.core.batch.Checked` holds (its file's name, not its folder)."""
    import hashlib

    r = checked.report
    parts: list = [Path(checked.path).name, checked.error, [repr(f) for f in checked.findings]]
    if r is not None:
        s = r.source
        parts += [r.body, r.year, r.template, repr(r.body_span), repr(r.year_span), s.text, s.encoding, s.format,
                  s.sha256, list(s.pages), repr(r.tables), repr(r.markers)]
    if checked.prose is not None:
        p = checked.prose
        parts += [p.text, list(p.pieces), list(p.ends)]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def slice_digests(folder: Path) -> dict[str, str]:
    """Every ``SLICE_STEP``-th file of the corpus written into ``folder``, checked (no cache): its digest by path."""
    from auditui.core.batch import check_file

    files = build_corpus(folder)[::SLICE_STEP]
    return {f.relative_to(folder).as_posix(): checked_digest(check_file(f, prose=True)) for f in files}


def run(folder: Path, files: list[Path], jobs: int = 1) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "auditui", "check", "--format", "json", "--no-progress",
                          "--no-cache", "--jobs", str(jobs), *map(str, files)], capture_output=True, text=True,
                         cwd=folder)
    if out.returncode not in (0, 1, 2):
        sys.exit(f"auditui check failed ({out.returncode}):\n{out.stderr}")
    objs = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    for o in objs:
        o["path"] = str(Path(o["path"]).relative_to(folder)) if o["path"].startswith(str(folder)) else o["path"]
        if isinstance(o.get("reuse"), dict) and str(o["reuse"].get("previous", "")).startswith(str(folder)):
            o["reuse"]["previous"] = str(Path(o["reuse"]["previous"]).relative_to(folder))
        for f in o.get("findings", []):
            if isinstance(f.get("message"), str):
                f["message"] = f["message"].replace(str(folder) + "/", "")
    return objs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("write", "compare", "slice"))
    ap.add_argument("file")
    ap.add_argument("--jobs", type=int, default=1, help="run auditui check with this many processes")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="auditui-golden-") as tmp:
        folder = Path(tmp)
        if args.mode == "slice":
            from auditui.core.cache import version

            digests = slice_digests(folder)
            Path(args.file).parent.mkdir(parents=True, exist_ok=True)
            Path(args.file).write_text(json.dumps({"version": version(), "reports": digests}, ensure_ascii=False,
                                                  sort_keys=True, indent=1) + "\n", "utf-8")
            print(f"{len(digests)} reports written to {args.file} (cache version {version()})")
            return 0
        files = build_corpus(folder)
        objs = run(folder, files, args.jobs)
    lines = [json.dumps(o, ensure_ascii=False, sort_keys=True) for o in objs]
    if args.mode == "write":
        Path(args.file).write_text("\n".join(lines) + "\n", "utf-8")
        print(f"{len(lines)} reports written to {args.file}")
        return 0
    old = Path(args.file).read_text("utf-8").splitlines()
    old_by = {json.loads(line)["path"]: line for line in old}
    new_by = {json.loads(line)["path"]: line for line in lines}
    same = [p for p in new_by if old_by.get(p) == new_by[p]]
    differ = [p for p in new_by if p in old_by and old_by[p] != new_by[p]]
    only = sorted(set(new_by) ^ set(old_by))
    print(f"{len(new_by)} reports: {len(same)} identical, {len(differ)} differ, {len(only)} in one run only")
    for p in differ[:10]:
        a, b = json.loads(old_by[p]), json.loads(new_by[p])
        keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        print(f"  {p}: {', '.join(keys)}")
    return 0 if not differ and not only else 1


if __name__ == "__main__":
    sys.exit(main())
