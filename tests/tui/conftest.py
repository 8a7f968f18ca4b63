"""Fixtures for the TUI tests: a fixed auditor, a temporary log folder, no cursor blink, helpers to wait."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from auditui.tui.app import AuditApp
from auditui.tui.i18n import set_lang
from auditui.tui.screens.queue import QueueScreen
from auditui.tui.screens.review import ReviewScreen

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
SEED_003 = SAMPLES / "003_a190ec9e232fd5b0.txt"
SEED_TXT = sorted(SAMPLES.glob("0*.txt"))
AUDITOR = "tester"
FIRST_KEY = "subtotal/三/三.七/自然人"
"""The log key of the first finding of SEED_003."""
SIZE = (160, 45)


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path / "logs"


@pytest.fixture(autouse=True)
def _chinese():
    """Each test starts in the default language (the catalogue's language is process-wide)."""
    set_lang("zh")
    yield
    set_lang("zh")


def make_app(paths, log_dir: Path, lang: str | None = "zh", **kw) -> AuditApp:
    return AuditApp([str(p) for p in paths], log_dir=log_dir, auditor=AUDITOR, lang=lang, cursor_blink=False, **kw)


async def wait_for(pilot, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
    await pilot.pause()


async def review(pilot) -> ReviewScreen:
    """Wait until the review screen is up and settled, its audit log open (or failed to open)."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.screen.is_mounted
                   and pilot.app.screen.log_ready)
    await pilot.pause()
    return pilot.app.screen


async def written(pilot, screen: ReviewScreen) -> None:
    """Wait until the screen's audit-log worker has written what it was given, and the screen has redrawn."""
    await pilot.pause()
    await wait_for(pilot, lambda: not screen.writer.busy)
    await pilot.pause()


async def queue_loaded(pilot) -> QueueScreen:
    """Wait until the queue is loaded and its table laid out: the same rows, column widths and size over two
    frames (a busy machine may otherwise see the table before its columns are measured)."""
    await wait_for(pilot, lambda: pilot.app.queue is not None and not pilot.app.queue.is_loading)
    table = pilot.app.queue.query_one("#queue-table")

    def layout() -> tuple:
        return (table.row_count, table.virtual_size, table.size,
                tuple(c.get_render_width(table) for c in table.columns.values()))

    seen = None
    for _ in range(50):
        await pilot.pause()
        now = layout()
        if now == seen:
            break
        seen = now
    return pilot.app.queue


def read_log(log_dir: Path) -> dict:
    """The one audit log in ``log_dir`` (recovered files excluded)."""
    logs = [p for p in log_dir.glob("*.toml") if ".recovered-" not in p.name]
    assert len(logs) == 1, logs
    return tomllib.loads(logs[0].read_text("utf-8"))


def finding(log: dict, key: str) -> dict:
    for f in log.get("finding", []):
        if f["key"] == key:
            return f
    raise KeyError(key)
