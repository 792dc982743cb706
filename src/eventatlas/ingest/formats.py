"""Readers for structured containers: JSON, JSON Lines, CSV, RSS/Atom feeds and WARC.

Each takes already-decoded text (or, for WARC, a byte stream) and yields one
:class:`RawDocument` per article, or a :class:`Rejection` per line, row, entry or record that
cannot be one; a problem with the whole container raises :class:`InputError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.entities
import io
import json
import logging
import re
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from eventatlas.errors import InputError
from eventatlas.ingest.decode import (
    Decoded,
    binary_kind,
    decode_bytes,
    doctype_span,
    read_bounded,
    too_large,
)
from eventatlas.records import DocKind, Given, RawDocument, Rejection

log = logging.getLogger(__name__)

Item = RawDocument | Rejection

FIELDS = ("id", "url", "title", "published", "outlet", "language", "text", "html")
_CSV_DELIMITERS = ",;\t|"
_HEADER_CHARS = 2000  # a longer first line is no header of ours; keeps the sniffer fast
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\s+(%\s*)?([^\s%\"'>]+)")
_ENTITY_REFERENCE = re.compile(r"&([A-Za-z_][\w.-]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_WARC_PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
_WARC_FORMAT_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException)
# warcio trips over some malformed records with these instead of a format error.
_WARC_ERRORS = (
    *_WARC_FORMAT_ERRORS,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    AttributeError,
    TypeError,
    IndexError,
    KeyError,
)


def decode_payload(source: str, data: bytes, charset: str | None) -> Decoded:
    """Decode bytes that should be text; binary formats are refused by name."""
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(source, f"binary content (looks like {kind})")
    return decode_bytes(source, data, charset)


# --- JSON and JSON Lines ------------------------------------------------------------------


def read_json(source: str, decoded: Decoded, *, named_json: bool) -> Iterator[Item] | None:
    """Records of a JSON document (an object or an array of objects) or of JSON Lines.

    Returns None when the text is not JSON at all and ``named_json`` (a ``.json`` name) is false.
    """
    value, problem = _whole_json(decoded.text)
    if problem is None:
        return _json_records(source, value, decoded.encoding)
    if _first_line_is_object(decoded.text):
        return read_jsonl(source, decoded)
    if named_json:
        raise InputError(source, f"invalid JSON ({problem}); fix the file")
    return None


def _whole_json(text: str) -> tuple[object, str | None]:
    """The parsed value and None, or None and what is wrong with it."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    except RecursionError:
        return None, "nested too deeply to read"


def _first_line_is_object(text: str) -> bool:
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    return isinstance(_whole_json(first)[0], dict)


def _json_records(source: str, value: object, encoding: str) -> Iterator[Item]:
    if isinstance(value, dict):
        yield _record(source, value, encoding)
    elif isinstance(value, list):
        for n, element in enumerate(value, 1):
            yield _record(f"{source}#{n}", element, encoding)
    else:
        raise InputError(
            source, f"expected a JSON object or an array of objects, got {_json_type(value)}"
        )


def read_jsonl(source: str, decoded: Decoded) -> Iterator[Item]:
    """One document per line (``source:LINE``); a bad line is rejected, the others still read."""
    for lineno, line in enumerate(decoded.text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, _json_problem(exc, line))
            continue
        except RecursionError:
            yield Rejection(where, "JSON nested too deeply to read")
            continue
        yield _record(where, value, decoded.encoding)


def _json_problem(exc: json.JSONDecodeError, line: str) -> str:
    truncated = exc.pos >= len(line.rstrip()) or exc.msg.startswith("Unterminated string")
    what = "truncated JSON" if truncated else "invalid JSON"
    return f"{what} ({exc.msg} at column {exc.colno}); fix or drop this line, the rest were read"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), "a number")


# --- CSV ----------------------------------------------------------------------------------


def csv_header(text: str) -> str | None:
    """For content without a .csv name: the delimiter of a first line naming only our fields."""
    header = text.lstrip("\ufeff").split("\n", 1)[0][:_HEADER_CHARS].strip()
    if not ("text" in header.lower() or "html" in header.lower()):
        return None
    delimiter = _sniff_delimiter(header)
    names = {name.strip().strip('"').lower() for name in header.split(delimiter)}
    known = names <= set(FIELDS) and bool({"text", "html"} & names)
    return delimiter if known and len(names) >= 2 else None


