from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: `ci` (the default: a quick run of every property) and `fuzz` (tests/test_fuzz.py at
# 10,000 examples a test). Select with HYPOTHESIS_PROFILE=fuzz or pytest --hypothesis-profile=fuzz.
# Tests that set their own max_examples keep it under either profile.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=_SLOW_OK,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
SEEDS = {
    "000": SAMPLES / "000_633416d7cefaca87.txt",
    "001": SAMPLES / "001_64184a962bfd4335.txt",
    "002": SAMPLES / "002_758d9aecda73259b.txt",
    "003": SAMPLES / "003_a190ec9e232fd5b0.txt",
    "004": SAMPLES / "004_642eda999c787a13.txt",
}
REAL_PDF = SAMPLES / "huaian-2024-municipal-government.pdf"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's config, audit logs or parse cache."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("AUDITUI_CACHE_DIR", raising=False)
    monkeypatch.delenv("AUDITUI_LOG_DIR", raising=False)
    monkeypatch.delenv("AUDITUI_CONFIG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    os.environ.setdefault("TZ", "UTC")
