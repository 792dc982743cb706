"""The geoparser's rules and weights as data: cue words, stop-list, demonyms, scoring weights.

:func:`geo_rules` reads the packaged files once, on first use (``data/geo_cues.csv``,
``data/geo_stoplist.csv``, ``data/geo_demonyms.csv``, ``data/geo_weights.json``); tests and the
weight-fitting script build :class:`GeoRules` from other files with :func:`load_geo_rules`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from eventatlas.errors import DataFileError

FEATURE_KINDS = frozenset(
    {"country", "admin1", "admin2", "city", "village", "site", "region", "water", "road"}
)
STOP_KINDS = ("common", "first_name", "title", "particle")


@dataclass(frozen=True)
class Cue:
    """A phrase beside a name that says "place" (and perhaps which kind)."""

    side: str  # "left" | "right"
    words: tuple[str, ...]
    hint: str | None
    precision: int | None
    strong: bool

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Weights:
    """Linear scorer weights: ``prior`` for the context-free pass, ``context`` for the final one."""

    prior: dict[str, float]
    context: dict[str, float]
    abstain_below: float
    settings: dict[str, float] = field(default_factory=dict)

    def setting(self, name: str, default: float) -> float:
        return float(self.settings.get(name, default))


@dataclass(frozen=True)
class GeoRules:
    left_cues: dict[tuple[str, ...], Cue]
    right_cues: dict[tuple[str, ...], Cue]
    stop: dict[str, frozenset[str]]  # kind -> lower-case words
    demonyms: dict[str, str]  # lower-case demonym -> ISO2
    weights: Weights
    aliases: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # surface -> area

    def is_stop(self, word: str, kind: str) -> bool:
        return word.lower().rstrip(".") in self.stop.get(kind, frozenset())

    @functools.cached_property
    def max_cue_words(self) -> int:
        return max((len(k) for k in (*self.left_cues, *self.right_cues)), default=1)


@functools.cache
def geo_rules() -> GeoRules:
    """The packaged rules, read once on first use."""
    data = resources.files("eventatlas.data")

    def read(name: str) -> tuple[str, str]:
        return data.joinpath(name).read_text("utf-8"), f"eventatlas/data/{name}"

    return GeoRules(
        *parse_cues(*read("geo_cues.csv")),
        stop=parse_stoplist(*read("geo_stoplist.csv")),
        demonyms=parse_demonyms(*read("geo_demonyms.csv")),
        weights=parse_weights(*read("geo_weights.json")),
        aliases=parse_aliases(*read("geo_aliases.csv")),
    )


def load_geo_rules(weights: Path | None = None) -> GeoRules:
    """The packaged rules with the weights read from ``weights`` (like ``geo_weights.json``)."""
    rules = geo_rules()
    if weights is None:
        return rules
    try:
        text = weights.read_text("utf-8")
    except OSError as exc:
        raise DataFileError(f"geo weights {weights}: cannot be read ({exc.strerror})") from exc
    return replace(rules, weights=parse_weights(text, str(weights)))


def _rows(text: str) -> csv.DictReader[str]:
    return csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))


def parse_cues(
    text: str, origin: str
) -> tuple[dict[tuple[str, ...], Cue], dict[tuple[str, ...], Cue]]:
    """Rows ``side,phrase,hint,precision,strength`` into left and right cue tables."""
    left: dict[tuple[str, ...], Cue] = {}
    right: dict[tuple[str, ...], Cue] = {}
    for number, row in enumerate(_rows(text), start=2):
        side, phrase = (row.get("side") or "").strip(), (row.get("phrase") or "").strip()
        hint = (row.get("hint") or "").strip() or None
        precision = (row.get("precision") or "").strip()
        strength = (row.get("strength") or "").strip()
        if (
            side not in ("left", "right")
            or not phrase
            or (hint is not None and hint not in FEATURE_KINDS)
            or precision not in ("", "1", "2", "3")
            or strength not in ("strong", "weak")
        ):
            raise DataFileError(
                f"{origin} row {number}: expected side left|right, a phrase, a feature kind or "
                f"nothing, precision 1-3 or nothing, strength strong|weak; got {dict(row)!r}"
            )
        words = tuple(phrase.lower().split())
        cue = Cue(side, words, hint, int(precision) if precision else None, strength == "strong")
        (left if side == "left" else right)[words] = cue
    return left, right


def parse_stoplist(text: str, origin: str) -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {kind: set() for kind in STOP_KINDS}
    for number, row in enumerate(_rows(text), start=2):
        word, kind = (row.get("word") or "").strip(), (row.get("kind") or "").strip()
        if not word or kind not in kinds:
            raise DataFileError(
                f"{origin} row {number}: expected a word and kind in {', '.join(STOP_KINDS)}, "
                f"got {dict(row)!r}"
            )
        kinds[kind].add(word.lower())
    return {kind: frozenset(words) for kind, words in kinds.items()}


def parse_demonyms(text: str, origin: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, row in enumerate(_rows(text), start=2):
        word, country = (row.get("demonym") or "").strip(), (row.get("country") or "").strip()
        if not word or len(country) != 2 or not country.isupper():
            raise DataFileError(
                f"{origin} row {number}: expected a demonym and an ISO-3166 alpha-2 code, "
                f"got {dict(row)!r}"
            )
        out[word.lower()] = country
    return out


def parse_aliases(text: str, origin: str) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for number, row in enumerate(_rows(text), start=2):
        alias, country = (row.get("alias") or "").strip(), (row.get("country") or "").strip()
        admin1 = (row.get("admin1") or "").strip() or None
        if not alias or len(country) != 2 or not country.isupper():
            raise DataFileError(
                f"{origin} row {number}: expected an alias, an ISO-3166 alpha-2 code and an "
                f"optional admin1 code, got {dict(row)!r}"
            )
        out[alias] = (country, admin1)
    return out


def parse_weights(text: str, origin: str) -> Weights:
    try:
        raw: Any = json.loads(text)
        prior = {str(k): float(v) for k, v in raw["prior"].items()}
        context = {str(k): float(v) for k, v in raw["context"].items()}
        abstain = float(raw["abstain_below"])
        settings = {str(k): float(v) for k, v in raw.get("settings", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(
            f"{origin}: expected JSON with 'prior' and 'context' weight objects and "
            f"'abstain_below'; {exc!r}"
        ) from exc
    return Weights(prior, context, abstain, settings)
