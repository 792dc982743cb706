"""Bytes to text: binary and container sniffing, gzip, and character-set decoding.

Every function here either returns a value or raises :class:`eventatlas.errors.InputError`
naming the input and the reason; callers turn that into a ``Rejection``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import re
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Literal

from charset_normalizer import from_bytes

from eventatlas.errors import InputError

log = logging.getLogger(__name__)

HEAD_BYTES = 8192

# Leading bytes of formats that are never articles: (magic, offset, what to call it).
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive, e.g. .docx/.xlsx/.epub"),
    (b"PK\x05\x06", 0, "empty ZIP archive"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"WEBP", 8, "WebP image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"(\xb5/\xfd", 0, "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "legacy Office document (.doc/.xls)"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"MZ", 0, "Windows executable"),
    (b"ftyp", 4, "MP4/QuickTime video"),
    (b"ID3", 0, "MP3 audio"),
    (b"OggS", 0, "Ogg media"),
    (b"PAR1", 0, "Parquet file"),
    (b"ustar", 257, "tar archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252"}
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})
_DECLARED = re.compile(
    rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)|<meta[^>]*charset\s*=\s*["']?([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_RUN_OF_NON_ASCII_LETTERS = re.compile(r"[^\W\d_\x00-\x7f]{4,}")
_SYMBOL_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f’‘´·–—\u00ad](?=[^\W\d_])")

Sniffed = Literal["feed", "html", "other"]
_TAG_NAME = re.compile(r"<([a-z][\w:.-]*)", re.IGNORECASE)
_HTML_DOCTYPE = re.compile(r"<!doctype\s+html", re.IGNORECASE)
_FEED_TAGS = {"rss", "feed", "rdf:rdf"}
_HTML_TAGS = {
    "!doctype html", "html", "head", "body", "meta", "title", "link", "div", "p", "article",
    "section", "main", "header", "nav", "script", "style", "span", "table", "h1", "h2", "h3",
    "ul", "ol", "a", "img", "figure", "base", "noscript", "form", "iframe",
}  # fmt: skip
_SPACES = re.compile(r"\s*")
_DECLARATION_TOKENS = re.compile(r"""<!--.*?-->|"[^"]*"|'[^']*'|[\[\]>]""", re.DOTALL)
_XML_DOCTYPE = re.compile(r"<!DOCTYPE\s")
_ELEMENT_START = re.compile(r"<[A-Za-z]")
_HTML_ANYWHERE = re.compile(r"<html[\s>]|<body[\s>]", re.IGNORECASE)
_CLOSING_BLOCK_TAGS = re.compile(r"</(?:p|div|li|h[1-6]|span|a|td|article|section)>", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes and the codec that did it."""

    text: str
    encoding: str


def binary_kind(data: bytes) -> str | None:
    """Name the binary format ``data`` starts with, or None if it may be text."""
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return None


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def is_warc(head: bytes) -> bool:
    """True when ``head`` starts a WARC file, plain or gzip-compressed."""
    if head.startswith(b"WARC/"):
        return True
    if not is_gzip(head):
        return False
    try:
        start = zlib.decompressobj(wbits=31).decompress(head, 8)
    except zlib.error:
        return False
    return start.startswith(b"WARC/")


def read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so callers can tell whether the limit was passed."""
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def human_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.1f} kB"
    return f"{size} bytes"


def too_large(limit: int, size: int | None, *, what: str = "") -> str:
    shown = human_size(size) if size is not None else f"more than {human_size(limit)}"
    return f"larger than max_bytes={limit}{what} ({shown}); raise --max-bytes to accept"


