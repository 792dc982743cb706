from __future__ import annotations

from pathlib import Path

import pytest

from eventatlas.errors import SettingsError
from eventatlas.settings import load_settings


def test_packaged_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    s = load_settings({}, environ={})
    assert s.db == "eventatlas.db"
    assert s.max_bytes == 20_000_000
    assert s.quiet is False


def test_layers_file_env_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "my.toml"
    cfg.write_text('db = "from-file.db"\nmax_bytes = 100\nquiet = true\n')
    env = {"EVENTATLAS_CONFIG": str(cfg), "EVENTATLAS_MAX_BYTES": "200"}
    s = load_settings({}, environ=env)
    assert (s.db, s.max_bytes, s.quiet) == ("from-file.db", 200, True)
    s = load_settings({"max_bytes": 300, "db": None}, environ=env)
    assert (s.db, s.max_bytes) == ("from-file.db", 300)


def test_local_file_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eventatlas.toml").write_text('db = "local.db"\n')
    assert load_settings({}, environ={}).db == "local.db"


def test_bad_value_names_setting_and_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match=r"max_bytes.*environment.*int"):
        load_settings({}, environ={"EVENTATLAS_MAX_BYTES": "lots"})


def test_unknown_key_in_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eventatlas.toml").write_text('colour = "blue"\n')
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings({}, environ={})


def test_broken_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eventatlas.toml").write_text("db = \n")
    with pytest.raises(SettingsError, match="expected TOML"):
        load_settings({}, environ={})
