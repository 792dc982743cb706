"""Metadata of one document: outlet, publication date, title, language, the page's own URL.

Entry point: :func:`detect_metadata` ``(raw, cleaned, outlets) -> Metadata``.

Values given with the input always win. Otherwise:

* **outlet** — the registered outlet of the page URL (given URL, canonical link, og:url, or an
  "Original url:" line in the text) > the name the HTML declares (og:site_name, application-name,
  JSON-LD publisher), normalised to the registry name when registered > the registrable domain of
  an unregistered page URL ("example.org") > an outlet named in a banner-like position of the
  page text (:func:`eventatlas.ingest.outlets.outlet_in_lines`);
* **published** — the HTML metadata (htmldate, ``"metadata"``) > a date in the page URL
  (``"url"``) > a date line in the page text, or the dateline opening its first line
  (``"text"``), see :mod:`eventatlas.ingest.dates`;
* **title** — the HTML's og:title / <title> > the cleaner's title, without " - Outlet" affixes;
* **language** — py3langid on the cleaned text (ISO 639-1), ``"und"`` when too short to tell.

The raw text (or the flattened HTML) is read for outlet banners and date lines, because the
cleaner removes exactly those lines from the body.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from eventatlas.errors import InputError
from eventatlas.ingest.dates import date_from_html, date_from_text, date_from_url, parse_html
from eventatlas.ingest.flatten import flatten_html
from eventatlas.ingest.outlets import (
    OutletRegistry,
    normalize_name,
    outlet_in_lines,
    page_url_in_lines,
    registrable_domain,
)
from eventatlas.records import CleanedText, Given, Metadata, PublishedSource, RawDocument

log = logging.getLogger(__name__)

UNDETERMINED = "und"


@dataclass(frozen=True)
class PageFacts:
    """What a page says about itself, read once from the raw document."""

    lines: tuple[str, ...]  # the raw text lines (or the flattened HTML's)
    page_urls: tuple[str, ...]  # the URLs the page states for itself, best first
    site_names: tuple[str, ...]  # og:site_name, application-name, JSON-LD publisher
    titles: tuple[str, ...]  # og:title, twitter:title, JSON-LD headline, <title>
    tree: etree._Element | None = None


def detect_metadata(
    raw: RawDocument,
    cleaned: CleanedText,
    outlets: OutletRegistry,
    *,
    today: dt.date | None = None,
    language: LanguageDetector | None = None,
) -> Metadata:
    """Outlet, title, publication date (with its source), language and stated URL of ``raw``."""
    page = read_page(raw, outlets)
    outlet = detect_outlet(raw.given, page, outlets)
    published, source = detect_published(raw.given, page, today)
    return Metadata(
        outlet=outlet,
        title=detect_title(raw.given, page, cleaned, outlets, outlet),
        published=published,
        published_source=source,
        language=raw.given.language or (language or DEFAULT_DETECTOR)(cleaned.text),
        url=page.page_urls[0] if page.page_urls else None,
    )


# ---------------------------------------------------------------------------------------------
# Reading the page


def read_page(raw: RawDocument, outlets: OutletRegistry) -> PageFacts:
    """Lines, stated URLs, declared site names and titles of a raw document."""
    if raw.kind != "html":
        lines = tuple(raw.content.splitlines())
        return PageFacts(lines, _stated(lines, outlets, raw.given.url), (), ())
    tree = parse_html(raw.content)
    try:
        lines = tuple(flatten_html(raw.content).splitlines())
    except InputError as exc:
        log.debug("%s: HTML could not be flattened: %s", raw.source, exc.reason)
        lines = ()
    if tree is None:
        return PageFacts(lines, _stated(lines, outlets, raw.given.url), (), ())
    stated = [
        *_attrs(
            tree, "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]", "href"
        ),
        *_meta(tree, "og:url"),
        page_url_in_lines(lines, outlets),
    ]
    urls = tuple(dict.fromkeys(u for u in (_absolute(s, raw.given.url) for s in stated) if u))
    objects = _json_ld(tree)
    declared = [*_meta(tree, "og:site_name"), *_meta(tree, "application-name"), *_names(objects)]
    return PageFacts(
        lines=lines,
        page_urls=urls,
        site_names=tuple(dict.fromkeys(c for c in map(_clean, declared) if c)),
        titles=tuple(c for c in map(_clean, _titles(tree, objects)) if c),
        tree=tree,
    )


def _absolute(url: str | None, base: str | None) -> str | None:
    """``url`` made absolute against ``base``; None unless it ends up http(s)."""
    if not url or not url.strip():
        return None
    full = urljoin(base, url.strip()) if base else url.strip()
    return _unwrap_archive(full) if re.match(r"https?://", full, re.IGNORECASE) else None


def _unwrap_archive(url: str) -> str:
    """The original URL inside an archive or proxy URL (``…/web/2020…/https://site/…``)."""
    netloc = urlsplit(url).netloc
    rest = url.split(netloc, 1)[1] if netloc else url
    inner = re.search(r"/(https?):/+(.+)$", rest, re.IGNORECASE)
    return f"{inner.group(1)}://{inner.group(2)}" if inner else url


def _all_urls(given: Given, page: PageFacts) -> list[str]:
    """The given URL (unwrapped from an archive) and the URLs the page states, best first."""
    first = _absolute(given.url, None)
    return list(dict.fromkeys(u for u in (first, *page.page_urls) if u))


def _stated(lines: tuple[str, ...], outlets: OutletRegistry, base: str | None) -> tuple[str, ...]:
    found = _absolute(page_url_in_lines(lines, outlets), base)
    return (found,) if found else ()


def _attrs(tree: etree._Element, xpath: str, attr: str) -> list[str]:
    return [v for el in tree.xpath(xpath) if (v := (el.get(attr) or "").strip())]


def _meta(tree: etree._Element, key: str) -> list[str]:
    return _attrs(tree, f"//meta[@property='{key}' or @name='{key}']", "content")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _json_ld(tree: etree._Element) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (``@graph`` members included)."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [])
    return found


def _names(objects: list[dict[str, Any]]) -> list[str]:
    """The publisher names declared in JSON-LD objects."""
    names = []
    for obj in objects:
        publisher = obj.get("publisher")
        for pub in publisher if isinstance(publisher, list) else [publisher]:
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                names.append(pub["name"])
    return names


def _titles(tree: etree._Element, objects: list[dict[str, Any]]) -> list[str]:
    headlines = [o["headline"] for o in objects if isinstance(o.get("headline"), str)]
    plain = [t.text_content() for t in tree.xpath("//head/title | //title")[:1]]
    return [*_meta(tree, "og:title"), *_meta(tree, "twitter:title"), *headlines, *plain]


# ---------------------------------------------------------------------------------------------
# Outlet


def detect_outlet(given: Given, page: PageFacts, outlets: OutletRegistry) -> str | None:
    """The page's outlet name (see the module docstring for the order), or None."""
    if given.outlet and given.outlet.strip():
        found = outlets.by_name(given.outlet)
        return found.name if found else given.outlet.strip()
    urls = _all_urls(given, page)
    for url in urls:
        by_url = outlets.by_domain(url)
        if by_url is not None:
            return by_url.name
    for name in page.site_names:
        by_name = outlets.by_name(name)
        if by_name is not None:
            return by_name.name
    if page.site_names:
        return page.site_names[0]
    for url in urls:
        domain = registrable_domain(url)
        if domain:
            return domain
    in_text = outlet_in_lines(page.lines, outlets)
    return in_text.name if in_text else None


# ---------------------------------------------------------------------------------------------
# Publication date


def detect_published(
    given: Given, page: PageFacts, today: dt.date | None = None
) -> tuple[dt.date | None, PublishedSource | None]:
    """The publication date and where it came from: metadata > url > text; (None, None)."""
    if given.published is not None:
        return given.published, "metadata"
    if page.tree is not None:
        found = date_from_html(page.tree, today)
        if found is not None:
            return found, "metadata"
    for url in _all_urls(given, page):
        found = date_from_url(url, today)
        if found is not None:
            return found, "url"
    found = date_from_text(page.lines, today=today)
    return (found, "text") if found is not None else (None, None)


# ---------------------------------------------------------------------------------------------
# Title

_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")


def detect_title(
    given: Given,
    page: PageFacts,
    cleaned: CleanedText,
    outlets: OutletRegistry,
    outlet: str | None,
) -> str | None:
    """The given title > the page's declared title > the cleaner's, without outlet affixes."""
    if given.title and given.title.strip():
        return _clean(given.title)
    names = {normalize_name(n) for n in (*page.site_names, outlet or "") if n}
    for title in (*page.titles, cleaned.title or ""):
        stripped = strip_outlet_affixes(title, outlets, names)
        if stripped:
            return stripped
    return None


def strip_outlet_affixes(title: str, outlets: OutletRegistry, names: set[str]) -> str:
    """``title`` without a leading or trailing segment that names an outlet ("… - Reuters")."""
    title = _clean(title)
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title

    def names_outlet(segment: str) -> bool:
        return normalize_name(segment) in names or outlets.by_name(segment) is not None

    if names_outlet(parts[-1]):
        return _clean(title[: _last_separator(title).start()])
    if names_outlet(parts[0]):
        first = _TITLE_SEPARATOR.search(title)
        return _clean(title[first.end() :]) if first else title
    return title


def _last_separator(title: str) -> re.Match[str]:
    *_, last = _TITLE_SEPARATOR.finditer(title)
    return last


# ---------------------------------------------------------------------------------------------
# Language


class LanguageDetector:
    """py3langid, loaded on the first call; ``"und"`` for texts too short or too unclear."""

    def __init__(self, min_letters: int = 40, min_probability: float = 0.5) -> None:
        self.min_letters = min_letters
        self.min_probability = min_probability
        self._identifier: Any = None

    def __call__(self, text: str) -> str:
        if sum(ch.isalpha() for ch in text) < self.min_letters:
            return UNDETERMINED
        if self._identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        code, probability = self._identifier.classify(text[:20_000])
        return str(code) if float(probability) >= self.min_probability else UNDETERMINED


DEFAULT_DETECTOR = LanguageDetector()  # the model itself loads on first use
