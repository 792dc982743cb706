"""Corroboration: how many articles, outlets and independent sources back an event.

Independent sources are origins, not reports: syndicated copies (articles linked by
``duplicate_of`` at ingest) count as their original, and reports that cite the same monitor,
agency or ministry ("according to SOHR", "citing TASS") count once, as that source. Otherwise an
article's origin is its outlet (the original's outlet for a copy), or the article itself when the
outlet is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from eventatlas.records import EventMention, Sources

# article id -> (id of the original it copies, or itself; the original's outlet)
Roots = Mapping[str, tuple[str, str | None]]


def origin(m: EventMention, roots: Roots, cited: frozenset[str]) -> str:
    """The independent origin of a mention's report."""
    if m.attributed_to and m.attributed_to in cited:
        return "cites:" + m.attributed_to
    root, outlet = roots.get(m.article_id, (m.article_id, m.outlet))
    return "outlet:" + outlet if outlet else "article:" + root


def count_sources(mentions: Iterable[EventMention], roots: Roots, cited: frozenset[str]) -> Sources:
    ms = list(mentions)
    articles = {m.article_id for m in ms}
    outlets = {m.outlet or "article:" + m.article_id for m in ms}
    return Sources(len(articles), len(outlets), len({origin(m, roots, cited) for m in ms}))
