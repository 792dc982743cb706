"""Readers: every input kind comes through, every bad input becomes a named rejection."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import socket
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventatlas.ingest.readers import read_sources
from eventatlas.records import RawDocument, Rejection
from eventatlas.settings import Settings

from .conftest import synthetic_article

SETTINGS = Settings()
ARTICLE = synthetic_article(1)
ARTICLE_2 = synthetic_article(2)


def read(*specs: str | Path, settings: Settings = SETTINGS, stdin: BinaryIO | None = None) -> list:
    return list(read_sources([str(s) for s in specs], settings, stdin=stdin))


def docs(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def rejections(items: list) -> list[Rejection]:
    return [i for i in items if isinstance(i, Rejection)]


def only_rejection(items: list, source: str | Path) -> Rejection:
    found = [r for r in rejections(items) if r.source == str(source)]
    assert len(found) == 1, f"expected one rejection for {source}, got {rejections(items)}"
    return found[0]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A plain article that must come through next to whatever bad input a test adds."""
    path = tmp_path / "good.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def assert_good_read(items: list, good: Path) -> None:
    found = [d for d in docs(items) if d.source == str(good)]
    assert len(found) == 1
    assert found[0].content == ARTICLE
    assert found[0].kind == "text"


# --- local HTTP server --------------------------------------------------------------------


Routes = dict[str, tuple[int, str | None, bytes]]


@pytest.fixture
def http_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Routes]]:
    """A server on 127.0.0.1 serving ``routes[path] = (status, content-type, body)``."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    routes: Routes = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            if ctype is not None:
                self.send_header("Content-Type", ctype)
            if not self.path.startswith("/nolength"):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<language>en</language>
<item><title>Convoy hit near border</title><link>https://wire.example/a/1</link>
<pubDate>Tue, 02 Jun 2020 10:00:00 GMT</pubDate>
<description>&lt;p&gt;A convoy was hit near the border crossing.&lt;/p&gt;</description></item>
<item><title>Talks resume</title><link>https://wire.example/a/2</link>
<pubDate>Wed, 03 Jun 2020 10:00:00 GMT</pubDate>
<description>Short summary only.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Monitor</title><id>urn:x</id>
<updated>2021-05-01T00:00:00Z</updated>
<entry><title>Shelling reported</title><id>urn:1</id>
<link href="https://monitor.example/e/1"/><updated>2021-05-01T08:00:00Z</updated>
<content type="html">&lt;p&gt;Shelling was reported in the province.&lt;/p&gt;</content></entry>
</feed>
"""


# --- plain inputs -------------------------------------------------------------------------


def test_plain_text_file(good: Path) -> None:
    items = read(good)
    assert items == [RawDocument(str(good), "text", ARTICLE, encoding="utf-8")]


