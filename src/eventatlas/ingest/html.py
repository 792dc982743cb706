"""The HTML path: article body and title from a web page with trafilatura.

Entry point: :func:`extract_html` ``(html, url=None, cleaner=None) -> CleanedText``.
trafilatura runs with ``favor_precision=True`` and ``include_comments=False`` (the best F1 of the
settings tried on the ScrapingHub benchmark: 0.964 against 0.960 for the defaults); the title comes
from trafilatura's metadata. When trafilatura finds no body, the page is flattened to
markdown-flavoured text (:func:`~eventatlas.ingest.flatten.flatten_html`) and handed to the
plain-text ``cleaner`` (default: the packaged line cleaner, loaded on first need).

Registry: kind ``"html_extractors"``, name ``"trafilatura"`` is :func:`make_trafilatura_extractor`,
a factory ``make_trafilatura_extractor(cleaner=None) -> Callable[[str, str | None], CleanedText]``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache

import trafilatura

from eventatlas.ingest.clean import TextCleaner
from eventatlas.ingest.flatten import flatten_html
from eventatlas.records import CleanedText
from eventatlas.registry import register

log = logging.getLogger(__name__)

# A given body (structured input's html field, a feed entry) keeps trafilatura's text only when
# it holds at least this share of the words the body-mode cleaner keeps from the flattened HTML:
# trafilatura is built for whole pages and can drop most of a bare fragment.
BODY_WORD_SHARE = 0.5
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _default_cleaner() -> TextCleaner:
    from eventatlas.ingest.clean import make_line_cleaner

    return make_line_cleaner()


def _fallback(html: str, cleaner: TextCleaner | None, title: str | None, body: bool) -> CleanedText:
    text = flatten_html(html, markdown=True)
    cleaned = (cleaner or _default_cleaner())(text, True if body else None)
    return CleanedText(text=cleaned.text, title=title or cleaned.title, cleaning=cleaned.cleaning)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def extract_html(
    html: str, url: str | None = None, cleaner: TextCleaner | None = None, body: bool = False
) -> CleanedText:
    """The article body and title of ``html``; plain-text cleaning when trafilatura finds none.

    ``body``: ``html`` is an article body given by structured input; when trafilatura keeps less
    than :data:`BODY_WORD_SHARE` of what the body-mode cleaner keeps, the cleaner's text is used.
    """
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
    )
    title = None
    if doc is not None:
        title = (getattr(doc, "title", None) or "").strip() or None
        text = (getattr(doc, "text", None) or "").strip()
        if text and not body:
            return CleanedText(text=text, title=title, cleaning="page")
        if text:
            other = _fallback(html, cleaner, title, body=True)
            if _words(text) >= BODY_WORD_SHARE * _words(other.text):
                return CleanedText(text=text, title=title, cleaning="body")
            return other
    log.info(
        "trafilatura found no body in %s; falling back to the plain-text cleaner", url or "page"
    )
    return _fallback(html, cleaner, title, body)


@register("html_extractors", "trafilatura")
def make_trafilatura_extractor(
    cleaner: TextCleaner | None = None,
) -> Callable[[str, str | None, bool], CleanedText]:
    """``(html, url, body) -> CleanedText`` with trafilatura and, as fallback, ``cleaner``."""

    def extract(html: str, url: str | None = None, body: bool = False) -> CleanedText:
        return extract_html(html, url, cleaner, body)

    return extract
