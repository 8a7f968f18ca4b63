"""Modal dialogs: a comment / reason / note editor (multi-line), the export path, and the help screen.

Titles may carry report text (a body's name, a finding's message): they are ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static, TextArea

from ..compat import bindings, has_bindings
from ..i18n import localize_bindings, t
from ..safe import one_line


class TextDialog(ModalScreen[str | None]):
    """Edit a multi-line text. ctrl+s saves (dismisses with the text), escape cancels (dismisses None).

    With ``required`` an empty (or blank) text is refused with a message instead of saved.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="dialog.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="dialog.cancel"),
    ]

    DEFAULT_CSS = """
    TextDialog {
        align: center middle;
        & > Vertical {
            width: 80%;
            max-width: 100;
            height: auto;
            max-height: 90%;
            border: thick $primary 80%;
            background: $panel;
            padding: 0 1;
        }
        & #dialog-title { text-style: bold; margin-bottom: 1; }
        & #dialog-context { color: $text-muted; margin-bottom: 1; }
        & TextArea { height: 8; }
        & #dialog-error { color: $text-error; height: auto; }
        & #dialog-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, text: str = "", *, context: str = "", required: bool = False,
                 required_message: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        localize_bindings(self)
        self._dialog_title = title
        self._dialog_text = text
        self._dialog_context = context
        self.required = required
        self.required_message = required_message or t("dialog.reason.required")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(one_line(self._dialog_title)), id="dialog-title")
            if self._dialog_context:
                yield Static(Text(one_line(self._dialog_context)), id="dialog-context")
            area = TextArea(self._dialog_text, soft_wrap=True, tab_behavior="focus", id="dialog-text")
            area.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield area
            yield Static(Text(""), id="dialog-error")
            yield Static(Text(t("dialog.hint")), id="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        text = self.text
        if self.required and not text.strip():
            self.query_one("#dialog-error", Static).update(Text(self.required_message))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PathDialog(ModalScreen[str | None]):
    """Ask for a file path (one line). Enter accepts, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.cancel", id="dialog.cancel")]

    DEFAULT_CSS = """
    PathDialog {
        align: center middle;
        & > Vertical {
            width: 80%;
            max-width: 110;
            height: auto;
            border: thick $primary 80%;
            background: $panel;
            padding: 0 1;
        }
        & #dialog-title { text-style: bold; margin-bottom: 1; }
        & #dialog-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, value: str, hint: str = "") -> None:
        super().__init__()
        localize_bindings(self)
        self._dialog_title, self._dialog_value, self._dialog_hint = title, value, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._dialog_title), id="dialog-title")
            field = Input(self._dialog_value, id="dialog-path")
            field.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield field
            yield Static(Text(self._dialog_hint), id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def binding_rows(nodes: Iterable) -> list[tuple[str, str]]:
    """(keys, description) for every described binding of ``nodes``, keys of one action joined."""
    rows: dict[tuple[str, str], list[str]] = {}
    for node in nodes:
        for key, binding in bindings(node):
            if not binding.description or binding.system or not binding.id:
                continue  # Textual's own bindings (page up, select…) are not ours to list
            display = node.app.get_key_display(binding) if node.is_attached else key
            keys = rows.setdefault((binding.action, binding.description), [])
            if display not in keys:
                keys.append(display)
    return [(" ".join(keys), description) for (_action, description), keys in rows.items()]


LEGEND = ("●", "▲", "✘", "·", "?", "—", "✎", "✔", "warning*", "⟳")
"""The marks of the grid, the findings list and the queue, explained in help (``legend.<mark>``)."""


def legend() -> list[tuple[str, str]]:
    """(mark, what it means) for every mark the interface draws."""
    return [(t("severity.warning") + "*" if mark == "warning*" else mark, t(f"legend.{mark}")) for mark in LEGEND]


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below, its widgets and the app, with what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "key.close", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%;
            max-width: 90;
            height: 90%;
            border: thick $primary 80%;
            background: $panel;
            padding: 0 1;
        }
    }
    """

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], log_dir: str = "") -> None:
        super().__init__()
        localize_bindings(self)
        self.sections = sections
        self.log_dir = log_dir

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        """The keys of ``screen`` (and of the widgets it has) and of the app."""
        widgets = [w for w in screen.query("*") if has_bindings(w)]
        local = binding_rows([*widgets, screen])
        # one row per description: the same move keys are bound on several widgets
        seen: set[str] = set()
        unique = []
        for keys, description in local:
            if description in seen:
                continue
            seen.add(description)
            unique.append((keys, description))
        section = {"ReviewScreen": "help.section.review", "SeriesScreen": "help.section.series"}.get(
            type(screen).__name__, "help.section.queue")
        return cls([(t(section), unique), (t("help.section.global"), binding_rows([screen.app])),
                    (t("help.section.legend"), legend())], str(getattr(screen.app, "log_dir", "") or ""))

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for title, rows in self.sections:
            table.add_row(Text(title, style="underline"), Text(""))
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row(Text(""), Text(""))
        table.add_row(Text(""), Text(t("help.close"), style="italic"))
        with VerticalScroll():
            yield Static(Text(t("help.title"), style="bold"))
            if self.log_dir:
                yield Static(Text(t("app.log_dir", path=one_line(self.log_dir)), style="italic"), id="help-log-dir")
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
