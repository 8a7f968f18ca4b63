"""Config file and where audit logs go."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from auditui.core import config as cfg
from auditui.core.config import ConfigError, config_path, default_auditor, load_config, resolve_log_dir


def write_config(tmp_path: Path, monkeypatch, text: str | bytes) -> Path:
    p = tmp_path / "conf" / "config.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        p.write_text(text, "utf-8")
    else:
        p.write_bytes(text)
    monkeypatch.setenv("AUDITUI_CONFIG", str(p))
    return p


def test_missing_config_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITUI_CONFIG", str(tmp_path / "nope.toml"))
    c = load_config()
    assert c.auditor == default_auditor() and c.log_dir is None and c.lang is None and c.path is None


def test_default_config_location_is_platformdirs(monkeypatch):
    import os

    # conftest points XDG_CONFIG_HOME at a temporary home
    assert config_path() == Path(os.environ["XDG_CONFIG_HOME"]) / "auditui" / "config.toml"


def test_config_values(tmp_path, monkeypatch):
    p = write_config(tmp_path, monkeypatch, 'auditor = "李审计"\nlog_dir = "logs/2024"\nlang = "zh"\nfuture = 1\n')
    c = load_config()
    assert (c.auditor, c.lang, c.path) == ("李审计", "zh", p)
    assert c.log_dir == p.parent / "logs" / "2024"  # relative to the config file's folder
    write_config(tmp_path, monkeypatch, 'log_dir = "~/审计日志"\nauditor = ""\n')
    c = load_config()
    assert c.log_dir == Path("~/审计日志").expanduser() and c.auditor == default_auditor()


@pytest.mark.parametrize(("text", "message"), [
    ('auditor = "li\nlang = "zh"\n', "not valid TOML"),
    ("auditor = 3\n", "auditor must be a string"),
    ('log_dir = ["a"]\n', "log_dir must be a string"),
    (b"\xff\xfeauditor", "not UTF-8"),
])
def test_bad_config_is_a_clear_error(tmp_path, monkeypatch, text, message):
    p = write_config(tmp_path, monkeypatch, text)
    with pytest.raises(ConfigError, match=message) as exc:
        load_config()
    assert exc.value.path == str(p) and str(p) in str(exc.value)
    assert p.read_bytes() == (text.encode() if isinstance(text, str) else text)  # never rewritten


def test_config_that_is_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITUI_CONFIG", str(tmp_path))
    with pytest.raises(ConfigError, match="folder"):
        load_config()


def test_log_dir_precedence(tmp_path, monkeypatch):
    import os

    default = Path(os.environ["XDG_DATA_HOME"]) / "auditui" / "logs"
    assert resolve_log_dir(None) == default
    write_config(tmp_path, monkeypatch, f'log_dir = "{(tmp_path / "from-config").as_posix()}"\n')
    assert resolve_log_dir(None) == tmp_path / "from-config"
    monkeypatch.setenv("AUDITUI_LOG_DIR", str(tmp_path / "from-env"))
    assert resolve_log_dir(None) == tmp_path / "from-env"
    assert resolve_log_dir(str(tmp_path / "from-cli")) == tmp_path / "from-cli"
    assert not (tmp_path / "from-cli").exists()  # resolving creates nothing


def test_log_dir_given_does_not_need_a_readable_config(tmp_path, monkeypatch):
    write_config(tmp_path, monkeypatch, "not toml = = =")
    assert resolve_log_dir(tmp_path / "d") == tmp_path / "d"
    with pytest.raises(ConfigError):
        resolve_log_dir(None)


def test_default_auditor_fallbacks(monkeypatch):
    def boom():
        raise OSError("no passwd entry")

    monkeypatch.setattr(getpass, "getuser", boom)
    monkeypatch.setenv("USER", "zhang")
    assert cfg.default_auditor() == "zhang"
    monkeypatch.delenv("USER")
    monkeypatch.delenv("USERNAME", raising=False)
    assert cfg.default_auditor() == "auditor"
    monkeypatch.setattr(getpass, "getuser", lambda: "wang")
    assert cfg.default_auditor() == "wang"
