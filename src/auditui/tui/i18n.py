"""Every piece of interface text, in Chinese and English: one catalogue, keyed ids.

``t("key.confirm")`` looks a text up in the current language (set once by the app, :func:`set_lang`);
``t("queue.loaded", n=3)`` formats it. Binding descriptions in ``BINDINGS`` are catalogue ids and are
translated per instance by :func:`localize_bindings`, so one class serves both languages.

Texts are plain strings: callers turn them into ``Text``/``Content`` without markup, so a catalogue text (or a
report's text formatted into one) is never parsed as markup.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual.binding import Binding

from .compat import rewrite_bindings

if TYPE_CHECKING:
    from textual.dom import DOMNode

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

ZH: dict[str, str] = {
    # app
    "app.title": "政府信息公开年度报告审核",
    "app.config_error": "配置文件无法使用，已按默认设置运行：{error}",
    "app.bad_lang": "配置中的界面语言 {lang!r} 不受支持，已使用中文",
    "app.no_reports": "在 {paths} 中没有找到报告文件",
    "app.only_one": "只有一份报告",
    "app.log_dir": "审核记录目录：{path}",
    # keys (binding descriptions)
    "key.down": "下移",
    "key.up": "上移",
    "key.left": "左移",
    "key.right": "右移",
    "key.move": "移动",
    "key.top": "到顶",
    "key.page_up": "上一页",
    "key.page_down": "下一页",
    "key.bottom": "到底",
    "key.pane": "窗格",
    "key.next_finding": "下一问题",
    "key.prev_finding": "上一问题",
    "key.findings": "问题",
    "key.confirm": "确认",
    "key.dismiss": "驳回",
    "key.reopen": "重新待定",
    "key.comment": "批注",
    "key.undo": "撤销",
    "key.search": "搜索",
    "key.next_match": "下一处",
    "key.prev_match": "上一处",
    "key.search_next": "下一处（搜索框中）",
    "key.search_prev": "上一处（搜索框中）",
    "key.search_close": "关闭搜索框",
    "key.filter_close": "清除筛选",
    "key.export": "导出",
    "key.help": "帮助",
    "key.back": "返回",
    "key.quit": "退出",
    "key.open": "打开",
    "key.filter": "筛选",
    "key.sort": "排序",
    "key.reverse": "反序",
    "key.next_report": "下一份",
    "key.prev_report": "上一份",
    "key.reports": "报告",
    "key.part3": "第三部分",
    "key.part4": "第四部分",
    "key.part2": "第二部分",
    "key.wrap": "自动换行",
    "key.zoom": "放大窗格",
    "key.save": "保存",
    "key.cancel": "取消",
    "key.close": "关闭",
    "key.palette": "命令",
    # queue
    "queue.title": "报告列表",
    "queue.col.file": "文件",
    "queue.col.body": "机关",
    "queue.col.year": "年度",
    "queue.col.template": "模板",
    "queue.col.errors": "错误",
    "queue.col.warnings": "警告",
    "queue.col.open": "待定",
    "queue.col.confirmed": "确认",
    "queue.col.dismissed": "驳回",
    "queue.col.stale": "过期",
    "queue.loading": "正在读取 {done}/{total} 份报告…",
    "queue.loaded": "{total} 份报告：{errors} 份有错误，{unreadable} 份无法读取",
    "queue.shown": "显示 {shown}/{total} 份",
    "queue.filter": "筛选（机关、文件名、年度）",
    "queue.sorted": "按「{column}」{direction}排列",
    "queue.desc": "降序",
    "queue.asc": "升序",
    "queue.unreadable": "无法读取：{reason}",
    "queue.stale_mark": "已变",
    "queue.log_bad": "记录损坏",
    "queue.cannot_open": "无法打开 {path}：{reason}",
    # review
    "review.template": "{template} 模板",
    "review.year_unknown": "年度不详",
    "review.body_unknown": "机关不详",
    "review.errors": "{n} 个错误",
    "review.warnings": "{n} 个警告",
    "review.verdicts": "待定 {open} · 确认 {confirmed} · 驳回 {dismissed}",
    "review.stale": "报告已改动，原审核结论待复核",
    "review.tab.三": "三 申请办理",
    "review.tab.四": "四 复议诉讼",
    "review.tab.二": "二 主动公开",
    "review.col.row": "项目",
    "review.col.column": "栏目",
    "review.col.value": "数值",
    "review.no_findings": "没有发现问题",
    "review.not_found": "（报告中没有找到这一部分）",
    "review.selected": "选中：{what}",
    "review.cell": "单元格 {ref}",
    "review.cell_hint": "单元格 {ref}（按 a 添加备注）",
    "review.nothing": "未选中",
    "review.notes": "备注 {n} 条",
    "review.read_only": "审核记录无法打开，本报告只能查看：{error}",
    "review.saving": "正在保存审核记录，保存后离开",
    "review.no_log": "审核记录不可用，无法保存",
    "review.no_finding": "没有选中的问题",
    "review.confirmed": "已确认：{what}",
    "review.dismissed": "已驳回：{what}",
    "review.reopened": "已改回待定：{what}",
    "review.commented": "已保存批注：{what}",
    "review.comment_cleared": "已删除批注：{what}",
    "review.noted": "已添加备注：{what}",
    "review.note_edited": "已修改备注：{what}",
    "review.undone": "已撤销：{what}",
    "review.nothing_to_undo": "没有可撤销的操作",
    "review.undo_failed": "无法撤销：{error}",
    "review.save_failed": "保存失败：{error}",
    "review.no_cell": "没有选中的单元格",
    "review.mark.open": "待定",
    "review.mark.confirmed": "确认",
    "review.mark.dismissed": "驳回",
    "review.reason": "理由：{reason}",
    "review.suggestion": "可能的修正：{fixes}",
    "review.suggestion.or": "；或 ",
    "review.involved": "涉及：{cells}",
    "review.unevaluable": "无法核验",
    "review.stale_entry": "报告已改动",
    "review.notice": "审核记录：{notice}",
    # source
    "source.search": "搜索原文（回车：下一处，Esc：关闭）",
    "source.matches": "{n} 处匹配",
    "source.match_at": "第 {i}/{n} 处（第 {line} 行）",
    "source.no_match": "没有找到 {query!r}",
    "source.empty": "（没有文本）",
    # dialogs
    "dialog.comment.title": "批注：{what}",
    "dialog.note.title": "备注：{what}",
    "dialog.reason.title": "驳回理由：{what}",
    "dialog.reason.required": "驳回需要填写理由",
    "dialog.hint": "Ctrl+S 保存 · Esc 取消",
    "dialog.export.title": "导出审核记录",
    "dialog.export.hint": "文件名后缀决定格式：.md、.csv 或 .toml · 回车导出 · Esc 取消",
    "dialog.save": "保存",
    "dialog.cancel": "取消",
    "help.title": "按键",
    "help.close": "按 Esc、q 或 ? 关闭",
    "help.section.review": "审核",
    "help.section.queue": "报告列表",
    "help.section.global": "全局",
    "help.section.legend": "标记",
    "legend.●": "表格：该行有错误（红色）",
    "legend.▲": "表格：该行有警告（黄色）",
    "legend.✘": "表格：该行的问题都已驳回；问题列表：已驳回",
    "legend.·": "表格：空白单元格；问题列表：待定",
    "legend.?": "表格：无法识别的单元格（? 后为原文）",
    "legend.—": "表格：报告中没有这一行",
    "legend.✎": "单元格或行有备注",
    "legend.✔": "问题列表：已确认（报告有误）",
    "legend.warning*": "规则无法核验：所需的单元格为空或无法识别",
    "legend.⟳": "报告在审核后改动过，结论待复核",
    # export
    "export.done": "已导出 {reports} 份报告的审核记录到 {path}",
    "export.partial": "部分记录无法读取，已跳过：{detail}",
    "export.failed": "导出失败：{detail}",
    "export.none": "还没有任何审核记录：{detail}",
    # rules
    # across years (the series screen, copied prose)
    "key.series": "历年对照",
    "key.copied": "沿用标记",
    "key.next_year": "下一年",
    "key.prev_year": "上一年",
    "key.first_year": "最早一年",
    "key.last_year": "最近一年",
    "key.open_year": "打开该年报告",
    "series.loading": "报告还在读取，读完后才能按机关对照历年",
    "series.none": "{name} 没有归入任何机关的历年系列（年度不详，或机关名称过于笼统；可在配置的 [series] aliases 中指定）",
    "series.col.item": "项目（总计列）",
    "series.row.new": "一、本年新收申请",
    "series.row.carried_in": "二、上年结转",
    "series.row.closed": "（七）总计",
    "series.row.carried_out": "四、结转下年度",
    "series.row.review": "行政复议 总计",
    "series.row.suit_direct": "未经复议直接起诉 总计",
    "series.row.suit_after": "复议后起诉 总计",
    "series.row.reuse": "正文沿用上年",
    "series.row.findings": "错误 / 警告",
    "series.row.template": "模板",
    "series.row.file": "文件",
    "series.header": "{n} 份报告：{years} 年度 · 归并名称「{key}」",
    "series.legend": "┌▶ 上年「四、结转下年度」应等于本年「二、上年结转」（红色：有列不等）· ←→ 选择年度 · 回车打开",
    "series.reuse": "正文 {sentences} 句中有 {copied} 句（{share}）见于上年报告 {previous}",
    "series.no_findings": "跨年度核对没有发现问题",
    "review.copied_on": "已标出沿用上年的 {n} 句正文（{share}，上年报告 {previous}），按 r 隐藏",
    "review.copied_off": "已隐藏沿用上年的正文标记，按 r 显示",
    "review.copied_none": "队列中没有该机关上一年度的报告，无法比对正文",
    "help.section.series": "历年对照",
    "severity.error": "错误",
    "severity.warning": "警告",
    "severity.info": "提示",
}

EN: dict[str, str] = {
    "app.title": "Government information-disclosure report audit",
    "app.config_error": "The config file cannot be used; running with defaults: {error}",
    "app.bad_lang": "Interface language {lang!r} from the config is not supported; using Chinese",
    "app.no_reports": "No report files found in {paths}",
    "app.only_one": "There is only one report",
    "app.log_dir": "Audit logs: {path}",
    "key.down": "Down",
    "key.up": "Up",
    "key.left": "Left",
    "key.right": "Right",
    "key.move": "Move",
    "key.top": "Top",
    "key.page_up": "Page up",
    "key.page_down": "Page down",
    "key.bottom": "Bottom",
    "key.pane": "Pane",
    "key.next_finding": "Next finding",
    "key.prev_finding": "Previous finding",
    "key.findings": "Findings",
    "key.confirm": "Confirm",
    "key.dismiss": "Dismiss",
    "key.reopen": "Reopen",
    "key.comment": "Comment",
    "key.undo": "Undo",
    "key.search": "Search",
    "key.next_match": "Next match",
    "key.prev_match": "Previous match",
    "key.search_next": "Next match (in the search box)",
    "key.search_prev": "Previous match (in the search box)",
    "key.search_close": "Close the search box",
    "key.filter_close": "Clear the filter",
    "key.export": "Export",
    "key.help": "Help",
    "key.back": "Back",
    "key.quit": "Quit",
    "key.open": "Open",
    "key.filter": "Filter",
    "key.sort": "Sort",
    "key.reverse": "Reverse",
    "key.next_report": "Next report",
    "key.prev_report": "Previous report",
    "key.reports": "Reports",
    "key.part3": "Part 三",
    "key.part4": "Part 四",
    "key.part2": "Part 二",
    "key.wrap": "Wrap",
    "key.zoom": "Zoom",
    "key.save": "Save",
    "key.cancel": "Cancel",
    "key.close": "Close",
    "key.palette": "Commands",
    "queue.title": "Reports",
    "queue.col.file": "File",
    "queue.col.body": "Body",
    "queue.col.year": "Year",
    "queue.col.template": "Tmpl",
    "queue.col.errors": "Err",
    "queue.col.warnings": "Warn",
    "queue.col.open": "Open",
    "queue.col.confirmed": "Conf",
    "queue.col.dismissed": "Dism",
    "queue.col.stale": "Stale",
    "queue.loading": "Reading {done}/{total} reports…",
    "queue.loaded": "{total} reports: {errors} with errors, {unreadable} unreadable",
    "queue.shown": "showing {shown}/{total}",
    "queue.filter": "Filter (body, file name, year)",
    "queue.sorted": "Sorted by {column}, {direction}",
    "queue.desc": "descending",
    "queue.asc": "ascending",
    "queue.unreadable": "unreadable: {reason}",
    "queue.stale_mark": "stale",
    "queue.log_bad": "log broken",
    "queue.cannot_open": "Cannot open {path}: {reason}",
    "review.template": "template {template}",
    "review.year_unknown": "year unknown",
    "review.body_unknown": "body unknown",
    "review.errors": "{n} errors",
    "review.warnings": "{n} warnings",
    "review.verdicts": "open {open} · confirmed {confirmed} · dismissed {dismissed}",
    "review.stale": "report changed: verdicts need a second look",
    "review.tab.三": "三 Requests",
    "review.tab.四": "四 Appeals",
    "review.tab.二": "二 Proactive",
    "review.col.row": "Item",
    "review.col.column": "Column",
    "review.col.value": "Value",
    "review.no_findings": "No findings",
    "review.not_found": "(this part was not found in the report)",
    "review.selected": "Selected: {what}",
    "review.cell": "cell {ref}",
    "review.cell_hint": "cell {ref} (a adds a note)",
    "review.nothing": "nothing selected",
    "review.notes": "{n} note(s)",
    "review.read_only": "The audit log cannot be opened; this report is read-only: {error}",
    "review.saving": "Saving the audit log; leaving once it is saved",
    "review.no_log": "No audit log: nothing can be saved",
    "review.no_finding": "No finding selected",
    "review.confirmed": "Confirmed: {what}",
    "review.dismissed": "Dismissed: {what}",
    "review.reopened": "Reopened: {what}",
    "review.commented": "Comment saved: {what}",
    "review.comment_cleared": "Comment removed: {what}",
    "review.noted": "Note added: {what}",
    "review.note_edited": "Note changed: {what}",
    "review.undone": "Undone: {what}",
    "review.nothing_to_undo": "Nothing to undo",
    "review.undo_failed": "Cannot undo: {error}",
    "review.save_failed": "Could not save: {error}",
    "review.no_cell": "No cell selected",
    "review.mark.open": "open",
    "review.mark.confirmed": "confirmed",
    "review.mark.dismissed": "dismissed",
    "review.reason": "reason: {reason}",
    "review.suggestion": "possible fix: {fixes}",
    "review.suggestion.or": "; or ",
    "review.involved": "cells: {cells}",
    "review.unevaluable": "cannot be evaluated",
    "review.stale_entry": "report changed",
    "review.notice": "Audit log: {notice}",
    "source.search": "Search the source (enter: next match, escape: close)",
    "source.matches": "{n} matches",
    "source.match_at": "match {i}/{n} (line {line})",
    "source.no_match": "{query!r} not found",
    "source.empty": "(no text)",
    "dialog.comment.title": "Comment: {what}",
    "dialog.note.title": "Note: {what}",
    "dialog.reason.title": "Reason for dismissing: {what}",
    "dialog.reason.required": "Dismissing needs a reason",
    "dialog.hint": "ctrl+s save · escape cancel",
    "dialog.export.title": "Export the audit logs",
    "dialog.export.hint": "The suffix picks the format: .md, .csv or .toml · enter export · escape cancel",
    "dialog.save": "Save",
    "dialog.cancel": "Cancel",
    "help.title": "Keys",
    "help.close": "escape, q or ? closes",
    "help.section.review": "Review",
    "help.section.queue": "Reports",
    "help.section.global": "Everywhere",
    "help.section.legend": "Marks",
    "legend.●": "grid: the row has an error (red)",
    "legend.▲": "grid: the row has a warning (yellow)",
    "legend.✘": "grid: every finding of the row dismissed; findings: dismissed",
    "legend.·": "grid: a blank cell; findings: open (no verdict yet)",
    "legend.?": "grid: an unreadable cell (its text follows the ?)",
    "legend.—": "grid: the row is missing from the report",
    "legend.✎": "a note on the cell or row",
    "legend.✔": "findings: confirmed (the report is wrong)",
    "legend.warning*": "the rule could not be evaluated: a cell it needs is blank or unreadable",
    "legend.⟳": "the report changed after the verdict: look again",
    "export.done": "Exported the audit logs of {reports} report(s) to {path}",
    "export.partial": "Some logs could not be read and were skipped: {detail}",
    "export.failed": "Export failed: {detail}",
    "export.none": "No audit logs yet: {detail}",
    # across years (the series screen, copied prose)
    "key.series": "Years",
    "key.copied": "Copied marks",
    "key.next_year": "Next year",
    "key.prev_year": "Previous year",
    "key.first_year": "First year",
    "key.last_year": "Last year",
    "key.open_year": "Open that year's report",
    "series.loading": "Reports are still loading: a body's years can be compared once all are read",
    "series.none": "{name} is in no body's series of years (no year, or a body name too generic; [series] aliases in the config can name it)",
    "series.col.item": "Item (总计 column)",
    "series.row.new": "一 received this year",
    "series.row.carried_in": "二 carried in",
    "series.row.closed": "（七）总计 results",
    "series.row.carried_out": "四 carried out",
    "series.row.review": "行政复议 total",
    "series.row.suit_direct": "未经复议直接起诉 total",
    "series.row.suit_after": "复议后起诉 total",
    "series.row.reuse": "prose copied",
    "series.row.findings": "errors / warnings",
    "series.row.template": "template",
    "series.row.file": "file",
    "series.header": "{n} reports: {years} · grouped as 「{key}」",
    "series.legend": "┌▶ last year's 四 (carried out) = this year's 二 (carried in) (red: some column differs) · ←→ year · enter opens",
    "series.reuse": "{copied} of {sentences} prose sentences ({share}) are in last year's report {previous}",
    "series.no_findings": "nothing found across years",
    "review.copied_on": "{n} prose sentences copied from last year marked ({share}, from {previous}); r hides them",
    "review.copied_off": "Copied-prose marks hidden; r shows them",
    "review.copied_none": "No report of this body for the year before is in the queue: no prose to compare",
    "help.section.series": "Years of a body",
    "severity.error": "error",
    "severity.warning": "warning",
    "severity.info": "info",
}

CATALOGUE: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}

_lang = DEFAULT_LANG

def set_lang(lang: str | None) -> str:
    """Set the interface language (unknown or None: Chinese); returns the language in use."""
    global _lang
    _lang = lang if lang in CATALOGUE else DEFAULT_LANG
    return _lang


def get_lang() -> str:
    return _lang


def t(key: str, /, **kw: object) -> str:
    """The text of ``key`` in the current language, formatted with ``kw``. A missing key shows itself."""
    text = CATALOGUE[_lang].get(key)
    if text is None:
        text = EN.get(key, key)
    return text.format(**kw) if kw else text


def rule_name(rule: str) -> str:
    """A rule's short name in the current language, from the one registry of rules (auditui.core.rules)."""
    from ..core.rules import RULES  # (the core is loaded by the time a finding is shown)

    r = RULES.get(rule)
    if r is None:
        return rule
    return r.short if _lang == "zh" else r.short_en


