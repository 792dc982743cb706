"""Hostile inputs through the real command line: no crash, no hang, no silent corruption.

Each test runs ``eventatlas`` in a subprocess on real files and a real SQLite store, and checks
the three things a user sees: the message on standard error, the exit status (0 stored, 1 some
inputs rejected and named, 2 bad usage) and what was stored.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import synthetic_article

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
ARTICLE = synthetic_article(60)


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``eventatlas ARGS`` as a user runs it, bounded in time so a hang fails the test."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("EVENTATLAS_")}
    return subprocess.run(
        [sys.executable, "-m", "eventatlas", *map(str, args)],
        capture_output=True,
        text=True,
        env={**environ, **(env or {})},
        timeout=120,
    )


def ingest(
    db: Path, *inputs: str | Path, expect: int, quiet: bool = False, says: str = ""
) -> subprocess.CompletedProcess[str]:
    """``eventatlas ingest INPUTS --db DB``, which must end with status ``expect``, untraced,
    having said ``says`` on standard error."""
    res = run("ingest", *inputs, "--db", db, *(["-q"] if quiet else []))
    assert res.returncode == expect, res.stderr
    assert "Traceback" not in res.stderr
    assert says in res.stderr
    return res


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stored(db: Path) -> dict[str, str]:
    """Source -> text of every article in the store."""
    return {
        str(source): str(text) for source, text in query(db, "select source, text from articles")
    }


def rejected(stderr: str) -> list[str]:
    """The rejection lines, without their ``eventatlas: rejected`` prefix."""
    prefix = "eventatlas: rejected "
    return [line[len(prefix) :] for line in stderr.splitlines() if line.startswith(prefix)]


# --- symbolic links -----------------------------------------------------------------------


def _tree_with_loops(root: Path) -> None:
    """Two articles, a link to itself, a link to nothing, and two links back up the tree."""
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "one.txt").write_text(synthetic_article(1))
    (root / "a" / "two.txt").write_text(synthetic_article(2))
    (root / "self.txt").symlink_to("self.txt")
    (root / "gone.txt").symlink_to("nowhere.txt")
    (root / "a" / "up").symlink_to("..")
    (root / "b" / "up").symlink_to("..")


@pytest.mark.parametrize("pattern", ["", "/**/*.txt"], ids=["folder", "glob"])
def test_symlink_loops_are_named_and_everything_else_stored(tmp_path: Path, pattern: str) -> None:
    root = tmp_path / "corpus"
    _tree_with_loops(root)
    db = tmp_path / "s.db"
    res = ingest(db, f"{root}{pattern}", expect=EXIT_REJECTED, quiet=True)
    lines = rejected(res.stderr)
    for link in ("a/up", "b/up"):
        loop = f"{root}/{link}: symbolic link loop: it leads back to {root}, which is being read"
        assert any(line.startswith(loop) for line in lines), lines
    assert any(line.startswith(f"{root}/self.txt: symbolic link loop") for line in lines)
    assert any(line.startswith(f"{root}/gone.txt: broken symbolic link") for line in lines)
    assert len(lines) == 4, lines
    assert sorted(stored(db)) == [f"{root}/a/two.txt", f"{root}/one.txt"]


# --- names and text that are not Unicode --------------------------------------------------


def test_file_name_with_non_utf8_bytes_is_stored_under_an_escaped_name(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good.txt").write_text(synthetic_article(3))
    with open(os.fsencode(root) + b"/caf\xe9.txt", "w", encoding="utf-8") as fh:
        fh.write(synthetic_article(4))
    lines = [  # json.dumps writes the lone surrogate as the escape \ud800, as JSON allows
        json.dumps({"id": "j1", "title": "half \ud800 a character", "text": synthetic_article(5)}),
        json.dumps({"id": "j2", "text": synthetic_article(6)}),
    ]
    (root / "more.jsonl").write_text("\n".join(lines) + "\n")
    db = tmp_path / "n.db"
    res = ingest(db, root, expect=EXIT_OK)
    warning = f"{root}/more.jsonl:1: lone surrogates (escapes of half a character, not text) in"
    assert f"{warning} title replaced with U+FFFD" in res.stderr
    assert "stored 4 new article(s)" in res.stdout
    texts = stored(db)
    assert sorted(texts) == sorted(
        [f"{root}/caf\\xe9.txt", f"{root}/good.txt", f"{root}/more.jsonl:1", f"{root}/more.jsonl:2"]
    )
    ((title,),) = query(db, "select title from articles where id = 'j1'")
    assert title == "half \ufffd a character"


def test_one_bad_byte_in_utf8_text_is_replaced_not_a_reason_to_redecode(tmp_path: Path) -> None:
    text = synthetic_article(7).replace("officials said.", "the café’s owner said.", 1)
    data = text.encode("utf-8")
    cut = data.index(b"owner") + 2
    path = tmp_path / "mixed.txt"
    path.write_bytes(data[:cut] + b"\x92" + data[cut:])  # a stray windows-1252 apostrophe
    db = tmp_path / "d.db"
    says = f"{path}: 1 byte sequence(s) not valid UTF-8 (the first at byte {cut}) in text that "
    ingest(db, path, expect=EXIT_OK, says=says + "is UTF-8 otherwise; replaced with U+FFFD")
    (body,) = stored(db).values()
    assert "the café’s ow\ufffdner said." in body
    assert "√" not in body  # nothing decoded as Mac-Roman


# --- WARC ---------------------------------------------------------------------------------


def _warc(path: Path, seed: int) -> list[int]:
    """A WARC of three HTML responses; the byte offset of each record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for n in range(3):
            offsets.append(fh.tell())
            body = (
                f"<html><body><article><p>{synthetic_article(seed + n)}</p></article></body></html>"
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://example.org/{n}",
                "response",
                payload=io.BytesIO(body.encode()),
                http_headers=headers,
            )
            writer.write_record(record)
    return offsets