def gunzip(source: str, data: bytes, limit: int) -> bytes:
    """Decompress gzip ``data``, refusing output past ``limit`` bytes."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = read_bounded(fh, limit)  # type: ignore[arg-type]
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, f"truncated or corrupt gzip data ({exc})") from exc
    if len(out) > limit:
        raise InputError(source, too_large(limit, None, what=" once decompressed"))
    return out


def declared_charset(head: bytes) -> str | None:
    """The charset an XML declaration or HTML <meta> in ``head`` claims, if any."""
    match = _DECLARED.search(head[:HEAD_BYTES])
    if match is None:
        return None
    label = match.group(1) or match.group(2)
    return label.decode("ascii", "replace")


def sniff_markup(text: str) -> Sniffed:
    """Tell a feed from an HTML page from anything else, by its first element."""
    head = text[:HEAD_BYTES].lstrip("\ufeff")
    tag = _first_tag(text, 1 if text.startswith("\ufeff") else 0)
    if tag in _FEED_TAGS:
        return "feed"
    if tag in _HTML_TAGS:
        return "html"
    if _HTML_ANYWHERE.search(head) or len(_CLOSING_BLOCK_TAGS.findall(head)) >= 5:
        return "html"
    return "other"


def _first_tag(text: str, pos: int = 0) -> str | None:
    """The name of the first element, skipping XML declarations, comments and other doctypes
    (internal subsets too, however long)."""
    while True:
        space = _SPACES.match(text, pos)
        pos = space.end() if space else pos
        if _HTML_DOCTYPE.match(text, pos):
            return "!doctype html"
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            end = end + 3 if end >= 0 else -1
        elif text.startswith("<?", pos):
            end = text.find(">", pos)
            end = end + 1 if end >= 0 else -1
        elif text.startswith("<!", pos):
            end = declaration_end(text, pos)
        else:
            match = _TAG_NAME.match(text, pos)
            return match.group(1).lower() if match else None
        if end < 0:
            return None
        pos = end


def declaration_end(text: str, start: int) -> int:
    """Where the markup declaration at ``start`` (``<!DOCTYPE …>``, its internal subset ``[…]``
    included, quoted strings and comments skipped) ends, past its ``>``; -1 if it does not."""
    depth = 0
    for token in _DECLARATION_TOKENS.finditer(text, start + 2):
        if token.group() == "[":
            depth += 1
        elif token.group() == "]":
            depth -= 1
        elif token.group() == ">" and depth <= 0:
            return token.end()
    return -1


def doctype_span(text: str) -> tuple[int, int] | None:
    """Where the ``<!DOCTYPE …>`` before the first element of an XML document starts and ends."""
    match = _XML_DOCTYPE.search(text, 0, HEAD_BYTES)
    if match is None or _ELEMENT_START.search(text, 0, match.start()):
        return None
    end = declaration_end(text, match.start())
    return None if end < 0 else (match.start(), end)


def decode_bytes(source: str, data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``: BOM, then UTF-8, then a declared charset that fits, then detection.

    A declared charset only wins when the bytes are not valid UTF-8 and decode cleanly with it,
    so a page mis-declared either way still comes out right.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(source, data[len(bom) :], codec, "its byte-order mark")
    declared_codec = _codec(declared or declared_charset(data))
    if declared_codec is not None and declared_codec.startswith(("utf_16", "utf_32")):
        found = _try(data, declared_codec)
        if found is not None:
            return Decoded(found, declared_codec.replace("_", "-"))
    if b"\x00" in data:
        return _utf16_without_bom(source, data)
    if sum(data.count(c) for c in _CONTROL) > max(len(data) // 20, 2):
        raise InputError(source, "binary content (mostly control bytes, not text)")
    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    damaged = _damaged_utf8(source, data)
    if damaged is not None:
        return damaged
    if declared_codec in _AS_CP1252:
        declared_codec = "cp1252"
    if declared_codec not in (None, "utf_8"):
        text = _try(data, declared_codec)
        if text is not None:
            return Decoded(text, declared_codec.replace("_", "-"))
        log.debug("%s: bytes do not fit the declared charset %s; detecting", source, declared)
    return _detect(source, data)


def _damaged_utf8(source: str, data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes: the bad sequences become U+FFFD, with a warning; None when
    the bytes are not UTF-8 at all.

    The best guess for the whole text, not for its bad bytes: valid multi-byte UTF-8 sequences
    almost never occur by chance in text of another encoding, so when they outnumber the invalid
    ones the text is UTF-8, and the good text is never decoded again as something else (one stray
    byte once made a whole file Mac-Roman: "café's" came out "caf√©‚Äôs").
    """
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd")
    bad = replaced - data.count("\ufffd".encode())
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - replaced
    if multibyte <= bad:
        return None
    first = 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = exc.start
    log.warning(
        "%s: %d byte sequence(s) not valid UTF-8 (the first at byte %d) in text that is UTF-8 "
        "otherwise; replaced with U+FFFD (re-save the file as UTF-8 to keep them)",
        source,
        bad,
        first,
    )
    return Decoded(text, "utf-8")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip()).name.replace("-", "_")
    except LookupError:
        log.debug("ignoring unknown charset label %r", label)
        return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _strict(source: str, data: bytes, codec: str, why: str) -> Decoded:
    text = _try(data, codec)
    if text is None:
        raise InputError(source, f"not valid {codec} although {why} says so")
    return Decoded(text, codec)


def _utf16_without_bom(source: str, data: bytes) -> Decoded:
    """Text with NUL bytes is UTF-16 only if the NULs sit in every other byte; else binary."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    mostly = 0.6 * (len(data) // 2)
    codec = None
    if odd > mostly and even == 0:
        codec = "utf-16-le"
    elif even > mostly and odd == 0:
        codec = "utf-16-be"
    text = _try(data, codec) if codec is not None else None
    if codec is None or text is None:
        raise InputError(source, "binary content (contains NUL bytes, not text)")
    return Decoded(text, codec)


def _detect(source: str, data: bytes) -> Decoded:
    """Not UTF-8: windows-1252 when it reads like Western text, else charset-normalizer's guess."""
    text = _try(data, "cp1252")
    if text is not None and _reads_as_latin(text):
        return Decoded(text, "cp1252")
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "not valid UTF-8 or any detectable encoding")
    return Decoded(str(best), str(best.encoding).replace("_", "-"))


def _reads_as_latin(text: str) -> bool:
    """Western text decoded right has few, scattered non-ASCII letters and no symbols inside words.

    Cyrillic or Greek bytes read as windows-1252 give long runs of accented letters; Central
    European bytes give symbols such as ³ or ¹ in the middle of words.
    """
    letters = sum(1 for c in text if c.isalpha())
    non_ascii = sum(1 for c in text if c.isalpha() and ord(c) > 127)
    if letters == 0 or non_ascii > 0.25 * letters:
        return False
    return not (_RUN_OF_NON_ASCII_LETTERS.search(text) or _SYMBOL_INSIDE_WORD.search(text))
