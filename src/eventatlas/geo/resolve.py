"""Resolve place mentions to gazetteer entries, in the context of the whole text.

A linear scorer over the features of :mod:`eventatlas.geo.features` with the weights of
``data/geo_weights.json``: a context-free pass (``prior`` weights) gives each name's candidates
a probability; then ``rounds`` passes with the ``context`` weights let the names inform each other
(country and admin1 focus, proximity, "A in B", alternates). The best candidate wins unless its
score is below ``abstain_below``: then the mention keeps its name and offsets with a null
geonameid/lat/lon rather than a guess. A name with no candidate never affects the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from eventatlas.geo.features import (
    ALL_FEATURES,
    PRIOR_FEATURES,
    Matrix,
    Unit,
    build_units,
    context_matrix,
    softmax,
)
from eventatlas.geo.protocols import GazetteerLike
from eventatlas.geo.recognise import Mention, Recognition
from eventatlas.geo.rules import GeoRules, Weights, geo_rules
from eventatlas.records import GazetteerEntry, Place

log = logging.getLogger(__name__)

_COL = {name: i for i, name in enumerate(ALL_FEATURES)}
_AREAS = frozenset({"country", "admin1", "admin2", "region", "water"})
_TOWN_POPULATION = 10_000
_KINDS = {"admin1": ("admin1",), "city": ("city", "village"), "village": ("village", "city")}


@dataclass(frozen=True)
class Choice:
    """The resolver's decision for one unit (all mentions of one name)."""

    entry: GazetteerEntry | None  # None: abstained or no candidate
    score: float | None
    candidates: int
    best: int | None = None  # row of the best candidate


def resolve(
    recognition: Recognition, gazetteer: GazetteerLike, rules: GeoRules | None = None
) -> list[Place]:
    """One :class:`Place` per mention, in the mentions' order, less the tentative mentions
    (names found by the gazetteer matcher alone) whose place does not fit the other places."""
    rules = rules or geo_rules()
    mentions = recognition.mentions
    units = build_units(mentions, gazetteer, rules)
    matrices = final_features(units, recognition.countries, rules)
    context = sum(bool(u.entries) for u in units) > 1
    choices = [
        choose(unit, m, rules.weights, context) for unit, m in zip(units, matrices, strict=True)
    ]
    choices = _fill_alternates(units, choices)
    by_mention: dict[int, GazetteerEntry | None] = {}
    for unit, choice, matrix in zip(units, choices, matrices, strict=True):
        if not _keep(unit, choice, matrix, mentions, rules.weights):
            continue
        for i in unit.mentions:
            by_mention[i] = _as_cued(unit, choice.entry, mentions[i])
    return [to_place(m, by_mention[i]) for i, m in enumerate(mentions) if i in by_mention]


def _as_cued(unit: Unit, entry: GazetteerEntry | None, mention: Mention) -> GazetteerEntry | None:
    """One place per name per text, but a mention whose cue names another kind takes that kind
    of the same place: "Idlib province" is the province where the text's "Idlib" is the city,
    "the city of Idlib" the city where it is the province. (A bare name beside a cued one keeps
    the text's one sense: made the town, it lost on the places gold's train split.)"""
    if entry is None or mention.hint is None or entry.feature in _KINDS.get(mention.hint, ()):
        return entry
    for other in unit.entries:
        if other.feature in _KINDS.get(mention.hint, ()) and _same_area(entry, other):
            return other
    return entry


def _same_area(a: GazetteerEntry, b: GazetteerEntry) -> bool:
    """A town and the first-level division it lies in (either way round)."""
    return a.country == b.country and a.admin1 is not None and a.admin1 == b.admin1


def _keep(
    unit: Unit, choice: Choice, matrix: Matrix, mentions: Sequence[Mention], weights: Weights
) -> bool:
    """Tentative names must fit the other places; a name no gazetteer entry matches is kept
    only when a cue said what it is ("the village of X"), it was given, or it has an alternate."""
    members = [mentions[i] for i in unit.mentions]
    if all(m.tentative for m in members):
        return _fits(choice, matrix, weights)
    if not unit.entries and choice.entry is None:
        return any(m.hint or m.source == "given" or m.group is not None for m in members)
    return True


def _fits(choice: Choice, matrix: Matrix, weights: Weights) -> bool:
    """Whether a tentative name's place sits among the text's other places."""
    if choice.entry is None or choice.best is None or choice.entry.feature in _AREAS:
        return False
    row = matrix[choice.best]
    return bool(
        row[_COL["named_admin1"]] > 0
        or row[_COL["related"]] >= 0.5
        or row[_COL["proximity"]] >= weights.setting("tentative_proximity", 0.3)
        or row[_COL["admin1_focus"]] >= weights.setting("tentative_admin1_focus", 0.3)
    )