def test_html_is_sniffed_from_a_txt_name(tmp_path: Path, good: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("<!DOCTYPE html><html><body><p>Troops deployed.</p></body></html>")
    items = read(page, good)
    assert docs(items)[0].kind == "html"
    assert docs(items)[0].source == str(page)
    assert_good_read(items, good)


def test_markdown_scrape_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "scrape.md"
    path.write_text("# Title\n\nTroops [withdrew](#) from the <b>town</b>.\n")
    assert docs(read(path))[0].kind == "text"


def test_byte_order_marks_are_honoured(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + "café ’".encode())
    (tmp_path / "b.txt").write_bytes("café ’ in UTF-16".encode("utf-16"))
    found = docs(read(tmp_path / "a.txt", tmp_path / "b.txt"))
    assert [d.content for d in found] == ["café ’", "café ’ in UTF-16"]
    assert found[0].encoding == "utf-8"
    assert found[1].encoding.startswith("utf-16")


def test_cp1252_file_decodes_right(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("The café’s owner said “no comment” — twice.".encode("cp1252"))
    (doc,) = docs(read(path))
    assert doc.content == "The café’s owner said “no comment” — twice."
    assert doc.encoding == "cp1252"


def test_page_misdeclared_as_utf8_is_really_cp1252(tmp_path: Path) -> None:
    html = '<html><head><meta charset="utf-8"></head><body><p>Le café’s “menu”</p></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252"))
    (doc,) = docs(read(path))
    assert "Le café’s “menu”" in doc.content
    assert doc.encoding == "cp1252"


def test_page_declared_latin1_but_utf8_decodes_as_utf8(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body>Kyiv’s café</body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("utf-8"))
    (doc,) = docs(read(path))
    assert "Kyiv’s café" in doc.content
    assert doc.encoding == "utf-8"


def test_cyrillic_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = "Министерство обороны сообщило о переброске войск к границе. " * 4
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    assert docs(read(path))[0].content == text


# --- structured inputs --------------------------------------------------------------------


def test_jsonl_fields_and_date_alias(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lines = [
        {"id": 7, "url": "https://a.example/x", "title": "T", "published": "2020-06-02",
         "outlet": "Wire", "language": "en", "text": ARTICLE},
        {"date": "2020-06-03T14:00:00Z", "html": "<p>Only html</p>"},
        {"published": "last Tuesday", "text": ARTICLE_2},
    ]  # fmt: skip
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    with caplog.at_level(logging.WARNING):
        found = docs(read(path))
    assert [d.source for d in found] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    first, second, third = found
    assert first.kind == "text"
    assert first.content == ARTICLE
    assert (first.given.id, first.given.url, first.given.title) == ("7", "https://a.example/x", "T")
    assert (first.given.outlet, first.given.language) == ("Wire", "en")
    assert first.given.published == dt.date(2020, 6, 2)
    assert second.kind == "html"
    assert second.given.published == dt.date(2020, 6, 3)
    assert third.given.published is None
    assert "last Tuesday" in caplog.text


def test_json_array_and_single_object(tmp_path: Path) -> None:
    array = tmp_path / "many.json"
    array.write_text(json.dumps([{"text": ARTICLE}, {"text": ARTICLE_2}], indent=2))
    single = tmp_path / "one"
    single.write_text(json.dumps({"title": "x", "text": ARTICLE}, indent=2))
    found = docs(read(array, single))
    assert [d.source for d in found] == [f"{array}#1", f"{array}#2", str(single)]
    assert found[2].given.title == "x"


def test_csv_rows_with_quotes_newlines_and_huge_fields(tmp_path: Path) -> None:
    huge = "word " * 60_000  # beyond the csv module's default 131072-character field limit
    path = tmp_path / "batch.csv"
    path.write_text(
        "id,title,published,text\n"
        f'a1,"Town, taken",2020-06-02,"{ARTICLE}"\n'
        f"a2,Big,2020-06-03T09:00:00+03:00,{huge}\n"
    )
    found = docs(read(path))
    assert [d.given.id for d in found] == ["a1", "a2"]
    assert found[0].given.title == "Town, taken"
    assert found[0].content == ARTICLE
    assert found[0].source == f"{path}:2"
    assert found[1].source == f"{path}:{2 + ARTICLE.count(chr(10)) + 1}"
    assert found[1].given.published == dt.date(2020, 6, 3)
    assert len(found[1].content) == len(huge)


def test_semicolon_csv_and_headerlike_stdin(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("title;text\nA;first body\nB;second body\n")
    assert [d.content for d in docs(read(path))] == ["first body", "second body"]
    stdin = io.BytesIO(b"url,text\nhttps://x.example/1,piped body\n")
    (doc,) = docs(read("-", stdin=stdin))
    assert doc.given.url == "https://x.example/1"
    assert doc.source == "-:2"


def test_rss_file_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "feed"
    path.write_text(RSS)
    first, second = docs(read(path))
    assert (first.source, first.kind) == (f"{path}#1", "html")
    assert "convoy was hit" in first.content
    assert first.given.url == "https://wire.example/a/1"
    assert first.given.title == "Convoy hit near border"
    assert first.given.published == dt.date(2020, 6, 2)
    assert first.given.language == "en"
    assert second.content == "Short summary only."
    assert second.given.published == dt.date(2020, 6, 3)


def test_atom_file(tmp_path: Path) -> None:
    path = tmp_path / "monitor.xml"
    path.write_text(ATOM)
    (entry,) = docs(read(path))
    assert entry.given.url == "https://monitor.example/e/1"
    assert entry.given.published == dt.date(2021, 5, 1)
    assert "Shelling" in entry.content


def write_warc(path: Path, *, compress: bool) -> None:
    def response(uri: str, status: str, ctype: str, body: bytes) -> object:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        return writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=headers
        )

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        page = "<html><body><p>Le café’s owner fled.</p></body></html>".encode("cp1252")
        records = [
            writer.create_warc_record(
                "https://n.example/a",
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    "GET /a HTTP/1.1", [("Host", "n.example")], is_http_request=True
                ),
            ),
            response("https://n.example/a", "200 OK", "text/html; charset=windows-1252", page),
            response("https://n.example/gone", "404 Not Found", "text/html", b"<p>gone</p>"),
            response("https://n.example/i.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
            response("https://n.example/b.txt", "200 OK", "text/plain", ARTICLE.encode()),
        ]
        for record in records:
            writer.write_record(record)


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_pages_come_through_and_the_rest_is_skipped(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, compress=name.endswith(".gz"))
    items = read(path)
    assert rejections(items) == []
    page, text = items
    assert (page.kind, page.given.url) == ("html", "https://n.example/a")
    assert "Le café’s owner fled." in page.content
    assert (text.kind, text.given.url, text.content) == ("text", "https://n.example/b.txt", ARTICLE)
    assert page.source.startswith(f"{path}#")
    assert page.source != text.source


def test_stdin_is_sniffed_and_read_lazily() -> None:
    class Watched(io.BytesIO):
        reads = 0

        def read(self, size: int | None = -1) -> bytes:
            Watched.reads += 1
            return super().read(size)

    stdin = Watched(b"<html><body><p>Piped page</p></body></html>")
    items = read_sources(["-"], SETTINGS, stdin=stdin)
    assert Watched.reads == 0
    (doc,) = list(items)
    assert (doc.source, doc.kind) == ("-", "html")
    assert Watched.reads > 0


def test_gzip_files_are_unpacked(tmp_path: Path) -> None:
    text = tmp_path / "a.txt.gz"
    text.write_bytes(gzip.compress(ARTICLE.encode()))
    lines = tmp_path / "b.jsonl.gz"
    lines.write_bytes(gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    found = docs(read(text, lines))
    assert [d.content for d in found] == [ARTICLE, "one", "two"]
    assert found[1].source == f"{lines}:1"


def test_folder_recursion_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/c/y.txt", ".hidden.txt", ".git/x.txt", "a/.tmp/w.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"article in {rel}")
    found = read(tmp_path)
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in found] == [
        "a/c/y.txt",
        "a/z.txt",
        "b.txt",
    ]


def test_globs_recursive_and_plain(tmp_path: Path) -> None:
    for rel in ["x/1.txt", "x/deep/2.txt", "x/3.html"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"article {rel}")
    deep = read(f"{tmp_path}/**/*.txt")
    assert [Path(d.source).name for d in deep] == ["1.txt", "2.txt"]
    assert [Path(d.source).name for d in read(f"{tmp_path}/x/*.html")] == ["3.html"]


def test_same_file_twice_is_read_once(good: Path) -> None:
    assert len(read(good, good.parent, f"{good.parent}/*.txt")) == 1


# --- bad inputs: each is named with its reason, the good input still comes through -------


def test_missing_path_and_glob_without_match(tmp_path: Path, good: Path) -> None:
    missing, pattern = tmp_path / "nope.txt", f"{tmp_path}/*.jsonl"
    items = read(missing, pattern, good)
    assert only_rejection(items, missing).reason == "no such file or directory"
    assert only_rejection(items, pattern).reason == "no files match this pattern"
    assert_good_read(items, good)


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n "])
def test_empty_file(tmp_path: Path, good: Path, content: bytes) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    items = read(empty, good)
    assert only_rejection(items, empty).reason.startswith("empty file")
    assert_good_read(items, good)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"some text\x00\x00\x01\x02 then \x00 zeros" * 10, "NUL bytes"),
    ],
)
def test_binary_content_is_named(tmp_path: Path, good: Path, content: bytes, named: str) -> None:
    binary = tmp_path / "article.txt"
    binary.write_bytes(content)
    items = read(binary, good)
    reason = only_rejection(items, binary).reason
    assert reason.startswith("binary content")
    assert named in reason
    assert_good_read(items, good)