def read_csv(source: str, decoded: Decoded, *, tabs: bool, max_bytes: int) -> Iterator[Item]:
    """One document per CSV row under a header row naming the contract's fields."""
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    text = decoded.text.lstrip("\ufeff")
    delimiter = "\t" if tabs else _sniff_delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(rows)]
    except (csv.Error, StopIteration) as exc:
        raise InputError(source, f"CSV header row cannot be read ({exc})") from exc
    if not {"text", "html"} & set(header):
        raise InputError(
            source,
            f"CSV header names no text or html column (found: {', '.join(header)}); "
            f"the first row must name the columns, e.g. {','.join(FIELDS)}",
        )
    while True:
        where = f"{source}:{rows.line_num + 1}"
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(where, f"malformed CSV row ({exc}); check its quotes")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejection(
                where,
                f"CSV row has {len(row)} fields but the header has {len(header)}; "
                f"quote fields that contain {delimiter!r} or line breaks",
            )
            continue
        yield _record(where, dict(zip(header, row, strict=True)), decoded.encoding)


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the csv sniffer's choice among , ; tab |, else comma."""
    header = text.lstrip("\ufeff")[:_HEADER_CHARS].split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


# --- one structured record ----------------------------------------------------------------


def _record(source: str, value: object, encoding: str) -> Item:
    """A JSON object or CSV row with the contract's fields, as a document or a rejection."""
    if not isinstance(value, dict):
        return Rejection(
            source, f"expected an object with a text or html field, got {_json_type(value)}"
        )
    fields = {str(key).strip().lower(): field for key, field in value.items()}
    body = _body(source, fields)
    if isinstance(body, Rejection):
        return body
    kind, content = body
    published = _field(source, fields, "published") or _field(source, fields, "date")
    given = Given(
        id=_field(source, fields, "id"),
        url=_field(source, fields, "url"),
        title=_field(source, fields, "title"),
        published=_parse_date(source, published),
        outlet=_field(source, fields, "outlet"),
        language=_field(source, fields, "language"),
    )
    return RawDocument(source, kind, content, given, encoding, body=True)


def _body(source: str, fields: Mapping[str, object]) -> tuple[DocKind, str] | Rejection:
    text, html = fields.get("text"), fields.get("html")
    if isinstance(text, str) and text.strip():
        return "text", text
    if isinstance(html, str) and html.strip():
        return "html", html
    if "text" not in fields and "html" not in fields:
        return Rejection(source, "no text or html field")
    wrong = [name for name in ("text", "html") if fields.get(name) not in (None, "")]
    if any(not isinstance(fields[name], str) for name in wrong):
        shown = ", ".join(f"{name} is {_json_type(fields[name])}" for name in wrong)
        return Rejection(source, f"text and html must be strings ({shown})")
    return Rejection(source, "text and html fields are empty")


def _field(source: str, fields: Mapping[str, object], name: str) -> str | None:
    value = fields.get(name)
    if isinstance(value, int | float) and not isinstance(value, bool) and name == "id":
        return str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        log.warning("%s: ignoring field %r: expected a string, got %s", source, name, value)
        return None
    return value.strip()


