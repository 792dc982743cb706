"""One typed settings object: packaged defaults < user file < environment < command-line flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from eventatlas.errors import SettingsError

ENV_PREFIX = "EVENTATLAS_"


@dataclass(frozen=True)
class Settings:
    db: str = "eventatlas.db"
    max_bytes: int = 20_000_000
    cleaner: str = "lines"
    html_extractor: str = "trafilatura"
    store: str = "sqlite"
    outlets_file: str = ""
    near_duplicate_threshold: float = 0.8
    fetch_timeout: float = 20.0
    fetch_deadline: float = 120.0
    quiet: bool = False
    gazetteer: str = "embedded"
    gazetteer_path: str = ""
    geonames_dumps: str = ""
    extractor: str = "patterns"
    actors_file: str = ""
    lexicon_file: str = ""

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **_coerce_all(changes, "argument"))


def _field_types() -> dict[str, type]:
    kinds = {"str": str, "int": int, "float": float, "bool": bool}
    return {f.name: kinds[str(f.type)] for f in dataclasses.fields(Settings)}


# Settings that mean something only above zero: a size in bytes, a number of seconds.
_POSITIVE = frozenset({"max_bytes", "fetch_timeout", "fetch_deadline"})


def _coerce(name: str, value: Any, origin: str) -> Any:
    converted = _convert(name, value, origin)
    if name in _POSITIVE and converted <= 0:
        raise SettingsError(
            f"setting {name!r} from {origin}: expected a positive number, got {value!r}; "
            f"fix the value or remove it to use the default"
        )
    return converted


def _convert(name: str, value: Any, origin: str) -> Any:
    kind = _field_types()[name]
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() in {"1", "true", "yes", "on"}:
                    return True
                if text.lower() in {"0", "false", "no", "off", ""}:
                    return False
                raise ValueError(text)
            return kind(text)
        except ValueError:
            pass
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    raise SettingsError(
        f"setting {name!r} from {origin}: expected a {kind.__name__}, got {value!r}; "
        f"fix the value or remove it to use the default"
    )


def _coerce_all(values: Mapping[str, Any], origin: str) -> dict[str, Any]:
    known = _field_types()
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            raise SettingsError(
                f"unknown setting {name!r} in {origin}; known settings: {', '.join(sorted(known))}"
            )
        out[name] = _coerce(name, value, origin)
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path}: expected TOML, {exc}; fix the file") from exc
    except OSError as exc:
        raise SettingsError(f"settings file {path}: cannot be read ({exc.strerror})") from exc


def packaged_defaults() -> dict[str, Any]:
    text = resources.files("eventatlas.data").joinpath("settings.toml").read_text("utf-8")
    return tomllib.loads(text)


def user_file(environ: Mapping[str, str]) -> Path | None:
    named = environ.get(ENV_PREFIX + "CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise SettingsError(f"{ENV_PREFIX}CONFIG names {named}, which is not a file")
        return path
    for candidate in (Path("eventatlas.toml"), Path.home() / ".config/eventatlas/settings.toml"):
        if candidate.is_file():
            return candidate
    return None


def from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    known = _field_types()
    return {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() in known
    }


def load_settings(
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build settings from every layer; ``flags`` holds only the options the user actually gave."""
    env = os.environ if environ is None else environ
    merged: dict[str, Any] = _coerce_all(packaged_defaults(), "packaged defaults")
    path = user_file(env)
    if path is not None:
        merged.update(_coerce_all(_read_toml(path), f"settings file {path}"))
    merged.update(_coerce_all(from_environment(env), "the environment"))
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    merged.update(_coerce_all(given, "the command line"))
    return Settings(**merged)