def test_truncated_warc_records_are_rejected_not_stored_incomplete(tmp_path: Path) -> None:
    mid_body, mid_header = tmp_path / "body.warc", tmp_path / "header.warc"
    body_at, header_at = _warc(mid_body, 20), _warc(mid_header, 30)
    mid_body.write_bytes(mid_body.read_bytes()[:-500])  # the last page loses its end
    data = mid_header.read_bytes()
    mid_header.write_bytes(data[: header_at[2] + 200])  # the last record ends inside its header
    db = tmp_path / "w.db"
    res = ingest(db, mid_body, mid_header, expect=EXIT_REJECTED, quiet=True)
    lines = rejected(res.stderr)
    assert len(lines) == 2, lines
    assert lines[0].startswith(
        f"{mid_body}#{body_at[2]}: WARC record truncated: its Content-Length"
    )
    assert "the page would be stored incomplete, so it is not" in lines[0]
    assert lines[1].startswith(f"{mid_header}#{header_at[2]}: WARC record cut off in its header")
    texts = stored(db)
    whole = [f"{mid_body}#{at}" for at in body_at[:2]] + [
        f"{mid_header}#{at}" for at in header_at[:2]
    ]
    assert sorted(texts) == sorted(whole)
    assert all(text.rstrip().endswith("officials said.") for text in texts.values())


# --- ids ----------------------------------------------------------------------------------


def test_a_reused_id_with_another_text_is_rejected_and_the_stored_text_kept(
    tmp_path: Path,
) -> None:
    first, second, third = synthetic_article(40), synthetic_article(41), synthetic_article(42)
    lines = [
        {"id": "x1", "text": first},
        {"id": "x1", "text": first},  # the same article again: already stored
        {"id": "x1", "text": second},  # another article under the same id
        {"id": "x2", "text": third},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    table = tmp_path / "b.csv"
    table.write_text('id,text\nx2,"' + synthetic_article(43).replace('"', '""') + '"\n')
    db = tmp_path / "i.db"
    res = ingest(db, path, table, expect=EXIT_REJECTED)
    assert rejected(res.stderr) == [
        f"{path}:3: id 'x1' is already stored with a different text (from {path}:1); give this "
        "article another id, or leave id out to have one made from its text",
        f"{table}:2: id 'x2' is already stored with a different text (from {path}:4); give this "
        "article another id, or leave id out to have one made from its text",
    ]
    assert (
        "stored 2 new article(s) (0 linked as syndicated copies), 1 already stored, 2 "
        "rejected" in res.stdout
    )
    texts = {str(id_): str(text) for id_, text in query(db, "select id, text from articles")}
    assert sorted(texts) == ["x1", "x2"]
    assert texts["x1"].startswith("Report number 40")
    assert texts["x2"].startswith("Report number 42")


# --- feeds --------------------------------------------------------------------------------


def test_feed_with_an_internal_dtd_is_read_as_a_feed_and_its_entities_never_expanded(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-42\n")
    names = ["lol"] + [f"lol{n}" for n in range(1, 10)]
    laughs = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY {name} "{f"&{below};" * 10}">' for below, name in itertools.pairwise(names)
    ]  # &lol9; would be a billion lols
    dtd = [
        '<!ENTITY nbsp " ">',
        *laughs,
        f'<!ENTITY secret SYSTEM "file://{secret}">',
        '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;',
    ]
    first, second = (synthetic_article(n).replace("\n", " ") for n in (50, 51))
    feed = tmp_path / "wire.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [\n'
        + "\n".join(dtd)
        + '\n]>\n<rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example/</link>"
        "<item><title>Clashes near the border</title><link>https://wire.example/a</link>"
        f"<description>{first}&nbsp;Said &lol9; and &secret;.</description></item>"
        "<item><title>Talks resume</title><link>https://wire.example/b</link>"
        f"<description>{second}</description></item></channel></rss>\n"
    )
    db = tmp_path / "f.db"
    declared = ", ".join(f"&{name};" for name in [*names, "secret"])
    says = f"{feed}: the feed's DOCTYPE declares entities ({declared}); they are not expanded"
    ingest(db, feed, expect=EXIT_OK, says=says)
    rows = query(db, "select source, title, text from articles order by source")
    assert [(source, title) for source, title, _ in rows] == [
        (f"{feed}#1", "Clashes near the border"),
        (f"{feed}#2", "Talks resume"),
    ]
    text = str(rows[0][2])
    assert text.startswith(" ".join(first.split()))
    assert "lollol" not in text
    assert "SECRET-MARKER" not in text
    assert "ENTITY" not in text
    assert "&lol9" in text