def test_over_the_size_limit(tmp_path: Path, good: Path) -> None:
    small = SETTINGS.replace(max_bytes=len(ARTICLE.encode()) + 100)
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE * 3)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b" word" * 100_000))
    items = read(big, bomb, good, settings=small)
    reason = only_rejection(items, big).reason
    assert f"larger than max_bytes={small.max_bytes}" in reason
    assert "--max-bytes" in reason
    assert "once decompressed" in only_rejection(items, bomb).reason
    assert_good_read(items, good)
    piped = read("-", settings=small, stdin=io.BytesIO(b"x" * (small.max_bytes + 1)))
    assert only_rejection(piped, "-").reason.startswith("larger than max_bytes")


def test_bytes_invalid_in_every_encoding(tmp_path: Path, good: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(0x80, 0x100)) * 2)
    items = read(garbage, good)
    assert only_rejection(items, garbage).reason == "not valid UTF-8 or any detectable encoding"
    assert_good_read(items, good)


def test_truncated_and_invalid_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"text": "first"})
        + '\n{"text": "cut off here", "title": "x"'
        + '\n{"text": oops}\n["a list"]\n{"title": "no body"}\n'
        + json.dumps({"text": "last"})
        + "\n"
    )
    items = read(path)
    assert [d.content for d in docs(items)] == ["first", "last"]
    reasons = {r.source: r.reason for r in rejections(items)}
    assert reasons[f"{path}:2"].startswith("truncated JSON (Expecting ',' delimiter at column")
    assert reasons[f"{path}:3"].startswith("invalid JSON (Expecting value at column 10)")
    assert "got an array" in reasons[f"{path}:4"]
    assert reasons[f"{path}:5"] == "no text or html field"
    assert [d.source for d in docs(items)] == [f"{path}:1", f"{path}:6"]


