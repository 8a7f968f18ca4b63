"""Keys shared by several widgets: the cursor keys of every list and pane, defined once.

Descriptions are catalogue ids (see :mod:`auditui.tui.i18n`), translated per instance.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

MOVE = Binding.Group("key.move", compact=True)
"""The cursor keys of every list, shown together in the Footer."""


def move_bindings(prefix: str, *, down: str = "cursor_down", up: str = "cursor_up",
                  left: str | None = "cursor_left", right: str | None = "cursor_right",
                  top: str = "scroll_top", bottom: str = "scroll_bottom") -> list[BindingType]:
    """j/k (and the arrows) to move, shown in the Footer as one "move" group; h/l and g/G (home/end) listed in
    help only. Each names the widget's action for it; ``None`` leaves h/l out. Binding ids are ``prefix.down``…"""
    out: list[BindingType] = [
        Binding("j,down", down, "key.down", group=MOVE, id=f"{prefix}.down"),
        Binding("k,up", up, "key.up", group=MOVE, id=f"{prefix}.up"),
    ]
    if left is not None:
        out.append(Binding("h,left", left, "key.left", show=False, id=f"{prefix}.left"))
    if right is not None:
        out.append(Binding("l,right", right, "key.right", show=False, id=f"{prefix}.right"))
    out += [
        Binding("g,home", top, "key.top", show=False, id=f"{prefix}.top"),
        Binding("G,end", bottom, "key.bottom", show=False, id=f"{prefix}.bottom"),
    ]
    return out


__all__ = ["MOVE", "move_bindings"]
