"""The auditor finishes every report (issue 13), driven by Pilot: readings of cells (`v`), a candidate cut picked,
blank as zero (`0`), bulk triage (`X`, `C`), the findings' filter (`f`), done (`d`) and the queue's progress, each
checked in the TOML log written to a temporary log folder."""

from __future__ import annotations

import shutil
import tomllib

from test_readings import BAD, flattened, unreadable
from textual.widgets import Input, OptionList

from auditui.core.model import CellRef
from auditui.tui.screens.dialogs import ReadingDialog, TextDialog
from auditui.tui.screens.queue import QueueScreen, QueueTable

from .conftest import (
    AUDITOR,
    SAMPLES,
    SEED_003,
    SEED_TXT,
    SIZE,
    make_app,
    queue_loaded,
    read_log,
    review,
    wait_for,
    written,
)

SEED_000 = SAMPLES / "000_633416d7cefaca87.txt"


async def put_cursor(pilot, screen, ref: CellRef) -> None:
    screen.action_part(ref.table)
    await pilot.pause()
    grid = screen.active_grid
    coord = grid.coordinate_of(ref)
    grid.move_cursor(row=coord.row, column=coord.column, animate=False)
    await pilot.pause()
    assert screen.cursor_ref() == ref


async def read_cell(pilot, screen, ref: CellRef, *keys: str) -> ReadingDialog:
    await put_cursor(pilot, screen, ref)
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReadingDialog))
    dialog = pilot.app.screen
    if keys:
        await pilot.press(*keys)
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        await written(pilot, screen)
    return dialog


def cell_text(screen, ref: CellRef) -> str:
    grid = screen.grid(ref.table)
    return grid.get_cell_at(grid.coordinate_of(ref)).plain


def by_key(log: dict) -> dict[str, dict]:
    return {f["key"]: f for f in log.get("finding", [])}


