"""User configuration and where audit logs live.

The config file is TOML, at ``$AUDITUI_CONFIG`` if set, else ``config.toml`` in platformdirs' user config dir
(``~/.config/auditui/config.toml`` on Linux). Every key is optional::

    auditor = "李审计"          # who signs verdicts; default: the login name
    log_dir = "~/audit-logs"    # where audit logs go; relative paths are relative to this file's folder
    lang = "zh"                 # interface language (free string; the TUI decides what it supports)
    reuse_threshold = 0.5       # prose-reuse warns above this share of prose copied from last year (0 to 1)
    reasons = ["原表如此", "口径不同"]  # reasons offered when dismissing findings (besides those used before)
    advance = true              # c / x move on to the next open finding
    cache_dir = "~/.cache/auditui"  # the parse cache (default: platformdirs' user cache dir); relative: to this file
    cache_max_mb = 500          # the most the parse cache may hold

    [series]                    # how reports are grouped into one body's years: a name as written = the body
    aliases = {"区政府办" = "某某区人民政府办公室"}

Unknown keys are ignored (a newer auditui may add some). A file that cannot be read or parsed, or a key of
the wrong type, raises :class:`ConfigError` naming the file: never a traceback.

Where logs go (:func:`resolve_log_dir`): ``--log-dir``, else ``$AUDITUI_LOG_DIR``, else the config's
``log_dir``, else platformdirs' user data dir + ``logs`` (``~/.local/share/auditui/logs`` on Linux).

Public API::

    load_config(path: str | Path | None = None) -> Config
    config_path() -> Path
    resolve_log_dir(cli_value: str | Path | None, config: Config | None = None) -> Path
    default_auditor() -> str
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .errors import FileProblem

APP = "auditui"
ENV_CONFIG = "AUDITUI_CONFIG"
ENV_LOG_DIR = "AUDITUI_LOG_DIR"


class ConfigError(FileProblem):
    """The config file cannot be used. ``path`` names the file, ``reason`` says why (one line)."""


@dataclass(frozen=True, slots=True)
class Config:
    auditor: str
    log_dir: Path | None = None
    """From the config file (already resolved against the file's folder), or None."""
    lang: str | None = None
    path: Path | None = None
    """The file this was read from; None when there was none."""
    reuse_threshold: float = 0.5
    """``prose-reuse`` is a warning above this share of copied sentences (:mod:`auditui.core.series`)."""
    aliases: tuple[tuple[str, str], ...] = ()
    """``[series] aliases``: (a body's name as written, the body it is) pairs."""
    reasons: tuple[str, ...] = ()
    """Reasons for dismissing findings that the TUI offers in its pick-list, before those the auditor used."""
    advance: bool = True
    """Whether a verdict (``c``, ``x``) moves the selection on to the next open finding."""
    cache_dir: Path | None = None
    """The parse cache's folder (:mod:`auditui.core.cache`), resolved against the file's folder; None: the
    default."""
    cache_max_mb: float | None = None
    """The most the parse cache may hold, in MB (None: 500)."""


def config_path() -> Path:
    """``$AUDITUI_CONFIG`` if set and non-empty, else platformdirs' user config dir / config.toml."""
    env = os.environ.get(ENV_CONFIG, "").strip()
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path(APP, appauthor=False) / "config.toml"


def default_data_dir() -> Path:
    """Where logs go when nothing says otherwise: platformdirs' user data dir / logs."""
    return platformdirs.user_data_path(APP, appauthor=False) / "logs"


def default_auditor() -> str:
    """The login name; falls back to $USER / $USERNAME, then "auditor" (containers may have no passwd entry)."""
    try:
        name = getpass.getuser()
    except Exception:  # getpass raises OSError/KeyError/ImportError depending on the platform
        name = ""
    name = (name or os.environ.get("USER") or os.environ.get("USERNAME") or "").strip()
    return name or "auditor"


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read the config file (``path``, else :func:`config_path`). A missing file gives the defaults."""
    p = Path(path).expanduser() if path is not None else config_path()
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        return Config(auditor=default_auditor())
    except IsADirectoryError:
        raise ConfigError(p, "is a folder, not a config file") from None
    except OSError as e:
        raise ConfigError(p, f"cannot read config: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(p, f"config is not UTF-8 text (byte {e.start})") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(p, f"config is not valid TOML: {e}") from None

    def string(key: str) -> str | None:
        value = doc.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(p, f"{key} must be a string, not {type(value).__name__} ({value!r})")
        return value.strip() or None

    def folder(key: str) -> Path | None:
        value = string(key)
        if value is None:
            return None
        resolved = Path(value).expanduser()
        return resolved if resolved.is_absolute() else p.parent / resolved

    auditor = string("auditor") or default_auditor()
    lang = string("lang")
    resolved = folder("log_dir")
    cache_dir = folder("cache_dir")
    cache_max_mb = doc.get("cache_max_mb")
    if cache_max_mb is not None and (isinstance(cache_max_mb, bool) or not isinstance(cache_max_mb, int | float)
                                     or not cache_max_mb > 0):
        raise ConfigError(p, f"cache_max_mb must be a number of megabytes above 0, not {cache_max_mb!r}")
    threshold = doc.get("reuse_threshold", 0.5)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise ConfigError(p, f"reuse_threshold must be a number from 0 to 1, not {threshold!r}")
    series = doc.get("series", {})
    aliases = series.get("aliases", {}) if isinstance(series, dict) else None
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise ConfigError(p, 'series.aliases must be a table of names, like [series] aliases = {"区政府办" = '
                             '"某某区人民政府办公室"}')
    reasons = doc.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise ConfigError(p, f'reasons must be a list of strings, like reasons = ["原表如此"], not {reasons!r}')
    advance = doc.get("advance", True)
    if not isinstance(advance, bool):
        raise ConfigError(p, f"advance must be true or false, not {advance!r}")
    return Config(auditor=auditor, log_dir=resolved, lang=lang, path=p, reuse_threshold=float(threshold),
                  aliases=tuple(aliases.items()), reasons=tuple(dict.fromkeys(r.strip() for r in reasons if r.strip())),
                  advance=advance, cache_dir=cache_dir,
                  cache_max_mb=float(cache_max_mb) if cache_max_mb is not None else None)


def resolve_log_dir(cli_value: str | os.PathLike[str] | None, config: Config | None = None) -> Path:
    """The log folder by precedence: ``--log-dir``, ``$AUDITUI_LOG_DIR``, the config's log_dir, the default.

    ``config`` is loaded (and may raise :class:`ConfigError`) only when the first two are not given.
    The folder is not created here.
    """
    if cli_value is not None and str(cli_value).strip():
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_LOG_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    if config is None:
        config = load_config()
    if config.log_dir is not None:
        return config.log_dir
    return default_data_dir()
