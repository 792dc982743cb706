"""Candidates and their features for the toponym resolver.

A text's mentions are grouped into *units*, one per distinct name key (one place per name per
text). Each unit gets its gazetteer candidates (``gazetteer.lookup``; else the demonym's country;
else ``gazetteer.fuzzy`` above a threshold) and two feature matrices:

* prior features, which need no context: log population (of towns and sites only: areas are
  weighed by their kind, so the scorer does not depend on whether a gazetteer gives areas a
  population) and its gap to the most populous same-named town, feature kind (regions and water
  apart), capital/seat, whether the name is the entry's main name (by key, and spelled as
  written), how many names the entry is known by (a proxy for how widely it is written about:
  Geneva in Switzerland has scores, Geneva in Illinois a few), fuzzy distance, and whether the
  kind agrees with the cue ("the city of Aleppo" vs "Aleppo governorate");
* context features, computed from the other units' current probabilities: the text's country
  and admin1 focus (plus countries its demonyms name), proximity to the other places (for towns
  and sites; an area's centroid says little about nearness), the
  "A in B" / "A, B" / "A near B" relation, and agreement between "A (B)" alternates.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from eventatlas.geo.normalise import fold, name_key
from eventatlas.geo.protocols import GazetteerLike
from eventatlas.geo.recognise import Mention
from eventatlas.geo.rules import GeoRules
from eventatlas.records import GazetteerEntry

Matrix = npt.NDArray[np.float64]

PRIOR_FEATURES = (
    "log_pop", "country", "admin1", "admin2", "city", "village", "other", "capital", "seat",
    "primary", "fuzzy_gap", "hint_match", "hint_clash", "demonym", "namesake", "region",
    "exact", "top_pop", "log_names",
)  # fmt: skip
CONTEXT_FEATURES = (
    "country_focus", "admin1_focus", "named_country", "proximity", "related", "alt_agree",
    "named_admin1",
)  # fmt: skip
ALL_FEATURES = PRIOR_FEATURES + CONTEXT_FEATURES

_AREA = frozenset({"country", "admin1", "admin2", "region", "water"})
_COMPATIBLE = {
    "city": {"city", "village"},
    "village": {"village", "city"},
    "admin1": {"admin1", "region"},
    "region": {"region", "admin1", "admin2"},
    "admin2": {"admin2"},
    "site": {"site"},
    "water": {"water"},
    "road": {"road"},
}
_RANK = {"country": 0, "admin1": 1, "admin2": 2, "city": 3}
EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Unit:
    """All mentions of one name key in a text, with the candidates for the place they name."""

    key: str
    mentions: tuple[int, ...]  # indices into the text's mention list
    entries: tuple[GazetteerEntry, ...]
    prior: Matrix = field(compare=False, repr=False)  # len(entries) x len(PRIOR_FEATURES)
    related: tuple[tuple[int, str], ...] = ()  # (unit index, relation)
    group_units: tuple[int, ...] = ()  # units written as alternates of this one
    coords: Matrix = field(default_factory=lambda: np.zeros((0, 2)), compare=False, repr=False)


def build_units(
    mentions: Sequence[Mention], gazetteer: GazetteerLike, rules: GeoRules
) -> list[Unit]:
    """One unit per distinct key, with candidates and prior features."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_key[m.key].append(i)
    keys = list(by_key)
    index = {k: u for u, k in enumerate(keys)}
    units = []
    for key in keys:
        members = [mentions[i] for i in by_key[key]]
        entries, gaps, demonym = _candidates(key, members, gazetteer, rules)
        units.append(
            Unit(
                key, tuple(by_key[key]), tuple(entries),
                _prior_matrix(key, members, entries, gaps, demonym),
                _relations(members, mentions, index, key),
                _group_units(members, mentions, index, key),
                np.radians(np.array([[e.lat, e.lon] for e in entries], dtype=float).reshape(-1, 2)),
            )
        )  # fmt: skip
    return units


def _candidates(
    key: str, members: list[Mention], gazetteer: GazetteerLike, rules: GeoRules
) -> tuple[list[GazetteerEntry], list[float], str | None]:
    """Candidates: an alias's area; else key look-up plus a demonym's country; else fuzzy."""
    area = next((rules.aliases[m.text] for m in members if m.text in rules.aliases), None)
    if area is not None:
        iso, admin1 = area
        entry = gazetteer.admin1(iso, admin1) if admin1 else gazetteer.country(iso)
        if entry is not None:
            return [entry], [0.0], None
    demonym = next(
        (rules.demonyms[t] for m in members if (t := m.text.lower()) in rules.demonyms), None
    )
    entries = gazetteer.lookup(key) if key else []
    if demonym and (country := gazetteer.country(demonym)) is not None:
        entries = [country, *(e for e in entries if e.id != country.id)]
    gaps = [0.0] * len(entries)
    if not entries and len(key) >= rules.weights.setting("fuzzy_min_chars", 5):
        found = gazetteer.fuzzy(
            key,
            limit=int(rules.weights.setting("fuzzy_limit", 10)),
            min_score=rules.weights.setting("fuzzy_min_score", 0.9),
        )
        entries, gaps = [e for e, _ in found], [1.0 - s for _, s in found]
    limit = int(rules.weights.setting("max_candidates", 60))
    if len(entries) > limit:
        order = sorted(range(len(entries)), key=lambda i: _prominence(entries[i]))[:limit]
        entries, gaps = [entries[i] for i in order], [gaps[i] for i in order]
    return entries, gaps, demonym


