"""Output paths fail fast: `run --report`, `report` and `export` check where they write before
any work, and a write that still fails after processing keeps what was processed and says how
to finish. Real files in tmp_path; /dev/full stands in for a disk that fills up at the end."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from eventatlas.errors import DataFileError
from eventatlas.out.report import build_report, check_assets
from tests.report_fixture import report_events
from tests.test_cli import run

ARTICLE = {
    "id": "a1",
    "outlet": "Reuters",
    "published": "2021-06-03",
    "title": "Drone strike near Qamishli",
    "text": "Turkish drones struck a car near Qamishli on Sunday, killing two people, the Syrian "
    "Observatory for Human Rights said.\n\nThe monitor said the strike hit a vehicle on the road "
    "east of the city. Kurdish-led forces accused Turkey of escalating attacks in recent weeks.",
}
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")


def _input(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    return path


def _rows(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"select count(*) from {table}").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one ingested article (no processing: the commands under test only read)."""
    tmp = tmp_path_factory.mktemp("stored")
    db = tmp / "s.db"
    res = run("ingest", str(_input(tmp)), "--db", str(db), "-q")
    assert res.returncode == 0, res.stderr
    return db


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("missing/report.html", "missing does not exist; create it (mkdir -p"),
        ("folder", "expected a file to write, got a folder; give a file name inside it"),
        ("a-file/report.html", "a-file to be a folder, it is a file"),
    ],
)
def test_run_refuses_a_bad_report_path_before_any_work(
    tmp_path: Path, target: str, expected: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    db = tmp_path / "r.db"
    res = run("run", str(_input(tmp_path)), "--db", str(db), "--report", str(tmp_path / target))
    assert res.returncode == 2
    assert f"error: --report {tmp_path / target}: " in res.stderr
    assert expected in res.stderr
    assert not db.exists()  # nothing was ingested: the check came first
    assert "stored" not in res.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_run_refuses_a_folder_it_cannot_write(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    db = tmp_path / "r.db"
    res = run("run", str(_input(tmp_path)), "--db", str(db), "--report", str(locked / "r.html"))
    assert res.returncode == 2
    assert "cannot create a file in" in res.stderr
    assert not db.exists()


@needs_dev_full
def test_run_keeps_the_events_when_the_report_cannot_be_written(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    res = run("run", str(_input(tmp_path)), "--db", str(db), "--report", str(FULL))
    assert res.returncode == 2
    assert "processed 1 article(s)" in res.stdout  # the work was done, then the write failed
    assert "could not write the report to /dev/full: No space left on device" in res.stderr
    assert f"the articles and events are stored in {db}" in res.stderr
    hint = f"`eventatlas report --db {db} --out /dev/full`"
    assert hint in res.stderr
    assert _rows(db, "articles") == 1
    assert _rows(db, "event_mentions") > 0
    # the hint finishes the job, with a path that can be written
    out = tmp_path / "report.html"
    done = run("report", "--db", str(db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "leaflet" in out.read_text("utf-8").lower()


def test_report_refuses_a_bad_out_before_reading_the_store(tmp_path: Path, stored: Path) -> None:
    (tmp_path / "folder").mkdir()
    res = run("report", "--db", str(stored), "--out", str(tmp_path / "folder"))
    assert res.returncode == 2
    assert "--out" in res.stderr
    assert "got a folder; give a file name inside it, e.g. --out" in res.stderr
    assert "report.html" in res.stderr
    res = run("report", "--db", str(tmp_path / "new.db"), "--out", str(tmp_path / "no" / "r.html"))
    assert res.returncode == 2
    assert "does not exist" in res.stderr
    assert not (tmp_path / "new.db").exists()  # refused before the store was opened (created)


@needs_dev_full
def test_report_says_the_store_is_unchanged_when_the_write_fails(stored: Path) -> None:
    res = run("report", "--db", str(stored), "--out", str(FULL))
    assert res.returncode == 2
    assert "could not write the report to /dev/full: No space left on device" in res.stderr
    assert "nothing in the store changed" in res.stderr
    assert "rerun `eventatlas report`" in res.stderr
    assert _rows(stored, "articles") == 1


def test_export_refuses_a_bad_out_or_format_before_reading(tmp_path: Path, stored: Path) -> None:
    out = tmp_path / "no" / "events.jsonl"
    res = run("export", "--what", "events", "--db", str(stored), "--out", str(out))
    assert res.returncode == 2
    assert f"--out {out}: expected an existing folder to write into" in res.stderr
    res = run("export", "--what", "stories", "--format", "csv", "--db", str(stored),
              "--out", str(tmp_path))  # fmt: skip
    assert res.returncode == 2
    assert f"e.g. --out {tmp_path / 'stories.csv'}" in res.stderr
    stories = tmp_path / "stories.geojson"
    res = run("export", "--what", "stories", "--format", "geojson", "--db", str(stored),
              "--out", str(stories))  # fmt: skip
    assert res.returncode == 2
    assert "export as jsonl or csv, not 'geojson'" in res.stderr
    assert not stories.exists()  # refused before the file was opened


@needs_dev_full
def test_export_write_failure_names_the_file_and_the_reason(stored: Path) -> None:
    res = run("export", "--what", "articles", "--db", str(stored), "--out", str(FULL))
    assert res.returncode == 2
    assert "could not write the articles to /dev/full: No space left on device" in res.stderr
    assert "nothing in the store changed" in res.stderr
    assert _rows(stored, "articles") == 1


def test_missing_map_assets_are_named_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "leaflet").mkdir()
    (tmp_path / "leaflet" / "leaflet.js").write_text("/* leaflet */")
    with pytest.raises(DataFileError) as caught:
        check_assets(tmp_path)
    message = str(caught.value)
    assert "leaflet/leaflet.css" in message
    assert "leaflet/leaflet.js," not in message  # present, so not listed
    assert "reinstall it (`pip install .`" in message
    with pytest.raises(DataFileError):
        build_report(report_events(), articles=5, assets=tmp_path)
    check_assets()  # the packaged ones are all there
