"""Flatten an HTML page to the text a page-dumping scraper would give.

:func:`flatten_html` is the only entry point. It keeps *everything* a reader of the rendered page
could see (menus, footers, comment sections, widgets) because its job is to reproduce realistic
plain-text scrapes, not to extract the article: the plain-text cleaner (:mod:`.clean`) is trained
and evaluated on its output, and the HTML path falls back to it.

Two flavours:

* plain (``markdown=False``): block elements on their own lines, paragraphs and headings set
  apart by a blank line, inline text joined, ``<br>`` a line break, table cells joined by a tab;
* markdown (``markdown=True``): as html2text / jina-reader output: ``#`` headings, ``- `` list
  items, ``> `` quotes, ``[text](href)`` links, ``![alt](src)`` images, ``**bold**``, ``*em*``.

Scripts, styles, templates, ``<head>`` and elements marked hidden are dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

_DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "head",
        "iframe",
        "object",
        "embed",
        "canvas",
        "map",
        "audio",
        "video",
        "source",
        "track",
        "param",
        "datalist",
    ]
)
_PARAGRAPH = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "dl",
        "table",
        "figure",
        "hr",
        "address",
        "details",
    ]
)
_LINE = frozenset(
    [
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "li",
        "dt",
        "dd",
        "tr",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "figcaption",
        "form",
        "fieldset",
        "legend",
        "summary",
        "dialog",
        "menu",
        "center",
        "option",
        "label",
    ]
)
_CELLS = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_GAPS = re.compile(r" {2,}")
_OPEN_SPACE = re.compile(r"\[ +")
_CLOSE_SPACE = re.compile(r" +\]\(")
_NO_TEXT = re.compile(r"^[\s#>|*\-]*$")
_EMPTY_MARKUP = re.compile(r"!?\[\s*\]\([^)\s]*\)|\*\*\s*\*\*|(?<!\*)\*\s+\*(?!\*)")


@dataclass
class _Writer:
    """Accumulates lines; ``owed``: separator owed before the next line (1 newline, 2 blank)."""

    markdown: bool
    lines: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    prefix: list[str] = field(default_factory=list)
    owed: int = 0

    def text(self, chunk: str) -> None:
        chunk = _SPACE.sub(" ", chunk.replace("\n", " "))
        if chunk.strip() or self.current:
            self.current.append(chunk)

    def markup(self, chunk: str) -> None:
        self.current.append(chunk)

    def brk(self, strength: int) -> None:
        self._commit()
        self.owed = max(self.owed, strength)

    def _commit(self) -> None:
        line = _GAPS.sub(" ", "".join(self.current)).strip()
        line = _CLOSE_SPACE.sub("](", _OPEN_SPACE.sub("[", line))
        line = _EMPTY_MARKUP.sub("", _EMPTY_MARKUP.sub("", line)).strip()
        self.current = []
        if _NO_TEXT.match(line):
            return
        if self.owed == 2 and self.lines and self.lines[-1]:
            self.lines.append("")
        self.lines.append("".join(self.prefix) + line)
        self.owed = 0

    def finish(self) -> str:
        self._commit()
        text = "\n".join(self.lines).strip()
        return text + "\n" if text else ""


def _parse(html: str) -> etree._Element | None:
    """The document tree, or None when there is nothing to parse (lxml: "Document is empty")."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        log.debug("no HTML document to flatten: %s", exc)
        return None


def _prune(root: etree._Element) -> None:
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        hidden = el.get("hidden") is not None or el.get("aria-hidden") == "true"
        if tag in _DROP or hidden or _HIDDEN_STYLE.search(el.get("style", "")):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _has_block(el: etree._Element) -> bool:
    return any(
        isinstance(d.tag, str) and d.tag.lower() in _PARAGRAPH | _LINE for d in el.iterdescendants()
    )


def _open(el: etree._Element, tag: str, out: _Writer, block_links: set[etree._Element]) -> None:
    if tag in _PARAGRAPH:
        out.brk(2)
    elif tag in _LINE or tag == "br":
        out.brk(1)
    if not out.markdown:
        if tag in _CELLS and out.current:
            out.markup("\t")
        return
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        out.markup("#" * int(tag[1]) + " ")
    elif tag == "li":
        out.markup("1. " if el.getparent() is not None and el.getparent().tag == "ol" else "- ")
    elif tag == "blockquote":
        out.prefix.append("> ")
    elif tag in _CELLS:
        out.markup("| " if not out.current else " | ")
    elif tag == "img" and el.get("src"):
        out.markup(f"![{_SPACE.sub(' ', el.get('alt', '')).strip()}]({el.get('src', '').strip()})")
    elif tag == "a" and el.get("href"):
        if _has_block(el):
            block_links.add(el)  # the set keeps the proxy alive, so identity holds
        else:
            out.markup("[")
    elif tag in ("strong", "b"):
        out.markup("**")
    elif tag in ("em", "i"):
        out.markup("*")


def _close(el: etree._Element, tag: str, out: _Writer, block_links: set[etree._Element]) -> None:
    if out.markdown:
        if tag == "a" and el.get("href") and el not in block_links:
            out.markup(f"]({el.get('href', '').strip()})")
        elif tag in ("strong", "b"):
            out.markup("**")
        elif tag in ("em", "i"):
            out.markup("*")
        elif tag == "blockquote" and out.prefix:
            out.brk(2)
            out.prefix.pop()
    if tag in _PARAGRAPH:
        out.brk(2)
    elif tag in _LINE:
        out.brk(1)


def flatten_html(html: str, markdown: bool = False) -> str:
    """The visible text of ``html``, one block per line (see the module docstring)."""
    root = _parse(html)
    if root is None:
        return ""
    _prune(root)
    out = _Writer(markdown=markdown)
    block_links: set[etree._Element] = set()
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):  # comments, processing instructions: only their tail
            if event == "end" and el.tail:
                out.text(el.tail)
            continue
        tag = el.tag.lower()
        if event == "start":
            _open(el, tag, out, block_links)
            if el.text:
                out.text(el.text)
        else:
            _close(el, tag, out, block_links)
            if el.tail:
                out.text(el.tail)
    return out.finish()