def test_broken_json_document(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text('[\n  {"text": "a"},\n  {"text": "b"\n')
    items = read(path, good)
    assert only_rejection(items, path).reason.startswith("invalid JSON (")
    assert_good_read(items, good)


def test_malformed_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_text(
        'id,text\n1,first body\n2,unquoted, comma\n3,\n4,fourth body\n5,"never closed\n'
    )
    items = read(path)
    assert [d.given.id for d in docs(items)] == ["1", "4"]
    reasons = {r.source: r.reason for r in rejections(items)}
    assert reasons[f"{path}:3"].startswith("CSV row has 3 fields but the header has 2")
    assert reasons[f"{path}:4"] == "text and html fields are empty"
    assert reasons[f"{path}:6"].startswith("malformed CSV row (unexpected end of data)")


def test_csv_without_text_column(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("id,title\n1,x\n")
    items = read(path, good)
    reason = only_rejection(items, path).reason
    assert reason.startswith("CSV header names no text or html column (found: id, title)")
    assert_good_read(items, good)


def test_feed_without_entries_and_broken_warc(tmp_path: Path, good: Path) -> None:
    feed = tmp_path / "empty.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel>')
    warc = tmp_path / "broken.warc"
    warc.write_bytes(
        b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 4\r\n\r\nbody\r\n\r\nGARBAGE\r\n\r\n"
    )
    items = read(feed, warc, good)
    assert only_rejection(items, feed).reason.startswith("feed has no entries")
    assert only_rejection(items, warc).reason.startswith("WARC unreadable")
    assert_good_read(items, good)


def test_unsupported_scheme_and_empty_folder(tmp_path: Path, good: Path) -> None:
    (tmp_path / "void").mkdir()
    items = read("ftp://x.example/a", tmp_path / "void", "", good)
    assert only_rejection(items, "''").reason.startswith("empty path")
    assert "unsupported URL scheme 'ftp'" in only_rejection(items, "ftp://x.example/a").reason
    assert only_rejection(items, tmp_path / "void").reason.startswith("folder holds no files")
    assert_good_read(items, good)


# --- URLs ---------------------------------------------------------------------------------


def test_feed_and_page_over_http(http_site: tuple[str, Routes]) -> None:
    base, routes = http_site
    routes["/feed"] = (200, "application/rss+xml", RSS.encode())
    page = "<html><body><p>Le café’s “menu”</p></body></html>".encode("cp1252")
    routes["/page"] = (200, "text/html; charset=utf-8", page)  # mis-declared
    items = read(f"{base}/feed", f"{base}/page")
    assert [d.source for d in items] == [
        "https://wire.example/a/1",
        "https://wire.example/a/2",
        f"{base}/page",
    ]
    html = items[2]
    assert html.kind == "html"
    assert html.given.url == f"{base}/page"
    assert "Le café’s “menu”" in html.content
    assert html.encoding == "cp1252"


def test_unreachable_url(good: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/feed"
    items = read(url, good)
    assert only_rejection(items, url).reason == "URL unreachable: connection refused"
    assert_good_read(items, good)


def test_url_that_never_answers(good: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        items = read(url, good, settings=SETTINGS.replace(fetch_timeout=0.3))
    assert only_rejection(items, url).reason.startswith("URL unreachable: no answer within 0.3 s")
    assert_good_read(items, good)


@pytest.mark.parametrize("ctype", ["application/pdf", "application/octet-stream", "image/png"])
def test_url_that_is_not_a_feed_or_page(
    http_site: tuple[str, Routes], good: Path, ctype: str
) -> None:
    base, routes = http_site
    routes["/doc"] = (200, ctype, b"%PDF-1.4 binary")
    items = read(f"{base}/doc", good)
    reason = only_rejection(items, f"{base}/doc").reason
    assert reason.startswith(f"URL is not a feed or an HTML page (content-type {ctype})")
    assert_good_read(items, good)


def test_url_errors_and_limits(http_site: tuple[str, Routes], good: Path) -> None:
    base, routes = http_site
    routes["/big"] = (200, "text/html", b"<p>" + b"x" * 5000)
    routes["/nolength-big"] = (200, "text/html", b"<p>" + b"x" * 5000)
    routes["/untyped"] = (200, None, b"\x89PNG\r\n\x1a\n")
    items = read(
        f"{base}/missing",
        f"{base}/big",
        f"{base}/nolength-big",
        f"{base}/untyped",
        good,
        settings=SETTINGS.replace(max_bytes=len(ARTICLE.encode()) + 10),
    )
    assert only_rejection(items, f"{base}/missing").reason.startswith("URL answered HTTP 404")
    assert "max_bytes" in only_rejection(items, f"{base}/big").reason
    assert "max_bytes" in only_rejection(items, f"{base}/nolength-big").reason
    untyped = only_rejection(items, f"{base}/untyped").reason
    assert untyped == "binary content (looks like PNG image)"
    assert_good_read(items, good)


# --- nothing raises -----------------------------------------------------------------------

PREFIXES = [
    b"",
    b"WARC/1.0\r\n",
    b"\x1f\x8b\x08\x00",
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><description>',
    b"<html><body>",
    b'{"text": "',
    b"id,text\n1,",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]


def check_items(items: list, sources: set[str]) -> None:
    assert items, "every input must yield a document or a rejection"
    for item in items:
        assert isinstance(item, RawDocument | Rejection)
        assert item.source.split("#")[0].split(":")[0] in sources or item.source in sources
        if isinstance(item, Rejection):
            assert item.reason
        else:
            assert item.content.strip()


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=400),
    name=st.sampled_from(["x.txt", "x.jsonl", "x.csv", "x.json", "x.gz", "x.warc", "x"]),
)
def test_arbitrary_bytes_never_raise(prefix: bytes, body: bytes, name: str) -> None:
    data = prefix + body
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        check_items(read(path, settings=SETTINGS.replace(max_bytes=300)), {str(path)})
    check_items(read("-", stdin=io.BytesIO(data)), {"-"})
