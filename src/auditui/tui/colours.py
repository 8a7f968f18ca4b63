"""Concrete colours from the theme, for ``Text`` styles (a module of its own: the queue needs it before the first
frame, long before the review screen's widgets)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Colours:
    """Concrete colours from the theme (Text styles need colours, not CSS variables)."""

    error: str
    warning: str
    error_bg: str
    warning_bg: str
    error_strong: str
    warning_strong: str
    muted: str
    success: str

    @classmethod
    def of(cls, variables: dict[str, str]) -> Colours:
        def get(name: str, default: str) -> str:
            value = variables.get(name, default)
            return value if value.startswith("#") else default

        return cls(
            error=get("text-error", "#d17e92"),
            warning=get("text-warning", "#ffc473"),
            error_bg=get("error-muted", "#441e27"),
            warning_bg=get("warning-muted", "#593e19"),
            error_strong=get("error", "#b93c5b"),
            warning_strong=get("warning", "#fea62b"),
            muted=get("foreground-muted", "#888888")[:7],
            success=get("text-success", "#8ad4a1"),
        )

    def fg(self, severity: str | None) -> str | None:
        return {"error": self.error, "warning": self.warning}.get(severity or "")

    def bg(self, severity: str | None) -> str | None:
        return {"error": self.error_bg, "warning": self.warning_bg}.get(severity or "")

    def strong(self, severity: str | None) -> str | None:
        return {"error": self.error_strong, "warning": self.warning_strong}.get(severity or "")


__all__ = ["Colours"]
