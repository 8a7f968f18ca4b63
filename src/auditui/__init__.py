"""auditui: audit 政府信息公开工作年度报告 — parser, rules, audit log, TUI and CLI."""

__version__ = "0.1.0"
