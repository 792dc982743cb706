"""Runs the stages over batches of records. Stages keep no hidden global state.

ingest: read → decode → extract body (HTML extractor / plain-text cleaner) → metadata
→ content-hash id → near-duplicate link → store (one transaction per article).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from eventatlas import registry
from eventatlas.errors import EventAtlasError
from eventatlas.geo.protocols import GazetteerLike
from eventatlas.ingest.clean import TextCleaner
from eventatlas.ingest.metadata import detect_metadata
from eventatlas.ingest.outlets import OutletRegistry, load_outlets
from eventatlas.ingest.readers import read_sources
from eventatlas.protocols import Extractor, Parser
from eventatlas.records import (
    Article,
    ArticleInfo,
    CleanedText,
    EventMention,
    Place,
    RawDocument,
    Rejection,
)
from eventatlas.settings import Settings
from eventatlas.store.sql import SqlStore

if TYPE_CHECKING:  # datasketch loads scipy: only the ingest stage pays for it
    from eventatlas.ingest import dedupe

log = logging.getLogger(__name__)

HtmlExtractor = Callable[[str, str | None, bool], CleanedText]


@dataclass(frozen=True)
class IngestResources:
    """What ingest needs, loaded once per run and passed in."""

    clean_text: TextCleaner
    extract_html: HtmlExtractor
    outlets: OutletRegistry


def load_ingest_resources(settings: Settings) -> IngestResources:
    outlets_file = Path(settings.outlets_file) if settings.outlets_file else None
    return IngestResources(
        clean_text=registry.get("cleaners", settings.cleaner)(),
        extract_html=registry.get("html_extractors", settings.html_extractor)(),
        outlets=load_outlets(outlets_file),
    )


@dataclass
class IngestReport:
    """What one ingest run did."""

    stored: list[Article] = field(default_factory=list)
    already_stored: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def linked_copies(self) -> int:
        return sum(1 for a in self.stored if a.duplicate_of)


_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode and whitespace normalised."""
    norm = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def article_id(given_id: str | None, url: str | None, outlet: str | None, digest: str) -> str:
    """The given id if the input had one; else a hash of where it was published and its text.

    The same text ingested twice gets the same id; a syndicated copy in another outlet does not.
    """
    if given_id:
        return given_id
    origin = f"url:{url}" if url else f"outlet:{outlet or ''}"
    return hashlib.sha256(f"{origin}\n{digest}".encode()).hexdigest()[:24]


def clean_document(raw: RawDocument, res: IngestResources) -> CleanedText:
    """The body of one document: HTML through the extractor, text through the cleaner (a given
    body in body mode); raises when nothing with words is left."""
    if raw.kind == "html":
        cleaned = res.extract_html(raw.content, raw.given.url, raw.body)
    else:
        cleaned = res.clean_text(raw.content, True if raw.body else None)  # None: let it decide
    if not cleaned.text.strip():
        raise _NoBody(raw.source)
    if cleaned.cleaning == "kept":
        log.warning(
            "%s: cleaning would have removed most of its prose; kept whole (cleaning=kept)",
            raw.source,
        )
    return cleaned


def build_article(raw: RawDocument, res: IngestResources) -> Article:
    """Clean, describe and identify one document (no store access)."""
    cleaned = clean_document(raw, res)
    meta = detect_metadata(raw, cleaned, res.outlets)
    digest = content_hash(cleaned.text)
    url = raw.given.url or meta.url
    return Article(
        id=article_id(raw.given.id, url, meta.outlet, digest),
        source=raw.source,
        url=url,
        outlet=meta.outlet,
        title=meta.title,
        published=meta.published,
        published_source=meta.published_source,
        language=meta.language,
        text=cleaned.text,
        content_hash=digest,
        cleaning=cleaned.cleaning,
    )


class _NoBody(EventAtlasError):
    def __init__(self, source: str) -> None:
        self.source = source
        self.reason = (
            "no text found: the input holds no words once markup is removed; "
            "give the article's text or html"
        )
        super().__init__(f"{source}: {self.reason}")


def _store_one(
    raw: RawDocument,
    res: IngestResources,
    store: SqlStore,
    index: dedupe.NearDuplicateIndex,
    report: IngestReport,
) -> None:
    try:
        article = build_article(raw, res)
    except _NoBody as exc:
        report.rejections.append(Rejection(raw.source, exc.reason))
        return
    except (EventAtlasError, ValueError) as exc:
        report.rejections.append(Rejection(raw.source, f"could not be processed: {exc}"))
        return
    if store.has_article(article.id):
        conflict = _id_conflict(store, article)
        if conflict is None:
            report.already_stored += 1
        else:
            report.rejections.append(Rejection(raw.source, conflict))
        return
    from eventatlas.ingest import dedupe

    sig = dedupe.signature(article.text)
    original = index.original_of(sig)
    article = _with_duplicate(article, original)
    if store.add_article(article, dedupe.to_bytes(sig)):
        report.stored.append(article)
        if original is None:
            index.add(article.id, sig)
    else:
        report.already_stored += 1


def _id_conflict(store: SqlStore, article: Article) -> str | None:
    """Why ``article``, whose id is stored already, cannot be stored: another text has the id
    (a reused given id). None when the stored text is this one."""
    stored = next(iter(store.iter_articles(ids=[article.id])), None)
    if stored is None or stored.content_hash == article.content_hash:
        return None
    return (
        f"id {article.id!r} is already stored with a different text (from {stored.source}); "
        "give this article another id, or leave id out to have one made from its text"
    )


def _with_duplicate(article: Article, original: str | None) -> Article:
    if original is None or original == article.id:
        return article
    return replace(article, duplicate_of=original)