def _prominence(entry: GazetteerEntry) -> tuple[int, int]:
    return _RANK.get(entry.feature, 4), -entry.population


def _prior_matrix(
    key: str,
    members: list[Mention],
    entries: list[GazetteerEntry],
    gaps: list[float],
    demonym: str | None,
) -> Matrix:
    hints = {m.hint for m in members if m.hint}
    towns = {
        (e.country, e.admin1)
        for e in entries
        if e.feature == "city" or (e.feature == "village" and name_key(e.name) == key)
    }
    written = {fold(m.text) for m in members}
    pops = [
        0.0 if e.feature in _AREA else math.log10(1 + max(e.population, 0)) / 7.0 for e in entries
    ]
    top = max((p for p, e in zip(pops, entries, strict=True) if e.feature not in _AREA), default=0)
    rows = []
    for entry, gap, pop in zip(entries, gaps, pops, strict=True):
        kind = entry.feature
        code = entry.feature_code.upper()
        fits = [kind in _COMPATIBLE.get(h, {h}) for h in hints]
        rows.append([
            pop, kind == "country", kind == "admin1", kind == "admin2", kind == "city",
            kind == "village", kind in ("site", "road"),
            code == "PPLC", code.startswith("PPLA"),
            name_key(entry.name) == key, gap,
            bool(fits) and any(fits), bool(fits) and not any(fits),
            demonym is not None and kind == "country" and entry.country == demonym,
            kind == "admin1" and (entry.country, entry.admin1) in towns,
            kind in ("region", "water"), fold(entry.name) in written,
            0.0 if kind in _AREA else pop - top,
            math.log10(1 + entry.names) / 3.0,
        ])  # fmt: skip
    return np.array(rows, dtype=float).reshape(-1, len(PRIOR_FEATURES))


def _relations(
    members: list[Mention], mentions: Sequence[Mention], index: dict[str, int], key: str
) -> tuple[tuple[int, str], ...]:
    found: dict[int, str] = {}
    for m in members:
        if m.related is not None and m.relation and mentions[m.related].key != key:
            found.setdefault(index[mentions[m.related].key], m.relation)
    return tuple(found.items())


def _group_units(
    members: list[Mention], mentions: Sequence[Mention], index: dict[str, int], key: str
) -> tuple[int, ...]:
    groups = {m.group for m in members if m.group is not None}
    return tuple(sorted({index[o.key] for o in mentions if o.group in groups and o.key != key}))


# --- context ------------------------------------------------------------------------------


def softmax(scores: Matrix) -> Matrix:
    if scores.size == 0:
        return scores
    shifted = np.exp(scores - scores.max())
    out: Matrix = shifted / shifted.sum()
    return out


def context_matrix(
    units: Sequence[Unit], probs: Sequence[Matrix], countries: Sequence[str], rules: GeoRules
) -> list[Matrix]:
    """Prior and context features side by side, one matrix per unit."""
    sigma = rules.weights.setting("proximity_km", 150.0)
    mass, admin_mass = _focus(units, probs)
    named, named_a1 = _named_areas(units, probs, countries)
    anchors = _anchors(units, probs)
    out = []
    for u, unit in enumerate(units):
        n = len(unit.entries)
        if n == 0:
            out.append(np.zeros((0, len(ALL_FEATURES))))
            continue
        own_c, own_a = _own_mass(unit, probs[u])
        total = sum(mass.values()) - sum(own_c.values()) + 1.0
        ctx = np.zeros((n, len(CONTEXT_FEATURES)))
        for i, e in enumerate(unit.entries):
            ctx[i, 0] = (mass.get(e.country, 0.0) - own_c.get(e.country, 0.0)) / total
            akey = (e.country, e.admin1)
            if e.admin1 and e.feature != "country":
                ctx[i, 1] = (admin_mass.get(akey, 0.0) - own_a.get(akey, 0.0)) / total
            ctx[i, 2] = e.country in named and named[e.country] != {u}
            if e.admin1 and e.feature != "country":
                ctx[i, 6] = akey in named_a1 and named_a1[akey] != {u}
        point = np.array([e.feature not in _AREA for e in unit.entries], dtype=float)
        ctx[:, 3] = point * _proximity(unit, [a for v, a in anchors.items() if v != u], sigma)
        ctx[:, 4] = _related(unit, units, probs)
        ctx[:, 5] = _alt_agree(unit, units, probs)
        out.append(np.hstack([unit.prior, ctx]))
    return out


