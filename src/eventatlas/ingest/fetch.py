"""Fetch one URL the user handed us: bounded in time and size, every failure a clear reason.

This is the only module of the readers that touches the network, and only when called.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from eventatlas import __version__
from eventatlas.errors import InputError
from eventatlas.ingest.decode import human_size, read_bounded, too_large

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


def fetch(url: str, *, timeout: float, max_bytes: int, deadline: float | None = None) -> Fetched:
    """GET ``url``; raise :class:`InputError` for anything that is not a readable page or feed.

    ``timeout`` bounds each wait on the server (to connect, for each read); ``deadline``, when
    given, the whole fetch, so a server sending a byte at a time cannot hold it for ever.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with _Watchdog(deadline) as watchdog:
        try:
            with _opener(watchdog).open(request, timeout=timeout) as response:
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
            watchdog.check(url)
            raise InputError(url, f"URL unreachable: {_why(exc.reason, timeout)}") from exc
        except (OSError, http.client.HTTPException) as exc:
            watchdog.check(url)
            raise InputError(url, f"URL unreachable: {_why(exc, timeout)}") from exc
        except ValueError as exc:
            raise InputError(url, f"not a valid URL ({exc}); give http(s)://host/path") from exc
        watchdog.check(url, len(data))
    if len(data) > max_bytes:
        raise InputError(url, too_large(max_bytes, None))
    log.debug("fetched %s (%d bytes, %s)", final_url, len(data), media_type or "no content-type")
    return Fetched(url=final_url, media_type=media_type, charset=charset, data=data)


class _Watchdog:
    """Ends a fetch at its deadline by shutting down the sockets of its connections: a read
    waiting on one returns at once, and :meth:`check` then says why the fetch failed."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="fetch-deadline", daemon=True)

    def __enter__(self) -> _Watchdog:
        if self.seconds is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()
        for sock in self._sockets:
            sock.close()

    def watch(self, sock: socket.socket) -> None:
        """Watch a connection's socket: a duplicate of it, since urllib lets go of the socket
        once the headers are read, and TLS wraps it in another; shutdown reaches all of them."""
        with self._lock:
            self._sockets.append(sock.dup())

    def check(self, url: str, received: int | None = None) -> None:
        """Raise :class:`InputError` if the deadline ended the fetch."""
        if not self.expired:
            return
        got = "" if received is None else f" ({human_size(received)} of its body had come)"
        raise InputError(
            url,
            f"URL did not finish within {self.seconds:g} s (fetch_deadline){got}; nothing of it "
            "was kept: retry, or raise fetch_deadline for a slow server",
        )

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.expired = True
        while True:  # again until the fetch ends: a redirect may open another connection
            with self._lock:
                for sock in self._sockets:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
            if self._done.wait(0.05):
                return


class _WatchedHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """http and https connections whose sockets a :class:`_Watchdog` watches."""

    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def do_open(
        self, http_class: Any, req: urllib.request.Request, **http_conn_args: Any
    ) -> http.client.HTTPResponse:
        def connection(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            made: Any = http_class(*args, **kwargs)  # an http.client.HTTPConnection
            create = made._create_connection  # what its connect() opens the socket with

            def create_watched(*args: Any, **kwargs: Any) -> socket.socket:
                sock: socket.socket = create(*args, **kwargs)
                self.watchdog.watch(sock)
                return sock

            made._create_connection = create_watched
            opened: http.client.HTTPConnection = made
            return opened

        return super().do_open(connection, req, **http_conn_args)


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_WatchedHandler(watchdog))


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
