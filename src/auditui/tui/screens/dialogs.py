"""Modal dialogs: a comment / reason / note editor (multi-line), the export path, and the help screen.

Titles may carry report text (a body's name, a finding's message): they are ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..compat import bindings, has_bindings
from ..i18n import localize_bindings, t
from ..safe import one_line

DialogResult = TypeVar("DialogResult")


class Dialog(ModalScreen[DialogResult]):
    """A modal dialog: a bordered panel in the middle of the screen, its title, context lines, an error line and a
    hint (the look every dialog here shares)."""

    DEFAULT_CSS = """
    Dialog {
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
        & #dialog-error { color: $text-error; height: auto; }
        & #dialog-hint { color: $text-muted; }
    }
    """


class TextDialog(Dialog[str | None]):
    """Edit a multi-line text. ctrl+s saves (dismisses with the text), escape cancels (dismisses None).

    With ``required`` an empty (or blank) text is refused with a message instead of saved. ``choices`` (reasons
    used before, preset ones) are listed above the text: enter on one saves it; typing, or tab, goes to the text.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", id="dialog.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="dialog.cancel"),
    ]

    DEFAULT_CSS = """
    TextDialog {
        & #dialog-context { color: $text-muted; margin-bottom: 1; }
        & #dialog-choices-label { color: $text-muted; }
        & #dialog-choices { height: auto; max-height: 8; margin-bottom: 1; }
        & TextArea { height: 8; }
    }
    """

    def __init__(self, title: str, text: str = "", *, context: str = "", required: bool = False,
                 required_message: str = "", choices: Sequence[str] = (), id: str | None = None) -> None:
        super().__init__(id=id)
        localize_bindings(self)
        self._dialog_title = title
        self._dialog_text = text
        self._dialog_context = context
        self.required = required
        self.required_message = required_message or t("dialog.reason.required")
        self.choices = list(dict.fromkeys(c for c in choices if c.strip()))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(one_line(self._dialog_title)), id="dialog-title")
            if self._dialog_context:
                yield Static(Text(one_line(self._dialog_context)), id="dialog-context")
            if self.choices:
                yield Static(Text(t("dialog.reason.choices")), id="dialog-choices-label")
                yield OptionList(*(Option(Text(one_line(c))) for c in self.choices), id="dialog-choices")
            area = TextArea(self._dialog_text, soft_wrap=True, tab_behavior="focus", id="dialog-text")
            area.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield area
            yield Static(Text(""), id="dialog-error")
            yield Static(Text(t("dialog.hint")), id="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        if self.choices and not self._dialog_text:
            choices = self.query_one("#dialog-choices", OptionList)
            choices.highlighted = 0
            choices.focus()
        else:
            area.focus()

    @on(OptionList.OptionSelected, "#dialog-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def on_key(self, event: events.Key) -> None:
        """Typing in the list of choices writes a reason of one's own: the key goes to the text."""
        if self.choices and event.is_printable and event.character and isinstance(self.focused, OptionList):
            event.stop()
            event.prevent_default()
            area = self.query_one(TextArea)
            area.focus()
            area.insert(event.character)

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


@dataclass(frozen=True, slots=True)
class ReadingResult:
    """What the reading dialog gives back: readings by cell path (None: blank in the original), a note, or
    ``clear``: take the readings of ``cells`` back."""

    values: dict[str, int | None]
    note: str = ""
    clear: bool = False


class ReadingDialog(Dialog[ReadingResult | None]):
    """Read a cell in the original: type its value (nothing: it is blank there) and an optional note, or, on a row
    whose digits ran together, pick one of the ways to cut them (``choices``: each a cell → value mapping, shown
    as ``label``). Enter in the value saves it; enter on a choice saves that cut; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.cancel", id="dialog.cancel")]

    DEFAULT_CSS = """
    ReadingDialog {
        & .dialog-context { color: $text-muted; }
        & #reading-choices { height: auto; max-height: 10; margin: 1 0; }
        & Input { margin-top: 1; }
    }
    """

    def __init__(self, cell: str, context: Sequence[str], value: str = "", note: str = "", *,
                 choices: Sequence[tuple[str, dict[str, int | None]]] = (), choices_label: str = "",
                 can_clear: bool = False, id: str | None = "reading-dialog") -> None:
        super().__init__(id=id)
        localize_bindings(self)
        self.cell = cell
        self._context_lines = list(context)
        self._value, self._note = value, note
        self.choices = list(choices)
        self._choices_label = choices_label
        self.can_clear = can_clear

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(t("dialog.reading.title", cell=self.cell)), id="dialog-title")
            for line in self._context_lines:
                yield Static(Text(one_line(line)), classes="dialog-context")
            options = [Option(Text(label)) for label, _values in self.choices]
            if self.can_clear:
                options.append(Option(Text(t("dialog.reading.clear"), style="italic"), id="clear"))
            if options:
                if self.choices:
                    yield Static(Text(one_line(self._choices_label)), classes="dialog-context")
                yield OptionList(*options, id="reading-choices")
            value = Input(self._value, placeholder=t("dialog.reading.value"), id="reading-value")
            note = Input(self._note, placeholder=t("dialog.reading.note"), id="reading-note")
            for field in (value, note):
                field.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield value
            yield note
            yield Static(Text(""), id="dialog-error")
            yield Static(Text(t("dialog.reading.hint")), id="dialog-hint")

    def on_mount(self) -> None:
        if self.choices:
            choices = self.query_one("#reading-choices", OptionList)
            choices.highlighted = 0
            choices.focus()
        else:
            self.query_one("#reading-value", Input).focus()

    @property
    def note(self) -> str:
        return self.query_one("#reading-note", Input).value.strip()

    @on(OptionList.OptionSelected, "#reading-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "clear":
            self.dismiss(ReadingResult({self.cell: None}, clear=True))
            return
        self.dismiss(ReadingResult(dict(self.choices[event.option_index][1]), self.note))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from ...core.readings import parse_value

        event.stop()
        text = self.query_one("#reading-value", Input).value
        try:
            value = parse_value(text)
        except ValueError:
            self.query_one("#dialog-error", Static).update(Text(t("dialog.reading.bad", text=one_line(text))))
            self.query_one("#reading-value", Input).focus()
            return
        self.dismiss(ReadingResult({self.cell: value}, self.note))

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


LEGEND = ("●", "▲", "✘", "·", "?", "—", "✎", "»", "0", "✔", "warning*", "⟳")
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