# --- dates --------------------------------------------------------------------------------


def test_out_of_range_published_dates_are_dropped_and_left_to_detection(tmp_path: Path) -> None:
    lines = [
        {"id": "e1", "published": "0001-01-01", "text": "Published: 3 June 2021\n\n" + ARTICLE},
        {"id": "e2", "published": "3000-01-01", "text": synthetic_article(61)},
        {"id": "e3", "published": "2021-06-05", "text": synthetic_article(62)},
    ]
    path = tmp_path / "dated.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    db = tmp_path / "e.db"
    res = ingest(db, path, expect=EXIT_OK)
    for line, day in ((1, "0001-01-01"), (2, "3000-01-01")):
        assert (
            f"{path}:{line}: published date {day} ignored: expected a date from 1900-01-01 to "
        ) in res.stderr
    assert "the date is detected from the text instead" in res.stderr
    assert "2021-06-05" not in res.stderr
    assert query(db, "select id, published, published_source from articles order by id") == [
        ("e1", "2021-06-03", "text"),
        ("e2", None, None),
        ("e3", "2021-06-05", "metadata"),
    ]


_RELATIVE = (
    "yesterday", "the day before yesterday", "on Tuesday", "last Friday", "three days ago",
    "two weeks ago", "two months ago", "five years ago", "last week", "this week", "in recent days",
    "this month", "last month", "in June", "last October", "on June 3", "October of last year",
    "this year", "last year", "today",
)  # fmt: skip


@pytest.mark.parametrize("published", [dt.date.min, dt.date(1, 1, 3), dt.date.max])
def test_event_dates_and_fusion_take_any_stored_publication_date(published: dt.date) -> None:
    """A date at either end of the calendar (stored before ingest refused them) crashes nothing."""
    from eventatlas.events.dates import resolve_date
    from eventatlas.fuse.score import interval

    for phrase in _RELATIVE:
        found = resolve_date(f"Troops shelled the town {phrase}, officials said.", published)
        span = interval(found.date, published)
        assert span is None or span[0] <= span[1]


@pytest.mark.slow
def test_process_and_report_survive_dates_at_the_ends_of_the_calendar(tmp_path: Path) -> None:
    lines = [
        {"id": "m1", "text": "Turkish drones struck a car near Qamishli yesterday, SOHR said."},
        {"id": "m2", "text": "Gunmen attacked a checkpoint near Aleppo last week, the army said."},
    ]
    path = tmp_path / "old.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    db = tmp_path / "old.db"
    ingest(db, path, expect=EXIT_OK, quiet=True)
    con = sqlite3.connect(db)  # as a store written before ingest refused such dates holds them
    con.execute("update articles set published = '0001-01-01' where id = 'm1'")
    con.execute("update articles set published = '9999-12-31' where id = 'm2'")
    con.commit()
    con.close()
    for command in (("process", "--all"), ("report", "--out", tmp_path / "r.html")):
        res = run(*command, "--db", db)
        assert res.returncode == EXIT_OK, res.stderr
        assert "Traceback" not in res.stderr
    assert (tmp_path / "r.html").stat().st_size > 0


# --- URLs ---------------------------------------------------------------------------------

_TRICKLE_SECONDS = 8.0  # how long the server would take; the deadline cuts it at 1 s


