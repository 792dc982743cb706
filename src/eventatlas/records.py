"""Typed records handed between pipeline stages.

Every record crossing a stage boundary is a frozen dataclass defined here; no loose dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

DocKind = Literal["text", "html"]
PublishedSource = Literal["metadata", "text", "url", "inferred"]
# How an article's text was cleaned: "page" (a web page or plain-text page: boilerplate removed),
# "body" (an article body given by structured input: only boilerplate segments removed, never
# prose), "kept" (cleaning would have removed most of a text that holds prose, so it was kept
# whole: worth a look).
Cleaning = Literal["page", "body", "kept"]
OutletType = Literal["wire", "state-affiliated", "independent", "monitor", "aggregator"]


@dataclass(frozen=True)
class Given:
    """Fields given by structured input (JSONL, CSV, feeds, WARC); they win over detection."""

    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class RawDocument:
    """One article as a reader found it: decoded content, not yet cleaned.

    ``source`` names where it came from so a person can find it again: a path, a URL,
    ``path:LINE`` for a JSON Lines / CSV row, ``path#N`` for the N-th feed entry or WARC record,
    ``-`` for standard input.
    """

    source: str
    kind: DocKind
    content: str
    given: Given = field(default_factory=Given)
    encoding: str | None = None
    body: bool = False  # content is an article body given by structured input, not a page


@dataclass(frozen=True)
class Rejection:
    """An input that could not be turned into an article, with a reason a person can act on."""

    source: str
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """The body of a page with boilerplate removed, and the title if the page showed one."""

    text: str
    title: str | None = None
    cleaning: Cleaning = "page"


@dataclass(frozen=True)
class Outlet:
    """A news outlet from the registry (``data/outlets.csv`` plus user additions)."""

    name: str
    domains: tuple[str, ...]
    country: str | None
    type: OutletType
    basis: str
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metadata:
    """What was detected about a document besides its body."""

    outlet: str | None
    title: str | None
    published: dt.date | None
    published_source: PublishedSource | None
    language: str
    url: str | None = None  # the page's own URL when the page states it (canonical link, og:url)


@dataclass(frozen=True)
class Place:
    """A toponym found in a text (filled by the geoparser; empty until it lands)."""

    name: str
    start: int
    end: int
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    feature: str | None = None
    # "location": the place itself; "seat": it stands for a government or organisation ("the
    # Damascus government", "Washington said", "US-led"); "descriptor": where an entity is based
    # or from ("Britain-based"). Only a location can be where an event happened.
    role: str = "location"


@dataclass(frozen=True)
class Article:
    """A cleaned, dated, attributed article as stored."""

    id: str
    source: str
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None
    published_source: PublishedSource | None
    language: str
    text: str
    content_hash: str
    places: tuple[Place, ...] = ()
    duplicate_of: str | None = None
    cleaning: Cleaning = "page"


FeatureKind = Literal[
    "country", "admin1", "admin2", "city", "village", "site", "region", "water", "road"
]


@dataclass(frozen=True)
class GazetteerEntry:
    """One place the gazetteer knows (GeoNames row, registry row or supplement row)."""

    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO-3166 alpha-2
    admin1: str | None  # GeoNames admin1 code within the country, e.g. "08"
    feature: FeatureKind
    feature_code: str  # GeoNames feature code (PPL, PPLA, ADM1, PCLI, OILF, ...) or ours
    population: int
    source: str  # provenance: "geonames-cities500", "geonames-dump:SY.txt", "supplement", ...
    id: str = ""  # stable gazetteer-local id ("gn:<geonameid>" or "sup:<slug>")
    names: int = 0  # distinct name keys it is known by: how widely it is written about


EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "REJECT", "ACCUSE", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip
EventStatus = Literal[
    "reported", "claimed", "denied", "disputed", "planned", "threatened", "historical"
]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
Stance = Literal["asserts", "denies"]


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted on, resolved to a canonical name (ISO-3166 alpha-3, sector code)."""

    name: str
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class EventDate:
    """When an event happened: an interval and how precisely the text dates it."""

    start: dt.date | None
    end: dt.date | None
    precision: DatePrecision


@dataclass(frozen=True)
class AcledType:
    event_type: str
    sub_event_type: str


@dataclass(frozen=True)
class ArticleInfo:
    """What the event stage knows of the article a parsed document comes from."""

    id: str
    published: dt.date | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class EventMention:
    """One event as one article reports it, with its evidence sentence."""

    id: str  # content hash of article, evidence offsets and type
    article_id: str
    type: EventType
    mode: str | None
    acled: AcledType | None
    date: EventDate
    actors: tuple[Actor, ...]
    recipients: tuple[Actor, ...]
    location: Place | None
    geo_precision: int | None
    status: EventStatus
    attributed_to: str | None
    stance: Stance
    quote: str
    start: int  # character offsets of the evidence sentence in the article text
    end: int
    trigger: str  # the word or phrase that names the event
    confidence: float
    outlet: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class Sources:
    """How many articles, outlets and independent sources stand behind an event."""

    articles: int
    outlets: int
    independent: int


@dataclass(frozen=True)
class Event:
    """One real-world event: the mentions of every article that reports (or denies) it."""

    id: str
    type: EventType
    mode: str | None
    acled: AcledType | None
    date: EventDate
    actors: tuple[Actor, ...]
    recipients: tuple[Actor, ...]
    location: Place | None
    geo_precision: int | None
    status: EventStatus
    mentions: tuple[EventMention, ...]
    sources: Sources
