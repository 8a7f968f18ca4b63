"""The package ships ``py.typed``: its annotations must hold. mypy runs as pyproject's ``[tool.mypy]`` says, through
this interpreter (never whatever ``mypy`` is first on PATH), the core held to ``--strict``.

mypy keeps its cache in pytest's cache folder (``.pytest_cache``), so a run after a small change takes well
under a second; the first run on a fresh checkout takes some seconds per command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "strict-core": ["--strict", "src/auditui/core"],
    "whole-package": ["src/auditui"],
}


def _cache_dir(request: pytest.FixtureRequest, name: str) -> Path:
    cache = getattr(request.config, "cache", None)  # (None with -p no:cacheprovider)
    if cache is not None:
        return Path(cache.mkdir(f"mypy-{name}"))
    return request.getfixturevalue("tmp_path_factory").mktemp(f"mypy-{name}")


@pytest.mark.parametrize("name", COMMANDS)
def test_mypy_passes(request, name):
    """``mypy --strict src/auditui/core`` and ``mypy src/auditui`` find no error."""
    args = [sys.executable, "-m", "mypy", *COMMANDS[name], "--cache-dir", str(_cache_dir(request, name))]
    p = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert p.returncode == 0, f"{' '.join(args[2:])}:\n{p.stdout}{p.stderr}"
    assert p.stdout.startswith("Success: no issues found")
