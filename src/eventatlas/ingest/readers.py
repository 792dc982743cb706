"""Turn what the user hands us (files, folders, globs, ``-``, URLs) into raw documents.

Entry point: :func:`read_sources`. It streams, and it never raises for bad input: every input
that cannot become an article comes out as a :class:`Rejection` naming it and saying why.
The reader is chosen by content as well as by extension: a ``.txt`` holding HTML is HTML, a file
without extension holding RSS is a feed, gzip is unpacked first.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from eventatlas.bounds import published_problem
from eventatlas.errors import InputError
from eventatlas.ingest.decode import (
    HEAD_BYTES,
    Decoded,
    gunzip,
    is_gzip,
    is_warc,
    read_bounded,
    sniff_markup,
    too_large,
)
from eventatlas.ingest.fetch import fetch, is_url
from eventatlas.ingest.formats import (
    Item,
    csv_header,
    decode_payload,
    read_csv,
    read_feed,
    read_json,
    read_jsonl,
    read_warc,
)
from eventatlas.ingest.paths import expand, link_problem, source_name
from eventatlas.records import DocKind, Given, RawDocument, Rejection
from eventatlas.settings import Settings

log = logging.getLogger(__name__)

_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class _Origin:
    """Where bytes came from: the name records carry, a file name for its suffix, a URL."""

    source: str
    name: str = ""
    url: str | None = None
    charset: str | None = None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def read_sources(
    specs: Sequence[str], settings: Settings, stdin: BinaryIO | None = None
) -> Iterator[RawDocument | Rejection]:
    """Yield one record per article found in ``specs``, or a rejection per unusable input.

    ``specs`` are paths, folders (read recursively in sorted order, hidden entries skipped),
    glob patterns (``**`` recurses), ``-`` for ``stdin`` (default: the process's standard input)
    and http(s) URLs of pages or feeds; only URLs touch the network.
    """
    seen: set[Path] = set()
    for spec in specs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guarded("-", _read_stream(stream, settings))
        elif is_url(spec):
            yield from _guarded(source_name(spec), _read_url(spec, settings))
        elif not spec.strip():
            yield Rejection(repr(spec), "empty path; name a file, folder, glob, URL or -")
        elif "://" in spec:
            scheme = spec.split("://", 1)[0]
            yield Rejection(
                source_name(spec),
                f"unsupported URL scheme {scheme!r}; give an http(s) URL or a path",
            )
        else:
            for found in expand(spec):
                if isinstance(found, Rejection):
                    yield found
                elif _first_visit(found, seen):
                    yield from _guarded(source_name(found), _read_path(found, settings))


def _guarded(source: str, items: Iterator[Item]) -> Iterator[Item]:
    """Run one input's reader lazily: its errors become a rejection, and so does finding nothing."""
    count = 0
    try:
        for item in items:
            count += 1
            yield _checked(item) if isinstance(item, RawDocument) else item
    except InputError as exc:
        yield Rejection(exc.source, exc.reason)
        return
    if count == 0:
        yield Rejection(source, "no articles found in this input")


def _checked(doc: RawDocument) -> RawDocument:
    """``doc`` without what would corrupt the store or crash a later stage, each with a warning
    naming it: lone surrogates, a publication date that cannot be one (0001-01-01)."""
    doc = _valid_unicode(doc)
    published = doc.given.published
    problem = published_problem(published) if published is not None else None
    if problem is None:
        return doc
    log.warning("%s: %s", doc.source, problem)
    return replace(doc, given=replace(doc.given, published=None))


def _valid_unicode(doc: RawDocument) -> RawDocument:
    """``doc`` with lone surrogates (a JSON ``\\ud800`` escape, a ``&#xD800;`` in a feed: half a
    character, which no store can hold) replaced by U+FFFD, with a warning naming the input."""
    given: dict[str, Any] = {f.name: getattr(doc.given, f.name) for f in dataclasses.fields(Given)}
    texts = {"source": doc.source, "content": doc.content}
    texts |= {name: value for name, value in given.items() if isinstance(value, str)}
    bad = [name for name, value in texts.items() if _SURROGATE.search(value)]
    if not bad:
        return doc
    log.warning(
        "%s: lone surrogates (escapes of half a character, not text) in %s replaced with "
        "U+FFFD; fix the input to keep those characters",
        _SURROGATE.sub("\ufffd", doc.source),
        ", ".join(bad),
    )
    fixed: dict[str, Any] = {name: _SURROGATE.sub("\ufffd", texts[name]) for name in bad}
    return replace(
        doc,
        source=fixed.pop("source", doc.source),
        content=fixed.pop("content", doc.content),
        given=replace(doc.given, **fixed),
    )


def _first_visit(path: Path, seen: set[Path]) -> bool:
    try:
        key = path.resolve()
    except (OSError, RuntimeError):
        key = path
    if key in seen:
        log.debug("%s: already read in this run; skipping", path)
        return False
    seen.add(key)
    return True


# --- byte sources -------------------------------------------------------------------------


def _read_path(path: Path, settings: Settings) -> Iterator[Item]:
    source = source_name(path)
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            regular = stat.S_ISREG(info.st_mode)
            if regular and info.st_size == 0:
                raise InputError(source, "empty file")
            head = fh.read(HEAD_BYTES)
            if regular and is_warc(head):
                fh.seek(0)
                yield from read_warc(source, fh, settings.max_bytes)
                return
            if regular and info.st_size > settings.max_bytes:
                raise InputError(source, too_large(settings.max_bytes, info.st_size))
            data = head + read_bounded(fh, max(settings.max_bytes - len(head), 0))
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            raise InputError(source, link_problem(path)) from exc
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > settings.max_bytes:
        raise InputError(source, too_large(settings.max_bytes, None))
    yield from _read_blob(_Origin(source, name=path.name), data, settings)


def _read_stream(stream: BinaryIO, settings: Settings) -> Iterator[Item]:
    try:
        data = read_bounded(stream, settings.max_bytes)
    except OSError as exc:
        raise InputError("-", f"standard input cannot be read ({exc.strerror or exc})") from exc
    if len(data) > settings.max_bytes:
        raise InputError("-", too_large(settings.max_bytes, None))
    yield from _read_blob(_Origin("-"), data, settings)


def _read_url(url: str, settings: Settings) -> Iterator[Item]:
    got = fetch(
        url,
        timeout=settings.fetch_timeout,
        max_bytes=settings.max_bytes,
        deadline=settings.fetch_deadline,
    )
    name = got.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    origin = _Origin(url, name=name if "." in name else "", url=got.url, charset=got.charset)
    yield from _read_blob(origin, got.data, settings)


# --- content sniffing ---------------------------------------------------------------------


def _read_blob(origin: _Origin, data: bytes, settings: Settings, depth: int = 0) -> Iterator[Item]:
    """Choose a reader for ``data`` by its content, helped by its name, and run it."""
    source = origin.source
    if not data.strip():
        raise InputError(source, _empty(origin, data))
    if is_gzip(data):
        if depth > 0:
            raise InputError(source, "gzip inside gzip; unpack the outer layer first")
        inner = gunzip(source, data, settings.max_bytes)
        stem = origin.name[:-3] if origin.suffix == ".gz" else origin.name
        yield from _read_blob(replace(origin, name=stem), inner, settings, depth + 1)
        return
    if data.startswith(b"WARC/"):
        yield from read_warc(source, io.BytesIO(data), settings.max_bytes)
        return
    decoded = decode_payload(source, data, origin.charset)
    if not decoded.text.strip():
        raise InputError(source, _empty(origin, b" "))
    yield from _dispatch(origin, decoded, settings)


def _empty(origin: _Origin, data: bytes) -> str:
    what = "response" if origin.url else "file" if origin.name else "input"
    return f"empty {what}" + (" (only whitespace)" if data else "")


def _dispatch(origin: _Origin, decoded: Decoded, settings: Settings) -> Iterator[Item]:
    text, suffix = decoded.text, origin.suffix
    markup = sniff_markup(text)
    if markup == "feed":
        yield from read_feed(origin.source, decoded, origin.url)
        return
    if suffix in _JSONL_SUFFIXES:
        yield from read_jsonl(origin.source, decoded)
        return
    if suffix == ".json" or text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        records = read_json(origin.source, decoded, named_json=suffix == ".json")
        if records is not None:
            yield from records
            return
    if suffix in (".csv", ".tsv") or (markup == "other" and csv_header(text) is not None):
        tabs = suffix == ".tsv"
        yield from read_csv(origin.source, decoded, tabs=tabs, max_bytes=settings.max_bytes)
        return
    kind: DocKind = "html" if markup == "html" else "text"
    yield RawDocument(origin.source, kind, text, Given(url=origin.url), decoded.encoding)
