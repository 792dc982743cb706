"""The geoparser's rules and weights as data: cue words, stop-list, demonyms, scoring weights.

:func:`geo_rules` reads the packaged files once, on first use (``data/geo_cues.csv``,
``data/geo_stoplist.csv``, ``data/geo_demonyms.csv``, ``data/geo_weights.json``); tests and the
weight-fitting script build :class:`GeoRules` from other files with :func:`load_geo_rules`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from eventatlas.datafiles import (
    Schema,
    packaged_name,
    packaged_text,
    parse_csv,
    parse_json,
    user_text,
)
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


CUES = Schema(("side", "phrase", "hint", "precision", "strength"), True, filled=("phrase",))
STOPLIST = Schema(("word", "kind"), provenance=True, filled=("word",))
DEMONYMS = Schema(("demonym", "country"), provenance=True)
ALIASES = Schema(("alias", "country", "admin1"), provenance=True)
_FIX_CUE = "fix the row (see the column notes at the top of the file)"


@functools.cache
def geo_rules() -> GeoRules:
    """The packaged rules, read once on first use."""

    def read(name: str) -> tuple[str, str]:
        return packaged_text(name), packaged_name(name)

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
    return replace(rules, weights=parse_weights(user_text(weights), str(weights)))


def parse_cues(
    text: str, origin: str
) -> tuple[dict[tuple[str, ...], Cue], dict[tuple[str, ...], Cue]]:
    """Rows ``side,phrase,hint,precision,strength,provenance`` into left and right cue tables."""
    left: dict[tuple[str, ...], Cue] = {}
    right: dict[tuple[str, ...], Cue] = {}
    for row in parse_csv(text, origin, CUES):
        side, hint = row["side"], row["hint"] or None
        precision, strength = row["precision"], row["strength"]
        if side not in ("left", "right"):
            raise row.error(expected="side left or right", got=repr(side), fix=_FIX_CUE)
        if hint is not None and hint not in FEATURE_KINDS:
            kinds = ", ".join(sorted(FEATURE_KINDS))
            raise row.error(expected=f"hint one of {kinds} or nothing", got=repr(hint))
        if precision not in ("", "1", "2", "3"):
            raise row.error(expected="precision 1, 2, 3 or nothing", got=repr(precision))
        if strength not in ("strong", "weak"):
            raise row.error(expected="strength strong or weak", got=repr(strength), fix=_FIX_CUE)
        words = tuple(row["phrase"].lower().split())
        cue = Cue(side, words, hint, int(precision) if precision else None, strength == "strong")
        (left if side == "left" else right)[words] = cue
    return left, right


def parse_stoplist(text: str, origin: str) -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {kind: set() for kind in STOP_KINDS}
    for row in parse_csv(text, origin, STOPLIST):
        if row["kind"] not in kinds:
            raise row.error(expected=f"kind one of {', '.join(STOP_KINDS)}", got=repr(row["kind"]))
        kinds[row["kind"]].add(row["word"].lower())
    return {kind: frozenset(words) for kind, words in kinds.items()}


def parse_demonyms(text: str, origin: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in parse_csv(text, origin, DEMONYMS):
        word, country = row["demonym"], row["country"]
        if not word or not _is_iso2(country):
            raise row.error(
                expected="a demonym and an ISO-3166 alpha-2 code", got=repr(f"{word},{country}")
            )
        out[word.lower()] = country
    return out


def parse_aliases(text: str, origin: str) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for row in parse_csv(text, origin, ALIASES):
        alias, country = row["alias"], row["country"]
        if not alias or not _is_iso2(country):
            raise row.error(
                expected="an alias, an ISO-3166 alpha-2 code and an optional admin1 code",
                got=repr(f"{alias},{country}"),
            )
        out[alias] = (country, row["admin1"] or None)
    return out


def _is_iso2(code: str) -> bool:
    return len(code) == 2 and code.isupper()


def parse_weights(text: str, origin: str) -> Weights:
    raw: Any = parse_json(text, origin)
    try:
        prior = {str(k): float(v) for k, v in raw["prior"].items()}
        context = {str(k): float(v) for k, v in raw["context"].items()}
        abstain = float(raw["abstain_below"])
        settings = {str(k): float(v) for k, v in raw.get("settings", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(
            file=origin,
            expected="JSON with 'prior' and 'context' objects of numbers and 'abstain_below'",
            got=repr(exc),
            fix="refit it with scripts/fit_geo_weights.py",
        ) from exc
    return Weights(prior, context, abstain, settings)