def final_features(
    units: Sequence[Unit], countries: Sequence[str], rules: GeoRules
) -> list[Matrix]:
    """Every unit's full feature matrix after the prior pass and the context rounds."""
    weights = rules.weights
    prior_w = _vector(weights.prior, PRIOR_FEATURES)
    probs = [softmax(u.prior @ prior_w) for u in units]
    context_w = _vector(weights.context, ALL_FEATURES)
    rounds = max(1, int(weights.setting("rounds", 2)))
    matrices: list[Matrix] = []
    for round_ in range(rounds):
        matrices = context_matrix(units, probs, countries, rules)
        if round_ + 1 < rounds:
            probs = [softmax(m @ context_w) for m in matrices]
    return matrices


def choose(unit: Unit, matrix: Matrix, weights: Weights, context: bool = True) -> Choice:
    """The best-scoring candidate, or an abstention: when it scores below ``abstain_below``
    while the text's other places point elsewhere (no country focus on it). When a cue names
    a kind of place and some candidate is of that kind, the others are out."""
    if not unit.entries:
        return Choice(None, None, 0)
    scores = matrix @ _vector(weights.context, ALL_FEATURES)
    if matrix[:, _COL["hint_match"]].any():  # "Aleppo governorate": only kinds the cue allows
        scores = np.where(matrix[:, _COL["hint_clash"]] > 0, -np.inf, scores)
    best = _town_over_namesake(unit, matrix, int(np.argmax(scores)), weights)
    score = float(scores[best])
    elsewhere = context and matrix[best, _COL["country_focus"]] < weights.setting(
        "abstain_focus", 0.1
    )
    if score < weights.abstain_below and elsewhere:
        log.debug("abstained on %r: best %s scores %.2f", unit.key, unit.entries[best].name, score)
        return Choice(None, score, len(unit.entries), best)
    if _far_guess(matrix[best], weights, context):
        log.debug("abstained on %r: %s is a spelling guess abroad", unit.key, unit.entries[best])
        return Choice(None, score, len(unit.entries), best)
    return Choice(unit.entries[best], score, len(unit.entries), best)


def _far_guess(row: Matrix, weights: Weights, context: bool) -> bool:
    """A candidate found only by fuzzy spelling, in a country the text neither names nor is
    about: not evidence enough. (The same test on every small place abroad cost LGL's local
    news more than it gained; measured on the dev halves.)"""
    if not context or row[_COL["fuzzy_gap"]] <= 0 or row[_COL["named_country"]]:
        return False
    return bool(row[_COL["country_focus"]] < weights.setting("abstain_focus", 0.1))


def _town_over_namesake(unit: Unit, matrix: Matrix, best: int, weights: Weights) -> int:
    """A bare name shared by a first-level division and a town in it means the town (ACLED's
    usage: "Aleppo" is the city, "Aleppo governorate" the province), and one shared by a division
    and its country's capital means the capital ("Washington"); a cue can say otherwise. Only
    towns whose own name it is count (:func:`_own_name`)."""
    if not weights.setting("prefer_town_namesake", 1.0) or matrix[best, _COL["hint_match"]]:
        return best
    area = unit.entries[best]
    if area.feature != "admin1":
        return best
    towns = [
        i
        for i, e in enumerate(unit.entries)
        if _own_name(e, matrix[i])
        and e.country == area.country
        and (e.admin1 == area.admin1 or e.feature_code.upper() == "PPLC")
    ]
    return max(towns, key=lambda i: unit.entries[i].population) if towns else best


def _own_name(entry: GazetteerEntry, row: Matrix) -> bool:
    """A town whose own name this is: spelled as written, a capital, a town of 10,000 people
    known by the name ("Deraa" for Daraa, "New York"), or a village whose main name has the same
    key; not a small seat that merely shares the key (Minneota, 1,363 people, for "Minnesota")."""
    if entry.feature not in ("city", "village"):
        return False
    if row[_COL["exact"]] or entry.feature_code.upper() == "PPLC":
        return True
    if entry.population >= _TOWN_POPULATION:
        return True
    return entry.feature == "village" and bool(row[_COL["primary"]])


def _fill_alternates(units: Sequence[Unit], choices: list[Choice]) -> list[Choice]:
    """A name written as an alternate of a resolved one ("A (B)") takes its resolution."""
    out = list(choices)
    for u, unit in enumerate(units):
        if out[u].entry is not None:
            continue
        for v in unit.group_units:
            if choices[v].entry is not None:
                out[u] = choices[v]
                break
    return out


def _vector(weights: dict[str, float], names: Sequence[str]) -> Matrix:
    return np.array([weights.get(name, 0.0) for name in names], dtype=float)


def to_place(mention: Mention, entry: GazetteerEntry | None) -> Place:
    if entry is None:
        return Place(mention.text, mention.start, mention.end, role=mention.role)
    return Place(
        mention.text, mention.start, mention.end, entry.geonameid,
        entry.lat, entry.lon, entry.country, entry.feature, mention.role,
    )  # fmt: skip