async def test_a_reading_makes_the_blocked_rules_evaluable_and_finds_a_real_error(tmp_path, log_dir):
    path = unreadable(tmp_path)
    ref = CellRef(*BAD.split("/"))
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        blocked = [f for f in screen.findings if f.rule == "column-balance" and f.column == "商业企业"]
        assert [f.evaluable for f in blocked] == [False] and screen.checked.counts["error"] == 0
        assert cell_text(screen, ref) == "?1O"
        span = screen.report.cell(ref).span
        dialog = await read_cell(pilot, screen, ref)
        assert "1O" in " ".join(str(w.render()) for w in dialog.query(".dialog-context"))
        await pilot.press(*"1x", "enter")  # not a number: refused, the dialog stays
        assert app.screen is dialog and "1x" in str(dialog.query_one("#dialog-error").render())
        await pilot.press("backspace", "0", "tab", *"original", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        # the rules ran over the reading: a real error where the rule could not be evaluated before
        balance = next(f for f in screen.findings if f.rule == "column-balance" and f.column == "商业企业")
        assert balance.evaluable and balance.severity == "error" and balance.suggestions
        assert screen.checked.counts["error"] == 2
        assert not any(f.rule == "bad-cell" for f in screen.findings)
        assert "2 个错误" in str(screen.query_one("#review-header").render())
        assert cell_text(screen, ref) == "»10"
        # the cell's place in the source is still highlighted
        await put_cursor(pilot, screen, CellRef("三", "一", "自然人"))
        await put_cursor(pilot, screen, ref)
        assert screen.source.highlighted("cell") == [span]
        assert "» 1O → 10" in str(screen.query_one("#selection").render())
        log = read_log(log_dir)
        assert log["schema"] == 2
        [r] = log["reading"]
        assert (r["cell"], r["value"], r["was"], r["note"], r["auditor"], r["stale"]) == (
            BAD, "10", "1O", "original", AUDITOR, False)
        assert by_key(log)["bad-cell/三/二/商业企业"]["resolved"] is True
        assert by_key(log)["column-balance/三/-/商业企业"]["severity"] == "error"
        assert [(h["field"], h["after"]) for h in log["history"] if h["key"] == f"reading:{BAD}"] == [
            ("value", "10"), ("note", "original")]
        # u takes the reading back: the report as parsed again
        await pilot.press("u")
        await written(pilot, screen)
        assert screen.checked.counts["error"] == 0 and cell_text(screen, ref) == "?1O"
        assert "reading" not in read_log(log_dir)


async def test_a_reading_can_be_taken_back_from_the_dialog(tmp_path, log_dir):
    path = unreadable(tmp_path)
    ref = CellRef(*BAD.split("/"))
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await read_cell(pilot, screen, ref, "0", "enter")
        assert cell_text(screen, ref) == "»0" and screen.checked.counts == {"error": 0, "warning": 3, "info": 0}
        dialog = await read_cell(pilot, screen, ref)
        assert dialog.query_one("#reading-value", Input).value == "0"
        choices = dialog.query_one("#reading-choices", OptionList)
        choices.focus()
        choices.highlighted = choices.option_count - 1  # "take the reading back"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        assert cell_text(screen, ref) == "?1O" and "reading" not in read_log(log_dir)


async def test_picking_a_candidate_split(tmp_path, log_dir):
    path = flattened(tmp_path)
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        row = screen.report.tables["三"].row("一")
        assert len(row.candidates) == 3
        assert any(f.rule == "row-shape" and f.row == "一" for f in screen.findings)
        dialog = await read_cell(pilot, screen, CellRef("三", "一", "总计"))
        choices = dialog.query_one("#reading-choices", OptionList)
        assert choices.option_count == 3 and screen.app.focused is choices
        assert choices.get_option_at_index(0).prompt.plain == "1) " + " ".join(map(str, row.candidates[0]))
        await pilot.press("enter")  # the first cut
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        new = screen.report.tables["三"].row("一")
        assert [c.value for c in new.cells] == list(row.candidates[0]) and new.shape is None
        assert not any(f.rule == "row-shape" and f.row == "一" for f in screen.findings)
        assert not any(f.severity == "error" for f in screen.findings)
        assert cell_text(screen, CellRef("三", "一", "总计")) == f"»{row.candidates[0][-1]}"
        log = read_log(log_dir)
        assert {r["cell"]: r["value"] for r in log["reading"]} == {
            f"三/一/{c.ref.column}": str(v) for c, v in zip(row.cells, row.candidates[0], strict=True)}
        assert len({h["change"] for h in log["history"] if h["kind"] == "edit"}) == 1  # one change: one undo
        await pilot.press("u")
        await written(pilot, screen)
        assert screen.report.tables["三"].row("一").shape is not None and "reading" not in read_log(log_dir)


async def test_blank_as_zero_turns_the_blank_warnings_into_one_line(tmp_path, log_dir):
    path = tmp_path / "000.txt"
    shutil.copy(SEED_000, path)
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert sum(1 for f in screen.findings if f.rule == "blank-cell") == 14
        assert sum(1 for f in screen.findings if not f.evaluable) == 16
        blank = CellRef("三", "三.七", "自然人")
        assert cell_text(screen, blank) == "·"
        await pilot.press("0")
        await written(pilot, screen)
        [line] = screen.findings
        assert (line.rule, line.severity) == ("blank-cell", "info")
        assert line.message == f"第三部分的 14 个空白单元格由 {AUDITOR} 按 0 读取"
        assert any("14 个空白单元格按 0 读取" in n.message for n in app._notifications)
        assert screen.checked.counts == {"error": 0, "warning": 0, "info": 1}  # the arithmetic ran, and holds
        text = screen.grid("三").get_cell_at(screen.grid("三").coordinate_of(blank))
        assert text.plain == "0" and text.style.dim
        assert "空白=0" in str(screen.query_one("#review-header").render())
        log = read_log(log_dir)
        assert (log["review"]["blank_zero"], log["review"]["blank_zero_by"]) == (True, AUDITOR)
        assert sum(1 for f in log["finding"] if f["resolved"]) == 30
        await pilot.press("0")  # toggles: blank again
        await written(pilot, screen)
        assert len(screen.findings) == 30 and read_log(log_dir)["review"]["blank_zero"] is False
        await pilot.press("u")  # undoes the toggle
        await written(pilot, screen)
        assert len(screen.findings) == 1


async def test_no_blank_cells_nothing_to_read_as_zero(log_dir):
    app = make_app([SEED_003.parent / "001_64184a962bfd4335.txt"], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("0")
        await written(pilot, screen)
        assert any("没有空白单元格" in n.message for n in app._notifications)
        assert not log_dir.exists() or not list(log_dir.glob("*.toml"))


async def test_bulk_dismiss_with_one_reason_and_one_undo(tmp_path, log_dir):
    path = tmp_path / "000.txt"
    shutil.copy(SEED_000, path)
    app = make_app([path], log_dir, reasons=["原表如此"])
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        balance = [k for k, f in zip(screen.keys, screen.findings, strict=True) if f.rule == "column-balance"]
        assert len(balance) == 7
        screen.select(screen.keys.index(balance[2]))
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        dialog = app.screen
        assert dialog.choices == ["原表如此"]  # the config's preset reason
        await pilot.press(*"空白即为0")  # typing in the list writes a reason of one's own
        assert dialog.text == "空白即为0"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        log = read_log(log_dir)
        entries = by_key(log)
        assert all((entries[k]["status"], entries[k]["reason"]) == ("dismissed", "空白即为0") for k in balance)
        assert all(f["status"] == "open" for k, f in entries.items() if k not in balance)
        assert len({h["change"] for h in log["history"] if h["kind"] == "edit"}) == 1
        # the selection moved on to the next open finding, past the rule's findings
        assert screen.selected is not None and screen.findings[screen.selected].rule != "column-balance"
        # one u restores them all
        await pilot.press("u")
        await written(pilot, screen)
        assert all(by_key(read_log(log_dir))[k]["status"] == "open" for k in balance)
        # the reason used is offered first next time; enter picks it
        screen.select(screen.keys.index(balance[0]))
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        assert app.screen.choices == ["空白即为0", "原表如此"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        assert all(by_key(read_log(log_dir))[k]["reason"] == "空白即为0" for k in balance)
        # C confirms every open finding of a rule
        subtotal = [k for k, f in zip(screen.keys, screen.findings, strict=True) if f.rule == "subtotal"]
        screen.select(screen.keys.index(subtotal[0]))
        await pilot.press("C")
        await written(pilot, screen)
        assert all(by_key(read_log(log_dir))[k]["status"] == "confirmed" for k in subtotal)


async def test_c_moves_on_to_the_next_open_finding_unless_advance_is_off(log_dir, tmp_path):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "c")
        assert screen.selected == 1
        await pilot.press("c")
        await written(pilot, screen)
        assert [screen.statuses()[i] for i in (0, 1)] == ["confirmed", "confirmed"] and screen.selected == 2
    app = make_app([SEED_003], tmp_path / "other", advance=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "c")
        assert screen.selected == 0


async def test_f_cycles_all_open_and_errors(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        line = screen.query_one("#selection")
        assert "问题：全部 8" in str(line.render()) and len(screen.findings_list._texts) == 8
        await pilot.press("n", "c")  # the first error confirmed
        await written(pilot, screen)
        await pilot.press("f")
        assert screen.filter == "open" and "问题：待定 7/8" in str(line.render())
        assert len(screen.findings_list._texts) == 7 and 0 not in screen.listed
        await pilot.press("f")
        assert screen.filter == "errors" and "问题：仅错误 2/8" in str(line.render())
        assert [screen.findings[i].severity for i in screen.listed] == ["error", "error"]
        # n steps among the findings shown
        screen.select(None)
        await pilot.press("n", "n", "n")
        assert screen.selected == 0
        await pilot.press("f")
        assert screen.filter == "all" and len(screen.findings_list._texts) == 8


async def test_done_and_the_queues_progress(log_dir):
    app = make_app(SEED_TXT, log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        status = queue.query_one("#queue-status")
        assert "已审 0/5 · 待定错误 2" in str(status.render())
        assert queue.order[0] == str(SEED_003)
        await pilot.press("enter")
        screen = await review(pilot)
        await pilot.press("d")  # two errors open: refused, with the reason
        await written(pilot, screen)
        assert any("再按一次 d" in n.message for n in app._notifications)
        assert not log_dir.exists() or not list(log_dir.glob("*.toml"))
        await pilot.press("d")  # a second d: marked all the same
        await written(pilot, screen)
        review_state = read_log(log_dir)["review"]
        assert (review_state["reviewed"], review_state["reviewed_by"]) == (True, AUDITOR)
        assert "✔ 已审" in str(screen.query_one("#review-header").render())
        await pilot.press("n", "c", "c")  # both errors confirmed: no longer open
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await pilot.pause(0.3)
        assert "已审 1/5 · 待定错误 0" in str(status.render())
        table = queue.query_one(QueueTable)
        row = [c.plain for c in table.get_row_at(queue.order.index(str(SEED_003)))]
        assert row[4] == "0" and row[-1] == "✔"  # the error column counts open errors; reviewed
        # a report without open errors is marked at once; d again takes the mark back, u restores it
        nxt = queue.order[1]
        queue.select_path(nxt)
        await pilot.press("enter")
        screen = await review(pilot)
        await pilot.press("d")
        await written(pilot, screen)
        assert screen.audit_log.review.reviewed
        await pilot.press("d")  # again: not reviewed
        await written(pilot, screen)
        assert not screen.audit_log.review.reviewed and read_log_of(log_dir, nxt)["review"]["reviewed"] is False
        await pilot.press("u")  # undone: reviewed
        await written(pilot, screen)
        assert screen.audit_log.review.reviewed
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        await pilot.pause(0.3)
        assert "已审 2/5" in str(status.render()) and queue.entries[nxt].reviewed
    # the queue reads the marks back from the logs
    app = make_app(SEED_TXT, log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert "已审 2/5 · 待定错误 0" in str(queue.query_one("#queue-status").render())


def read_log_of(log_dir, report: str) -> dict:
    from auditui.core.auditlog import log_file_name

    return tomllib.loads((log_dir / log_file_name(report)).read_text("utf-8"))


async def test_what_was_made_on_the_old_bytes_is_to_look_at_again(tmp_path, log_dir):
    path = unreadable(tmp_path)
    ref = CellRef(*BAD.split("/"))
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await read_cell(pilot, screen, ref, "0", "enter")
        screen.select(screen.keys.index("blank-cell/三/三.三.1/自然人"))
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"as printed", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
    text = path.read_text("utf-8")
    path.write_text(text.replace("1.属于国家秘密\t\t", "1.属于国家秘密\t0\t"), "utf-8")  # the blank filled in
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        shown = [x.plain for x in screen.findings_list._shown]
        again = [x for x in shown if x.startswith("⟳ 待复核")]
        assert len(again) == 2, shown
        assert "驳回 空白单元格 三/三.三.1/自然人" in again[0] and f"读数 {BAD} = 0" in again[1]
        assert cell_text(screen, ref) == "⟳0"  # the reading is kept, and still applied
        assert screen.checked.counts["error"] == 0
        await pilot.press("d")  # something to look at again: d asks for a second d
        await pilot.press("d")
        await written(pilot, screen)
        assert not [x for x in screen.findings_list._shown if x.plain.startswith("⟳")]
        assert cell_text(screen, ref) == "»0"
        log = read_log(log_dir)
        assert log["review"]["reviewed"] is True and log["reading"][0]["stale"] is False
        assert by_key(log)["blank-cell/三/三.三.1/自然人"]["stale"] is False


def test_config_reasons_and_advance_reach_the_app(tmp_path, monkeypatch):
    from auditui.tui.app import review_settings

    config = tmp_path / "config.toml"
    config.write_text('reasons = ["原表如此", " ", "口径不同"]\nadvance = false\n', "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(config))
    assert review_settings() == (("原表如此", "口径不同"), False)
    config.write_text('advance = "yes"\n', "utf-8")
    assert review_settings() == ((), True)  # a config that cannot be used: the defaults (named at start)