class _Trickle(BaseHTTPRequestHandler):
    """Answers at one byte per 50 ms: ``/head`` its headers too, any other path its body."""

    def do_GET(self) -> None:
        page = f"<html><body><p>{synthetic_article(70)}</p></body></html>".encode()
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        if self.path == "/head":
            raw = head + b"X-Padding: " + b"x" * 400 + b"\r\n\r\n" + page
        else:
            self.wfile.write(head + f"Content-Length: {len(page)}\r\n\r\n".encode())
            raw = page
        steps = int(_TRICKLE_SECONDS / 0.05)
        try:
            for byte in raw[:steps]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:  # the client hung up: what the deadline is for
            return

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def trickling_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_that_trickles_bytes_is_cut_off_at_the_fetch_deadline(
    tmp_path: Path, trickling_server: str
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(synthetic_article(71))
    db = tmp_path / "u.db"
    urls = [f"{trickling_server}/head", f"{trickling_server}/body"]
    started = time.monotonic()
    res = run("ingest", *urls, good, "--db", db, "-q", env={"EVENTATLAS_FETCH_DEADLINE": "1"})
    elapsed = time.monotonic() - started
    assert res.returncode == EXIT_REJECTED, res.stderr
    cut = "URL did not finish within 1 s (fetch_deadline)"
    lines = rejected(res.stderr)
    assert len(lines) == 2, lines
    for url, line in zip(urls, lines, strict=True):
        assert line.startswith(f"{url}: {cut} ("), line
        assert "of its body had come); nothing of it was kept" in line
    assert list(stored(db)) == [str(good)]
    assert elapsed < _TRICKLE_SECONDS, f"took {elapsed:.1f} s: the deadline did not cut it"


# --- what the command line prints ---------------------------------------------------------


def test_names_and_reasons_print_one_line_each_and_forge_none(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(synthetic_article(80))
    forged = "eventatlas: rejected forged.txt: no such file or directory"
    (root / f"evil\n{forged}").write_text("")  # empty: rejected, so its name is printed
    (root / "table.csv").write_text(f'"id\n{forged}",title\nx1,Clashes\n')  # a reason quoting it
    db = tmp_path / "p.db"
    res = ingest(db, root, f"nope\r{forged}", expect=EXIT_REJECTED, quiet=True)
    lines = res.stderr.splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith("eventatlas: rejected ") for line in lines)
    assert not any(line.startswith(forged) for line in lines)
    assert f"eventatlas: rejected {root}/evil\\n{forged}: empty file" in lines
    assert any(
        line.startswith(f"eventatlas: rejected {root}/table.csv: CSV header") for line in lines
    )
    assert any(f"(found: id\\n{forged}, title)" in line for line in lines)
    assert f"eventatlas: rejected nope\\r{forged}: no such file or directory" in lines
    assert list(stored(db)) == [f"{root}/good.txt"]


def test_quiet_prints_no_log_lines_of_the_libraries(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Report {n}</title><link>https://wire.example/{n}</link>"
        f"<description>{synthetic_article(n).replace(chr(10), ' ')}</description></item>"
        for n in (81, 82)
    )  # plain-text descriptions, which trafilatura logs as ERROR "empty HTML tree"
    feed = tmp_path / "plain.xml"
    feed.write_text(f'<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>\n')
    db = tmp_path / "q.db"
    res = ingest(db, feed, expect=EXIT_OK, quiet=True)
    assert res.stderr == ""
    assert res.stdout == ""
    assert sorted(stored(db)) == [f"{feed}#1", f"{feed}#2"]


@pytest.mark.parametrize("value", ["-1", "0", "ten"])
def test_max_bytes_must_be_a_positive_integer(tmp_path: Path, value: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(synthetic_article(83))
    db = tmp_path / "m.db"
    res = run("ingest", good, "--db", db, "--max-bytes", value)
    assert res.returncode == EXIT_USAGE
    said = f"argument --max-bytes: expected a positive integer, got {value!r}"
    assert res.stderr.splitlines()[-1] == f"eventatlas ingest: error: {said}"
    assert not db.exists()


def test_a_name_that_reads_as_rich_markup_does_not_break_the_progress_bar(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "a["
    folder.mkdir(parents=True)
    (folder / "b].txt").write_text(synthetic_article(84))  # the path holds "[/b]"
    db = tmp_path / "r.db"
    res = run("ingest", tmp_path / "in", "--db", db, env={"FORCE_COLOR": "1"})  # bar shown
    assert res.returncode == EXIT_OK, res.stderr
    assert "MarkupError" not in res.stderr
    assert list(stored(db)) == [f"{folder}/b].txt"]


def test_titles_and_urls_that_read_as_rich_markup_print_as_text(tmp_path: Path) -> None:
    body = synthetic_article(0)
    path = tmp_path / "m.jsonl"
    path.write_text(
        json.dumps({"id": "m1", "title": "[/b] closing tag [bold]x", "url": "https://e.org/[/i]",
                    "text": body}) + "\n",
        "utf-8",
    )  # fmt: skip
    res = ingest(tmp_path / "s.db", path, expect=0)
    assert "[/b] closing tag" in res.stdout
    assert query(tmp_path / "s.db", "select title from articles") == [("[/b] closing tag [bold]x",)]