def ingest(
    specs: Iterable[str],
    settings: Settings,
    store: SqlStore,
    *,
    resources: IngestResources | None = None,
    stdin: BinaryIO | None = None,
    on_item: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest every article under ``specs`` into ``store``; bad inputs are reported, not raised."""
    res = resources or load_ingest_resources(settings)
    from eventatlas.ingest import dedupe

    index = dedupe.NearDuplicateIndex(settings.near_duplicate_threshold)
    index.load((s.article_id, s.signature) for s in store.signatures())
    report = IngestReport()
    for item in read_sources(list(specs), settings, stdin=stdin):
        if isinstance(item, Rejection):
            report.rejections.append(item)
            log.info("rejected %s: %s", item.source, item.reason)
        else:
            _store_one(item, res, store, index, report)
        if on_item is not None:
            on_item(item.source)
    return report


@dataclass(frozen=True)
class ProcessResources:
    """What the processing stages need: the spaCy pipeline, the gazetteer, and the event
    extractor with its resources (None: geoparsing only)."""

    nlp: Parser
    gazetteer: GazetteerLike
    extractor: Extractor | None = None
    events: Any = None


@dataclass(frozen=True)
class DocResult:
    """One parsed document's places and events (the main event first)."""

    places: list[Place]
    events: list[EventMention]


def process_doc(doc: Any, info: ArticleInfo, res: ProcessResources) -> DocResult:
    """The one per-document step of ``process``, ``extract`` and ``eval``: geoparse, then the
    configured extractor (none: places only)."""
    from eventatlas.geo.geoparse import geoparse_doc

    places = geoparse_doc(doc, res.gazetteer)
    if res.extractor is None:
        return DocResult(places, [])
    return DocResult(places, res.extractor(doc, info, places, res.events))


def load_process_resources(settings: Settings, *, events: bool = True) -> ProcessResources:
    from eventatlas.nlp.load import load_nlp

    extractor = resources = None
    if events:
        from eventatlas.events.extract import load_event_resources

        extractor = registry.get("extractors", settings.extractor)(settings)
        resources = load_event_resources(settings)
    return ProcessResources(
        nlp=load_nlp(),
        gazetteer=registry.get("gazetteers", settings.gazetteer)(settings),
        extractor=extractor,
        events=resources,
    )


@dataclass
class ProcessReport:
    articles: int = 0
    places: int = 0
    resolved: int = 0
    events: int = 0
    fused: int = 0
    inferred: int = 0


def process(
    store: SqlStore,
    res: ProcessResources,
    *,
    everything: bool = False,
    on_item: Callable[[str], None] | None = None,
    batch_size: int = 16,
) -> ProcessReport:
    """One spaCy pass per stored article, then geoparsing and event extraction (results stored
    per article), then fusion; undated articles that share events with dated ones get an
    inferred date and are processed again with it."""
    todo = list(store.iter_articles(unprocessed=not everything))
    report = ProcessReport()
    _process_batch(store, res, todo, report, on_item, batch_size)
    if res.extractor is None:
        return report
    report.fused = fuse_stored(store)
    undated = [a.id for a in todo if a.published is None]
    if undated:
        from eventatlas.fuse.undated import infer_dates

        inferred = infer_dates(store.iter_mentions(), store.assignments(), undated)
        if inferred:
            store.set_inferred_published(inferred)
            again = list(store.iter_articles(ids=list(inferred)))
            _process_batch(store, res, again, ProcessReport(), None, batch_size)
            fuse_stored(store)
            report.inferred = len(inferred)
    return report


def _process_batch(
    store: SqlStore,
    res: ProcessResources,
    todo: list[Article],
    report: ProcessReport,
    on_item: Callable[[str], None] | None,
    batch_size: int,
) -> None:
    docs = res.nlp.pipe((a.text for a in todo), batch_size=batch_size)
    for article, doc in zip(todo, docs, strict=True):
        result = process_doc(doc, ArticleInfo(article.id, article.published, article.outlet), res)
        found, events = result.places, result.events
        store.save_processed(article.id, found, events)
        report.events += len(events)
        report.articles += 1
        report.places += len(found)
        report.resolved += sum(1 for p in found if p.lat is not None)
        if on_item is not None:
            on_item(article.source)


def fuse_stored(store: SqlStore) -> int:
    """Fuse every stored mention not yet in an event; earlier assignments stay. Returns how
    many mentions were fused."""
    from collections import defaultdict

    from eventatlas.fuse.merge import assign

    done = store.assignments()
    existing: dict[str, list[Any]] = defaultdict(list)
    new = []
    for m in store.iter_mentions():
        if m.id in done:
            existing[done[m.id]].append(m)
        else:
            new.append(m)
    pairs = assign(new, existing)
    store.save_assignments(pairs)
    return len(pairs)


def cited_sources(settings: Settings) -> frozenset[str]:
    """Names whose reports count as one origin when cited: the actor dictionary's actors and
    sources (monitors, agencies, ministries), the user's file included."""
    from eventatlas.events.extract import load_event_resources

    return load_event_resources(settings).actors.canonical_names()


def outlet_types(settings: Settings) -> dict[str, str]:
    """Outlet name -> its type in the registry (wire, state-affiliated, ...)."""
    extra = Path(settings.outlets_file) if settings.outlets_file else None
    return {o.name: o.type for o in load_outlets(extra)}


def stored_events(store: SqlStore, cited: frozenset[str] = frozenset()) -> list[Any]:
    """The fused events in the store, newest first."""
    from eventatlas.fuse.merge import build_events

    return build_events(store.iter_mentions(), store.assignments(), store.roots(), cited)
