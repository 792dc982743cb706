"""Hostile inputs through the real command line: no crash, no hang, no silent corruption.

Each test runs ``eventatlas`` in a subprocess on real files and a real SQLite store, and checks
the three things a user sees: the message on standard error, the exit status (0 stored, 1 some
inputs rejected and named, 2 bad usage) and what was stored.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import synthetic_article

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


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


def stored(db: Path) -> dict[str, str]:
    """Source -> text of every article in the store."""
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("select source, text from articles").fetchall())
    finally:
        con.close()


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
    res = run("ingest", f"{root}{pattern}", "--db", db, "-q")
    assert res.returncode == EXIT_REJECTED, res.stderr
    assert "Traceback" not in res.stderr
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
    res = run("ingest", root, "--db", db)
    assert res.returncode == EXIT_OK, res.stderr
    warning = f"{root}/more.jsonl:1: lone surrogates (escapes of half a character, not text) in"
    assert f"{warning} title replaced with U+FFFD" in res.stderr
    assert "stored 4 new article(s)" in res.stdout
    texts = stored(db)
    assert sorted(texts) == sorted(
        [f"{root}/caf\\xe9.txt", f"{root}/good.txt", f"{root}/more.jsonl:1", f"{root}/more.jsonl:2"]
    )
    con = sqlite3.connect(db)
    (title,) = con.execute("select title from articles where id = 'j1'").fetchone()
    con.close()
    assert title == "half \ufffd a character"


def test_one_bad_byte_in_utf8_text_is_replaced_not_a_reason_to_redecode(tmp_path: Path) -> None:
    text = synthetic_article(7).replace("officials said.", "the café’s owner said.", 1)
    data = text.encode("utf-8")
    cut = data.index(b"owner") + 2
    path = tmp_path / "mixed.txt"
    path.write_bytes(data[:cut] + b"\x92" + data[cut:])  # a stray windows-1252 apostrophe
    db = tmp_path / "d.db"
    res = run("ingest", path, "--db", db)
    assert res.returncode == EXIT_OK, res.stderr
    assert (
        f"{path}: 1 byte sequence(s) not valid UTF-8 (the first at byte {cut}) in text that is "
        "UTF-8 otherwise; replaced with U+FFFD"
    ) in res.stderr
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
    res = run("ingest", mid_body, mid_header, "--db", db, "-q")
    assert res.returncode == EXIT_REJECTED, res.stderr
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
    res = run("ingest", path, table, "--db", db)
    assert res.returncode == EXIT_REJECTED, res.stderr
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
    con = sqlite3.connect(db)
    texts = dict(con.execute("select id, text from articles").fetchall())
    con.close()
    assert sorted(texts) == ["x1", "x2"]
    assert texts["x1"].startswith("Report number 40")
    assert texts["x2"].startswith("Report number 42")