def has(key: str) -> bool:
    return key in CATALOGUE[_lang]


_groups: dict[tuple[str, Binding.Group], Binding.Group] = {}


def _group(group: Binding.Group | None) -> Binding.Group | None:
    """Translated groups are shared objects: the Footer merges neighbouring bindings of the *same* group."""
    if group is None:
        return None
    cache_key = (_lang, group)
    if cache_key not in _groups:
        _groups[cache_key] = dataclasses.replace(group, description=t(group.description))
    return _groups[cache_key]


TEXTUAL_ACTIONS = {"command_palette": ("key.palette", "app.palette")}
"""Textual's own bindings that the interface shows: their text and id."""


def _localize(b: Binding) -> Binding:
    if b.action in TEXTUAL_ACTIONS and not b.id:
        description, binding_id = TEXTUAL_ACTIONS[b.action]
        return dataclasses.replace(b, description=t(description), tooltip="", id=binding_id)
    return dataclasses.replace(
        b,
        description=t(b.description) if b.description and has(b.description) else b.description,
        tooltip=t(b.tooltip) if b.tooltip and has(b.tooltip) else b.tooltip,
        group=_group(b.group),
    )


def localize_bindings(node: DOMNode) -> None:
    """Replace the catalogue ids in ``node``'s binding descriptions (and groups) by their text."""
    rewrite_bindings(node, _localize)