def _focus(
    units: Sequence[Unit], probs: Sequence[Matrix]
) -> tuple[dict[str | None, float], dict[tuple[str | None, str | None], float]]:
    mass: dict[str | None, float] = defaultdict(float)
    admin: dict[tuple[str | None, str | None], float] = defaultdict(float)
    for unit, p in zip(units, probs, strict=True):
        for e, q in zip(unit.entries, p, strict=True):
            if e.feature == "country":  # a country named says little of where its towns are:
                continue  # "the US envoy" in a story about Syria (named_country counts it)
            mass[e.country] += float(q)
            if e.admin1:
                admin[(e.country, e.admin1)] += float(q)
    return mass, admin


def _own_mass(
    unit: Unit, p: Matrix
) -> tuple[dict[str | None, float], dict[tuple[str | None, str | None], float]]:
    return _focus([unit], [p])


def _named_areas(
    units: Sequence[Unit], probs: Sequence[Matrix], countries: Sequence[str]
) -> tuple[dict[str | None, set[int]], dict[tuple[str | None, str | None], set[int]]]:
    """Countries and admin1 areas the text names (by unit; demonyms count as unit -1)."""
    named: dict[str | None, set[int]] = defaultdict(set)
    named_a1: dict[tuple[str | None, str | None], set[int]] = defaultdict(set)
    for c in countries:
        named[c].add(-1)
    for u, (unit, p) in enumerate(zip(units, probs, strict=True)):
        for e, q in zip(unit.entries, p, strict=True):
            if e.feature in ("country", "admin1") and q >= 0.5:
                named[e.country].add(u)
            if e.feature == "admin1" and q >= 0.5:
                named_a1[(e.country, e.admin1)].add(u)
    return named, named_a1


def _anchors(units: Sequence[Unit], probs: Sequence[Matrix]) -> dict[int, tuple[Matrix, Matrix]]:
    """Per unit: coordinates (radians) and probabilities of its likely point-like candidates."""
    out = {}
    for u, (unit, p) in enumerate(zip(units, probs, strict=True)):
        keep = [
            i for i in np.argsort(-p)[:3] if p[i] >= 0.1 and unit.entries[i].feature not in _AREA
        ]
        if keep:
            out[u] = (unit.coords[keep], p[keep])
    return out


def km_between(a: Matrix, b: Matrix) -> Matrix:
    """Great-circle distances (km) between rows of ``a`` and rows of ``b`` (radians lat, lon)."""
    lat1, lon1 = a[:, :1], a[:, 1:2]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    out: Matrix = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def _proximity(unit: Unit, anchors: list[tuple[Matrix, Matrix]], sigma: float) -> Matrix:
    """Mean over the other names of the best ``P * exp(-km / sigma)`` among their candidates."""
    if not anchors:
        return np.zeros(len(unit.entries))
    coords = np.vstack([c for c, _ in anchors])
    probs = np.concatenate([p for _, p in anchors])
    starts = np.cumsum([0] + [len(p) for _, p in anchors[:-1]])
    near = np.exp(-km_between(unit.coords, coords) / sigma) * probs[None, :]
    out: Matrix = np.maximum.reduceat(near, starts, axis=1).sum(axis=1) / len(anchors)
    return out


def _related(unit: Unit, units: Sequence[Unit], probs: Sequence[Matrix]) -> Matrix:
    out = np.zeros(len(unit.entries))
    for v, relation in unit.related:
        other = units[v]
        if not other.entries:
            continue
        dist = km_between(unit.coords, other.coords)
        limit = 60.0 if relation == "near" else 150.0
        for i, e in enumerate(unit.entries):
            fits = [_inside(e, k) or dist[i, j] <= limit for j, k in enumerate(other.entries)]
            out[i] = max(out[i], float(np.dot(np.array(fits, dtype=float), probs[v])))
    return out


def _inside(e: GazetteerEntry, k: GazetteerEntry) -> bool:
    if k.feature == "country":
        return e.country == k.country
    if k.feature == "admin1":
        return e.country == k.country and e.admin1 == k.admin1 and e.feature != "country"
    return False


def _alt_agree(unit: Unit, units: Sequence[Unit], probs: Sequence[Matrix]) -> Matrix:
    out = np.zeros(len(unit.entries))
    for v in unit.group_units:
        other = units[v]
        if other.entries:
            close = km_between(unit.coords, other.coords) <= 25.0
            out = np.maximum(out, close.astype(float) @ probs[v])
    return out
