"""Fetch one URL the user handed us: bounded in time and size, every failure a clear reason.

This is the only module of the readers that touches the network, and only when called.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass

from eventatlas import __version__
from eventatlas.errors import InputError
from eventatlas.ingest.decode import read_bounded, too_large

log = logging.getLogger(__name__)

USER_AGENT = (
    f"eventatlas/{__version__} (offline news-to-events tool; fetches only URLs it is given)"
)

# Media types worth reading as a feed, page or text; anything else is refused unread.
_TEXTUAL_PREFIXES = ("text/",)
_TEXTUAL_TYPES = {
    "",
    "application/xhtml+xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
}


@dataclass(frozen=True)
class Fetched:
    """The body of a response and what its headers said about it."""

    url: str
    media_type: str
    charset: str | None
    data: bytes


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def fetch(url: str, *, timeout: float, max_bytes: int) -> Fetched:
    """GET ``url``; raise :class:`InputError` for anything that is not a readable page or feed."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type().lower()
            if not response.headers.get("Content-Type"):
                media_type = ""
            _check_media_type(url, media_type)
            _check_length(url, response.headers.get("Content-Length"), max_bytes)
            data = read_bounded(response, max_bytes)
            final_url = response.geturl()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise InputError(url, f"URL answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise InputError(url, f"URL unreachable: {_why(exc.reason, timeout)}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise InputError(url, f"URL unreachable: {_why(exc, timeout)}") from exc
    except ValueError as exc:
        raise InputError(url, f"not a valid URL ({exc}); give http(s)://host/path") from exc
    if len(data) > max_bytes:
        raise InputError(url, too_large(max_bytes, None))
    log.debug("fetched %s (%d bytes, %s)", final_url, len(data), media_type or "no content-type")
    return Fetched(url=final_url, media_type=media_type, charset=charset, data=data)


def _check_media_type(url: str, media_type: str) -> None:
    textual = media_type in _TEXTUAL_TYPES or media_type.startswith(_TEXTUAL_PREFIXES)
    if not (textual or media_type.endswith("+xml")):
        raise InputError(
            url, f"URL is not a feed or an HTML page (content-type {media_type}); nothing was read"
        )


def _check_length(url: str, header: str | None, max_bytes: int) -> None:
    if header is None or not header.strip().isdigit():
        return
    if int(header) > max_bytes:
        raise InputError(url, too_large(max_bytes, int(header)))


def _why(reason: object, timeout: float) -> str:
    """One short phrase for why a connection failed."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s (fetch_timeout); retry or raise fetch_timeout"
    if isinstance(reason, socket.gaierror):
        return f"host name not found ({reason.strerror})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        return f"broken HTTP response ({type(reason).__name__}: {reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)