def _parse_date(source: str, value: str | None) -> dt.date | None:
    """An ISO 8601 date or datetime as a date; anything else is ignored with a warning."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        log.warning("%s: ignoring published date %r: not ISO 8601 (YYYY-MM-DD)", source, value)
        return None


# --- feeds --------------------------------------------------------------------------------


def read_feed(source: str, decoded: Decoded, url: str | None) -> Iterator[Item]:
    """One document per RSS/Atom entry, its content (or summary) as HTML; links are not fetched.

    Entries are named ``source#N``; when the feed came from ``url``, by their link instead.
    """
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    text = _without_doctype(source, decoded.text)
    parsed = feedparser.parse(text.encode("utf-8"), response_headers=headers)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" (not well-formed: {problem})" if problem else ""
        raise InputError(source, f"feed has no entries{detail}")
    language = parsed.feed.get("language")
    for n, entry in enumerate(parsed.entries, 1):
        link = entry.get("link") or None
        name = link if url and link else f"{source}#{n}"
        yield _feed_entry(name, entry, language, decoded.encoding)


def _without_doctype(source: str, text: str) -> str:
    """The feed without its ``<!DOCTYPE>``: the entities a DTD declares are never expanded (a
    few bytes of them can expand to gigabytes; an external one would be read). HTML's named
    characters (``&nbsp;``) become character references; other references are kept as text."""
    span = doctype_span(text)
    if span is None:
        return text
    start, end = span
    declared = {m.group(2) for m in _ENTITY_DECLARATION.finditer(text, start, end) if not m[1]}
    unknown = sorted(name for name in declared if f"{name};" not in html.entities.html5)
    if unknown:
        log.warning(
            "%s: the feed's DOCTYPE declares entities (%s); they are not expanded (a DTD's "
            "entities can blow a few bytes up into gigabytes, or read other files), so their "
            "references are kept as text",
            source,
            ", ".join(f"&{name};" for name in unknown),
        )
    return text[:start] + _ENTITY_REFERENCE.sub(_character_reference, text[end:])


def _character_reference(match: re.Match[str]) -> str:
    """``&name;`` as XML reads it with no DTD: HTML's named characters by number, XML's own
    five as they are, anything else as literal text."""
    name = match[1]
    if name in _XML_ENTITIES:
        return match[0]
    chars = html.entities.html5.get(f"{name};")
    if chars is None:
        return f"&amp;{name};"
    return "".join(f"&#{ord(char)};" for char in chars)


def _feed_entry(source: str, entry: Any, language: str | None, encoding: str) -> Item:
    link = entry.get("link") or None
    parts = entry.get("content") or []
    detail = parts[0] if parts else entry.get("summary_detail") or {}
    body = detail.get("value") or entry.get("summary") or ""
    if not body.strip():
        return Rejection(source, f"feed entry has no content or summary (link: {link or 'none'})")
    kind: DocKind = "text" if detail.get("type") == "text/plain" else "html"
    given = Given(
        url=link,
        title=(entry.get("title") or "").strip() or None,
        published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        language=detail.get("language") or language or None,
    )
    return RawDocument(source, kind, body, given, encoding, body=True)


def _struct_date(value: time.struct_time | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    except ValueError:
        return None


# --- WARC ---------------------------------------------------------------------------------


def read_warc(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    """One document per ``response``/``resource`` record holding a 200 HTML or text page.

    Records are named ``source#OFFSET``, the byte offset ``warcio extract`` takes.
    """
    records = ArchiveIterator(stream)
    offset, count = 0, 0
    try:
        for record in records:
            page = _warc_page(record, max_bytes)
            offset = records.get_record_offset()  # reads to the record's end
            damage = _damage(record)
            if damage is not None:
                count += 1
                yield Rejection(f"{source}#{offset}", damage)
            elif page is not None:
                count += 1
                yield _warc_item(f"{source}#{offset}", page, max_bytes)
    except _WARC_ERRORS as exc:
        detail = str(exc) if isinstance(exc, _WARC_FORMAT_ERRORS) else "malformed record"
        reason = f"WARC unreadable after byte {offset} ({detail}); the records before it were read"
        raise InputError(source, reason) from exc
    cut = _cut_in_header(stream, records.offset)
    if cut is not None:
        count += 1
        yield Rejection(f"{source}#{records.offset}", cut)
    if count == 0:
        raise InputError(source, "WARC holds no status-200 HTML or plain-text pages")


def _damage(record: Any) -> str | None:
    """Why a record read to its end is not whole, if it is not: its header lacks the length
    every WARC record states (the file ends inside the header), or the file ends before that
    many bytes came (warcio passes both as if the record were whole)."""
    again = "fetch or copy the WARC again"
    length = record.rec_headers.get_header("Content-Length")
    if record.format == "warc" and not (length or "").strip().isdigit():
        return (
            f"WARC record cut off in its header (Content-Length is {length!r}, expected a "
            f"number of bytes); the records before it were read ({again})"
        )
    left = getattr(record.raw_stream, "limit", 0)  # warcio's LimitReader counts down to 0
    if not isinstance(left, int) or left <= 0:
        return None
    return (
        f"WARC record truncated: its Content-Length is {record.length} bytes but the file ends "
        f"after {record.length - left}; the page would be stored incomplete, so it is not "
        f"({again})"
    )


def _cut_in_header(stream: BinaryIO, end: int) -> str | None:
    """Why the bytes after the last whole record (ending at ``end``) are no record, if any are
    left: warcio ends quietly at a record cut off in its header, as if the file ended there."""
    try:
        size = stream.seek(0, io.SEEK_END)
    except (OSError, ValueError):
        return None
    if size <= end:
        return None
    return (
        f"WARC record cut off in its header (the file ends {size - end} bytes into it); the "
        "records before it were read (fetch or copy the WARC again)"
    )


@dataclass(frozen=True)
class _WarcPage:
    url: str | None
    content_type: str
    payload: bytes


def _warc_page(record: Any, max_bytes: int) -> _WarcPage | None:
    """The page in a record, its payload read up to ``max_bytes + 1``; None to skip the record."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    if headers is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = headers.get_statuscode() if record.rec_type == "response" else "200"
    content_type = headers.get_header("Content-Type") or ""
    if status != "200" or _media_type(content_type) not in _WARC_PAGE_TYPES:
        log.debug(
            "WARC: skipping %s of %s (status %s, %s)", record.rec_type, url, status, content_type
        )
        return None
    return _WarcPage(url, content_type, read_bounded(record.content_stream(), max_bytes))


def _warc_item(source: str, page: _WarcPage, max_bytes: int) -> Item:
    if len(page.payload) > max_bytes:
        return Rejection(source, too_large(max_bytes, None))
    try:
        decoded = decode_payload(source, page.payload, _charset(page.content_type))
    except InputError as exc:
        return Rejection(exc.source, exc.reason)
    if not decoded.text.strip():
        return Rejection(source, "empty response body")
    kind: DocKind = "text" if _media_type(page.content_type) == "text/plain" else "html"
    return RawDocument(source, kind, decoded.text, Given(url=page.url), decoded.encoding)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
