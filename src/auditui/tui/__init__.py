"""The review TUI (Textual) over :mod:`auditui.core`: it adds no parsing of its own."""
