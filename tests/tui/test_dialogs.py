"""Dialogs, help, command palette, export, and the language catalogue."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Footer, Input, TextArea

from auditui.tui import i18n
from auditui.tui.commands import ActionsProvider
from auditui.tui.screens.dialogs import HelpScreen, PathDialog, TextDialog
from auditui.tui.screens.queue import QueueScreen
from auditui.tui.screens.review import ReviewScreen

from .conftest import SEED_003, SIZE, make_app, queue_loaded, review, wait_for, written


class Host(App):
    def __init__(self, dialog):
        super().__init__()
        self.dialog = dialog
        self.results = []

    def on_mount(self):
        self.push_screen(self.dialog, self.results.append)


async def test_text_dialog_saves_multiline_with_ctrl_s():
    app = Host(TextDialog("title [b]", "old"))
    async with app.run_test() as pilot:
        area = app.screen.query_one(TextArea)
        assert app.screen.focused is area
        await pilot.press("enter", *"new")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["old\nnew"]


async def test_text_dialog_escape_cancels():
    app = Host(TextDialog("t", "keep"))
    async with app.run_test() as pilot:
        await pilot.press(*"xyz", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_required_text_dialog_refuses_blank():
    dialog = TextDialog("reason", required=True, required_message="need one")
    app = Host(dialog)
    async with app.run_test() as pilot:
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and app.results == []
        assert "need one" in str(dialog.query_one("#dialog-error").render())
        await pilot.press("a", "ctrl+s")
        await pilot.pause()
    assert app.results == [" a"]


async def test_path_dialog():
    app = Host(PathDialog("export", "/tmp/x.md"))
    async with app.run_test() as pilot:
        assert app.screen.query_one(Input).value == "/tmp/x.md"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["/tmp/x.md"]


async def test_help_lists_every_key_of_the_review_screen(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = {d: k for _, section in app.screen.sections for k, d in section}
        for key in ("key.next_finding", "key.prev_finding", "key.confirm", "key.dismiss", "key.comment",
                    "key.undo", "key.search", "key.export", "key.help", "key.quit", "key.pane", "key.down",
                    "key.next_report"):
            assert i18n.t(key) in rows, key
        assert rows[i18n.t("key.confirm")] == "c"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        # every binding of ours (those with an id) is translated
        nodes = [app, screen, *screen.query("*")]
        ours = [(n, b) for n in nodes for _, b in n._bindings if b.id]
        assert len(ours) > 20
        for node, b in ours:
            assert b.description and not b.description.startswith("key."), (node, b)
        # the footer shows the review keys
        footer_keys = {k.key for k in screen.query_one(Footer).query("FooterKey")}
        for key in ("n", "c", "x", "a", "u", "slash", "question_mark", "q", "e", "tab", "down"):
            assert key in footer_keys, key


async def test_command_palette_lists_actions(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        provider = ActionsProvider(screen)
        found = [hit async for hit in provider.search(i18n.t("key.confirm"))]
        assert found and found[0].text == i18n.t("key.confirm")
        titles = [hit.text async for hit in provider.discover()]
        assert i18n.t("key.dismiss") in titles and i18n.t("key.undo") in titles
        # running a hit runs the action: the palette's confirm confirms the selected finding
        await pilot.press("n")
        await found[0].command()
        await written(pilot, screen)
        assert screen.verdicts()[0].status == "confirmed"
        # the palette itself opens over the screen
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")


async def test_export_writes_markdown_and_notifies(tmp_path, log_dir):
    app = make_app([SEED_003], log_dir)
    out = tmp_path / "out" / "summary.md"
    out.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press("n", "c", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, PathDialog))
        field = app.screen.query_one(Input)
        assert field.value == str(Path.cwd() / "auditui-export.md")  # the current folder, not the log folder
        field.value = str(out)
        await pilot.press("enter")
        await wait_for(pilot, lambda: out.exists())
        assert any(str(out) in n.message for n in app._notifications)
    text = out.read_text("utf-8")
    assert "张家港市工业和信息化局" in text
    # toml by suffix
    toml_out = tmp_path / "summary.toml"
    app.export_to(str(toml_out))
    assert tomllib.loads(toml_out.read_text("utf-8"))["report"]


async def test_english_interface(log_dir):
    app = make_app([SEED_003], log_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        keys = {b.description for _, b in screen._bindings}
        assert "Confirm" in keys and "Dismiss" in keys
        assert "errors" in str(screen.query_one("#review-header").render())
        await pilot.press("n")
        assert "subtotal" in screen.findings_list._texts[0].plain


async def test_queue_screen_bindings_translated(log_dir):
    app = make_app([SEED_003, SEED_003.with_name("000_633416d7cefaca87.txt")], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert isinstance(app.screen, QueueScreen) and not isinstance(app.screen, ReviewScreen)
        assert {b.description for _, b in queue._bindings} >= {"打开", "筛选", "排序", "退出"}


def test_catalogue_languages_match():
    assert set(i18n.ZH) == set(i18n.EN)
    for key in i18n.ZH:
        assert i18n.ZH[key].count("{") == i18n.EN[key].count("{"), key


def test_catalogue_covers_every_binding_description():
    from auditui.tui import app as app_module
    from auditui.tui.screens import dialogs, queue, review, series
    from auditui.tui.widgets import findings, grid, search_box, source_view

    classes = [app_module.AuditApp, queue.QueueScreen, queue.QueueTable, queue.FilterBox, review.ReviewScreen,
               search_box.SearchBox, dialogs.TextDialog, dialogs.PathDialog, dialogs.HelpScreen, grid.Grid,
               findings.FindingsList, source_view.SourceView, series.SeriesScreen, series.SeriesTable]
    for cls in classes:
        for b in Binding.make_bindings(cls.BINDINGS):
            assert b.id, (cls, b)
            if b.description:
                assert b.description in i18n.ZH, (cls, b)
            if b.group:
                assert b.group.description in i18n.ZH, (cls, b)


def test_unknown_language_falls_back_to_chinese():
    assert i18n.set_lang("fr") == "zh"
    assert i18n.t("key.confirm") == "确认"
    assert i18n.set_lang(None) == "zh"


def test_settings_precedence(tmp_path, monkeypatch):
    from auditui.tui.app import settings

    config = tmp_path / "config.toml"
    config.write_text('auditor = "李审计"\nlang = "en"\nlog_dir = "logs-from-config"\n', "utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG", str(config))
    directory, auditor, lang, notices = settings()
    assert (directory, auditor, lang, notices) == (tmp_path / "logs-from-config", "李审计", "en", [])
    directory, auditor, lang, _ = settings(tmp_path / "cli", "cli-name", "zh")
    assert (directory, auditor, lang) == (tmp_path / "cli", "cli-name", "zh")
    config.write_text('lang = "fr"\n', "utf-8")
    assert settings(tmp_path)[2] == "zh" and settings(tmp_path)[3]
    config.write_text("not toml [", "utf-8")
    directory, auditor, lang, notices = settings(tmp_path)
    assert lang == "zh" and len(notices) == 1 and str(config) in notices[0]
    monkeypatch.delenv("AUDITUI_CONFIG")
    assert settings(tmp_path)[2] == "zh"  # no config at all: Chinese
